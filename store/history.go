package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"
)

// History: sync runs and the field-level changes of tasks.

// Change is one field-level change of a task.
type Change struct {
	TaskID int64
	RunID  int64
	At     time.Time
	Field  string
	Old    string
	New    string
}

// BeginRun records the start of a sync run, by this process. Runs left
// running by a process that is gone are marked interrupted first.
func (s *DB) BeginRun(ctx context.Context) (int64, error) {
	if _, err := s.MarkInterruptedRuns(ctx); err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO sync_runs (started_at, pid, host) VALUES (?, ?, ?)`, s.now(), os.Getpid(), hostname())
	if err != nil {
		return 0, fmt.Errorf("begin sync run: %w", busy(err))
	}
	return res.LastInsertId()
}

// MarkInterruptedRuns marks the sync runs still recorded as running whose
// process is gone — killed, or the machine stopped — as interrupted, and
// returns how many. A run of another machine is left alone for a day (its
// process cannot be asked), then marked too.
func (s *DB) MarkInterruptedRuns(ctx context.Context) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, pid, host, started_at FROM sync_runs WHERE status = 'running'`)
	if err != nil {
		return 0, fmt.Errorf("read running sync runs: %w", err)
	}
	var dead []int64
	host := hostname()
	for rows.Next() {
		var id, pid int64
		var h string
		var started sql.NullString
		if err := rows.Scan(&id, &pid, &h, &started); err != nil {
			rows.Close()
			return 0, err
		}
		switch {
		case pid == 0: // recorded before runs named their process
			dead = append(dead, id)
		case h == host:
			if pid != int64(os.Getpid()) && !processAlive(int(pid)) {
				dead = append(dead, id)
			}
		case s.Now().Sub(parseTime(started)) > 24*time.Hour:
			dead = append(dead, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range dead {
		if _, err := s.db.ExecContext(ctx, `UPDATE sync_runs SET status = 'interrupted', finished_at = COALESCE(finished_at, ?),
			summary = CASE WHEN summary = '' THEN 'the process stopped before the run finished' ELSE summary END
			WHERE id = ? AND status = 'running'`, s.now(), id); err != nil {
			return 0, fmt.Errorf("mark sync run %d interrupted: %w", id, busy(err))
		}
	}
	return len(dead), nil
}

// RunStatus returns a sync run's status: running, ok, failed or
// interrupted.
func (s *DB) RunStatus(ctx context.Context, id int64) (string, error) {
	var st string
	err := s.db.QueryRowContext(ctx, `SELECT status FROM sync_runs WHERE id = ?`, id).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return st, err
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

// FinishRun records the end of a sync run.
func (s *DB) FinishRun(ctx context.Context, id int64, status, summary string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sync_runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?`, s.now(), status, summary, id)
	if err != nil {
		return fmt.Errorf("finish sync run: %w", busy(err))
	}
	return nil
}

// History returns a task's changes, oldest first.
func (s *DB) History(ctx context.Context, taskID int64) ([]Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT task_id, run_id, at, field, old, new FROM task_changes WHERE task_id = ? ORDER BY id`, taskID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var at sql.NullString
		if err := rows.Scan(&c.TaskID, &c.RunID, &at, &c.Field, &c.Old, &c.New); err != nil {
			return nil, err
		}
		c.At = parseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ResetBaseline sets the baseline of every current task of a plan to its
// current dates, recording the label and a 'baseline' change per task whose
// baseline moved. It returns the number of tasks whose baseline changed.
func (s *DB) ResetBaseline(ctx context.Context, planID int64, label string, runID int64) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO baselines (plan_id, label, at) VALUES (?, ?, ?)`, planID, label, now); err != nil {
			return err
		}
		// The plan's tasks change: a sync that matched them before taking
		// the write lock matches again.
		if _, err := tx.ExecContext(ctx, `UPDATE plans SET revision = revision + 1 WHERE id = ?`, planID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, start, end, baseline_start, baseline_end FROM tasks WHERE plan_id = ? AND removed_at IS NULL`, planID)
		if err != nil {
			return err
		}
		type upd struct {
			id       int64
			old, new string
		}
		var ups []upd
		for rows.Next() {
			var id int64
			var st, en, bs, be string
			if err := rows.Scan(&id, &st, &en, &bs, &be); err != nil {
				rows.Close()
				return err
			}
			if st != bs || en != be {
				ups = append(ups, upd{id, bs + "/" + be, st + "/" + en})
			}
		}
		rows.Close()
		for _, u := range ups {
			if _, err := tx.ExecContext(ctx, `UPDATE tasks SET baseline_start = start, baseline_end = end WHERE id = ?`, u.id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO task_changes (task_id, run_id, at, field, old, new) VALUES (?, ?, ?, 'baseline', ?, ?)`,
				u.id, runID, now, u.old, u.new+" ("+label+")"); err != nil {
				return err
			}
		}
		n = len(ups)
		return nil
	})
	return n, err
}

// RunChange is a change with its task and plan, for reports of a run.
type RunChange struct {
	Change
	Plan  string // Municipality/Solution
	Title string
}

// RunChanges lists the changes recorded in a sync run, by plan and task.
func (s *DB) RunChanges(ctx context.Context, runID int64) ([]RunChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.task_id, c.run_id, c.at, c.field, c.old, c.new, p.municipality || '/' || p.solution, t.title
		FROM task_changes c JOIN tasks t ON t.id = c.task_id JOIN plans p ON p.id = t.plan_id
		WHERE c.run_id = ? ORDER BY p.municipality, p.solution, t.sheet, t.row, c.id`, runID)
	if err != nil {
		return nil, err
	}
	return scanRunChanges(rows)
}

// AddedInRun lists the tasks first read in a run (not in a plan's first read).
func (s *DB) AddedInRun(ctx context.Context, runID int64) ([]RunChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT t.id, p.municipality || '/' || p.solution, t.title FROM tasks t JOIN plans p ON p.id = t.plan_id
		WHERE t.created_run_id = ? AND EXISTS (SELECT 1 FROM tasks o WHERE o.plan_id = t.plan_id AND o.created_run_id < ?)
		ORDER BY p.municipality, p.solution, t.sheet, t.row`, runID, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunChange
	for rows.Next() {
		c := RunChange{Change: Change{RunID: runID, Field: "added"}}
		if err := rows.Scan(&c.TaskID, &c.Plan, &c.Title); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// scanRunChanges reads rows of task ID, run ID, time, field, old, new, plan
// and title.
func scanRunChanges(rows *sql.Rows) ([]RunChange, error) {
	defer rows.Close()
	var out []RunChange
	for rows.Next() {
		var c RunChange
		var at sql.NullString
		if err := rows.Scan(&c.TaskID, &c.RunID, &at, &c.Field, &c.Old, &c.New, &c.Plan, &c.Title); err != nil {
			return nil, err
		}
		c.At = parseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
