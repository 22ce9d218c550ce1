package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
)

// inEnglish sets language: en at the end of a configuration (no line
// moves), unless it names a language itself.
func inEnglish(yaml string) string {
	if strings.Contains(yaml, "language:") {
		return yaml
	}
	return yaml + "language: en\n"
}

// english finds the English words of udrul's own sentences; technical
// tokens (keys, values, URLs) are not among them.
var english = regexp.MustCompile(`(?i)\b(unknown|must|did you mean|is not|are not|not a|such as|needs?|cannot|the (file|folder|key|line|value|source)|belong|warning|already|missing|give|write|got)\b`)

// TestParse_errorsInDanish: every bad configuration of the English table
// is refused in Danish by default, at the same key and line, and no line
// carries the English sentence or English words.
func TestParse_errorsInDanish(t *testing.T) {
	for _, tt := range errorCases {
		if strings.Contains(tt.yaml, "language:") {
			continue // the language itself is wrong: Danish, the default
		}
		t.Run(tt.name, func(t *testing.T) {
			_, daErr := Parse(strings.NewReader(tt.yaml), "udrul.yaml")
			_, enErr := Parse(strings.NewReader(inEnglish(tt.yaml)), "udrul.yaml")
			if daErr == nil || enErr == nil {
				t.Fatalf("accepted: da %v, en %v", daErr, enErr)
			}
			da := fieldErrors(daErr)
			en := fieldErrors(enErr)
			if len(da) != len(en) {
				t.Fatalf("%d Danish problems, %d English:\n%v\n%v", len(da), len(en), daErr, enErr)
			}
			for i := range da {
				if got, want := da[i].Line, en[i].Line; got != want {
					t.Errorf("line %d in Danish, %d in English", got, want)
				}
				if got, want := da[i].Key, en[i].Key; got != want {
					t.Errorf("key %q in Danish, %q in English", got, want)
				}
				if da[i].Msg == en[i].Msg {
					t.Errorf("the same sentence in both languages: %q", da[i].Msg)
				}
				if w := english.FindString(da[i].Msg); w != "" {
					t.Errorf("Danish message has the English %q: %q", w, da[i].Msg)
				}
			}
		})
	}
}

func fieldErrors(err error) []*FieldError {
	var out []*FieldError
	var joined interface{ Unwrap() []error }
	errs := []error{err}
	if errors.As(err, &joined) {
		errs = joined.Unwrap()
	}
	for _, e := range errs {
		var fe *FieldError
		if errors.As(e, &fe) {
			out = append(out, fe)
		}
	}
	return out
}

// TestParse_messagesInEachLanguage: the same mistakes, word for word in
// each language, with the key path and the line.
func TestParse_messagesInEachLanguage(t *testing.T) {
	tests := []struct {
		name, yaml string
		da, en     string
	}{
		{"did you mean", "sources:\n  - name: a\n    kind: files\n    pathh: plans\n",
			`udrul.yaml:4: sources[0].pathh: ukendt nøgle "pathh": mente du path?`,
			`udrul.yaml:4: sources[0].pathh: unknown key "pathh": did you mean path?`},
		{"a share", "shrink_guard:\n  max_loss: 50%\n",
			`udrul.yaml:2: shrink_guard.max_loss: "50%" er ikke en andel mellem 0 og 1, for eksempel 0.5`,
			`udrul.yaml:2: shrink_guard.max_loss: "50%" is not a share between 0 and 1, such as 0.5`},
		{"a whole number", "max_file_size_mib: lots\n",
			`udrul.yaml:1: max_file_size_mib: "lots" er ikke et helt tal, for eksempel 5`,
			`udrul.yaml:1: max_file_size_mib: "lots" is not a whole number, such as 5`},
		{"a date", "rules:\n  closures: [24/12/2026]\n",
			`udrul.yaml:2: rules.closures[0]: "24/12/2026" er ikke en dato: skriv den som ÅÅÅÅ-MM-DD, for eksempel 2027-03-01`,
			`udrul.yaml:2: rules.closures[0]: "24/12/2026" is not a date: write YYYY-MM-DD, such as 2027-03-01`},
		{"a schedule", "schedules:\n  sync: hourly\n",
			`udrul.yaml:2: schedules.sync: "hourly" er ikke en tidsplan: skriv fem felter (minut, time, dag, måned, ugedag, for eksempel "0 7 * * 1-5"), @every 15m, @daily eller off`,
			`udrul.yaml:2: schedules.sync: "hourly" is not a schedule: write five fields (minute, hour, day, month, weekday, such as "0 7 * * 1-5"), @every 15m, @daily or off`},
		{"a source's kind", "sources:\n  - name: a\n    kind: ftp\n    path: x\n",
			`udrul.yaml:3: sources[0].kind: ukendt kind "ftp" (files, gsheets eller m365)`,
			`udrul.yaml:3: sources[0].kind: unknown kind "ftp" (files, gsheets or m365)`},
		{"a pattern's placeholder", "sources:\n  - name: a\n    kind: files\n    path: x\n    pattern: \"{kommune}.xlsx\"\n",
			`udrul.yaml:5: sources[0].pattern: "{kommune}.xlsx" har en ukendt pladsholder {kommune} (brug {municipality}, {solution} eller {wave})`,
			`udrul.yaml:5: sources[0].pattern: "{kommune}.xlsx" unknown placeholder {kommune} (use {municipality}, {solution} or {wave})`},
		{"an alias of another column", "columns:\n  start: [Slutdato]\n",
			`udrul.yaml:2: columns.start: "Slutdato" er allerede et navn på kolonnen end`,
			`udrul.yaml:2: columns.start: column alias "Slutdato" for start is already a name of end`},
		{"a key written twice", "sources:\n  - name: a\n    kind: files\n    path: x\n    path: y\n",
			`udrul.yaml:5: sources[0].path: nøglen "path" står to gange (linje 4 og 5), og udrul gætter ikke, hvilken der menes: behold den ene (og saml det, der står under dem, under den)`,
			`udrul.yaml:5: sources[0].path: the key "path" is written twice (lines 4 and 5), and udrul does not guess which is meant: keep one (and gather what is below them under it)`},
		{"a section written twice beside an unknown key", "report:\n  weeks: 4\nreprt: 3\nreport:\n  keep: 3\n",
			"udrul.yaml:3: reprt: ukendt nøgle \"reprt\": mente du report?\nudrul.yaml:4: report: nøglen \"report\" står to gange (linje 1 og 4)",
			"udrul.yaml:3: reprt: unknown key \"reprt\": did you mean report?\nudrul.yaml:4: report: the key \"report\" is written twice (lines 1 and 4)"},
		{"a broken line", "sources:\n  - name: a\n   kind: files\n",
			`udrul.yaml:3: linjen kan ikke læses som YAML`,
			``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lang := range []struct{ name, yaml, want string }{{"da", tt.yaml, tt.da}, {"en", inEnglish(tt.yaml), tt.en}} {
				if lang.want == "" {
					continue
				}
				_, err := Parse(strings.NewReader(lang.yaml), "udrul.yaml")
				if err == nil {
					t.Fatalf("%s: accepted", lang.name)
				}
				if got := err.Error(); !strings.HasPrefix(got, lang.want) {
					t.Errorf("%s:\ngot  %s\nwant %s", lang.name, got, lang.want)
				}
			}
		})
	}
}

// TestParse_decodeErrorSpeaksTheFilesLanguage: the language is read
// before the rest, so a decoding error above "language: en" is English.
func TestParse_decodeErrorSpeaksTheFilesLanguage(t *testing.T) {
	for _, tt := range []struct{ yaml, want string }{
		{"databse: x.db\nlanguage: en\n", `udrul.yaml:1: databse: unknown key "databse": did you mean database?`},
		{"databse: x.db\nlanguage: da\n", `udrul.yaml:1: databse: ukendt nøgle "databse": mente du database?`},
		{"databse: x.db\n", `udrul.yaml:1: databse: ukendt nøgle "databse": mente du database?`},
		// A syntax error: the file is not YAML, its language line still is read.
		{"database: x.db\nlanguage: en # English\nsources:\n  - name: a\n   kind: files\n", `udrul.yaml:5: the line cannot be read as YAML (column 4): check indentation, colons and quotes`},
		{"\ufeffsources:\n  - name: a\n   kind: files\nlanguage: 'en'\n", `udrul.yaml:3: the line cannot be read as YAML (column 4): check indentation, colons and quotes`},
		{"database: x.db\nlanguage: da\nsources:\n  - name: a\n   kind: files\n", `udrul.yaml:5: linjen kan ikke læses som YAML (kolonne 4): tjek indrykning, kolon og anførselstegn`},
		// Only a top-level key says the language.
		{"sources:\n  - name: a\n   kind: files\n  language: en\n", `udrul.yaml:3: linjen kan ikke læses som YAML (kolonne 4): tjek indrykning, kolon og anførselstegn`},
	} {
		_, err := Parse(strings.NewReader(tt.yaml), "udrul.yaml")
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q:\ngot  %v\nwant %s", tt.yaml, err, tt.want)
		}
	}
}

// TestConfig_warningsInEachLanguage: config check's warnings name the
// key and line in the configured language.
func TestConfig_warningsInEachLanguage(t *testing.T) {
	dir := t.TempDir()
	const yaml = "sources:\n  - {name: a, kind: files, path: plans}\nsmtp:\n  password: hemmeligt\nalerts:\n  coordinators: [{email: a@kombit.dk}]\n"
	tests := []struct {
		lang string
		want []string
	}{
		{"da", []string{
			"udrul.yaml:4: smtp.password: adgangskoden står i konfigurationsfilen",
			"udrul.yaml:6: alerts.coordinators: e-mail kan ikke sendes, for der er ikke sat en SMTP-server op (smtp.host)",
			"udrul.yaml:2: sources[0].path: mappen " + filepath.Join(dir, "plans") + " findes ikke: opret den, eller ret stien",
		}},
		{"en", []string{
			"udrul.yaml:4: smtp.password: the password is written in the configuration file",
			"udrul.yaml:6: alerts.coordinators: e-mail cannot be sent: no SMTP server is configured (smtp.host)",
			"udrul.yaml:2: sources[0].path: the folder " + filepath.Join(dir, "plans") + " does not exist: create it, or correct the path",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			c, err := Parse(strings.NewReader(yaml+"language: "+tt.lang+"\n"), filepath.Join(dir, "udrul.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, w := range append(c.Warnings(), c.UsageWarnings(map[string]bool{".xlsx": true})...) {
				lines = append(lines, strings.TrimPrefix(w.Error(), dir+string(filepath.Separator)))
				if tt.lang == "da" {
					if e := english.FindString(w.Msg); e != "" {
						t.Errorf("Danish warning has the English %q: %s", e, w.Msg)
					}
				}
			}
			got := strings.Join(lines, "\n")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("warnings lack %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestLoad_missingFile: a configuration that is not there is said in
// Danish (its language cannot be known), and is still fs.ErrNotExist.
func TestLoad_missingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "udrul.yaml")
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
	if got, want := err.Error(), path+": konfigurationen findes ikke: skriv en med 'udrul init', eller angiv den med --config"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if err := os.WriteFile(path, []byte("language: en\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		if _, err := Load(path); !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "udrul har ikke lov til at læse konfigurationen") {
			t.Errorf("unreadable: %v", err)
		}
	}
}

// TestConfig_IdentifyInDanish: a plan that cannot be named says so in
// Danish, with where the name was read.
func TestConfig_IdentifyInDanish(t *testing.T) {
	c, err := Parse(strings.NewReader("sources:\n  - {name: pat, kind: files, path: x, pattern: \"{solution}_{municipality}*.xlsx\"}\n  - {name: sheet, kind: files, path: z}\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pat, _ := c.Source("pat")
	sheet, _ := c.Source("sheet")
	_, err = c.Identify(pat, "KY_Aarhuus.xlsx", model.Metadata{})
	if got, want := err.Error(), `kommunen "Aarhuus" (fra filnavnet, efter mønsteret i kilden "pat") er ikke en af de 98 kommuner: ret stavningen, eller tilføj den under municipalities.aliases i konfigurationen`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	_, err = c.Identify(sheet, "plan.xlsx", model.Metadata{})
	if got, want := err.Error(), `planens kommune og løsning kan ikke afgøres: sæt municipality og solution i kilden "sheet"`; !strings.HasPrefix(got, want) {
		t.Errorf("got  %s\nwant %s…", got, want)
	}
}

// TestParse_languageEnvOverrides: $UDRUL_LANGUAGE chooses the language of
// the configuration's problems — a missing file, a YAML syntax error, an
// unknown key, a bad value — over the file's language: key.
func TestParse_languageEnvOverrides(t *testing.T) {
	broken := "database: x.db\nlanguage: %s\nsources:\n  - name: a\n   kind: files\n"
	for _, tt := range []struct {
		name, env, yaml, want string
	}{
		{"syntax error, English file, da", "da", fmt.Sprintf(broken, "en"), "udrul.yaml:5: linjen kan ikke læses som YAML (kolonne 4)"},
		{"syntax error, Danish file, en", "en", fmt.Sprintf(broken, "da"), "udrul.yaml:5: the line cannot be read as YAML (column 4)"},
		{"syntax error, English file, unset", "", fmt.Sprintf(broken, "en"), "udrul.yaml:5: the line cannot be read as YAML (column 4)"},
		{"syntax error, English file, another word", "fr", fmt.Sprintf(broken, "en"), "udrul.yaml:5: the line cannot be read as YAML (column 4)"},
		{"unknown key, Danish file, en", "en", "databse: x.db\n", `udrul.yaml:1: databse: unknown key "databse": did you mean database?`},
		{"bad value, English file, da", "da", "language: en\ntimezone: Nowhere\n", `udrul.yaml:2: timezone: ukendt tidszone "Nowhere"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(LanguageEnv, tt.env)
			_, err := Parse(strings.NewReader(tt.yaml), "udrul.yaml")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got %v, want %s…", err, tt.want)
			}
		})
	}
	t.Run("a missing file, en", func(t *testing.T) {
		t.Setenv(LanguageEnv, "en")
		_, err := Load(filepath.Join(t.TempDir(), "none.yaml"))
		if err == nil || !strings.Contains(err.Error(), "the configuration does not exist: write one with 'udrul init'") {
			t.Errorf("got %v, want it in English", err)
		}
	})
}
