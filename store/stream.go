package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// Reader reads what an evaluation needs: from the store as committed
// (DB.Reader, no lock), or inside a findings write transaction (the store
// as it is while the lock is held; see Lifecycle.Apply).
type Reader struct{ q preparer }

// preparer is what the readers need of a database or a transaction.
type preparer interface {
	rowQuerier
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// Reader reads from the store as committed, without taking any lock.
func (s *DB) Reader() Reader { return Reader{s.db} }

// Plans lists a municipality's plans as ListPlans lists them.
func (r Reader) Plans(ctx context.Context, municipality string) ([]Plan, error) {
	return listPlans(ctx, r.q, `WHERE p.municipality = ?`, municipality)
}

// ChangesSince is DB.ChangesSince.
func (r Reader) ChangesSince(ctx context.Context, t time.Time) (map[int64][]Change, error) {
	return changesSince(ctx, r.q, t)
}

// PlansTasks returns the current tasks of plans (a municipality's, say),
// plan after plan, in one slice: as ListTasks would list them.
func (s *DB) PlansTasks(ctx context.Context, plans []Plan) ([]PlanTask, error) {
	return s.Reader().PlansTasks(ctx, plans)
}

// PlansTasks is DB.PlansTasks.
func (r Reader) PlansTasks(ctx context.Context, plans []Plan) ([]PlanTask, error) {
	// Sorted here, not by SQLite: its sorter, for each plan, cost a third
	// of the reading.
	stmt, err := r.q.PrepareContext(ctx, `SELECT `+taskColumns+` FROM tasks t WHERE t.plan_id = ? AND t.removed_at IS NULL`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	n := 0
	for _, p := range plans {
		n += p.Tasks
	}
	out := make([]PlanTask, 0, n)
	for i := range plans {
		if out, err = readPlanTasks(ctx, stmt, &plans[i], out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readPlanTasks appends p's current tasks to out.
func readPlanTasks(ctx context.Context, stmt *sql.Stmt, p *Plan, out []PlanTask) ([]PlanTask, error) {
	rows, err := stmt.QueryContext(ctx, p.ID)
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
