package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/internal/suggest"
)

// languageEnv overrides the language of the help text: "da" or "en".
const languageEnv = config.LanguageEnv

// helpEnglish reports whether help is said in English: $UDRUL_LANGUAGE
// when it says da or en, else the language of the configuration at
// cfgPath when it can be read, else Danish, the default.
func helpEnglish(cfgPath string) bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(languageEnv))) {
	case "en":
		return true
	case "da":
		return false
	}
	lang, ok := config.FileLanguage(cfgPath)
	return ok && lang == "en"
}

// flagsEnglish reports whether a command's help is said in English: an
// explicit --lang, else helpEnglish of the configuration its flags name
// (--config, also when it follows -h), else of the default configuration.
func flagsEnglish(fs *flag.FlagSet) bool {
	set := map[string]string{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = f.Value.String() })
	if lang, ok := set["lang"]; ok && os.Getenv(languageEnv) == "" {
		return lang == "en"
	}
	cfgPath, ok := set["config"]
	if !ok {
		// Parsing stopped at -h: a --config may follow it.
		cfgPath = configArg(fs.Args())
	}
	return helpEnglish(cfgPath)
}

// configArg is the configuration file that args name with --config, or
// the default one.
func configArg(args []string) string {
	path := defaultConfig()
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "config" {
			continue
		}
		if hasValue {
			path = value
		} else if i+1 < len(args) {
			path = args[i+1]
		}
	}
	return path
}

// normHelp is a help text with its line breaks and spacing evened out: the
// key of its Danish in helpDanish, so that rewrapping the English does not
// lose its translation.
func normHelp(s string) string { return strings.Join(strings.Fields(s), " ") }

// danish returns the Danish of an English help text, or the English when
// there is none (TestHelp_danish finds those).
func danish(en string) string {
	if da, ok := helpDanish[normHelp(en)]; ok {
		return da
	}
	return en
}

// printUsage prints a command's usage: its synopsis (the syntax lines,
// then what it does) and its flags, in English or Danish. The syntax lines
// stay as written: flag names and placeholders are the same in both.
func printUsage(w io.Writer, fs *flag.FlagSet, name, synopsis string, english bool) {
	if english {
		fmt.Fprintf(w, "Usage: udrul %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
		return
	}
	syntax, about, _ := strings.Cut(synopsis, "\n\n")
	fmt.Fprintf(w, "Brug: udrul %s %s\n\n", name, syntax)
	if about != "" {
		fmt.Fprintf(w, "%s\n\n", danish(about))
	}
	io.WriteString(w, "Flag:\n")
	// The flag package prints the defaults; the descriptions are swapped
	// for their Danish while it does, and its "(default x)" said in Danish.
	var buf bytes.Buffer
	usages := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) {
		usages[f.Name] = f.Usage
		f.Usage = danish(f.Usage)
	})
	out := fs.Output()
	fs.SetOutput(&buf)
	fs.PrintDefaults()
	fs.SetOutput(out)
	fs.VisitAll(func(f *flag.Flag) { f.Usage = usages[f.Name] })
	w.Write(defaultSuffix.ReplaceAll(buf.Bytes(), []byte("(standard $1)")))
}

// defaultSuffix is the "(default x)" the flag package ends a flag's
// description with.
var defaultSuffix = regexp.MustCompile(`(?m)\(default (.*)\)$`)

// printMainUsage prints udrul's usage: what it is and its commands.
func printMainUsage(w io.Writer, english bool) {
	l := func(da, en string) string {
		if english {
			return en
		}
		return da
	}
	var b strings.Builder
	b.WriteString(l("udrul samler kommunernes implementeringsplaner fra regneark til ét billede af en udrulning.\n\nBrug:\n  udrul <kommando> [argumenter]\n\nKommandoer:\n",
		"udrul turns municipalities' implementation plan spreadsheets into one picture of a rollout.\n\nUsage:\n  udrul <command> [arguments]\n\nCommands:\n"))
	summary := func(s string) string {
		if english {
			return s
		}
		return danish(s)
	}
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, summary(c.summary))
	}
	fmt.Fprintf(&b, "  %-10s %s\n", "version", summary(versionSummary))
	b.WriteString(l("\nSkriv 'udrul help <kommando>' eller 'udrul <kommando> -h' for en kommandos flag.\nHjælpen følger konfigurationens sprog (language); "+languageEnv+"=en eller =da vælger et andet.\n",
		"\nRun 'udrul help <command>' or 'udrul <command> -h' for a command's flags.\nHelp follows the configuration's language; "+languageEnv+"=en or =da chooses another.\n"))
	io.WriteString(w, b.String())
}

// versionSummary is the version command's line in the usage.
const versionSummary = "print udrul's version, commit and Go version"

// usageText is a usage mistake's message (or its fmt format) in the
// language of fs's help: the English as written, or its Danish from
// usageDanish.
func usageText(fs *flag.FlagSet, en string) string {
	if flagsEnglish(fs) {
		return en
	}
	if da, ok := usageDanish[en]; ok {
		return da
	}
	return en
}

// usageError is a flag value that is not allowed, said in both languages
// (badUsage picks one).
type usageError struct{ en, da string }

func (e *usageError) Error() string { return e.en }

// flagErrors are the flag package's own messages, with their Danish (a
// value a flag refused: invalidValue).
var flagErrors = []struct {
	re *regexp.Regexp
	da string
}{
	{regexp.MustCompile(`^flag provided but not defined: (.*)$`), "flaget findes ikke: $1"},
	{regexp.MustCompile(`^flag needs an argument: (.*)$`), "flaget mangler en værdi: $1"},
	{regexp.MustCompile(`^invalid boolean value (".*") for (\S+): .*$`), "ugyldig værdi $1 til flaget $2: skriv true eller false"},
	{regexp.MustCompile(`^invalid boolean flag (\S+): .*$`), "ugyldigt flag $1"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "forkert skrevet flag: $1"},
}

// invalidValue is the flag package's message about a value a flag's Set
// refused, with the value, the flag and Set's hint.
var invalidValue = regexp.MustCompile(`^invalid value (".*") for flag (\S+): (.*)$`)

// valueHints are the Danish of what a flag refuses a value with: the flag
// package's own (a number) and the Set methods' of udrul's flags.
var valueHints = []struct {
	re *regexp.Regexp
	da string
}{
	{regexp.MustCompile(`^parse error$`), "det er ikke et tal"},
	{regexp.MustCompile(`^value out of range$`), "tallet er for stort"},
	{regexp.MustCompile(`^want SOLUTION/WAVE=DATE, such as (\S+)$`), "skriv LØSNING/BØLGE=DATO, for eksempel $1"},
	{regexp.MustCompile(`^(".*") is not a date: write the date as YYYY-MM-DD, as in (\S+)$`), "$1 er ikke en dato: skriv datoen som ÅÅÅÅ-MM-DD, som i $2"},
}

// flagOutput is a flag set's output: the flag package's messages about a
// wrong flag are said in the help's language.
type flagOutput struct {
	fs *flag.FlagSet
	w  io.Writer
}

func (o *flagOutput) Write(p []byte) (int, error) {
	line := strings.TrimSuffix(string(p), "\n")
	en := flagsEnglish(o.fs)
	// An unknown flag: the flag it most likely meant.
	var hint string
	if m := flagErrors[0].re.FindStringSubmatch(line); m != nil {
		var names []string
		o.fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if s := suggest.Closest(strings.TrimLeft(m[1], "-"), names); s != "" {
			hint = say(en, "; mente du --", "; did you mean --") + s + "?"
		}
	}
	if m := invalidValue.FindStringSubmatch(line); m != nil && !en {
		// The value's hint, in Danish when it is known; else none (not
		// English in a Danish line).
		da := "ugyldig værdi " + m[1] + " til flaget " + m[2]
		for _, h := range valueHints {
			if h.re.MatchString(m[3]) {
				da += ": " + h.re.ReplaceAllString(m[3], h.da)
				break
			}
		}
		if _, err := io.WriteString(o.w, da+"\n"); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	for _, fe := range flagErrors {
		if fe.re.MatchString(line) && !en {
			if _, err := io.WriteString(o.w, fe.re.ReplaceAllString(line, fe.da)+hint+"\n"); err != nil {
				return 0, err
			}
			return len(p), nil
		}
	}
	if hint != "" {
		if _, err := io.WriteString(o.w, line+hint+"\n"); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return o.w.Write(p)
}

// usageDanish is the Danish of the commands' usage mistakes.
var usageDanish = map[string]string{
	"unexpected argument %q: this command takes only flags":                                                  "uventet argument %q: kommandoen tager kun flag",
	"--accept-empty %q: no source has that name":                                                             "--accept-empty %q: ingen kilde hedder sådan",
	"--accept-empty %q: name a folder below the source's folder, as the sync's message does (SOURCE/FOLDER)": "--accept-empty %q: angiv en mappe under kildens mappe, som synkroniseringens besked gør (KILDE/MAPPE)",
	"--municipality and --split exclude each other":                                                          "--municipality og --split udelukker hinanden",
	"unknown format %s: use table or json":                                                                   "ukendt format %s: brug table eller json",
	"name the subcommand: reset":                                                                             "angiv underkommandoen: reset",
	"name the subcommand: check":                                                                             "angiv underkommandoen: check",
	"name the subcommand: revoke":                                                                            "angiv underkommandoen: revoke",
	"name the subcommand: propose, responses or decide":                                                      "angiv underkommandoen: propose, responses eller decide",
	"--plan and --label are required":                                                                        "--plan og --label skal angives",
	"--out is required and takes no other arguments":                                                         "--out skal angives, og kommandoen tager ingen andre argumenter",
	"--retry and --drop take one message at a time, and nothing else":                                        "--retry og --drop tager én besked ad gangen og intet andet",
	"--user takes an e-mail address, and nothing else is taken":                                              "--user tager en e-mailadresse og intet andet",
	"unexpected arguments":                                                                                   "uventede argumenter",
	"--solution is required":                                                                                 "--solution skal angives",
	"--rebase needs --wave":                                                                                  "--rebase kræver --wave",
	"--write needs --out FOLDER":                                                                             "--write kræver --out MAPPE",
	"--all needs --wave and --out FOLDER":                                                                    "--all kræver --wave og --out MAPPE",
	"--municipality and --out are required":                                                                  "--municipality og --out skal angives",
	"--criteria FILE is required, and nothing else":                                                          "--criteria FIL skal angives, og intet andet",
	"name the proposal workbook":                                                                             "angiv forslagets projektmappe",
	"%q is not a task number (see 'udrul tasks')":                                                            "%q er ikke et opgavenummer (se 'udrul tasks')",
	"unknown language %q: use da or en":                                                                      "ukendt sprog %q: brug da eller en",
	"unknown format %q: use text or json":                                                                    "ukendt format %q: brug text eller json",
	"name one backup file, such as backups/udrul-backup-2026-11-25T023000.db.gz":                             "angiv én sikkerhedskopi, fx backups/udrul-backup-2026-11-25T023000.db.gz",
	"name one task by its number in 'udrul tasks'":                                                           "angiv én opgave med dens nummer i 'udrul tasks'",
	"unknown subcommand %q; did you mean %q?":                                                                "ukendt underkommando %q; mente du %q?",
	"unknown subcommand %q: use %s":                                                                          "ukendt underkommando %q: brug %s",
	"--max-size must be positive":                                                                            "--max-size skal være positiv",
	"name one or more plan files or folders":                                                                 "angiv en eller flere planfiler eller mapper",
}

// usageWords are the Danish of the things oneOf and listOf check.
var usageWords = map[string]string{"format": "format", "language": "sprog", "kind": "slags", "level": "niveau", "status": "status"}
