package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/xuri/excelize/v2"
)

// TestSync_heldSaysWhyAndWhatToDo: a plan held by the guard (another
// plan saved over its file, a file cut off) says so in words of the
// configured language, with the command that applies it, in sync (also on
// the next cycles), plans, findings and the report; --accept applies it.
func TestSync_heldSaysWhyAndWhatToDo(t *testing.T) {
	for _, tt := range []struct {
		name, language string
		accident       func(p *plangen.Plan)
		want           []string // in sync, plans, findings and the report
		notWant        []string
	}{
		{"another plan saved over, danish", "da", func(p *plangen.Plan) {
			for i := range p.Tasks {
				p.Rename(i, []string{"Etablering af SAPA-projektgruppe", "Oprydning i CPR-relationer", "Superbrugerkursus afholdt",
					"Migrering af historiske sager", "Lukning af gammelt partsregister"}[i%5]+" "+strings.Repeat("I", i%4+1))
			}
		}, []string{"opgaver skiftede titel på én gang", "er en anden plan gemt over KY_Aarhus_implementeringsplan.xlsx", "Intet er opdateret", "udrul sync --accept Aarhus/KY"},
			[]string{"tasks", "held:", "is held", "Nothing", "still held", "applied"}},
		{"a file cut off, english", "en", func(p *plangen.Plan) {
			for len(p.Tasks) > 15 {
				p.Remove(len(p.Tasks) - 1)
			}
		}, []string{"tasks are gone at once", "is KY_Aarhus_implementeringsplan.xlsx cut off", "Nothing was applied", "udrul sync --accept Aarhus/KY"},
			[]string{"opgaver", "anvendt", "holdt"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "udrul.yaml")
			plans := filepath.Join(dir, "plans")
			os.MkdirAll(plans, 0o755)
			os.WriteFile(cfg, []byte("database: udrul.db\nlanguage: "+tt.language+"\nsources:\n  - {name: share, kind: files, path: plans}\nreport: {dir: reports}\n"), 0o644)
			p := plangen.Generate(plangen.Spec{Seed: 3, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1})
			path, err := p.Write(plans)
			if err != nil {
				t.Fatal(err)
			}
			if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
				t.Fatalf("first sync: %d\n%s%s", code, out, errOut)
			}
			tt.accident(p)
			p.Write(plans)
			later := time.Now().Add(time.Minute)
			os.Chtimes(path, later, later)

			check := func(what, out string) {
				t.Helper()
				for _, w := range tt.want {
					if !strings.Contains(out, w) {
						t.Errorf("%s lacks %q:\n%s", what, w, out)
					}
				}
				for _, line := range strings.Split(out, "\n") {
					if !strings.Contains(line, tt.want[0]) {
						continue
					}
					for _, w := range tt.notWant {
						if strings.Contains(line, w) {
							t.Errorf("%s: the reason has %q (another language): %s", what, w, line)
						}
					}
				}
			}
			_, out, _ := run(t, "sync", "--config", cfg)
			check("sync", out)
			_, out, _ = run(t, "sync", "--config", cfg)
			check("the next sync", out)
			_, out, _ = run(t, "plans", "--config", cfg)
			check("plans", out)
			_, out, _ = run(t, "findings", "--config", cfg)
			check("findings", out)

			report := filepath.Join(dir, "r.xlsx")
			if code, out, errOut := run(t, "report", "--config", cfg, "--out", report); code != exitOK {
				t.Fatalf("report: %d\n%s%s", code, out, errOut)
			}
			f, err := excelize.OpenFile(report)
			if err != nil {
				t.Fatal(err)
			}
			var cells []string
			for _, sh := range f.GetSheetList() {
				rows, _ := f.GetRows(sh)
				for _, r := range rows {
					for _, c := range r {
						if strings.Contains(c, "Aarhus/KY") {
							cells = append(cells, c)
						}
					}
				}
			}
			f.Close()
			found := false
			for _, c := range cells {
				found = found || strings.Contains(c, tt.want[0]) && strings.HasSuffix(c, "udrul sync --accept Aarhus/KY")
			}
			if !found {
				t.Errorf("the report has no cell with the reason and the command; cells naming Aarhus/KY: %q", cells)
			}

			// The plan in another spelling, as a user types it.
			code, out, _ := run(t, "sync", "--config", cfg, "--accept", "århus/ky")
			if code != exitOK || strings.Contains(out, "Aarhus/KY") {
				t.Errorf("sync --accept: %d\n%s", code, out)
			}
			if _, out, _ = run(t, "plans", "--config", cfg); strings.Contains(out, tt.want[0]) {
				t.Errorf("plans after accepting still hold it:\n%s", out)
			}
		})
	}
}
