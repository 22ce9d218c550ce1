package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/syncer"
	"github.com/xuri/excelize/v2"
)

// scenario is two weeks of a share of plans, synced into a real store.
type scenario struct {
	t     *testing.T
	dir   string // the share
	env   *app.Env
	specs []plangen.Spec
	plans []*plangen.Plan
	// want is the exact history every task must have: store task ID →
	// "field old→new" lines, in order.
	want map[int64][]string
	ids  map[int64]bool // every task ever stored
}

var ascii = strings.NewReplacer("ø", "oe", "Ø", "Oe", "æ", "ae", "Æ", "Ae", "å", "aa", "Å", "Aa")

// fileName is where plan i is kept: its own name, typed without æ, ø, å.
func (s *scenario) fileName(i int) string {
	return filepath.Join(s.dir, ascii.Replace(s.plans[i].FileName()))
}

// write saves plan i as people save it: a new modification time.
func (s *scenario) write(i int) {
	s.t.Helper()
	tmp := s.t.TempDir()
	path, err := s.plans[i].Write(tmp)
	if err != nil {
		s.t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		s.t.Fatal(err)
	}
	s.put(s.fileName(i), data)
}

func (s *scenario) put(path string, data []byte) {
	s.t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		s.t.Fatal(err)
	}
	later := time.Now().Add(time.Duration(len(s.ids)+len(data)) * time.Second)
	os.Chtimes(path, later, later)
}

func (s *scenario) sync() []syncer.Result {
	s.t.Helper()
	sy, targets, err := s.env.NewSyncer(nil, nil, "")
	if err != nil {
		s.t.Fatal(err)
	}
	res, err := sy.Cycle(context.Background(), targets, syncer.Options{})
	if err != nil {
		s.t.Fatal(err)
	}
	return res
}

func (s *scenario) plan(i int) store.Plan {
	s.t.Helper()
	p, err := s.env.DB.Plan(context.Background(), s.plans[i].Municipality+"/"+s.plans[i].Solution)
	if err != nil {
		s.t.Fatal(err)
	}
	return p
}

// tasks returns plan i's stored tasks by step and title.
func (s *scenario) tasks(i int) map[string]store.PlanTask {
	s.t.Helper()
	p := s.plans[i]
	ts, err := s.env.DB.ListTasks(context.Background(), store.TaskFilter{Municipality: p.Municipality, Solution: p.Solution, WithRemoved: true})
	if err != nil {
		s.t.Fatal(err)
	}
	out := map[string]store.PlanTask{}
	for _, t := range ts {
		out[t.Step+"|"+t.Title] = t
	}
	return out
}

// id is the store's ID of plan i's task j as generated.
func (s *scenario) id(i, j int) int64 {
	s.t.Helper()
	t := s.plans[i].Tasks[j]
	st, ok := s.tasks(i)[t.Step+"|"+t.Title]
	if !ok {
		s.t.Fatalf("%s: task %q not stored", s.plans[i].FileName(), t.Title)
	}
	return st.ID
}

// check verifies that no task was ever lost and that every task's history
// is exactly what the edits made.
func (s *scenario) check(when string) {
	s.t.Helper()
	rows, err := s.env.DB.SQL().Query(`SELECT id FROM tasks`)
	if err != nil {
		s.t.Fatal(err)
	}
	now := map[int64]bool{}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		now[id] = true
	}
	rows.Close()
	for id := range s.ids {
		if !now[id] {
			s.t.Errorf("%s: task %d was deleted", when, id)
		}
	}
	for id := range now {
		s.ids[id] = true
		hist, err := s.env.DB.History(context.Background(), id)
		if err != nil {
			s.t.Fatal(err)
		}
		var got []string
		for _, c := range hist {
			got = append(got, fmt.Sprintf("%s %s→%s", c.Field, c.Old, c.New))
		}
		if strings.Join(got, "\n") != strings.Join(s.want[id], "\n") {
			var title string
			s.env.DB.SQL().QueryRow(`SELECT title FROM tasks WHERE id = ?`, id).Scan(&title)
			s.t.Errorf("%s: task %d %q history:\n  %s\nwant:\n  %s", when, id, title, strings.Join(got, "\n  "), strings.Join(s.want[id], "\n  "))
		}
	}
}

// TestScenario_twoWeeks syncs plans in every layout, edits them the way
// people do — slip, rename, a row retitled with an unrelated task, remove,
// add, clear by mistake, break the file, drop copies and a saved report
// beside them — and syncs again, twice. Every task keeps its identity and
// its history exactly, nothing is lost, and conflicts are reported, not
// applied.
func TestScenario_twoWeeks(t *testing.T) {
	root := t.TempDir()
	s := &scenario{t: t, dir: filepath.Join(root, "plans"), want: map[int64][]string{}, ids: map[int64]bool{}}
	os.MkdirAll(s.dir, 0o755)
	cfg := filepath.Join(root, "udrul.yaml")
	os.WriteFile(cfg, []byte(`database: udrul.db
ignore: ["*Kopi*", "*backup*", "*(1)*", "*_gammel*", "~$*"]
sources:
  - {name: share, kind: files, path: plans, recursive: true}
report: {dir: plans}
`), 0o644)
	munis := []string{"Hjørring", "Læsø", "Høje-Taastrup", "Ærø", "Rødovre", "Tårnby", "Morsø", "Næstved", "Sønderborg", "Aabenraa", "Faaborg-Midtfyn", "Lyngby-Taarbæk"}
	if len(munis) != len(plangen.Layouts) {
		t.Fatal("one municipality per layout")
	}
	for i, layout := range plangen.Layouts {
		spec := plangen.Spec{Seed: uint64(100 + i), Layout: layout, Municipality: munis[i], Solution: []string{"KY", "KSD", "KP"}[i%3], Wave: 1}
		s.specs = append(s.specs, spec)
		s.plans = append(s.plans, plangen.Generate(spec))
		s.write(i)
	}
	env, err := app.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	s.env = env
	const (
		slip = iota
		rename
		retitle
		remove
		add
		clear
		broken
		copies
		untouched
	)

	// Day 1: every plan is read, named from its ASCII file name or its lines.
	for _, r := range s.sync() {
		if !r.OK() || r.Created != len(munis) {
			t.Fatalf("first sync: %s %v", r.Summary(), r.Errors)
		}
	}
	for i, m := range munis {
		if p := s.plan(i); p.Municipality != m || p.Tasks != len(s.plans[i].Tasks) {
			t.Errorf("plan %d = %s with %d tasks, want %s with %d", i, p.Key(), p.Tasks, m, len(s.plans[i].Tasks))
		}
	}
	s.check("day 1")

	// Day 3: the edits.
	p := s.plans[slip]
	slipID, slipOld := s.id(slip, 1), p.Tasks[1].End
	p.Slip(1, 10)
	s.want[slipID] = append(s.want[slipID], fmt.Sprintf("end %s→%s", slipOld, p.Tasks[1].End))
	s.write(slip)

	p = s.plans[rename]
	renameID, renameOld := s.id(rename, 2), p.Tasks[2].Title
	p.Rename(2, renameOld+" og opfølgning")
	s.want[renameID] = []string{fmt.Sprintf("title %s→%s", renameOld, renameOld+" og opfølgning")}
	s.write(rename)

	p = s.plans[retitle]
	row := -1
	for j, tk := range p.Tasks {
		if tk.ID == "" && tk.Status == model.Done && !tk.Start.IsZero() {
			row = j
			break
		}
	}
	if row < 0 {
		t.Fatal("the retitled plan needs a done task without ID")
	}
	overwrittenID, overwrittenTitle := s.id(retitle, row), p.Tasks[row].Title
	p.Rename(row, "Bestille kaffe til styregruppen")
	p.SetStatus(row, model.NotStarted, "Ikke startet")
	s.want[overwrittenID] = []string{fmt.Sprintf("removed %s→", overwrittenTitle)}
	s.write(retitle)

	p = s.plans[remove]
	removedID, removedTitle := s.id(remove, 3), p.Tasks[3].Title
	p.Remove(3)
	s.want[removedID] = []string{fmt.Sprintf("removed %s→", removedTitle)}
	s.write(remove)

	s.plans[add].Add(0, "Ekstra opgave: test af udskrifter")
	s.write(add)

	clearedBefore := s.plan(clear).Tasks
	s.plans[clear].Clear()
	s.write(clear)

	s.put(s.fileName(broken), nil) // saved while the disk was full

	p = s.plans[copies]
	orig, _ := os.ReadFile(s.fileName(copies))
	base := strings.TrimSuffix(s.fileName(copies), filepath.Ext(s.fileName(copies)))
	s.put(base+" - Kopi.csv", orig) // ignored
	s.put(base+"_v2.csv", orig)     // a second file claiming the plan
	os.MkdirAll(filepath.Join(s.dir, "backup"), 0o755)
	s.put(filepath.Join(s.dir, "backup", filepath.Base(s.fileName(copies))), orig) // ignored
	copySlipID, copySlipOld := s.id(copies, 0), p.Tasks[0].End
	p.Slip(0, 5)
	s.write(copies)

	// A report saved beside the plans under a name of its own.
	paths, _, err := env.WriteReports(context.Background(), env.Today(), "", "", false)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(paths[0])
	s.put(filepath.Join(s.dir, "Status Sønderborg KY.xlsx"), data)

	r := s.sync()[0]
	t.Logf("day 3: %s", r.Summary())
	if r.Failed != 1 || !strings.Contains(strings.Join(r.Errors, ""), filepath.Base(s.fileName(broken))) {
		t.Errorf("day 3: failed %d %v, want the broken file", r.Failed, r.Errors)
	}
	if len(r.Conflicts) != 1 || !strings.Contains(r.Conflicts[0], "_v2.csv") || r.Held != 1 || r.Ignored != 3 || r.Documents != len(munis)+1 {
		t.Errorf("day 3: conflicts %v, held %d, ignored %d, files %d; want the copy's conflict, the cleared plan held, 2 copies and the saved report ignored, %d files",
			r.Conflicts, r.Held, r.Ignored, r.Documents, len(munis)+1)
	}
	if st := s.plan(copies); st.State != store.PlanConflict || len(st.Claimants) != 2 {
		t.Errorf("day 3: the copied plan = %s %v", st.State, st.Claimants)
	}
	if st := s.plan(clear); st.State != store.PlanHeld || st.Tasks != clearedBefore {
		t.Errorf("day 3: the cleared plan = %s with %d tasks, want held with %d", st.State, st.Tasks, clearedBefore)
	}
	if st := s.plan(broken); st.State != store.PlanFailing || st.Tasks != len(s.plans[broken].Tasks) {
		t.Errorf("day 3: the broken plan = %s with %d tasks", st.State, st.Tasks)
	}
	added := s.tasks(add)[s.plans[add].Tasks[1].Step+"|Ekstra opgave: test af udskrifter"]
	newRow := s.tasks(retitle)[s.plans[retitle].Tasks[row].Step+"|Bestille kaffe til styregruppen"]
	if added.ID == 0 || newRow.ID == 0 || newRow.ID == overwrittenID || newRow.Removed() {
		t.Errorf("day 3: added task %d, overwritten row's new task %d (old %d)", added.ID, newRow.ID, overwrittenID)
	}
	s.check("day 3")

	// The report's change sheet: the overwritten row is one removed and one
	// added task.
	paths, _, err = env.WriteReports(context.Background(), env.Today(), "", "", false)
	if err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := wb.GetRows("Ændringer")
	wb.Close()
	var changes []string
	for _, r := range rows {
		if len(r) > 3 && strings.HasPrefix(r[1], munis[retitle]) {
			changes = append(changes, r[3]+" "+r[2])
		}
	}
	sort.Strings(changes)
	if want := "fjernet " + overwrittenTitle + "\ntilføjet Bestille kaffe til styregruppen"; strings.Join(changes, "\n") != want {
		t.Errorf("change sheet for %s:\n%s\nwant\n%s", munis[retitle], strings.Join(changes, "\n"), want)
	}

	// Day 10: recoveries and the second week's edits.
	s.plans[remove] = plangen.Generate(s.specs[remove]) // the removed row comes back
	s.write(remove)
	s.want[removedID] = append(s.want[removedID], "restored →")
	s.plans[clear] = plangen.Generate(s.specs[clear]) // the sheet restored from a backup
	s.write(clear)
	s.plans[broken] = plangen.Generate(s.specs[broken])
	s.write(broken)
	os.Remove(base + "_v2.csv")
	s.want[copySlipID] = []string{fmt.Sprintf("end %s→%s", copySlipOld, s.plans[copies].Tasks[0].End)}
	p = s.plans[slip]
	before := p.Tasks[1].End
	p.Slip(1, 5)
	s.want[slipID] = append(s.want[slipID], fmt.Sprintf("end %s→%s", before, p.Tasks[1].End))
	s.write(slip)

	r = s.sync()[0]
	t.Logf("day 10: %s", r.Summary())
	if !r.OK() || len(r.Conflicts) != 0 || r.Held != 0 || r.Restored != 1 {
		t.Errorf("day 10: %s %v %v", r.Summary(), r.Errors, r.Conflicts)
	}
	for i := range munis {
		if st := s.plan(i); st.State != store.PlanOK {
			t.Errorf("day 10: %s is %s: %s", st.Key(), st.State, st.StateReason)
		}
	}
	if st := s.plan(copies); st.Location != s.fileName(copies) {
		t.Errorf("day 10: the copied plan is read from %s, want %s", st.Location, s.fileName(copies))
	}
	s.check("day 10")

	// Day 14: nothing changed: nothing is read.
	r = s.sync()[0]
	if r.Read != 0 || r.Failed != 0 || len(r.Conflicts) != 0 {
		t.Errorf("day 14: %s", r.Summary())
	}
	s.check("day 14")
}
