package store

import (
	"context"
	"fmt"
)

// EachPlanTasks calls fn with each of plans' current tasks (not removed),
// in the order of plans, reading one plan at a time: what is held is one
// plan's tasks, not the portfolio's. Each call gets a new slice, which fn
// may keep; the tasks' Plan points into plans. The tasks come in the order
// ListTasks gives them (by sheet and row).
func (s *DB) EachPlanTasks(ctx context.Context, plans []Plan, fn func(p *Plan, tasks []PlanTask) error) error {
	stmt, err := s.db.PrepareContext(ctx, `SELECT `+taskColumns+` FROM tasks t WHERE t.plan_id = ? AND t.removed_at IS NULL ORDER BY t.sheet, t.row, t.id`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range plans {
		p := &plans[i]
		tasks, err := func() ([]PlanTask, error) {
			rows, err := stmt.QueryContext(ctx, p.ID)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			out := make([]PlanTask, 0, p.Tasks)
			for rows.Next() {
				t, err := scanTask(rows)
				if err != nil {
					return nil, err
				}
				out = append(out, PlanTask{Task: t, Plan: p})
			}
			return out, rows.Err()
		}()
		if err != nil {
			return fmt.Errorf("tasks of %s: %w", p.Key(), err)
		}
		if err := fn(p, tasks); err != nil {
			return err
		}
	}
	return nil
}
