package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCommands_errorsInTheConfiguredLanguage: errors the commands did not
// word themselves (the store's, the file system's) and their own are said
// in the configured language, Danish by default, with no English in the
// Danish ones.
func TestCommands_errorsInTheConfiguredLanguage(t *testing.T) {
	english := regexp.MustCompile(`(?i)\b(not found|no such|does not exist|there is no|cannot|is not a date|no source)\b`)
	for _, tt := range []struct {
		name string
		args func(dir, cfg string) []string
		da   string
		en   string
	}{
		{"a plan that is not there", func(dir, cfg string) []string {
			return []string{"baseline", "reset", "--config", cfg, "--plan", "Nowhere/KY", "--label", "x"}
		}, `udrul baseline: der er ingen plan "Nowhere/KY" (planer hedder Kommune/Løsning, som 'udrul plans' viser dem)`,
			`udrul baseline: plan "Nowhere/KY": not found (plans are named Municipality/Solution, as 'udrul plans' lists them)`},
		{"a task that is not there", func(dir, cfg string) []string { return []string{"history", "9999", "--config", cfg} },
			"udrul history: der er ingen opgave 9999 (se 'udrul tasks')", "udrul history: there is no task 9999 (see 'udrul tasks')"},
		{"a report folder that cannot be made", func(dir, cfg string) []string {
			return []string{"report", "--config", cfg, "--out", filepath.Join(dir, "fil", "rapport.xlsx")}
		}, "udrul report: kan ikke oprette mappen " + "%DIR%/fil: en del af stien er en fil, ikke en mappe: ret stien",
			"udrul report: cannot create the folder " + "%DIR%/fil: a part of the path is a file, not a folder: correct the path"},
		{"an --as-of that is not a date", func(dir, cfg string) []string { return []string{"findings", "--config", cfg, "--as-of", "2026-13-01"} },
			`udrul findings: --as-of: "2026-13-01" er ikke en dato: skriv ÅÅÅÅ-MM-DD`, `udrul findings: --as-of: "2026-13-01" is not a date: write YYYY-MM-DD`},
		{"a source that is not there", func(dir, cfg string) []string { return []string{"sync", "--config", cfg, "--source", "nope"} },
			`udrul sync: der er ingen kilde med navnet "nope" i `, `udrul sync: no source named "nope" in `},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, l := range []struct{ lang, want string }{{"da", tt.da}, {"en", tt.en}} {
				dir := t.TempDir()
				cfg := filepath.Join(dir, "udrul.yaml")
				if code, _, errOut := run(t, "init", "--out", cfg); code != exitOK {
					t.Fatal(errOut)
				}
				text := strings.Replace(string(mustRead(t, cfg)), "language: da", "language: "+l.lang, 1)
				os.WriteFile(cfg, []byte(text), 0o600)
				os.WriteFile(filepath.Join(dir, "fil"), []byte("x"), 0o644)
				code, _, errOut := run(t, tt.args(dir, cfg)...)
				want := strings.ReplaceAll(l.want, "%DIR%", dir)
				if code == exitOK || !strings.Contains(errOut, want) {
					t.Errorf("%s: exit %d\ngot  %s\nwant %s", l.lang, code, errOut, want)
				}
				if w := english.FindString(errOut); l.lang == "da" && w != "" {
					t.Errorf("English %q in the Danish error: %s", w, errOut)
				}
			}
		})
	}
}

// TestInitCommand_refusalInTheFilesLanguage: init will not overwrite a
// configuration, and says so in that configuration's language.
func TestInitCommand_refusalInTheFilesLanguage(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"da", "findes allerede; brug --force for at overskrive den"},
		{"en", "exists; use --force to overwrite it"},
	} {
		cfg := filepath.Join(t.TempDir(), "udrul.yaml")
		os.WriteFile(cfg, []byte("language: "+tt.lang+"\n"), 0o600)
		code, _, errOut := run(t, "init", "--out", cfg)
		if code != exitFailure || !strings.Contains(errOut, "udrul init: "+cfg+" "+tt.want) {
			t.Errorf("%s: exit %d: %s", tt.lang, code, errOut)
		}
	}
}

// TestInitCommand_commentsInTheFilesLanguage: the starter's comments are
// in the language it sets: Danish by default (they were English under
// language: da), English with --lang en or UDRUL_LANGUAGE=en; so is what
// init says.
func TestInitCommand_commentsInTheFilesLanguage(t *testing.T) {
	for _, tt := range []struct {
		name     string
		env      string
		args     []string
		language string
		comment  string // a comment line of that language
		said     string
	}{
		{"default", "", nil, "language: da", "# Sprog i beskeder og rapporter: da eller en.", "skrev "},
		{"--lang en", "", []string{"--lang", "en"}, "language: en", "# Language of messages and reports: da or en.", "wrote "},
		{"UDRUL_LANGUAGE=en", "en", nil, "language: en", "# Language of messages and reports: da or en.", "wrote "},
		{"--lang da over UDRUL_LANGUAGE=en", "en", []string{"--lang", "da"}, "language: da", "# Sprog i beskeder og rapporter: da eller en.", "skrev "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("UDRUL_LANGUAGE", tt.env)
			cfg := filepath.Join(t.TempDir(), "udrul.yaml")
			code, out, errOut := run(t, append([]string{"init", "--out", cfg}, tt.args...)...)
			if code != exitOK || !strings.HasPrefix(out, tt.said+cfg) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want it to start %q", code, out, errOut, tt.said+cfg)
			}
			text := string(mustRead(t, cfg))
			if !strings.Contains(text, "\n"+tt.language+"\n") || !strings.Contains(text, "\n"+tt.comment+"\n") {
				t.Errorf("the file lacks %q or %q:\n%s", tt.language, tt.comment, text)
			}
			if tt.language == "language: da" {
				english := regexp.MustCompile(`\b(the|is|are|of|and|or|with|each|when|here|only|must|this|that|which|not)\b`)
				for i, line := range strings.Split(text, "\n") {
					if c, ok := strings.CutPrefix(strings.TrimSpace(line), "# "); ok {
						if w := english.FindString(c); w != "" {
							t.Errorf("line %d, a Danish starter's comment, has the English %q: %s", i+1, w, line)
						}
					}
				}
			}
		})
	}
}

// TestFlagOutput_valueHints: a flag value refused keeps its hint in
// Danish (it was cut off after the flag's name), as in English.
func TestFlagOutput_valueHints(t *testing.T) {
	for _, tt := range []struct {
		name   string
		args   []string
		da, en string
	}{
		{"a --go-live without its parts", []string{"forecast", "--go-live", "KY1"},
			`ugyldig værdi "KY1" til flaget -go-live: skriv LØSNING/BØLGE=DATO, for eksempel KY/2=2027-03-01`,
			`invalid value "KY1" for flag -go-live: want SOLUTION/WAVE=DATE, such as KY/2=2027-03-01`},
		{"a --go-live with a date that is none", []string{"forecast", "--go-live", "KY/1=2027-13-01"},
			`ugyldig værdi "KY/1=2027-13-01" til flaget -go-live: "2027-13-01" er ikke en dato: skriv datoen som ÅÅÅÅ-MM-DD, som i KY/2=2027-03-01`,
			`invalid value "KY/1=2027-13-01" for flag -go-live: "2027-13-01" is not a date: write the date as YYYY-MM-DD, as in KY/2=2027-03-01`},
		{"a number that is none", []string{"check", "--max-size", "stor", "x.xlsx"},
			`ugyldig værdi "stor" til flaget -max-size: det er ikke et tal`,
			`invalid value "stor" for flag -max-size: parse error`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, l := range []struct{ lang, want string }{{"da", tt.da}, {"en", tt.en}} {
				t.Setenv("UDRUL_LANGUAGE", l.lang)
				code, _, errOut := run(t, tt.args...)
				if first, _, _ := strings.Cut(errOut, "\n"); code != exitUsage || first != l.want {
					t.Errorf("%s: exit %d, first line\ngot  %s\nwant %s", l.lang, code, first, l.want)
				}
			}
		})
	}
}
