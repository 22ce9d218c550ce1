package templates_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/templates"
	"github.com/udrul/udrul/workdays"
	"github.com/xuri/excelize/v2"
)

func d(s string) model.Date { v, _ := model.ParseISODate(s); return v }

func standard(t *testing.T) *templates.Plan {
	t.Helper()
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := set.For("KY")
	if !ok {
		t.Fatal("no standard plan")
	}
	return p
}

func write(t *testing.T, p *templates.Plan, in templates.Instance) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := p.Write(&buf, in, workdays.New()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "KY_Aarhus_implementeringsplan.xlsx")
	os.WriteFile(path, buf.Bytes(), 0o644)
	return path, buf.Bytes()
}

// readBack parses a workbook as `udrul check` does and compares it with the
// dated standard tasks: the same tasks, dates and parties, zero issues.
func readBack(t *testing.T, path string, p *templates.Plan, in templates.Instance) {
	t.Helper()
	g, err := grid.ReadFile(path, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := parse.New(parse.Options{}).Parse(g)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Issues) != 0 {
		t.Errorf("issues: %+v", plan.Issues)
	}
	if md := plan.Metadata; md.Municipality != in.Municipality || md.Solution != in.Solution || md.Wave != in.Wave {
		t.Errorf("metadata = %+v", md)
	}
	want := p.Dates(in, workdays.New())
	if len(plan.Tasks) != len(want) {
		t.Fatalf("read %d tasks, wrote %d", len(plan.Tasks), len(want))
	}
	for i, w := range want {
		g := plan.Tasks[i]
		if g.Step != w.Step || g.ID != w.ID || g.Title != w.Title || g.Responsible != w.Resp || g.Performer != w.Perf || g.Start != w.Start || g.End != w.End || g.Status != w.Status {
			t.Errorf("task %d:\n got  %s|%s|%s|%s|%s|%s|%s|%s\n want %s|%s|%s|%s|%s|%s|%s|%s", i, g.Step, g.ID, g.Title, g.Responsible, g.Performer, g.Start, g.End, g.Status,
				w.Step, w.ID, w.Title, w.Resp, w.Perf, w.Start, w.End, w.Status)
		}
	}
}

func TestWrite_roundTrip(t *testing.T) {
	p := standard(t)
	in := templates.Instance{Municipality: "Aarhus", Solution: "KY", Wave: "2", GoLive: d("2027-03-01")}
	path, _ := write(t, p, in)
	readBack(t, path, p, in)

	// Go-live itself and all dates are working days; no task ends after
	// go-live in a step that must finish before it.
	cal := workdays.New()
	for _, tk := range p.Dates(in, cal) {
		if !cal.IsWorkday(tk.Start) || !cal.IsWorkday(tk.End) {
			t.Errorf("%s: %s – %s is not on working days", tk.Title, tk.Start, tk.End)
		}
		if tk.Step != "Trin 4" && tk.End.After(in.GoLive) {
			t.Errorf("%s (%s) ends %s, after go-live %s", tk.Title, tk.Step, tk.End, in.GoLive)
		}
	}
}

func TestWrite_validationAndProtection(t *testing.T) {
	p := standard(t)
	path, _ := write(t, p, templates.Instance{Municipality: "Aarhus", Solution: "KY", Wave: "2", GoLive: d("2027-03-01")})
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[1] != "Vejledning" {
		t.Errorf("sheets = %v", got)
	}
	dvs, err := f.GetDataValidations("Implementeringsplan")
	if err != nil {
		t.Fatal(err)
	}
	lists, dates := 0, 0
	for _, dv := range dvs {
		switch dv.Type {
		case "list":
			lists++
		case "date":
			dates++
		}
	}
	if lists != 2*len(p.Steps) || dates != len(p.Steps) {
		t.Errorf("%d list and %d date validations, want %d and %d", lists, dates, 2*len(p.Steps), len(p.Steps))
	}
	prot, err := f.GetSheetProtection("Implementeringsplan")
	if err != nil || !prot.SelectUnlockedCells || !prot.InsertRows {
		t.Errorf("protection = %+v, %v", prot, err)
	}
	panes, _ := f.GetPanes("Implementeringsplan")
	if !panes.Freeze || panes.YSplit != 5 {
		t.Errorf("panes = %+v", panes)
	}
}

// TestWrite_rebaseKeepsDone: a task marked done keeps its dates and status
// when the plan is dated from a new go-live; the others move.
func TestWrite_rebaseKeepsDone(t *testing.T) {
	p := standard(t)
	old := templates.Instance{Municipality: "Aarhus", Solution: "KY", Wave: "2", GoLive: d("2027-03-01")}
	tasks := p.Dates(old, workdays.New())
	current := []model.Task{{Title: tasks[0].Title, Start: tasks[0].Start, End: tasks[0].End, Status: model.Done, RawStatus: "Færdig"},
		{Title: tasks[1].Title, Start: tasks[1].Start, End: tasks[1].End, Status: model.InProgress, RawStatus: "I gang"}}
	moved := old
	moved.GoLive = d("2027-04-12")
	moved.Keep = templates.KeepFrom(current)
	re := p.Dates(moved, workdays.New())
	if re[0].Start != tasks[0].Start || re[0].Status != model.Done {
		t.Errorf("done task moved: %+v", re[0])
	}
	if re[1].Start == tasks[1].Start || re[1].Status != model.InProgress {
		t.Errorf("in-progress task: %+v (dates should move, status stay)", re[1])
	}
	path, _ := write(t, p, moved)
	g, _ := grid.ReadFile(path, grid.Options{})
	plan, err := parse.New(parse.Options{}).Parse(g)
	if err != nil || plan.Tasks[0].Status != model.Done || plan.Tasks[0].End != tasks[0].End || len(plan.Issues) != 0 {
		t.Errorf("rebased workbook: %+v, issues %v, %v", plan.Tasks[0], plan.Issues, err)
	}
}

// TestWrite_libreOffice reads the workbook back after LibreOffice opened
// and saved it.
func TestWrite_libreOffice(t *testing.T) {
	bin, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	p := standard(t)
	in := templates.Instance{Municipality: "Aarhus", Solution: "KY", Wave: "2", GoLive: d("2027-03-01")}
	path, _ := write(t, p, in)
	dir := t.TempDir()
	out, err := exec.Command(bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", dir, path).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	readBack(t, filepath.Join(dir, filepath.Base(path)), p, in)
}

func TestLoad_override(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "sapa.yaml"), []byte("name: SAPA-plan\nsolutions: [SAPA]\nsteps:\n  - label: Trin 1\n    tasks:\n      - {title: Egen opgave, responsible: Kommune, performer: Kommune, offset: -10, duration: 5}\n"), 0o644)
	set, err := templates.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := set.For("sapa"); p.Name != "SAPA-plan" {
		t.Errorf("SAPA plan = %s", p.Name)
	}
	if p, _ := set.For("KY"); p.Name != "Standardplan" {
		t.Errorf("KY plan = %s, want the built-in", p.Name)
	}
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("name: x\nstepz: []\n"), 0o644)
	for _, l := range []struct {
		english bool
		want    string
	}{
		{false, "standardplanen " + dir + `/bad.yaml: linje 2: ukendt nøgle "stepz"`},
		{true, "standard plan " + dir + `/bad.yaml: line 2: unknown key "stepz"`},
	} {
		if _, err := templates.LoadIn(dir, l.english); err == nil || err.Error() != l.want {
			t.Errorf("a bad standard plan: %v, want %s", err, l.want)
		}
	}
}

func writeGantt(t *testing.T, p *templates.Plan, in templates.Instance) string {
	t.Helper()
	var buf bytes.Buffer
	if err := p.WriteGantt(&buf, in, workdays.New()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "KY_gantt.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readBackGantt parses a Gantt workbook as `udrul check` does: zero issues,
// every task with its week span (Monday of the first week, Friday of the
// last), across a new year.
func readBackGantt(t *testing.T, path string, p *templates.Plan, in templates.Instance) {
	t.Helper()
	g, err := grid.ReadFile(path, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := parse.New(parse.Options{}).Parse(g)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Issues) != 0 {
		t.Errorf("issues: %+v", plan.Issues)
	}
	if md := plan.Metadata; md.Municipality != in.Municipality || md.Solution != in.Solution || md.Wave != in.Wave {
		t.Errorf("metadata = %+v", md)
	}
	want := p.Dates(in, workdays.New())
	if len(plan.Tasks) != len(want) {
		t.Fatalf("read %d tasks, wrote %d", len(plan.Tasks), len(want))
	}
	years := map[int]bool{}
	for i, w := range want {
		g := plan.Tasks[i]
		start := w.Start.AddDays(-((int(w.Start.Weekday()) + 6) % 7))
		end := w.End.AddDays(-((int(w.End.Weekday()) + 6) % 7) + 4)
		if g.Step != w.Step || g.ID != w.ID || g.Title != w.Title || g.Responsible != w.Resp || g.Performer != w.Perf || g.Start != start || g.End != end ||
			g.Status != w.Status || g.StartAs.Precision != model.Week {
			t.Errorf("task %d:\n got  %s|%s|%s|%s|%s|%s|%s|%s\n want %s|%s|%s|%s|%s|%s|%s|%s", i, g.Step, g.ID, g.Title, g.Responsible, g.Performer, g.Start, g.End, g.Status,
				w.Step, w.ID, w.Title, w.Resp, w.Perf, start, end, w.Status)
		}
		years[g.End.Year] = true
	}
	if len(years) < 2 {
		t.Errorf("the timeline does not cross a new year: %v", years)
	}
}

func TestWriteGantt_roundTrip(t *testing.T) {
	p := standard(t)
	for _, in := range []templates.Instance{
		{Municipality: "Aarhus", Solution: "KY", Wave: "2", GoLive: d("2027-03-01")},
		{Municipality: "Ærø", Solution: "KY", Wave: "1", GoLive: d("2027-01-18"), English: true},
	} {
		t.Run(in.Municipality, func(t *testing.T) {
			readBackGantt(t, writeGantt(t, p, in), p, in)
		})
	}
}

// TestWriteGantt_libreOffice reads the timeline back after LibreOffice
// opened and saved it.
func TestWriteGantt_libreOffice(t *testing.T) {
	bin, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	p := standard(t)
	in := templates.Instance{Municipality: "Aarhus", Solution: "KY", Wave: "2", GoLive: d("2027-03-01")}
	path := writeGantt(t, p, in)
	dir := t.TempDir()
	out, err := exec.Command(bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", dir, path).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	readBackGantt(t, filepath.Join(dir, filepath.Base(path)), p, in)
}
