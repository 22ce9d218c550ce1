package config

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/udrul/udrul/internal/lang"
)

// English reports whether the configuration asks for English messages
// (language: en); anything else is Danish, the default.
func (c *Config) English() bool { return c != nil && c.Language == "en" }

// tr picks the Danish or English form of a message and fills it.
func tr(english bool, da, en string, args ...any) string {
	return lang.Pickf(english, da, en, args...)
}

// LanguageEnv is the environment variable that, set to da or en, chooses
// the language of what is said before a configuration is read — the help,
// and the problems found in the configuration file itself (it cannot be
// opened, is not YAML, has unknown keys or bad values) — whatever the
// file's language: key says.
const LanguageEnv = "UDRUL_LANGUAGE"

// envLanguage is $UDRUL_LANGUAGE when it says da or en, else "".
func envLanguage() string {
	switch l := strings.ToLower(strings.TrimSpace(os.Getenv(LanguageEnv))); l {
	case "da", "en":
		return l
	}
	return ""
}

// problemsEnglish reports whether the problems of a configuration file
// (data) are said in English: $UDRUL_LANGUAGE, else the file's language.
func problemsEnglish(data []byte) bool {
	if l := envLanguage(); l != "" {
		return l == "en"
	}
	return languageOf(data) == "en"
}

// ProblemsEnglish reports whether the configuration's problems (and what
// config check says of it) are said in English: $UDRUL_LANGUAGE, else its
// language.
func (c *Config) ProblemsEnglish() bool {
	if l := envLanguage(); l != "" {
		return l == "en"
	}
	return c.English()
}

// languageOf reads only the language key of a configuration file, so that
// the errors of decoding the rest speak it. A file that is not valid YAML
// (a syntax error anywhere) is read line by line for a top-level
// "language:" line; a file that does not say is Danish, the default.
func languageOf(data []byte) string {
	var l struct {
		Language string `yaml:"language"`
	}
	if err := yaml.Unmarshal(data, &l); err != nil {
		l.Language = languageLine(data)
	}
	if strings.TrimSpace(l.Language) == "en" {
		return "en"
	}
	return "da"
}

// languageLine finds the value of the first top-level "language:" line of
// a file that does not parse: the key at the start of the line, the value
// without quotes or a comment.
func languageLine(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte("\n"))
		rest, ok := bytes.CutPrefix(line, []byte("language"))
		if !ok {
			continue
		}
		rest = bytes.TrimLeft(rest, " \t")
		if v, ok := bytes.CutPrefix(rest, []byte(":")); ok {
			v, _, _ = bytes.Cut(v, []byte(" #"))
			return strings.Trim(strings.TrimSpace(string(v)), `"'`)
		}
	}
	return ""
}

// FileLanguage reads only the language key of the configuration file at
// path — "en" or "da" — for what is said without loading the whole file,
// such as the commands' help. ok is false when the file cannot be read;
// a file that reads but does not say (or is broken) is Danish, the default.
func FileLanguage(path string) (lang string, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return "da", false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxLanguageRead))
	if err != nil {
		return "da", false
	}
	return languageOf(data), true
}

// maxLanguageRead bounds what FileLanguage reads: a configuration is a few
// kilobytes.
const maxLanguageRead = 4 << 20

// openError says in plain words why the configuration file cannot be
// opened; its language is not known yet, so it is Danish, the default.
// errors.Is still finds the reason (fs.ErrNotExist, fs.ErrPermission).
func openError(path string, err error) error {
	en := envLanguage() == "en"
	msg := tr(en, "konfigurationen kan ikke åbnes", "the configuration cannot be opened")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = tr(en, "konfigurationen findes ikke: skriv en med 'udrul init', eller angiv den med --config",
			"the configuration does not exist: write one with 'udrul init', or name it with --config")
	case errors.Is(err, fs.ErrPermission):
		msg = tr(en, "udrul har ikke lov til at læse konfigurationen: giv brugeren, udrul kører som, læseadgang",
			"udrul is not allowed to read the configuration: give the user udrul runs as read access")
	}
	return &FieldError{File: path, Msg: msg, cause: err}
}
