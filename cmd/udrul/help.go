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
)

// languageEnv overrides the language of the help text: "da" or "en".
const languageEnv = "UDRUL_LANGUAGE"

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
