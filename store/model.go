package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/udrul/udrul/model"
)

// Plan states.
const (
	PlanOK      = "ok"
	PlanHeld    = "held"    // its last read lost most tasks; not applied
	PlanFailing = "failing" // its last read failed
	PlanGone    = "gone"    // no source has it any more; its tasks are kept
)

// Plan is a stored plan: one municipality's plan for one solution.
type Plan struct {
	ID           int64
	Municipality string
	Solution     string
	Wave         string
	SourceID     int64
	SourceName   string
	Location     string
	State        string
	StateReason  string
	Metadata     map[string]string
	CreatedAt    time.Time
	LastSyncAt   time.Time
	LastOKAt     time.Time
	LastChangeAt time.Time
	// Counts, filled by ListPlans.
	Tasks, Removed, Errors, Warnings int
}

// Key is the plan's name as commands take it: "Aarhus/KY".
func (p Plan) Key() string { return p.Municipality + "/" + p.Solution }

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

// Change is one field-level change of a task.
type Change struct {
	TaskID int64
	RunID  int64
	At     time.Time
	Field  string
	Old    string
	New    string
}

// Source is a stored source with its last result.
type Source struct {
	ID         int64
	Name       string
	Kind       string
	Location   string
	State      string
	LastSyncAt time.Time
	LastOKAt   time.Time
	LastError  string
	LastStats  string
}

// Document is what was last read from one file or sheet of a source.
type Document struct {
	ID          int64
	SourceID    int64
	Key         string
	Version     string
	ContentHash string
	PlanID      int64
	LastReadAt  time.Time
	LastError   string
	HeldHash    string
}

// BeginRun records the start of a sync run.
func (s *DB) BeginRun(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO sync_runs (started_at) VALUES (?)`, s.now())
	if err != nil {
		return 0, fmt.Errorf("begin sync run: %w", err)
	}
	return res.LastInsertId()
}

// FinishRun records the end of a sync run.
func (s *DB) FinishRun(ctx context.Context, id int64, status, summary string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sync_runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?`, s.now(), status, summary, id)
	if err != nil {
		return fmt.Errorf("finish sync run: %w", err)
	}
	return nil
}

// EnsureSource returns the ID of the named source, creating or updating it.
func (s *DB) EnsureSource(ctx context.Context, name, kind, location string) (int64, error) {
	_, err := s.db.ExecContext(ctx, `INSERT INTO sources (name, kind, location) VALUES (?, ?, ?)
		ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, location = excluded.location`, name, kind, location)
	if err != nil {
		return 0, fmt.Errorf("save source %s: %w", name, err)
	}
	var id int64
	err = s.db.QueryRowContext(ctx, `SELECT id FROM sources WHERE name = ?`, name).Scan(&id)
	return id, err
}

// SourceResult records how a source's sync went.
func (s *DB) SourceResult(ctx context.Context, id int64, syncErr error, stats any) error {
	b, _ := json.Marshal(stats)
	now := s.now()
	var err error
	if syncErr == nil {
		_, err = s.db.ExecContext(ctx, `UPDATE sources SET state = 'ok', last_sync_at = ?, last_ok_at = ?, last_error = '', last_stats = ? WHERE id = ?`, now, now, string(b), id)
	} else {
		_, err = s.db.ExecContext(ctx, `UPDATE sources SET state = 'failing', last_sync_at = ?, last_error = ?, last_stats = ? WHERE id = ?`, now, syncErr.Error(), string(b), id)
	}
	return err
}

// SourceState returns the state a source keeps between cycles.
func (s *DB) SourceState(ctx context.Context, id int64) ([]byte, error) {
	var st string
	err := s.db.QueryRowContext(ctx, `SELECT cursor FROM sources WHERE id = ?`, id).Scan(&st)
	return []byte(st), err
}

// SaveSourceState stores the state a source keeps between cycles.
func (s *DB) SaveSourceState(ctx context.Context, id int64, state []byte) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sources SET cursor = ? WHERE id = ?`, string(state), id)
	return err
}

// Sources lists the stored sources by name.
func (s *DB) Sources(ctx context.Context) ([]Source, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, kind, location, state, last_sync_at, last_ok_at, last_error, last_stats FROM sources ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		var src Source
		var sync, ok sql.NullString
		if err := rows.Scan(&src.ID, &src.Name, &src.Kind, &src.Location, &src.State, &sync, &ok, &src.LastError, &src.LastStats); err != nil {
			return nil, err
		}
		src.LastSyncAt, src.LastOKAt = parseTime(sync), parseTime(ok)
		out = append(out, src)
	}
	return out, rows.Err()
}

// Documents returns the documents of a source, keyed by their key.
func (s *DB) Documents(ctx context.Context, sourceID int64) (map[string]Document, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, key, version, content_hash, COALESCE(plan_id, 0), last_read_at, last_error, held_hash FROM documents WHERE source_id = ?`, sourceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Document{}
	for rows.Next() {
		d := Document{SourceID: sourceID}
		var read sql.NullString
		if err := rows.Scan(&d.ID, &d.Key, &d.Version, &d.ContentHash, &d.PlanID, &read, &d.LastError, &d.HeldHash); err != nil {
			return nil, err
		}
		d.LastReadAt = parseTime(read)
		out[d.Key] = d
	}
	return out, rows.Err()
}

// DocumentError records that a document could not be read; nothing else
// about it changes. Its plan, if known, is marked failing.
func (s *DB) DocumentError(ctx context.Context, sourceID int64, key string, readErr error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO documents (source_id, key, version, last_read_at, last_error) VALUES (?, ?, '', ?, ?)
			ON CONFLICT(source_id, key) DO UPDATE SET last_read_at = excluded.last_read_at, last_error = excluded.last_error`,
			sourceID, key, now, readErr.Error()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE plans SET state = 'failing', state_reason = ?, last_sync_at = ?
			WHERE id = (SELECT plan_id FROM documents WHERE source_id = ? AND key = ?) AND state != 'held'`, readErr.Error(), now, sourceID, key)
		return err
	})
}

// DocumentUnchanged records that a document was looked at and found
// unchanged: its plan's last sync time moves on.
func (s *DB) DocumentUnchanged(ctx context.Context, d Document, version string) error {
	now := s.now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET version = ?, last_read_at = ?, last_error = '' WHERE id = ?`, version, now, d.ID); err != nil {
			return err
		}
		if d.PlanID == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE plans SET last_sync_at = ?, last_ok_at = CASE WHEN state = 'ok' THEN ? ELSE last_ok_at END WHERE id = ?`, now, now, d.PlanID)
		return err
	})
}

// Plan returns the plan with the given key ("Aarhus/KY") or ID.
func (s *DB) Plan(ctx context.Context, key string) (Plan, error) {
	plans, err := s.ListPlans(ctx)
	if err != nil {
		return Plan{}, err
	}
	for _, p := range plans {
		if p.Key() == key || fmt.Sprint(p.ID) == key {
			return p, nil
		}
	}
	return Plan{}, fmt.Errorf("plan %q: %w (plans are named Municipality/Solution, as 'udrul plans' lists them)", key, ErrNotFound)
}

// ListPlans lists every plan with its task and issue counts.
func (s *DB) ListPlans(ctx context.Context) ([]Plan, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.municipality, p.solution, p.wave, COALESCE(p.source_id, 0), COALESCE(src.name, ''),
		p.location, p.state, p.state_reason, p.metadata, p.created_at, p.last_sync_at, p.last_ok_at, p.last_change_at,
		(SELECT COUNT(*) FROM tasks t WHERE t.plan_id = p.id AND t.removed_at IS NULL),
		(SELECT COUNT(*) FROM tasks t WHERE t.plan_id = p.id AND t.removed_at IS NOT NULL),
		(SELECT COUNT(*) FROM plan_issues i WHERE i.plan_id = p.id AND i.severity = 'error'),
		(SELECT COUNT(*) FROM plan_issues i WHERE i.plan_id = p.id AND i.severity = 'warning')
		FROM plans p LEFT JOIN sources src ON src.id = p.source_id
		ORDER BY p.municipality, p.solution`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Plan
	for rows.Next() {
		var p Plan
		var md string
		var created, sync, ok, change sql.NullString
		if err := rows.Scan(&p.ID, &p.Municipality, &p.Solution, &p.Wave, &p.SourceID, &p.SourceName, &p.Location, &p.State, &p.StateReason,
			&md, &created, &sync, &ok, &change, &p.Tasks, &p.Removed, &p.Errors, &p.Warnings); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(md), &p.Metadata)
		p.CreatedAt, p.LastSyncAt, p.LastOKAt, p.LastChangeAt = parseTime(created), parseTime(sync), parseTime(ok), parseTime(change)
		out = append(out, p)
	}
	return out, rows.Err()
}

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

// PlanIssues returns the problems found at a plan's last read.
func (s *DB) PlanIssues(ctx context.Context, planID int64) ([]model.Issue, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT sheet, cell, severity, code, message, link FROM plan_issues WHERE plan_id = ? ORDER BY id`, planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Issue
	for rows.Next() {
		var is model.Issue
		if err := rows.Scan(&is.Pos.Sheet, &is.Pos.Cell, &is.Severity, &is.Code, &is.Message, &is.Link); err != nil {
			return nil, err
		}
		out = append(out, is)
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

const taskColumns = `t.id, t.plan_id, t.ext_id, t.step, t.title, t.responsible, t.performer, t.start, t.end, t.status, t.raw_status,
	t.notes, t.sheet, t.row, t.baseline_start, t.baseline_end, t.created_run_id, t.updated_run_id, t.removed_at`

type scanner interface{ Scan(...any) error }

func scanTask(sc scanner) (Task, error) {
	var t Task
	var start, end, bs, be, status string
	var removed sql.NullString
	err := sc.Scan(&t.ID, &t.PlanID, &t.Task.ID, &t.Step, &t.Title, &t.Responsible, &t.Performer, &start, &end, &status, &t.RawStatus,
		&t.Notes, &t.Pos.Sheet, &t.Pos.Row, &bs, &be, &t.CreatedRun, &t.UpdatedRun, &removed)
	if err != nil {
		return t, err
	}
	t.Status = model.Status(status)
	t.Start, _ = model.ParseISODate(start)
	t.End, _ = model.ParseISODate(end)
	t.BaselineStart, _ = model.ParseISODate(bs)
	t.BaselineEnd, _ = model.ParseISODate(be)
	t.RemovedAt = parseTime(removed)
	return t, nil
}

// TouchDocuments records, in one transaction, that documents were looked at
// and found unchanged (with their possibly new version): their plans' last
// sync time moves on.
func (s *DB) TouchDocuments(ctx context.Context, docs []Document) error {
	if len(docs) == 0 {
		return nil
	}
	now := s.now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		upDoc, err := tx.PrepareContext(ctx, `UPDATE documents SET version = ?, last_read_at = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer upDoc.Close()
		upPlan, err := tx.PrepareContext(ctx, `UPDATE plans SET last_sync_at = ?, last_ok_at = CASE WHEN state = 'ok' THEN ? ELSE last_ok_at END WHERE id = ?`)
		if err != nil {
			return err
		}
		defer upPlan.Close()
		for _, d := range docs {
			if _, err := upDoc.ExecContext(ctx, d.Version, now, d.ID); err != nil {
				return err
			}
			if d.PlanID != 0 {
				if _, err := upPlan.ExecContext(ctx, now, now, d.PlanID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// DocumentGone records that a document is no longer in its source. Its plan
// keeps its tasks and is marked gone unless another document feeds it.
func (s *DB) DocumentGone(ctx context.Context, d Document) error {
	now := s.now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET last_error = 'gone', version = '', last_read_at = ? WHERE id = ?`, now, d.ID); err != nil {
			return err
		}
		if d.PlanID == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE plans SET state = 'gone', state_reason = ?, last_sync_at = ?
			WHERE id = ? AND NOT EXISTS (SELECT 1 FROM documents WHERE plan_id = ? AND id != ? AND last_error = '')`,
			d.Key+" is no longer in its source; its tasks are kept", now, d.PlanID, d.PlanID, d.ID)
		return err
	})
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

// AllPlanIssues returns the problems found at every plan's last read, by
// plan.
func (s *DB) AllPlanIssues(ctx context.Context) (map[int64][]model.Issue, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT plan_id, sheet, cell, severity, code, message, link FROM plan_issues ORDER BY plan_id, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]model.Issue{}
	for rows.Next() {
		var id int64
		var is model.Issue
		if err := rows.Scan(&id, &is.Pos.Sheet, &is.Pos.Cell, &is.Severity, &is.Code, &is.Message, &is.Link); err != nil {
			return nil, err
		}
		out[id] = append(out[id], is)
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
