package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"os"
	"strings"
	"testing"
)

func runMain(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = NewMain(strings.NewReader(""), &o, &e).Run(context.Background(), args)
	return code, o.String(), e.String()
}

// TestMain_help asks every command and subcommand for help: it goes to
// stdout, lists flags, and exits 0.
func TestMain_help(t *testing.T) {
	var cases [][]string
	for _, c := range commands() {
		cases = append(cases, []string{c.name, "-h"}, []string{c.name, "--help"}, []string{"help", c.name})
	}
	cases = append(cases, []string{"waves", "propose", "-h"}, []string{"waves", "decide", "--help"}, []string{"config", "check", "-h"},
		[]string{"baseline", "reset", "-h"}, []string{"--help"}, []string{"help"})
	for _, l := range []struct{ lang, usage, about, flags, dflt string }{
		{"da", "Brug: udrul", "udrul samler", "Flag:", "(standard"},
		{"en", "Usage: udrul", "udrul turns", "Flags:", "(default"},
	} {
		t.Setenv(languageEnv, l.lang)
		for _, args := range cases {
			t.Run(l.lang+" "+strings.Join(args, " "), func(t *testing.T) {
				code, out, errOut := runMain(args...)
				if code != exitOK {
					t.Errorf("exit code = %d, want 0; stderr: %s", code, errOut)
				}
				if errOut != "" {
					t.Errorf("stderr = %q, want help on stdout only", errOut)
				}
				if !strings.HasPrefix(out, l.usage) && !strings.HasPrefix(out, l.about) {
					t.Errorf("stdout does not start with the usage: %q", firstLine(out))
				}
				if strings.Contains(out, l.flags+"\n\n") || strings.HasSuffix(out, l.flags+"\n") {
					t.Errorf("empty flag list in:\n%s", out)
				}
				if strings.Count(out, l.dflt) > strings.Count(out, "\n  -") {
					t.Errorf("a flag shows its default twice:\n%s", out)
				}
			})
		}
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// TestMain_wavesUsage checks each waves subcommand names itself once.
func TestMain_wavesUsage(t *testing.T) {
	t.Setenv(languageEnv, "en")
	for _, sub := range []string{"propose", "responses", "decide"} {
		_, out, _ := runMain("waves", sub, "-h")
		if got, want := firstLine(out), "Usage: udrul waves "+wavesUsage[sub]; got != want {
			t.Errorf("waves %s -h: got %q, want %q", sub, got, want)
		}
	}
	code, _, errOut := runMain("waves")
	if code != exitUsage || !strings.HasPrefix(errOut, "udrul waves: name the subcommand") {
		t.Errorf("waves without a subcommand: exit %d, stderr %q", code, firstLine(errOut))
	}
}

func TestMain_version(t *testing.T) {
	t.Chdir(t.TempDir()) // no udrul.yaml here
	t.Setenv("UDRUL_CONFIG", "")
	t.Setenv(languageEnv, "")
	for _, arg := range []string{"version", "--version"} {
		code, out, _ := runMain(arg)
		if code != exitOK || !strings.HasPrefix(out, "udrul ") || !strings.Contains(out, "bygget med go") {
			t.Errorf("%s: exit %d, output %q", arg, code, out)
		}
	}
}

// TestParseFlags_afterPositional accepts flags after positional arguments
// and keeps "--" meaning the end of the flags.
func TestParseFlags_afterPositional(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantCfg   string
		wantArgs  []string
		wantError bool
	}{
		{"flags first", []string{"--config", "x.yaml", "95"}, "x.yaml", []string{"95"}, false},
		{"flags after", []string{"95", "--config", "x.yaml"}, "x.yaml", []string{"95"}, false},
		{"mixed", []string{"a", "--config=x.yaml", "b"}, "x.yaml", []string{"a", "b"}, false},
		{"dash dash", []string{"a", "--", "--config", "x.yaml"}, "udrul.yaml", []string{"a", "--config", "x.yaml"}, false},
		{"unknown flag after", []string{"a", "--nope"}, "", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(new(bytes.Buffer))
			cfg := fs.String("config", "udrul.yaml", "")
			err := parseFlags(fs, tt.args)
			if tt.wantError {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *cfg != tt.wantCfg || strings.Join(fs.Args(), " ") != strings.Join(tt.wantArgs, " ") {
				t.Errorf("got config %q args %q, want %q %q", *cfg, fs.Args(), tt.wantCfg, tt.wantArgs)
			}
		})
	}
}

// TestHistory_flagAfterID runs 'history 95 --config FILE': the flag is
// taken, so the error is about the missing configuration, not usage.
func TestHistory_flagAfterID(t *testing.T) {
	code, _, errOut := runMain("history", "95", "--config", "/nonexistent/udrul.yaml")
	if code != exitFailure || !strings.Contains(errOut, "/nonexistent/udrul.yaml") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestDeployUnit_uncommented checks that the systemd unit stays valid when
// its commented settings are uncommented: systemd has no trailing comments.
func TestDeployUnit_uncommented(t *testing.T) {
	f, err := os.Open("../../deploy/udrul.service")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		setting := strings.TrimPrefix(line, "#")
		key, value, ok := strings.Cut(setting, "=")
		if !ok || strings.ContainsAny(key, " \t") || key == "" {
			continue // prose, not a setting
		}
		if strings.Contains(value, "#") {
			t.Errorf("line %d: %q has a trailing comment, which systemd would take as part of the value", n, line)
		}
	}
}
