package parse_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// TestParser_Parse_libreOffice reads plans after LibreOffice has opened and
// saved them, so the parser is not tuned to one writer: LibreOffice writes
// its own styles, shared strings, merged cells and formula caches.
func TestParser_Parse_libreOffice(t *testing.T) {
	bin := ""
	for _, name := range []string{"soffice", "libreoffice"} {
		if path, err := exec.LookPath(name); err == nil {
			bin = path
			break
		}
	}
	if bin == "" {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	dir := t.TempDir()
	var plans []*plangen.Plan
	var paths []string
	layouts := []plangen.Layout{plangen.Blocks, plangen.TabPerStep, plangen.SectionRows, plangen.TextDates, plangen.StepColumn, plangen.English,
		plangen.WeekDates, plangen.GanttMarks, plangen.GanttFill}
	for i, layout := range layouts {
		spec := plangen.Spec{Seed: uint64(i + 10), Layout: layout, Municipality: "Bornholm", Solution: "SAPA", Wave: 2, Defects: i%2 == 0}
		if i >= 6 {
			spec.Start = model.NewDate(2026, 10, 5) // across a new year
		}
		p := plangen.Generate(spec)
		path, err := p.Write(dir)
		if err != nil {
			t.Fatal(err)
		}
		plans, paths = append(plans, p), append(paths, path)
	}
	out := filepath.Join(dir, "lo")
	args := append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out}, paths...)
	if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	for i, p := range plans {
		t.Run(string(p.Layout), func(t *testing.T) {
			base := strings.TrimSuffix(filepath.Base(paths[i]), filepath.Ext(paths[i])) + ".xlsx"
			g, err := grid.ReadFile(filepath.Join(out, base), grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			plan, err := parse.New(parse.Options{}).Parse(g)
			if err != nil {
				t.Fatal(err)
			}
			compareTasks(t, plan.Tasks, p.Tasks)
		})
	}
}
