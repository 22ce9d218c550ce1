package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
)

// TestSelection_misspelledIsRefused: a --municipality or --solution that
// names nothing udrul knows is refused in words (exit 1), not answered with
// an empty list that reads as "nothing there"; another spelling of a
// municipality ("århus", "Aarhus Kommune") selects it.
func TestSelection_misspelledIsRefused(t *testing.T) {
	cfg := synced(t, "")
	out := filepath.Join(filepath.Dir(cfg), "out") + "/"
	for _, tt := range []struct {
		name string
		args []string
		want string // stderr's start; "" for success
	}{
		{"tasks municipality", []string{"tasks", "--municipality", "Aarhu"}, `udrul tasks: --municipality "Aarhu" er ikke en af de 98 kommuner`},
		{"tasks solution", []string{"tasks", "--solution", "KYY"}, `udrul tasks: --solution "KYY": ingen plan har den løsning`},
		{"findings municipality", []string{"findings", "--municipality", "Vejel"}, `udrul findings: --municipality "Vejel" er ikke en af de 98 kommuner`},
		{"findings solution", []string{"findings", "--solution", "KYY"}, `udrul findings: --solution "KYY"`},
		{"forecast municipality", []string{"forecast", "--municipality", "Arhus"}, `udrul forecast: --municipality "Arhus"`},
		{"forecast solution", []string{"forecast", "--solution", "KYY"}, `udrul forecast: --solution "KYY"`},
		{"report municipality", []string{"report", "--out", out, "--municipality", "Kbh"}, `udrul report: --municipality "Kbh"`},
		{"tasks wave", []string{"tasks", "--wave", "x"}, `udrul tasks: --wave "x": ingen plan er i den bølge`},
		{"a wave of a plan", []string{"tasks", "--wave", "1"}, ""},
		{"a configured solution without plans", []string{"tasks", "--solution", "flis"}, ""},
		{"levels as the Danish table shows them", []string{"findings", "--level", "Rød,gul"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, append(tt.args, "--config", cfg)...)
			if tt.want == "" {
				if code != exitOK {
					t.Errorf("exit %d, want %d: %s", code, exitOK, errOut)
				}
				return
			}
			if code != exitFailure || !strings.HasPrefix(errOut, tt.want) {
				t.Errorf("got exit %d, %q; want exit %d, %q", code, firstLine(errOut), exitFailure, tt.want)
			}
		})
	}
	for _, spelling := range []string{"århus", "Aarhus Kommune", "AARHUS"} {
		t.Run("tasks "+spelling, func(t *testing.T) {
			_, want, _ := run(t, "tasks", "--config", cfg, "--municipality", "Aarhus", "--format", "csv")
			code, got, errOut := run(t, "tasks", "--config", cfg, "--municipality", spelling, "--format", "csv")
			if code != exitOK || got != want || strings.Count(want, "\n") < 5 {
				t.Errorf("exit %d %s; got %d lines, want the %d of Aarhus", code, errOut, strings.Count(got, "\n"), strings.Count(want, "\n"))
			}
		})
	}
}

// TestSync_conflictLine: two files claiming one plan are named with what to
// do, and a file name's control characters never reach the terminal.
func TestSync_conflictLine(t *testing.T) {
	cfg := synced(t, "")
	plans := filepath.Join(filepath.Dir(cfg), "plans")
	spec := plangen.Spec{Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1, Seed: 1}
	copyDir := t.TempDir()
	written, err := plangen.Generate(spec).Write(copyDir)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(written)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(plans, "KY Aarhus \x1b[31mny.xlsx"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ lang, want string }{
		{"", "konflikt, ikke anvendt: Aarhus/KY: "},
		{"language: en\n", "conflict, not applied: Aarhus/KY: "},
	} {
		t.Run("language "+tt.lang, func(t *testing.T) {
			c := filepath.Join(filepath.Dir(cfg), "c.yaml")
			os.WriteFile(c, []byte("database: udrul.db\nsources:\n  - {name: share, kind: files, path: plans}\n"+tt.lang), 0o644)
			_, out, _ := run(t, "sync", "--config", c)
			if !strings.Contains(out, tt.want) || !strings.Contains(out, "'prefer'") {
				t.Errorf("got\n%s\nwant a line %q that says what to do ('prefer')", out, tt.want)
			}
			if strings.ContainsRune(out, '\x1b') {
				t.Errorf("an escape character from a file name reached the terminal:\n%q", out)
			}
		})
	}
}

// TestForecast_nothingForecastIsSaid: plans without a go-live ahead give an
// empty forecast that says why, not a bare "0 at risk" that reads as "all
// will hold".
func TestForecast_nothingForecastIsSaid(t *testing.T) {
	for _, tt := range []struct {
		name, extra string
		want        bool
	}{
		{"no waves configured", "", true},
		{"a go-live ahead", "waves:\n  KY:\n    waves:\n      \"1\": {go_live: 2099-01-15}\n      \"2\": {go_live: 2099-03-15}\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := synced(t, tt.extra)
			code, out, errOut := run(t, "forecast", "--config", cfg)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if got := strings.Contains(out, "Ingen plan har en idriftsættelse forude"); got != tt.want {
				t.Errorf("says why nothing was forecast = %v, want %v:\n%s", got, tt.want, out)
			}
		})
	}
}

// TestCheck_speaksTheConfigurationsLanguage: without --lang, check speaks
// as its help does: UDRUL_LANGUAGE, else the configuration's language:,
// else Danish; --lang wins.
func TestCheck_speaksTheConfigurationsLanguage(t *testing.T) {
	dir := t.TempDir()
	plan, err := plangen.Generate(plangen.Spec{Layout: plangen.CSVDanish, Municipality: "Vejle", Solution: "KY", Wave: 1, Seed: 3}).Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	en := filepath.Join(dir, "en.yaml")
	os.WriteFile(en, []byte("language: en\nsources:\n  - {name: s, kind: files, path: .}\n"), 0o644)
	for _, tt := range []struct {
		name, config, env string
		args              []string
		want              string
	}{
		{"an English configuration", en, "", nil, " tasks, "},
		{"no configuration", "", "", nil, " opgaver, "},
		{"--lang da wins", en, "", []string{"--lang", "da"}, " opgaver, "},
		{"UDRUL_LANGUAGE", "", "en", nil, " tasks, "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("UDRUL_CONFIG", tt.config)
			t.Setenv(languageEnv, tt.env)
			_, out, _ := run(t, append(append([]string{"check"}, tt.args...), plan)...)
			if !strings.Contains(firstLine(out), tt.want) {
				t.Errorf("got %q, want %q in it", firstLine(out), tt.want)
			}
		})
	}
}

// TestReport_outNeverOverwritesOtherFiles: --out replaces only a report
// udrul wrote; the configuration, a plan or a file saved by hand stays as
// it was, and a name that is not .xlsx is refused.
func TestReport_outNeverOverwritesOtherFiles(t *testing.T) {
	cfg := synced(t, "")
	dir := filepath.Dir(cfg)
	plans, _ := filepath.Glob(filepath.Join(dir, "plans", "*.xlsx"))
	if len(plans) == 0 {
		t.Fatal("no xlsx plan to aim at")
	}
	hand := filepath.Join(dir, "mine.xlsx")
	os.WriteFile(hand, []byte("PK\x03\x04 not udrul's"), 0o644)
	for _, tt := range []struct {
		name, out string
		ok        bool
	}{
		{"the configuration", cfg, false},
		{"a plan", plans[0], false},
		{"a workbook saved by hand", hand, false},
		{"not a workbook name", filepath.Join(dir, "notes.txt"), false},
		{"a new file", filepath.Join(dir, "r.xlsx"), true},
		{"udrul's own report again", filepath.Join(dir, "r.xlsx"), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(tt.out)
			code, _, errOut := run(t, "report", "--config", cfg, "--out", tt.out)
			after, _ := os.ReadFile(tt.out)
			if tt.ok {
				if code != exitOK {
					t.Errorf("exit %d, want %d: %s", code, exitOK, errOut)
				}
				return
			}
			if code != exitFailure || errOut == "" {
				t.Errorf("exit %d, want %d with a message: %q", code, exitFailure, errOut)
			}
			if string(before) != string(after) {
				t.Errorf("%s was changed", tt.out)
			}
		})
	}
}

// TestTemplate_outNeverOverwrites: a template (which carries no mark) is
// never written over an existing file, which may be a filled-in plan or
// the configuration; with --all, one such file means none is written.
func TestTemplate_outNeverOverwrites(t *testing.T) {
	cfg := synced(t, "waves:\n  KY:\n    waves: {\"1\": {go_live: 2099-03-01}}\n    municipalities: {Aarhus: \"1\", Vejle: \"1\"}\n")
	dir := filepath.Dir(cfg)
	plans, _ := filepath.Glob(filepath.Join(dir, "plans", "*.xlsx"))
	if len(plans) == 0 {
		t.Fatal("no xlsx plan to aim at")
	}
	all := filepath.Join(dir, "all")
	os.MkdirAll(all, 0o755)
	taken := filepath.Join(all, "KY_Vejle_implementeringsplan.xlsx")
	os.WriteFile(taken, []byte("a plan Vejle filled in"), 0o644)
	for _, tt := range []struct {
		name string
		args []string
		kept string // a file that must not change
		ok   bool
	}{
		{"a plan", []string{"--municipality", "Aarhus", "--out", plans[0]}, plans[0], false},
		{"the configuration", []string{"--municipality", "Aarhus", "--out", cfg}, cfg, false},
		{"--all with one file taken", []string{"--all", "--wave", "1", "--out", all}, taken, false},
		{"a new file", []string{"--municipality", "Aarhus", "--out", filepath.Join(dir, "new.xlsx")}, "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before []byte
			if tt.kept != "" {
				before, _ = os.ReadFile(tt.kept)
			}
			code, _, errOut := run(t, append([]string{"template", "--config", cfg, "--solution", "KY"}, tt.args...)...)
			if tt.ok {
				if code != exitOK {
					t.Errorf("exit %d, want %d: %s", code, exitOK, errOut)
				}
				return
			}
			if code != exitFailure || errOut == "" {
				t.Errorf("exit %d, want %d with a message: %q", code, exitFailure, errOut)
			}
			if after, _ := os.ReadFile(tt.kept); string(after) != string(before) {
				t.Errorf("%s was changed", tt.kept)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(all, "KY_Aarhus_implementeringsplan.xlsx")); err == nil {
		t.Errorf("--all wrote Aarhus's template although Vejle's file was taken: all or none")
	}
}

// TestBackup_overAnotherFileInWords: a backup aimed at the configuration
// is refused in the configured language, without the package's English.
func TestBackup_overAnotherFileInWords(t *testing.T) {
	for _, tt := range []struct{ extra, want, notWant string }{
		{"", "findes og er ikke en tidligere sikkerhedskopi", "replaces only"},
		{"language: en\n", "exists and is not an earlier backup", "findes"},
	} {
		t.Run("language "+tt.extra, func(t *testing.T) {
			cfg := synced(t, tt.extra)
			before, _ := os.ReadFile(cfg)
			code, _, errOut := run(t, "backup", "--config", cfg, "--out", cfg)
			after, _ := os.ReadFile(cfg)
			if code != exitFailure || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, tt.notWant) || string(before) != string(after) {
				t.Errorf("exit %d, %q; want exit %d, %q without %q, the file unchanged", code, errOut, exitFailure, tt.want, tt.notWant)
			}
		})
	}
}

// TestWavesPropose_outNeverOverwritesOtherFiles: a proposal replaces only
// an earlier proposal, never the configuration or the criteria sheet it
// was made from.
func TestWavesPropose_outNeverOverwritesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := run(t, "example", "--out", dir); code != exitOK {
		t.Fatalf("example: %d %s", code, errOut)
	}
	cfg := filepath.Join(dir, "waves", "udrul.yaml")
	criteria := filepath.Join(dir, "waves", "kriterier-KSD.xlsx")
	for _, tt := range []struct {
		name, out string
		ok        bool
	}{
		{"the configuration", cfg, false},
		{"the criteria sheet", criteria, false},
		{"a new file", filepath.Join(dir, "p.xlsx"), true},
		{"its own proposal again", filepath.Join(dir, "p.xlsx"), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(tt.out)
			code, _, errOut := run(t, "waves", "propose", "--config", cfg, "--solution", "KSD", "--criteria", criteria, "--out", tt.out)
			if tt.ok {
				if code != exitOK {
					t.Errorf("exit %d, want %d: %s", code, exitOK, errOut)
				}
				return
			}
			after, _ := os.ReadFile(tt.out)
			if code != exitFailure || errOut == "" || string(before) != string(after) {
				t.Errorf("exit %d %q, want %d with a message and %s unchanged", code, errOut, exitFailure, tt.out)
			}
		})
	}
}

// TestSubcommand_afterConfig: --config may come between a command group
// and its subcommand, as before the command.
func TestSubcommand_afterConfig(t *testing.T) {
	cfg := synced(t, "")
	for _, args := range [][]string{
		{"config", "--config", cfg, "check"},
		{"config", "--config=" + cfg, "check"},
		{"config", "check", "--config", cfg},
	} {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			code, out, errOut := run(t, args...)
			if code != exitOK || !strings.Contains(out, "er gyldig") {
				t.Errorf("exit %d, %q %q; want the configuration checked", code, out, errOut)
			}
		})
	}
}

// TestSync_ignoredFilesAreNamed: a file an ignore pattern sets aside is
// named with the pattern, so that a plan whose only file is named like a
// copy ("KY_Horsens (1).csv", a browser's download) is seen, not just
// counted.
func TestSync_ignoredFilesAreNamed(t *testing.T) {
	cfg := synced(t, "ignore: [\"*(1)*\"]\n")
	plans := filepath.Join(filepath.Dir(cfg), "plans")
	os.WriteFile(filepath.Join(plans, "KY_Horsens (1).csv"), []byte("ID;Opgave;Ansvarlig;Startdato;Slutdato;Status\n1;Kick-off;Kommune;01-03-2027;05-03-2027;Ikke startet\n"), 0o644)
	code, out, errOut := run(t, "sync", "--config", cfg)
	if code != exitOK {
		t.Fatalf("sync: %d %s", code, errOut)
	}
	if want := `KY_Horsens (1).csv (passer på ignore-mønstret "*(1)*"`; !strings.Contains(out, "  ignoreret: ") || !strings.Contains(out, want) {
		t.Errorf("got\n%s\nwant a line %q", out, want)
	}
}

// TestDemo_refusesAnotherFolderInItsLanguage: a folder the demo did not
// make is refused in the demo's language and left as it was.
func TestDemo_refusesAnotherFolderInItsLanguage(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"da", "findes og er ikke lavet af 'udrul demo'"},
		{"en", "exists and was not made by 'udrul demo'"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			dir := t.TempDir()
			mine := filepath.Join(dir, "mine.txt")
			os.WriteFile(mine, []byte("keep"), 0o644)
			code, _, errOut := run(t, "demo", "--dir", dir, "--lang", tt.lang)
			if got, _ := os.ReadFile(mine); code != exitFailure || !strings.Contains(errOut, tt.want) || string(got) != "keep" {
				t.Errorf("exit %d, %q; want exit %d, %q, the folder kept", code, errOut, exitFailure, tt.want)
			}
		})
	}
}
