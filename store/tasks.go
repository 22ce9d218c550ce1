package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/udrul/udrul/model"
)

// Tasks: the stored tasks with their identity, baseline and lifecycle.

// Task is a stored task with its identity and lifecycle.
type Task struct {
	ID            int64
	PlanID        int64
	model.Task    // the canonical fields as last read
	BaselineStart model.Date
	BaselineEnd   model.Date
	CreatedRun    int64
	UpdatedRun    int64
	RemovedAt     time.Time // zero while the task is in the sheet
}

// Removed reports whether the task is gone from its sheet.
func (t Task) Removed() bool { return !t.RemovedAt.IsZero() }

// TaskFilter selects tasks for ListTasks. Empty fields match everything.
type TaskFilter struct {
	Municipality string
	Solution     string
	Wave         string
	Statuses     []model.Status
	WithRemoved  bool
}

// PlanTask is a task with the plan it belongs to (shared by the plan's
// tasks; never nil from this package).
type PlanTask struct {
	Task
	Plan *Plan
}

// ListTasks lists the current tasks with their plans, by plan and sheet
// position.
func (s *DB) ListTasks(ctx context.Context, f TaskFilter) ([]PlanTask, error) {
	plans, err := s.ListPlans(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*Plan{}
	for i := range plans {
		byID[plans[i].ID] = &plans[i]
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+taskColumns+` FROM tasks t JOIN plans p ON p.id = t.plan_id
		WHERE (? = '' OR p.municipality = ? COLLATE NOCASE) AND (? = '' OR p.solution = ? COLLATE NOCASE) AND (? = '' OR p.wave = ?)
		AND (? OR t.removed_at IS NULL)
		ORDER BY p.municipality, p.solution, t.sheet, t.row, t.id`,
		f.Municipality, f.Municipality, f.Solution, f.Solution, f.Wave, f.Wave, f.WithRemoved)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	want := map[model.Status]bool{}
	for _, st := range f.Statuses {
		want[st] = true
	}
	var out []PlanTask
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		if len(want) > 0 && !want[t.Status] {
			continue
		}
		out = append(out, PlanTask{Task: t, Plan: byID[t.PlanID]})
	}
	return out, rows.Err()
}

// TaskByID returns one task with its plan.
func (s *DB) TaskByID(ctx context.Context, id int64) (PlanTask, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM tasks t WHERE t.id = ?`, id)
	t, err := scanTask(row)
	if errors.Is(err, sql.ErrNoRows) {
		return PlanTask{}, fmt.Errorf("task %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return PlanTask{}, err
	}
	plans, err := s.ListPlans(ctx)
	if err != nil {
		return PlanTask{}, err
	}
	for i := range plans {
		if plans[i].ID == t.PlanID {
			return PlanTask{Task: t, Plan: &plans[i]}, nil
		}
	}
	return PlanTask{Task: t, Plan: &Plan{ID: t.PlanID}}, nil
}

const taskColumns = `t.id, t.plan_id, t.ext_id, t.step, t.title, t.responsible, t.performer, t.start, t.end, t.status, t.raw_status,
	t.notes, t.sheet, t.row, t.baseline_start, t.baseline_end, t.created_run_id, t.updated_run_id, t.removed_at,
	t.start_text, t.start_precision, t.start_year_assumed, t.end_text, t.end_precision, t.end_year_assumed, t.health, t.depends_on`

// isoDate formats d as YYYY-MM-DD, or "" for the zero Date, as d.String()
// does, without fmt: every stored task writes two dates twice.
func isoDate(d model.Date) string {
	if d.IsZero() || d.Year < 1000 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
		return d.String()
	}
	m := int(d.Month)
	b := [10]byte{byte('0' + d.Year/1000), byte('0' + d.Year/100%10), byte('0' + d.Year/10%10), byte('0' + d.Year%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d.Day/10), byte('0' + d.Day%10)}
	return string(b[:])
}

type scanner interface{ Scan(...any) error }

func scanTask(sc scanner) (Task, error) {
	var t Task
	var start, end, bs, be, status, sp, ep, after string
	var removed sql.NullString
	err := sc.Scan(&t.ID, &t.PlanID, &t.Task.ID, &t.Step, &t.Title, &t.Responsible, &t.Performer, &start, &end, &status, &t.RawStatus,
		&t.Notes, &t.Pos.Sheet, &t.Pos.Row, &bs, &be, &t.CreatedRun, &t.UpdatedRun, &removed,
		&t.StartAs.Text, &sp, &t.StartAs.YearAssumed, &t.EndAs.Text, &ep, &t.EndAs.YearAssumed, &t.Health, &after)
	if err != nil {
		return t, err
	}
	t.Status = model.Status(status)
	t.After = model.SplitAfter(after)
	t.StartAs.Precision, t.EndAs.Precision = model.Precision(sp), model.Precision(ep)
	t.Start, _ = model.ParseISODate(start)
	t.End, _ = model.ParseISODate(end)
	t.BaselineStart, _ = model.ParseISODate(bs)
	t.BaselineEnd, _ = model.ParseISODate(be)
	t.RemovedAt = parseTime(removed)
	return t, nil
}
