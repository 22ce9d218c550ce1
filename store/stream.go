package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// EachPlanTasks calls fn with each of plans' current tasks (not removed),
// in the order of plans, reading one plan at a time: what is held is one
// plan's tasks, not the portfolio's. Each call gets a new slice, which fn
// may keep; the tasks' Plan points into plans. The tasks come in the order
// ListTasks gives them (by sheet and row).
func (s *DB) EachPlanTasks(ctx context.Context, plans []Plan, fn func(p *Plan, tasks []PlanTask) error) error {
	r, err := s.planTaskReader(ctx)
	if err != nil {
		return err
	}
	defer r.Close()
	for i := range plans {
		tasks, err := r.read(ctx, &plans[i], make([]PlanTask, 0, plans[i].Tasks))
		if err != nil {
			return err
		}
		if err := fn(&plans[i], tasks); err != nil {
			return err
		}
	}
	return nil
}

// PlansTasks returns the current tasks of plans (a municipality's, say),
// plan after plan, in one slice: as ListTasks would list them.
func (s *DB) PlansTasks(ctx context.Context, plans []Plan) ([]PlanTask, error) {
	r, err := s.planTaskReader(ctx)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	n := 0
	for _, p := range plans {
		n += p.Tasks
	}
	out := make([]PlanTask, 0, n)
	for i := range plans {
		if out, err = r.read(ctx, &plans[i], out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type planTaskReader struct{ *sql.Stmt }

func (s *DB) planTaskReader(ctx context.Context) (planTaskReader, error) {
	// Sorted here, not by SQLite: its sorter, for each plan, cost a third
	// of the reading.
	stmt, err := s.db.PrepareContext(ctx, `SELECT `+taskColumns+` FROM tasks t WHERE t.plan_id = ? AND t.removed_at IS NULL`)
	return planTaskReader{stmt}, err
}

// read appends p's current tasks to out.
func (r planTaskReader) read(ctx context.Context, p *Plan, out []PlanTask) ([]PlanTask, error) {
	rows, err := r.QueryContext(ctx, p.ID)
	if err != nil {
		return nil, fmt.Errorf("tasks of %s: %w", p.Key(), err)
	}
	defer rows.Close()
	from := len(out)
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, fmt.Errorf("tasks of %s: %w", p.Key(), err)
		}
		out = append(out, PlanTask{Task: t, Plan: p})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tasks of %s: %w", p.Key(), err)
	}
	mine := out[from:]
	sort.Slice(mine, func(i, j int) bool {
		a, b := &mine[i].Task, &mine[j].Task
		if a.Pos.Sheet != b.Pos.Sheet {
			return a.Pos.Sheet < b.Pos.Sheet
		}
		if a.Pos.Row != b.Pos.Row {
			return a.Pos.Row < b.Pos.Row
		}
		return a.ID < b.ID
	})
	return out, nil
}
