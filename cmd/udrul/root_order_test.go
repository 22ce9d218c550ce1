package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandFirst: flags written before the command move after it, before
// any "--"; a flag's value is the next argument unless that is a command.
func TestCommandFirst(t *testing.T) {
	for _, tt := range []struct {
		name  string
		args  string
		want  string
		named bool
	}{
		{"command first", "sync --config x.yaml", "sync --config x.yaml", true},
		{"flag and value before", "--config x.yaml sync", "sync --config x.yaml", true},
		{"flag=value before", "--config=x.yaml sources --json", "sources --json --config=x.yaml", true},
		{"before a subcommand", "--config x.yaml config check", "config check --config x.yaml", true},
		{"a boolean before the command", "--config x.yaml --dry-run alerts", "alerts --config x.yaml --dry-run", true},
		{"before positional arguments and --", "--config x.yaml history 95 -- -7", "history 95 --config x.yaml -- -7", true},
		{"only flags", "--config x.yaml", "--config x.yaml", false},
		{"help alone", "-h", "-h", false},
		{"the version alone", "--version", "--version", false},
		{"flags then help", "--config x.yaml -h", "--config x.yaml -h", false},
		{"a mistyped command", "--config x.yaml snyc", "snyc --config x.yaml", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, named := commandFirst(strings.Fields(tt.args))
			if strings.Join(got, " ") != tt.want || named != tt.named {
				t.Errorf("got %q %v, want %q %v", strings.Join(got, " "), named, tt.want, tt.named)
			}
		})
	}
}

// TestMain_flagsBeforeCommandAndTypos runs udrul as people type it: global
// flags before the command are accepted, a mistyped command gets the
// command it most likely meant, written out whole, in the configuration's
// language.
func TestMain_flagsBeforeCommandAndTypos(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("UDRUL_CONFIG", "")
	t.Setenv(languageEnv, "")
	cfg := filepath.Join(dir, "en.yaml")
	if code, _, errOut := runMain("init", "--out", cfg); code != exitOK {
		t.Fatalf("init: %s", errOut)
	}
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cfg, []byte(strings.Replace(string(b), "language: da", "language: en", 1)), 0o600)
	os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
	for _, tt := range []struct {
		name         string
		args         []string
		code         int
		stdout, errs string
	}{
		{"--config before sync", []string{"--config", cfg, "sync"}, exitOK, "share: 0 files", ""},
		{"--config= before sources", []string{"--config=" + cfg, "sources"}, exitOK, "SOURCE", ""},
		{"--config before config check", []string{"--config", cfg, "config", "check"}, exitOK, "is valid", ""},
		{"--config before help", []string{"--config", cfg, "-h"}, exitOK, "udrul turns", ""},
		{"--config before help alone", []string{"--config", cfg, "help"}, exitOK, "udrul turns", ""},
		{"help with --config", []string{"help", "--config", cfg}, exitOK, "udrul turns", ""},
		{"--config before help for a command", []string{"--config", cfg, "help", "sync"}, exitOK, "Usage: udrul sync", ""},
		{"only flags", []string{"--config", cfg}, exitUsage, "", "udrul: name a command first, such as udrul sync --config " + cfg},
		{"a typo", []string{"snyc"}, exitUsage, "", `udrul: ukendt kommando "snyc"; mente du "udrul sync"?`},
		{"a swap", []string{"chekc", "plan.xlsx"}, exitUsage, "", `udrul: ukendt kommando "chekc"; mente du "udrul check plan.xlsx"?`},
		{"a typo after --config", []string{"--config", cfg, "snyc"}, exitUsage, "", `udrul: unknown command "snyc"; did you mean "udrul sync --config ` + cfg + `"?`},
		{"a typo in help", []string{"help", "reprot"}, exitUsage, "", `udrul: ukendt kommando "reprot"; mente du "udrul help report"?`},
		{"a plan file", []string{"Plan_Aarhus.xlsx"}, exitUsage, "", `udrul: ukendt kommando "Plan_Aarhus.xlsx"; en plan kontrolleres med "udrul check Plan_Aarhus.xlsx"`},
		{"nothing like a command", []string{"frobnicate"}, exitUsage, "", "udrul: ukendt kommando \"frobnicate\"\n"},
		{"a mistyped flag", []string{"tasks", "--fromat", "json"}, exitUsage, "", "flaget findes ikke: -fromat; mente du --format?\n"},
		{"a mistyped flag before the command", []string{"--confg", cfg, "sync"}, exitUsage, "", "flaget findes ikke: -confg; mente du --config?\n"},
		{"a mistyped flag, in English", []string{"sync", "--config", cfg, "--sorce", "x"}, exitUsage, "", "flag provided but not defined: -sorce; did you mean --source?\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(firstLine(out), tt.stdout) {
				t.Errorf("stdout starts %q, want %q in it", firstLine(out), tt.stdout)
			}
			if !strings.HasPrefix(errOut, tt.errs) {
				t.Errorf("stderr starts %q, want %q", firstLine(errOut), tt.errs)
			}
		})
	}
}

// TestMemoryLimit: the daemon's limit for run, wherever its flags are.
func TestMemoryLimit(t *testing.T) {
	for _, tt := range []struct {
		args string
		want int64
	}{
		{"run", daemonMemoryLimit},
		{"run --config x.yaml", daemonMemoryLimit},
		{"--config x.yaml run", daemonMemoryLimit},
		{"--config=x.yaml run", daemonMemoryLimit},
		{"sync", defaultMemoryLimit},
		{"--config run.yaml sync", defaultMemoryLimit},
		{"", defaultMemoryLimit},
	} {
		t.Run(tt.args, func(t *testing.T) {
			if got := memoryLimit(strings.Fields(tt.args)); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

// TestCommands_everyUnknownKey: every command that loads the configuration
// reports all its unknown keys in one run, not the first only.
func TestCommands_everyUnknownKey(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "udrul.yaml")
	os.WriteFile(cfg, []byte("databse: x.db\nlanguage: en\ntimezon: Europe/Copenhagen\nalerts:\n  escalate_dayz: 3\n"), 0o600)
	for _, cmd := range []string{"sync", "tasks", "findings", "config"} {
		t.Run(cmd, func(t *testing.T) {
			args := []string{cmd, "--config", cfg}
			if cmd == "config" {
				args = []string{"config", "check", "--config", cfg}
			}
			code, _, errOut := runMain(args...)
			if code != exitFailure {
				t.Errorf("exit %d, want 1", code)
			}
			for _, want := range []string{`:1: databse: unknown key "databse": did you mean database?`, `:3: timezon: unknown key "timezon": did you mean timezone?`,
				`:5: alerts.escalate_dayz: unknown key "escalate_dayz": did you mean escalate_days?`} {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
		})
	}
}

// TestConfigCheck_languageEnv: UDRUL_LANGUAGE says config check's problems
// in its language whatever the file's language: key, a file that is not
// YAML too.
func TestConfigCheck_languageEnv(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "udrul.yaml")
	os.WriteFile(cfg, []byte("language: en\nsources:\n  - name: a\n   kind: files\n"), 0o600)
	for _, tt := range []struct{ env, want string }{
		{"", ":4: the line cannot be read as YAML (column 4)"},
		{"da", ":4: linjen kan ikke læses som YAML (kolonne 4)"},
	} {
		t.Run("UDRUL_LANGUAGE="+tt.env, func(t *testing.T) {
			t.Setenv(languageEnv, tt.env)
			code, _, errOut := runMain("config", "check", "--config", cfg)
			if code != exitFailure || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q, want %q", code, errOut, tt.want)
			}
		})
	}
}
