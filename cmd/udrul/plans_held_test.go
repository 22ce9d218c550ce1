package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
)

// TestPlansCommand_heldFolder: a folder of two plans that lists none now
// (a sub-share not mounted) holds its plans; `udrul plans` shows them held
// with why and what to do, in the configured language, not OK; when the
// folder is back they are OK again.
func TestPlansCommand_heldFolder(t *testing.T) {
	for _, tt := range []struct {
		language string
		want     []string
		notWant  []string
	}{
		{"da", []string{"Vejle/KY er holdt tilbage: dens mappe ", "viser ingen planer nu (den havde 2)", "udrul sync --accept-empty share/vejle"}, []string{"its folder", "lists no plans"}},
		{"en", []string{"Vejle/KY is held: its folder ", "lists no plans now (it had 2)", "udrul sync --accept-empty share/vejle"}, []string{"mappe"}},
	} {
		t.Run(tt.language, func(t *testing.T) {
			dir := t.TempDir()
			plans := filepath.Join(dir, "plans")
			for _, p := range []struct{ dir, mun, sol string }{{"aarhus", "Aarhus", "KY"}, {"vejle", "Vejle", "KY"}, {"vejle", "Vejle", "KSD"}} {
				os.MkdirAll(filepath.Join(plans, p.dir), 0o755)
				if _, err := plangen.Generate(plangen.Spec{Seed: 2, Layout: plangen.Blocks, Municipality: p.mun, Solution: p.sol, Wave: 1}).Write(filepath.Join(plans, p.dir)); err != nil {
					t.Fatal(err)
				}
			}
			cfg := filepath.Join(dir, "udrul.yaml")
			os.WriteFile(cfg, []byte("database: udrul.db\nlanguage: "+tt.language+"\nsources:\n  - {name: share, kind: files, path: plans, recursive: true}\n"), 0o644)
			if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
				t.Fatalf("first sync: %d\n%s%s", code, out, errOut)
			}
			// The sub-share is not mounted: its mount point is empty.
			away := filepath.Join(dir, "away")
			if err := os.Rename(filepath.Join(plans, "vejle"), away); err != nil {
				t.Fatal(err)
			}
			os.MkdirAll(filepath.Join(plans, "vejle"), 0o755)
			if code, out, errOut := run(t, "sync", "--config", cfg); code == exitOK {
				t.Errorf("sync with the folder away: exit %d, want a failure\n%s%s", code, out, errOut)
			}
			code, out, errOut := run(t, "plans", "--config", cfg)
			if code != exitOK {
				t.Fatalf("plans: %d\n%s%s", code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("plans does not say %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("plans says %q in the other language:\n%s", w, out)
				}
			}
			if got := states(t, cfg); got["Vejle/KY"] != "held" || got["Vejle/KSD"] != "held" || got["Aarhus/KY"] != "ok" {
				t.Errorf("states = %v, want the plans of vejle held, Aarhus/KY ok", got)
			}

			// The folder is back: OK again, nothing lost.
			os.Remove(filepath.Join(plans, "vejle"))
			if err := os.Rename(away, filepath.Join(plans, "vejle")); err != nil {
				t.Fatal(err)
			}
			if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
				t.Fatalf("sync with the folder back: %d\n%s%s", code, out, errOut)
			}
			if got := states(t, cfg); got["Vejle/KY"] != "ok" || got["Vejle/KSD"] != "ok" || got["Aarhus/KY"] != "ok" {
				t.Errorf("states after the folder came back = %v, want all ok", got)
			}
		})
	}
}

// states is each plan's state as `udrul plans --format json` gives it.
func states(t *testing.T, cfg string) map[string]string {
	t.Helper()
	code, out, errOut := run(t, "plans", "--config", cfg, "--format", "json")
	if code != exitOK {
		t.Fatalf("plans --format json: %d\n%s%s", code, out, errOut)
	}
	var plans []struct{ Plan, State string }
	if err := json.Unmarshal([]byte(out), &plans); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range plans {
		got[p.Plan] = p.State
	}
	return got
}
