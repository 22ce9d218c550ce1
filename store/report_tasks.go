package store

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"github.com/udrul/udrul/model"
)

// The report's queries: the tasks streamed one at a time in the order of
// the report's task sheet, and the changes of the reporting period.

// EachReportTask calls fn with every current task of plans, in the order of
// ListTasks (municipality, solution, sheet, row), one at a time: the
// portfolio's tasks are never all held. The task holds what the report's
// task list shows (its ID, plan, step, sheet ID, title, parties, dates and
// their text as written, status, the owner's rating, baseline end, sheet
// and row), nothing else; fn gets it reused for the next one, so fn copies
// what it keeps; its Plan points into plans. The tasks are read plan by
// plan (a municipality and solution name one plan), so SQLite never sorts
// the whole portfolio either.
func (s *DB) EachReportTask(ctx context.Context, plans []Plan, fn func(*PlanTask) error) error {
	order := make([]*Plan, len(plans))
	for i := range plans {
		order[i] = &plans[i]
	}
	// ORDER BY p.municipality, p.solution in SQLite's BINARY collation:
	// bytewise, as Go compares strings.
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].Municipality != order[j].Municipality {
			return order[i].Municipality < order[j].Municipality
		}
		return order[i].Solution < order[j].Solution
	})
	one, err := s.db.PrepareContext(ctx, `SELECT `+reportTaskColumns+` FROM tasks t WHERE t.plan_id = ? AND t.removed_at IS NULL ORDER BY t.sheet, t.row, t.id`)
	if err != nil {
		return err
	}
	defer one.Close()
	var pt PlanTask
	for _, p := range order {
		rows, err := one.QueryContext(ctx, p.ID)
		if err != nil {
			return err
		}
		if err := eachReportRow(rows, func(t *Task) error {
			pt.Task, pt.Plan = *t, p
			return fn(&pt)
		}); err != nil {
			return err
		}
	}
	return ctx.Err()
}

const reportTaskColumns = `t.id, t.plan_id, t.ext_id, t.step, t.title, t.responsible, t.performer, t.start, t.end, t.status, t.raw_status,
	t.sheet, t.row, t.baseline_end, t.start_text, t.end_text, t.health`

// eachReportRow scans each row of rows (reportTaskColumns) as a task for
// fn, and closes rows.
func eachReportRow(rows *sql.Rows, fn func(*Task) error) error {
	defer rows.Close()
	var start, end, be, status string
	for rows.Next() {
		var t Task
		err := rows.Scan(&t.ID, &t.PlanID, &t.Task.ID, &t.Step, &t.Title, &t.Responsible, &t.Performer, &start, &end, &status, &t.RawStatus,
			&t.Pos.Sheet, &t.Pos.Row, &be, &t.StartAs.Text, &t.EndAs.Text, &t.Health)
		if err != nil {
			return err
		}
		t.Status = model.Status(status)
		t.Start, _ = model.ParseISODate(start)
		t.End, _ = model.ParseISODate(end)
		t.BaselineEnd, _ = model.ParseISODate(be)
		if err := fn(&t); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ReportChanges lists the changes recorded at or after t, and the tasks
// added to existing plans since, with their plans, found without asking, for every task added
// since t, whether its plan had an older one (a plan's first run is one
// lookup per plan, not one scan of the plan per task: seconds for a
// portfolio synced for the first time this week).
func (s *DB) ReportChanges(ctx context.Context, t time.Time) ([]RunChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.task_id, c.run_id, c.at, c.field, c.old, c.new, p.municipality || '/' || p.solution, t.title
		FROM task_changes c JOIN tasks t ON t.id = c.task_id JOIN plans p ON p.id = t.plan_id
		WHERE c.at >= ?
		UNION ALL
		SELECT t.id, t.created_run_id, r.started_at, 'added', '', t.title, p.municipality || '/' || p.solution, t.title
		FROM (SELECT plan_id, MIN(created_run_id) AS first FROM tasks GROUP BY plan_id) f
		JOIN tasks t ON t.plan_id = f.plan_id AND t.created_run_id > f.first
		JOIN plans p ON p.id = t.plan_id JOIN sync_runs r ON r.id = t.created_run_id
		WHERE r.started_at >= ?
		ORDER BY 7, 3`, formatTime(t), formatTime(t))
	if err != nil {
		return nil, err
	}
	return scanRunChanges(rows)
}
