package main

import (
	"path/filepath"
	"strings"
	"testing"
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
		{"a configured solution without plans", []string{"tasks", "--solution", "flis"}, ""},
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
