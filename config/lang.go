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
	msg := "konfigurationen kan ikke åbnes"
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = "konfigurationen findes ikke: skriv en med 'udrul init', eller angiv den med --config"
	case errors.Is(err, fs.ErrPermission):
		msg = "udrul har ikke lov til at læse konfigurationen: giv brugeren, udrul kører som, læseadgang"
	}
	return &FieldError{File: path, Msg: msg, cause: err}
}
