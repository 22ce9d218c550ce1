package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// helpCases are every command's help, the subcommands' included.
func helpCases() [][]string {
	cases := [][]string{{"--help"}}
	for _, c := range commands() {
		cases = append(cases, []string{c.name, "-h"})
	}
	return append(cases, []string{"waves", "propose", "-h"}, []string{"waves", "responses", "-h"}, []string{"waves", "decide", "-h"},
		[]string{"config", "check", "-h"}, []string{"baseline", "reset", "-h"}, []string{"sessions", "revoke", "-h"})
}

// TestHelp_danish: the Danish help has none of the English help's
// sentences — every summary, description and flag has its Danish.
func TestHelp_danish(t *testing.T) {
	t.Setenv("UDRUL_CONFIG", "")
	for _, args := range helpCases() {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Setenv(languageEnv, "en")
			_, en, _ := runMain(args...)
			t.Setenv(languageEnv, "da")
			_, da, _ := runMain(args...)
			if !strings.HasPrefix(da, "Brug: udrul") && !strings.HasPrefix(da, "udrul samler") {
				t.Errorf("Danish help starts %q", firstLine(da))
			}
			for _, line := range strings.Split(en, "\n") {
				// The syntax lines are the same in both languages.
				if strings.HasPrefix(line, "Usage:") || strings.HasPrefix(line, "       udrul ") || len(strings.Fields(line)) < 3 {
					continue
				}
				if strings.Contains(da, line) {
					t.Errorf("not in Danish: %q", line)
				}
			}
		})
	}
}

// TestHelp_language: help speaks the language of the configuration the
// command would use — --config (before or after -h), $UDRUL_CONFIG, or
// udrul.yaml in the current folder — Danish without one, and
// $UDRUL_LANGUAGE overrides both.
func TestHelp_language(t *testing.T) {
	dir := t.TempDir()
	en := filepath.Join(dir, "en.yaml")
	da := filepath.Join(dir, "da.yaml")
	broken := filepath.Join(dir, "broken.yaml")
	os.WriteFile(en, []byte("language: en\nstore:\n  path: x.db\n"), 0o600)
	os.WriteFile(da, []byte("language: da\n"), 0o600)
	// Invalid as a configuration, but it says its language.
	os.WriteFile(broken, []byte("language: en\nno_such_key: 1\nstore: 7\n"), 0o600)
	// Not even YAML (a bad indentation), but its language line says en.
	notYAML := filepath.Join(dir, "notyaml.yaml")
	os.WriteFile(notYAML, []byte("database: x.db\nlanguage: en\nsources:\n  - name: a\n   kind: files\n"), 0o600)
	const (
		english = "english"
		danish  = "danish"
	)
	for _, tt := range []struct {
		name      string
		env       map[string]string
		args      []string
		wantLang  string
		wantStart string
	}{
		{"no configuration", nil, []string{"sync", "-h"}, danish, "Brug: udrul sync"},
		{"--config in English", nil, []string{"sync", "--config", en, "-h"}, english, "Usage: udrul sync"},
		{"--config after -h", nil, []string{"sync", "-h", "--config", en}, english, "Usage: udrul sync"},
		{"--config=", nil, []string{"findings", "-h", "--config=" + en}, english, "Usage: udrul findings"},
		{"--config in Danish", nil, []string{"sync", "--config", da, "-h"}, danish, "Brug: udrul sync"},
		{"a configuration that is invalid but says en", nil, []string{"plans", "-h", "--config", broken}, english, "Usage: udrul plans"},
		{"a configuration with a YAML syntax error that says en", nil, []string{"sync", "-h", "--config", notYAML}, english, "Usage: udrul sync"},
		{"$UDRUL_LANGUAGE=da over a broken English configuration", map[string]string{languageEnv: "da"}, []string{"sync", "-h", "--config", notYAML}, danish, "Brug: udrul sync"},
		{"a missing configuration", nil, []string{"sync", "-h", "--config", filepath.Join(dir, "none.yaml")}, danish, "Brug: udrul sync"},
		{"$UDRUL_CONFIG", map[string]string{"UDRUL_CONFIG": en}, []string{"run", "-h"}, english, "Usage: udrul run"},
		{"$UDRUL_LANGUAGE=en without a configuration", map[string]string{languageEnv: "en"}, []string{"tasks", "-h"}, english, "Usage: udrul tasks"},
		{"$UDRUL_LANGUAGE=da over an English configuration", map[string]string{languageEnv: "da"}, []string{"sync", "--config", en, "-h"}, danish, "Brug: udrul sync"},
		{"a command without --config: the default configuration", map[string]string{"UDRUL_CONFIG": en}, []string{"init", "-h"}, english, "Usage: udrul init"},
		{"check --lang en", nil, []string{"check", "--lang", "en", "-h"}, english, "Usage: udrul check"},
		{"the main usage, configured English", map[string]string{"UDRUL_CONFIG": en}, []string{"--help"}, english, "udrul turns"},
		{"the main usage, --config", nil, []string{"--help", "--config", en}, english, "udrul turns"},
		{"the main usage, default", nil, []string{"help"}, danish, "udrul samler"},
		{"a subcommand", map[string]string{"UDRUL_CONFIG": en}, []string{"waves", "propose", "-h"}, english, "Usage: udrul waves propose"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir()) // no udrul.yaml here
			t.Setenv("UDRUL_CONFIG", "")
			t.Setenv(languageEnv, "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, out, errOut := runMain(tt.args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.HasPrefix(out, tt.wantStart) {
				t.Errorf("help starts %q, want %q (%s)", firstLine(out), tt.wantStart, tt.wantLang)
			}
			flags := "\nFlag:\n"
			if tt.wantLang == english {
				flags = "\nFlags:\n"
			}
			if !strings.HasPrefix(out, "udrul ") && !strings.Contains(out, flags) {
				t.Errorf("no %q in the %s help:\n%s", strings.TrimSpace(flags), tt.wantLang, out)
			}
		})
	}
	t.Run("udrul.yaml in the current folder", func(t *testing.T) {
		wd := t.TempDir()
		os.WriteFile(filepath.Join(wd, "udrul.yaml"), []byte("language: en\n"), 0o600)
		t.Chdir(wd)
		t.Setenv("UDRUL_CONFIG", "")
		t.Setenv(languageEnv, "")
		if _, out, _ := runMain("sources", "-h"); !strings.HasPrefix(out, "Usage: udrul sources") {
			t.Errorf("help starts %q, want English", firstLine(out))
		}
	})
	t.Run("an unknown command", func(t *testing.T) {
		t.Chdir(t.TempDir())
		t.Setenv("UDRUL_CONFIG", "")
		t.Setenv(languageEnv, "")
		code, _, errOut := runMain("synk")
		if code != exitUsage || !strings.HasPrefix(errOut, `udrul: ukendt kommando "synk"`) || !strings.Contains(errOut, "Kommandoer:") {
			t.Errorf("exit %d:\n%s", code, errOut)
		}
	})
}
