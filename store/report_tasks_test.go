package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
)

// reportDB holds plans in an order that is not their IDs' (Vejle first,
// two plans of Aarhus, a removed task, tasks inserted out of sheet order),
// synced in two runs: the second adds a task to Aarhus/KY and creates
// Aarhus/KSD, changes a date and removes a task.
func reportDB(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	task := func(sheet string, row int, title string) model.Task {
		return model.Task{Pos: model.Pos{Sheet: sheet, Row: row}, ID: fmt.Sprint(row), Step: "Trin 1", Title: title, Responsible: "Kommune",
			Performer: "Leverandør", Start: model.NewDate(2026, 9, 1), End: model.NewDate(2026, 10, row),
			StartAs: model.Written{Text: "uge 36", Precision: model.Week}, Status: model.InProgress, RawStatus: "I gang", Health: model.HealthAmber,
			Notes: "not in the report", After: []string{"1"}}
	}
	plans := map[string]int64{}
	ids := map[string]int64{}
	sync := func(fn func(tx *Tx, run int64) error) {
		t.Helper()
		run, err := db.BeginRun(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(ctx, func(tx *Tx) error { return fn(tx, run) }); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(ctx, run, "ok", ""); err != nil {
			t.Fatal(err)
		}
	}
	add := func(tx *Tx, run int64, plan string, tk model.Task) error {
		id, err := tx.InsertTask(plans[plan], run, tk)
		ids[plan+"/"+tk.Title] = id
		return err
	}
	sync(func(tx *Tx, run int64) error {
		for _, p := range [][2]string{{"Vejle", "KY"}, {"Aarhus", "KY"}} {
			id, err := tx.CreatePlan(Plan{Municipality: p[0], Solution: p[1]})
			if err != nil {
				return err
			}
			plans[p[0]+"/"+p[1]] = id
		}
		for _, a := range []struct {
			plan  string
			sheet string
			row   int
		}{{"Vejle/KY", "Plan", 3}, {"Aarhus/KY", "Plan", 7}, {"Aarhus/KY", "Plan", 4}, {"Aarhus/KY", "Andet", 9}, {"Vejle/KY", "Plan", 2}} {
			if err := add(tx, run, a.plan, task(a.sheet, a.row, fmt.Sprintf("%s række %d", a.sheet, a.row))); err != nil {
				return err
			}
		}
		return nil
	})
	sync(func(tx *Tx, run int64) error {
		id, err := tx.CreatePlan(Plan{Municipality: "Aarhus", Solution: "KSD"})
		if err != nil {
			return err
		}
		plans["Aarhus/KSD"] = id
		if err := add(tx, run, "Aarhus/KSD", task("Plan", 5, "Plan række 5")); err != nil {
			return err
		}
		if err := add(tx, run, "Aarhus/KY", task("Plan", 5, "Ny opgave")); err != nil {
			return err
		}
		changed := task("Plan", 7, "Plan række 7")
		changed.End = model.NewDate(2026, 11, 20)
		if err := tx.UpdateTask(ids["Aarhus/KY/Plan række 7"], run, changed); err != nil {
			return err
		}
		if err := tx.AddChange(ids["Aarhus/KY/Plan række 7"], run, "end", "2026-10-07", "2026-11-20"); err != nil {
			return err
		}
		return tx.RemoveTask(ids["Vejle/KY/Plan række 2"], run)
	})
	return db
}

func TestDB_EachReportTask(t *testing.T) {
	ctx := context.Background()
	db := reportDB(t)
	plans, err := db.ListPlans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := db.ListTasks(ctx, TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []PlanTask
	err = db.EachReportTask(ctx, plans, func(pt *PlanTask) error {
		got = append(got, *pt)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) != 6 {
		t.Fatalf("got %d tasks, ListTasks %d, want 6", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		// What the task list shows, as ListTasks reads it.
		w.Notes, w.After, w.StartAs.Precision, w.EndAs.Precision, w.BaselineStart, w.CreatedRun, w.UpdatedRun = "", nil, "", "", model.Date{}, 0, 0
		g.Notes, g.After = "", nil
		if !reflect.DeepEqual(g.Task, w.Task) {
			t.Errorf("task %d:\n got  %+v\n want %+v", i, g.Task, w.Task)
		}
		if g.Plan == nil || g.Plan.ID != w.PlanID || g.Plan.Key() != w.Plan.Key() {
			t.Errorf("task %d: plan %+v, want %s", i, g.Plan, w.Plan.Key())
		}
	}
	// Only the plans asked for.
	var aarhus []Plan
	for _, p := range plans {
		if p.Municipality == "Aarhus" {
			aarhus = append(aarhus, p)
		}
	}
	n := 0
	if err := db.EachReportTask(ctx, aarhus, func(pt *PlanTask) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("Aarhus's tasks: got %d, want 5", n)
	}
	// An error from fn ends the reading and is returned.
	stop := errors.New("stop")
	n = 0
	err = db.EachReportTask(ctx, plans, func(pt *PlanTask) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("after an error: %v after %d tasks, want stop after 1", err, n)
	}
}

func TestDB_ReportChanges(t *testing.T) {
	ctx := context.Background()
	db := reportDB(t)
	since := time.Now().Add(-time.Hour)
	want, err := changesSinceWithPlans(ctx, db, since)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.ReportChanges(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	// The date change, and the task added to Aarhus/KY (not the tasks of
	// the new plan Aarhus/KSD, nor those of the first run).
	if len(want) != 2 {
		t.Fatalf("the plain query: %d changes, want 2: %+v", len(want), want)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReportChanges:\n got  %+v\n want %+v", got, want)
	}
	later, err := db.ReportChanges(ctx, time.Now().Add(time.Hour))
	if err != nil || len(later) != 0 {
		t.Errorf("changes since a later time: %v, %v; want none", later, err)
	}
}

// changesSinceWithPlans is ReportChanges written plainly (each added task
// asks whether its plan has an older one): the oracle ReportChanges is
// checked against.
func changesSinceWithPlans(ctx context.Context, db *DB, t time.Time) ([]RunChange, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT c.task_id, c.run_id, c.at, c.field, c.old, c.new, p.municipality || '/' || p.solution, t.title
		FROM task_changes c JOIN tasks t ON t.id = c.task_id JOIN plans p ON p.id = t.plan_id
		WHERE c.at >= ?
		UNION ALL
		SELECT t.id, t.created_run_id, r.started_at, 'added', '', t.title, p.municipality || '/' || p.solution, t.title
		FROM tasks t JOIN plans p ON p.id = t.plan_id JOIN sync_runs r ON r.id = t.created_run_id
		WHERE r.started_at >= ? AND EXISTS (SELECT 1 FROM tasks o WHERE o.plan_id = t.plan_id AND o.created_run_id < t.created_run_id)
		ORDER BY 7, 3`, formatTime(t), formatTime(t))
	if err != nil {
		return nil, err
	}
	return scanRunChanges(rows)
}
