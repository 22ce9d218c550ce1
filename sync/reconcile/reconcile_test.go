package reconcile_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/reconcile"
)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func d(s string) model.Date {
	v, err := model.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// basePlan is a plan of six tasks in two steps, without IDs.
func basePlan() []model.Task {
	mk := func(row int, step, title, start, end string, st model.Status) model.Task {
		return model.Task{Pos: model.Pos{Sheet: "Plan", Row: row}, Step: step, Title: title, Responsible: "Kommune", Performer: "Kommune",
			Start: d(start), End: d(end), Status: st}
	}
	return []model.Task{
		mk(2, "Trin 0a", "Kick-off", "2026-06-01", "2026-06-03", model.Done),
		mk(3, "Trin 0a", "Udpege projektleder", "2026-06-01", "2026-06-10", model.InProgress),
		mk(4, "Trin 0a", "Bestille uddannelse", "2026-06-05", "2026-06-20", model.NotStarted),
		mk(5, "Trin 1", "Oprette brugere", "2026-07-01", "2026-07-15", model.NotStarted),
		mk(6, "Trin 1", "Datavask", "2026-07-01", "2026-08-01", model.NotStarted),
		mk(7, "Trin 1", "Test", "2026-08-01", "2026-08-15", model.NotStarted),
	}
}

type harness struct {
	t   *testing.T
	db  *store.DB
	doc string
	run int64
}

func newHarness(t *testing.T) *harness {
	return &harness{t: t, db: openDB(t), doc: "/share/KY_Aarhus.xlsx"}
}

// sync applies a read of the plan as the syncer would.
func (h *harness) sync(mun string, tasks []model.Task, accept bool) reconcile.Outcome {
	h.t.Helper()
	out, err := reconcile.Apply(context.Background(), h.db, h.input(mun, tasks, accept))
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

// input is a read of the plan in a new sync run.
func (h *harness) input(mun string, tasks []model.Task, accept bool) reconcile.Input {
	h.t.Helper()
	ctx := context.Background()
	run, err := h.db.BeginRun(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	h.run = run
	src, err := h.db.EnsureSource(ctx, "share", "files", "/share")
	if err != nil {
		h.t.Fatal(err)
	}
	docs, err := h.db.Documents(ctx, src)
	if err != nil {
		h.t.Fatal(err)
	}
	doc := docs[h.doc]
	doc.Key = h.doc
	return reconcile.Input{
		RunID: run, SourceID: src, Doc: doc, Version: fmt.Sprint(run), Hash: fmt.Sprint("h", run), Location: h.doc,
		Municipality: mun, Solution: "KY", Wave: "1",
		Plan:  &model.Plan{Tasks: tasks, Metadata: model.Metadata{Extra: map[string]string{}}},
		Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}, Accept: accept,
	}
}

// tasks lists the plan's tasks: "title|status|start|end" plus " (removed)".
func (h *harness) tasks(mun string) []string {
	h.t.Helper()
	ts, err := h.db.ListTasks(context.Background(), store.TaskFilter{Municipality: mun, WithRemoved: true})
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, t := range ts {
		s := fmt.Sprintf("%s|%s|%s|%s", t.Title, t.Status, t.Start, t.End)
		if t.Removed() {
			s += " (removed)"
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// changes returns every recorded change as "title: field old→new".
func (h *harness) changes() []string {
	h.t.Helper()
	rows, err := h.db.SQL().Query(`SELECT t.title, c.field, c.old, c.new FROM task_changes c JOIN tasks t ON t.id = c.task_id ORDER BY c.id`)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var title, field, o, n string
		rows.Scan(&title, &field, &o, &n)
		out = append(out, fmt.Sprintf("%s: %s %s→%s", title, field, o, n))
	}
	return out
}

func (h *harness) taskCount() int {
	var n int
	h.db.SQL().QueryRow(`SELECT COUNT(*) FROM tasks`).Scan(&n)
	return n
}

func eq(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestApply_firstSync(t *testing.T) {
	h := newHarness(t)
	out := h.sync("Aarhus", basePlan(), false)
	if !out.Created || out.Added != 6 || out.Changes() != 6 {
		t.Errorf("outcome = %+v", out)
	}
	if len(h.changes()) != 0 {
		t.Errorf("a first sync writes no history: %v", h.changes())
	}
	ts, _ := h.db.ListTasks(context.Background(), store.TaskFilter{})
	if ts[0].BaselineEnd != ts[0].End || ts[0].BaselineStart != ts[0].Start {
		t.Errorf("baseline = %v–%v, want the first seen dates", ts[0].BaselineStart, ts[0].BaselineEnd)
	}
}

func TestApply_sameTwice(t *testing.T) {
	h := newHarness(t)
	h.sync("Aarhus", basePlan(), false)
	out := h.sync("Aarhus", basePlan(), false)
	if !out.Unchanged || out.Changes() != 0 {
		t.Errorf("outcome = %+v, want unchanged", out)
	}
	if c := h.changes(); len(c) != 0 {
		t.Errorf("history written for an unchanged plan: %v", c)
	}
}

func TestApply_edits(t *testing.T) {
	tests := []struct {
		name    string
		edit    func([]model.Task) []model.Task
		changes []string
		tasks   int // stored tasks afterwards, removed included
	}{
		{"edited status", func(ts []model.Task) []model.Task {
			ts[2].Status, ts[2].RawStatus = model.InProgress, "I gang"
			return ts
		}, []string{"Bestille uddannelse: status not_started→in_progress"}, 6},
		{"slipped end date", func(ts []model.Task) []model.Task {
			ts[1].End = d("2026-06-24")
			return ts
		}, []string{"Udpege projektleder: end 2026-06-10→2026-06-24"}, 6},
		{"renamed title, same row, step and dates", func(ts []model.Task) []model.Task {
			ts[4].Title = "Datavask og oprydning"
			return ts
		}, []string{"Datavask og oprydning: title Datavask→Datavask og oprydning"}, 6},
		{"moved between steps", func(ts []model.Task) []model.Task {
			ts[3].Step, ts[3].Pos.Row = "Trin 0a", 9
			return ts
		}, []string{"Oprette brugere: step Trin 1→Trin 0a"}, 6},
		{"owner's traffic light and the date as written", func(ts []model.Task) []model.Task {
			ts[0].Health = model.HealthRed
			ts[1].EndAs = model.Written{Text: "medio juni 2026", Precision: model.Part}
			return ts
		}, []string{"Kick-off: health →red", "Udpege projektleder: end_text →medio juni 2026"}, 6},
		{"dependencies added and changed", func(ts []model.Task) []model.Task {
			ts[5].After = []string{"row:6"}
			return ts
		}, []string{"Test: after →row:6"}, 6},
		{"removed task kept", func(ts []model.Task) []model.Task {
			return append(ts[:5:5], ts[5+1:]...)
		}, []string{"Test: removed Test→"}, 6},
		{"a task added", func(ts []model.Task) []model.Task {
			return append(ts, model.Task{Pos: model.Pos{Sheet: "Plan", Row: 8}, Step: "Trin 1", Title: "Go-live", Start: d("2026-09-01"), End: d("2026-09-01")})
		}, nil, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.sync("Aarhus", basePlan(), false)
			out := h.sync("Aarhus", tt.edit(basePlan()), false)
			if out.Held {
				t.Fatalf("held: %s", out.HeldWhy)
			}
			eq(t, "changes", h.changes(), tt.changes)
			if n := h.taskCount(); n != tt.tasks {
				t.Errorf("stored tasks = %d, want %d (none lost)", n, tt.tasks)
			}
		})
	}
}

func TestApply_idsAdded(t *testing.T) {
	h := newHarness(t)
	h.sync("Aarhus", basePlan(), false)
	ts := basePlan()
	for i := range ts {
		ts[i].ID = fmt.Sprintf("0a.%d", i+1)
	}
	ts[0].Title = "Kick-off møde" // renamed in the same edit: the row and dates still tie it
	h.sync("Aarhus", ts, false)
	eq(t, "changes", h.changes(), []string{
		"Kick-off møde: id →0a.1", "Kick-off møde: title Kick-off→Kick-off møde",
		"Udpege projektleder: id →0a.2", "Bestille uddannelse: id →0a.3", "Oprette brugere: id →0a.4", "Datavask: id →0a.5", "Test: id →0a.6",
	})
	if h.taskCount() != 6 {
		t.Errorf("tasks = %d, want 6", h.taskCount())
	}
	// From now on the ID is the identity: a retitled task with new dates
	// is still the same task.
	ts[1].Title, ts[1].End = "Udpege lokal projektleder", d("2026-07-01")
	h.sync("Aarhus", ts, false)
	if h.taskCount() != 6 {
		t.Errorf("tasks = %d after a retitle by ID, want 6", h.taskCount())
	}
}

func TestApply_duplicateIDs(t *testing.T) {
	h := newHarness(t)
	ts := basePlan()
	for i := range ts {
		ts[i].ID = "1" // every ID the same: titles decide
	}
	h.sync("Aarhus", ts, false)
	ts[2].Status = model.Done
	out := h.sync("Aarhus", ts, false)
	if out.Changed != 1 || out.Added != 0 || out.Removed != 0 {
		t.Errorf("outcome = %+v, want one changed task", out)
	}
}

func TestApply_removedAndRestored(t *testing.T) {
	h := newHarness(t)
	h.sync("Aarhus", basePlan(), false)
	h.sync("Aarhus", basePlan()[:5], false)
	if got := strings.Join(h.tasks("Aarhus"), "\n"); !strings.Contains(got, "Test|not_started|2026-08-01|2026-08-15 (removed)") {
		t.Errorf("after removal the task is kept as removed:\n%s", got)
	}
	out := h.sync("Aarhus", basePlan(), false)
	if out.Restored != 1 {
		t.Errorf("outcome = %+v, want one restored", out)
	}
	eq(t, "changes", h.changes(), []string{"Test: removed Test→", "Test: restored →"})
	if n := h.taskCount(); n != 6 {
		t.Errorf("tasks = %d, want 6", n)
	}
}

func TestApply_clearedSheetHeld(t *testing.T) {
	h := newHarness(t)
	h.sync("Aarhus", basePlan(), false)
	before := h.tasks("Aarhus")
	for _, tc := range []struct {
		name  string
		tasks []model.Task
	}{{"emptied", nil}, {"most rows deleted", basePlan()[:2]}} {
		out := h.sync("Aarhus", tc.tasks, false)
		if !out.Held || out.HeldWhy == "" {
			t.Fatalf("%s: outcome = %+v, want held", tc.name, out)
		}
		eq(t, tc.name+": tasks unchanged", h.tasks("Aarhus"), before)
		p, err := h.db.Plan(context.Background(), "Aarhus/KY")
		if err != nil || p.State != store.PlanHeld {
			t.Errorf("%s: plan state = %q, %v; want held", tc.name, p.State, err)
		}
	}
	// It recovers: the sheet is restored, and the plan applies again.
	out := h.sync("Aarhus", basePlan(), false)
	if out.Held || !out.Unchanged {
		t.Errorf("recovery: outcome = %+v", out)
	}
	p, _ := h.db.Plan(context.Background(), "Aarhus/KY")
	if p.State != store.PlanOK {
		t.Errorf("state after recovery = %q", p.State)
	}
	// Accepted: the shrink is applied, and nothing is deleted.
	out = h.sync("Aarhus", basePlan()[:2], true)
	if out.Held || out.Removed != 4 {
		t.Errorf("accepted: outcome = %+v, want 4 removed", out)
	}
	if h.taskCount() != 6 {
		t.Errorf("tasks = %d, want 6 kept", h.taskCount())
	}
}

func TestApply_municipalityChanges(t *testing.T) {
	h := newHarness(t)
	h.sync("Aarhus", basePlan(), false)
	out := h.sync("Odder", basePlan(), false)
	if !out.Created || out.Added != 6 {
		t.Errorf("outcome = %+v", out)
	}
	old, err := h.db.Plan(context.Background(), "Aarhus/KY")
	if err != nil {
		t.Fatal(err)
	}
	if old.State != store.PlanGone || old.Tasks != 6 {
		t.Errorf("old plan: state %q, %d tasks; want gone with its 6 tasks kept", old.State, old.Tasks)
	}
	if _, err := h.db.Plan(context.Background(), "Odder/KY"); err != nil {
		t.Error(err)
	}
}

// TestApply_cancelled cancels the context while the plan's transaction is
// open: nothing of that plan is applied.
func TestApply_cancelled(t *testing.T) {
	h := newHarness(t)
	h.sync("Aarhus", basePlan(), false)
	before, changesBefore := h.tasks("Aarhus"), h.changes()

	big := basePlan()
	for i := range 20000 {
		big = append(big, model.Task{Pos: model.Pos{Sheet: "Plan", Row: 100 + i}, Step: "Trin 2", Title: fmt.Sprintf("Ekstra %d", i)})
	}
	big[1].End = d("2026-12-24")
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	src, _ := h.db.EnsureSource(context.Background(), "share", "files", "/share")
	_, err := reconcile.Apply(ctx, h.db, reconcile.Input{RunID: h.run, SourceID: src, Doc: store.Document{Key: h.doc}, Version: "x", Hash: "y",
		Municipality: "Aarhus", Solution: "KY", Plan: &model.Plan{Tasks: big}, Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled (the test needs the apply to outlast 20 ms)", err)
	}
	eq(t, "tasks", h.tasks("Aarhus"), before)
	eq(t, "changes", h.changes(), changesBefore)
	if res, err := h.db.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Errorf("integrity_check = %q, %v", res, err)
	}
}

func TestMatch(t *testing.T) {
	old := []store.Task{
		{ID: 1, Task: model.Task{ID: "A", Step: "S1", Title: "One", Pos: model.Pos{Row: 2}}},
		{ID: 2, Task: model.Task{ID: "", Step: "S1", Title: "Two", Pos: model.Pos{Row: 3}, Start: d("2026-01-01")}},
		{ID: 3, Task: model.Task{Step: "S2", Title: "Three", Pos: model.Pos{Row: 4}}, RemovedAt: time.Now()},
	}
	nw := []model.Task{
		{ID: "A", Step: "S9", Title: "Renamed one", Pos: model.Pos{Row: 7}},                 // by ID
		{Step: "S1", Title: "Two, renamed", Pos: model.Pos{Row: 3}, Start: d("2026-01-01")}, // by row, step and dates
		{Step: "S3", Title: "three", Pos: model.Pos{Row: 9}},                                // by title, restored
		{Step: "S1", Title: "New"},
	}
	pairs, rest := reconcile.Match(old, nw)
	var got []string
	for _, p := range pairs {
		got = append(got, fmt.Sprintf("%d→%d", p.New, p.Old))
	}
	eq(t, "pairs", got, []string{"0→0", "1→1", "2→2", "3→-1"})
	if len(rest) != 0 {
		t.Errorf("unmatched = %v", rest)
	}
}

func TestApply_taskIdentity(t *testing.T) {
	withIDs := func() []model.Task {
		ts := basePlan()
		for i := range ts {
			ts[i].ID = fmt.Sprintf("0a.%d", i+1)
		}
		return ts
	}
	tests := []struct {
		name    string
		base    func() []model.Task
		edit    func([]model.Task) []model.Task
		changes []string
		tasks   int
	}{
		{"row overwritten with an unrelated task: one removed, one added", basePlan, func(ts []model.Task) []model.Task {
			ts[3].Title = "Bestille servere hos leverandøren"
			return ts
		}, []string{"Oprette brugere: removed Oprette brugere→"}, 7},
		{"row retitled and its status back from done: one removed, one added", basePlan, func(ts []model.Task) []model.Task {
			ts[0].Title, ts[0].Status = "Kick-off med styregruppen", model.NotStarted
			return ts
		}, []string{"Kick-off: removed Kick-off→"}, 7},
		{"a typo fixed in place is a rename", basePlan, func(ts []model.Task) []model.Task {
			ts[2].Title = "Bestille uddannelser"
			return ts
		}, []string{"Bestille uddannelser: title Bestille uddannelse→Bestille uddannelser"}, 6},
		{"with IDs: a new ID is a new task, even with the old title", withIDs, func(ts []model.Task) []model.Task {
			ts[2].ID = "0a.9"
			return ts
		}, []string{"Bestille uddannelse: removed Bestille uddannelse→"}, 7},
		{"with IDs: a new ID in the row of another is a new task", withIDs, func(ts []model.Task) []model.Task {
			ts[4].ID, ts[4].Title = "0a.9", "Datavask i fagsystemet"
			return ts
		}, []string{"Datavask: removed Datavask→"}, 7},
		{"with IDs: the title of a task keeping its ID may change", withIDs, func(ts []model.Task) []model.Task {
			ts[4].Title = "Noget helt andet"
			return ts
		}, []string{"Noget helt andet: title Datavask→Noget helt andet"}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.sync("Aarhus", tt.base(), false)
			out := h.sync("Aarhus", tt.edit(tt.base()), false)
			if out.Held {
				t.Fatalf("held: %s", out.HeldWhy)
			}
			eq(t, "changes", h.changes(), tt.changes)
			if n := h.taskCount(); n != tt.tasks {
				t.Errorf("stored tasks = %d, want %d", n, tt.tasks)
			}
		})
	}
}

func TestSameTitle(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Datavask", "Datavask og oprydning", true},
		{"Kick-off", "Kick-off møde", true},
		{"Udpege projektleder", "Udpege lokal projektleder", true},
		{"Bestille uddannelse", "Bestille uddannelsen", true},
		{"Bestille uddannelse", "Bestile uddannelse", true},
		{"Bestille uddannelse", "Bestille servere", false},
		{"Oprette brugere", "Bestille servere hos leverandøren", false},
		{"Test", "Test af integration med ESDH, fagsystemer og portaler", false},
		{"Kick-off", "", false},
		{"Go-live", "Idriftsættelse", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"→"+tt.b, func(t *testing.T) {
			if got := reconcile.SameTitle(tt.a, tt.b); got != tt.want {
				t.Errorf("SameTitle(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestApply_dependencies(t *testing.T) {
	with := func(after ...string) []model.Task {
		ts := basePlan()
		ts[5].After = after
		return ts
	}
	h := newHarness(t)
	h.sync("Aarhus", with("row:6"), false)
	if out := h.sync("Aarhus", with("row:6"), false); !out.Unchanged {
		t.Errorf("the same dependencies read again: outcome %+v, want unchanged", out)
	}
	h.sync("Aarhus", with("row:5", "row:6"), false)
	h.sync("Aarhus", with(), false)
	eq(t, "changes", h.changes(), []string{"Test: after row:6→row:5, row:6", "Test: after row:5, row:6→"})
	tasks, err := h.db.ListTasks(context.Background(), store.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tasks {
		if tk.After != nil {
			t.Errorf("task %q keeps dependencies %q after they were cleared", tk.Title, tk.After)
		}
	}
}

// TestPrepared_Apply: a read is matched to the stored tasks before the
// write lock is taken; when another writer changed the plan meanwhile, it is
// matched again inside the transaction, and the result and the history are
// those of the two reads applied one after the other.
func TestPrepared_Apply(t *testing.T) {
	slipped := func() []model.Task {
		ts := basePlan()
		ts[4].End = d("2026-08-15")
		return ts
	}
	added := func() []model.Task {
		ts := basePlan()
		return append(ts, model.Task{Pos: model.Pos{Sheet: "Plan", Row: 8}, Step: "Trin 1", Title: "Ny opgave", Start: d("2026-08-01"), End: d("2026-08-02"), Status: model.NotStarted})
	}
	tests := []struct {
		name      string
		first     bool                                                // the plan is synced before the read is prepared
		meanwhile func(h *harness)                                    // another writer, between Prepare and Apply
		rematched bool                                                // the read must be matched again
		tasks     []string                                            // afterwards
		changes   []string                                            // the history afterwards
		check     func(t *testing.T, h *harness, o reconcile.Outcome) // more
	}{
		{name: "nothing changed meanwhile", first: true, meanwhile: func(*harness) {},
			tasks: []string{
				"Bestille uddannelse|not_started|2026-06-05|2026-06-20", "Datavask|not_started|2026-07-01|2026-08-15",
				"Kick-off|done|2026-06-01|2026-06-03", "Oprette brugere|not_started|2026-07-01|2026-07-15",
				"Test|not_started|2026-08-01|2026-08-15", "Udpege projektleder|in_progress|2026-06-01|2026-06-10"},
			changes: []string{"Datavask: end 2026-08-01→2026-08-15"}},
		{name: "a task added meanwhile is removed by the older read", first: true, rematched: true,
			meanwhile: func(h *harness) { h.sync("Aarhus", added(), false) },
			tasks: []string{
				"Bestille uddannelse|not_started|2026-06-05|2026-06-20", "Datavask|not_started|2026-07-01|2026-08-15",
				"Kick-off|done|2026-06-01|2026-06-03", "Ny opgave|not_started|2026-08-01|2026-08-02 (removed)",
				"Oprette brugere|not_started|2026-07-01|2026-07-15",
				"Test|not_started|2026-08-01|2026-08-15", "Udpege projektleder|in_progress|2026-06-01|2026-06-10"},
			changes: []string{"Datavask: end 2026-08-01→2026-08-15", "Ny opgave: removed Ny opgave→"}},
		{name: "the plan created meanwhile", rematched: true,
			meanwhile: func(h *harness) { h.sync("Aarhus", basePlan(), false) },
			tasks: []string{
				"Bestille uddannelse|not_started|2026-06-05|2026-06-20", "Datavask|not_started|2026-07-01|2026-08-15",
				"Kick-off|done|2026-06-01|2026-06-03", "Oprette brugere|not_started|2026-07-01|2026-07-15",
				"Test|not_started|2026-08-01|2026-08-15", "Udpege projektleder|in_progress|2026-06-01|2026-06-10"},
			changes: []string{"Datavask: end 2026-08-01→2026-08-15"},
			check: func(t *testing.T, h *harness, o reconcile.Outcome) {
				if o.Created || h.taskCount() != 6 {
					t.Errorf("created = %v, %d tasks stored; want the plan created once, 6 tasks", o.Created, h.taskCount())
				}
			}},
		{name: "a baseline reset meanwhile", first: true, rematched: true,
			meanwhile: func(h *harness) {
				plans, _ := h.db.ListPlans(context.Background())
				if _, err := h.db.ResetBaseline(context.Background(), plans[0].ID, "ny", h.run); err != nil {
					h.t.Fatal(err)
				}
			},
			tasks: []string{
				"Bestille uddannelse|not_started|2026-06-05|2026-06-20", "Datavask|not_started|2026-07-01|2026-08-15",
				"Kick-off|done|2026-06-01|2026-06-03", "Oprette brugere|not_started|2026-07-01|2026-07-15",
				"Test|not_started|2026-08-01|2026-08-15", "Udpege projektleder|in_progress|2026-06-01|2026-06-10"},
			changes: []string{"Datavask: end 2026-08-01→2026-08-15"}},
		// A hand edit (the sqlite3 tool) does not move the plan's
		// revision but deletes its packed value: the sync reads the tasks
		// again under the lock (the sheet's status written back, as after
		// an edit before the sync), and never packs what it read before.
		{name: "a task edited by hand meanwhile", first: true,
			meanwhile: func(h *harness) {
				if _, err := h.db.SQL().Exec(`UPDATE tasks SET status = 'done' WHERE title = 'Kick-off'`); err != nil {
					h.t.Fatal(err)
				}
				if _, err := h.db.SQL().Exec(`UPDATE tasks SET status = 'done', title = 'Udpege projektleder' WHERE title = 'Udpege projektleder'`); err != nil {
					h.t.Fatal(err)
				}
			},
			tasks: []string{
				"Bestille uddannelse|not_started|2026-06-05|2026-06-20", "Datavask|not_started|2026-07-01|2026-08-15",
				"Kick-off|done|2026-06-01|2026-06-03", "Oprette brugere|not_started|2026-07-01|2026-07-15",
				"Test|not_started|2026-08-01|2026-08-15", "Udpege projektleder|in_progress|2026-06-01|2026-06-10"},
			changes: []string{"Udpege projektleder: status done→in_progress", "Datavask: end 2026-08-01→2026-08-15"}},
		// ... and packed again from the rows meanwhile (another udrul's
		// sync ended), the value is there again: the revision moved.
		{name: "a task edited by hand and packed meanwhile", first: true, rematched: true,
			meanwhile: func(h *harness) {
				if _, err := h.db.SQL().Exec(`UPDATE tasks SET status = 'done' WHERE title = 'Udpege projektleder'`); err != nil {
					h.t.Fatal(err)
				}
				if n, err := h.db.PackMissing(context.Background()); n != 1 || err != nil {
					h.t.Fatalf("PackMissing = %d, %v; want the plan packed", n, err)
				}
			},
			tasks: []string{
				"Bestille uddannelse|not_started|2026-06-05|2026-06-20", "Datavask|not_started|2026-07-01|2026-08-15",
				"Kick-off|done|2026-06-01|2026-06-03", "Oprette brugere|not_started|2026-07-01|2026-07-15",
				"Test|not_started|2026-08-01|2026-08-15", "Udpege projektleder|in_progress|2026-06-01|2026-06-10"},
			changes: []string{"Udpege projektleder: status done→in_progress", "Datavask: end 2026-08-01→2026-08-15"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.t = t
			if tc.first {
				h.sync("Aarhus", basePlan(), false)
			}
			ctx := context.Background()
			p, err := reconcile.Prepare(ctx, h.db, h.input("Aarhus", slipped(), false))
			if err != nil {
				t.Fatal(err)
			}
			tc.meanwhile(h)
			out, err := p.Apply(ctx, h.db)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := out.Rematched, tc.rematched; got != want {
				t.Errorf("rematched = %v, want %v", got, want)
			}
			eq(t, "tasks", h.tasks("Aarhus"), tc.tasks)
			eq(t, "changes", h.changes(), tc.changes)
			if tc.check != nil {
				tc.check(t, h, out)
			}
			checkPacked(t, h.db, tc.name)
		})
	}
}
