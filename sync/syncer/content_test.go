package syncer_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/syncer"
)

// TestCycle_firstSyncStoresEveryField syncs a generated portfolio into a
// new database and compares what the store holds of every plan — the
// plan's row, each task's every column, the problems, and no history —
// with the plan read from its file on its own, field by field.
func TestCycle_firstSyncStoresEveryField(t *testing.T) {
	bothBudgets(t, func(t *testing.T) {
		f := newFixture(t, 16)
		r := f.cycle(syncer.Options{})[0]
		if r.Created != 16 || r.Failed != 0 {
			t.Fatalf("result = %s %v, want 16 new plans", r.Summary(), r.Errors)
		}
		entries, err := os.ReadDir(f.dir)
		if err != nil {
			t.Fatal(err)
		}
		p := parse.New(parse.Options{})
		for _, e := range entries {
			path := filepath.Join(f.dir, e.Name())
			plan, err := p.ReadFile(path, grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			key := plan.Metadata.Municipality + "/" + plan.Metadata.Solution
			t.Run(key, func(t *testing.T) {
				got, want := dumpPlan(t, f, key), wantDump(plan, path, r.RunID)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("stored:\n%s\nread from the file:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			})
		}
		var changes int
		if err := f.db.SQL().QueryRow(`SELECT COUNT(*) FROM task_changes`).Scan(&changes); err != nil || changes != 0 {
			t.Errorf("task_changes = %d (%v), want none after a first sync", changes, err)
		}
	})
}

// dumpPlan lists what the store holds of a plan: its row, then its tasks
// and problems in the order they were stored.
func dumpPlan(t *testing.T, f *fixture, key string) []string {
	t.Helper()
	db := f.db.SQL()
	pl := f.plan(key)
	var out []string
	var wave, location, state, reason, md, health, docKey string
	err := db.QueryRow(`SELECT p.wave, p.location, p.state, p.state_reason, p.metadata, p.health, d.key FROM plans p JOIN documents d ON d.id = p.document_id WHERE p.id = ?`, pl.ID).
		Scan(&wave, &location, &state, &reason, &md, &health, &docKey)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, fmt.Sprintf("plan %s wave=%s location=%s state=%s/%s metadata=%s health=%s document=%s", key, wave, location, state, reason, md, health, docKey))
	rows, err := db.Query(`SELECT ext_id, step, title, responsible, performer, start, end, status, raw_status, notes, sheet, row,
		baseline_start, baseline_end, created_run_id, updated_run_id, removed_at IS NOT NULL, removed_run_id IS NOT NULL,
		start_text, start_precision, start_year_assumed, end_text, end_precision, end_year_assumed, health, depends_on
		FROM tasks WHERE plan_id = ? ORDER BY id`, pl.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		v := make([]any, 26)
		for i := range v {
			v[i] = new(any)
		}
		if err := rows.Scan(v...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		b.WriteString("task")
		for _, x := range v {
			fmt.Fprintf(&b, " %v", *(x.(*any)))
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	irows, err := db.Query(`SELECT sheet, cell, severity, code, message, link FROM plan_issues WHERE plan_id = ? ORDER BY id`, pl.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer irows.Close()
	for irows.Next() {
		var sheet, cell, sev, code, msg, link string
		if err := irows.Scan(&sheet, &cell, &sev, &code, &msg, &link); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("issue %s %s %s %s %s %s", sheet, cell, sev, code, msg, link))
	}
	return out
}

// wantDump is dumpPlan's lines for a plan read from path on its own and
// stored by a first sync in run runID.
func wantDump(p *model.Plan, path string, runID int64) []string {
	md, _ := json.Marshal(p.Metadata.Extra)
	out := []string{fmt.Sprintf("plan %s/%s wave=%s location=%s state=ok/ metadata=%s health=%s document=%s",
		p.Metadata.Municipality, p.Metadata.Solution, p.Metadata.Wave, path, md, p.Metadata.Health, path)}
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	for _, t := range p.Tasks {
		out = append(out, fmt.Sprintf("task %s %s %s %s %s %s %s %s %s %s %s %d %s %s %d %d 0 0 %s %s %d %s %s %d %s %s",
			t.ID, t.Step, t.Title, t.Responsible, t.Performer, t.Start, t.End, t.Status, t.RawStatus, t.Notes, t.Pos.Sheet, t.Pos.Row,
			t.Start, t.End, runID, runID, t.StartAs.Text, t.StartAs.Precision, b2i(t.StartAs.YearAssumed), t.EndAs.Text, t.EndAs.Precision, b2i(t.EndAs.YearAssumed),
			t.Health, model.JoinAfter(t.After)))
	}
	for _, is := range p.Issues {
		out = append(out, fmt.Sprintf("issue %s %s %s %s %s %s", is.Pos.Sheet, is.Pos.Cell, is.Severity, is.Code, is.Message, is.Link))
	}
	return out
}
