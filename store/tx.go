package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/udrul/udrul/model"
)

// Tx is a write transaction: everything done through it is applied
// together or not at all.
type Tx struct {
	// ctx cancels the transaction; run is what its statements are given.
	// The driver watches a cancellable context of a statement with a
	// goroutine of its own, started for every statement (a task inserted
	// costs two goroutine switches, more than the insert itself), so the
	// statements get ctx without its cancellation, and ctx is checked
	// before each statement instead: a cancelled transaction stops at its
	// next statement and is rolled back (database/sql rolls it back as
	// soon as ctx is done, too).
	ctx  context.Context
	run  context.Context
	tx   *sql.Tx
	conn *sql.Conn // the transaction's
	now  string

	updTask, insChange *sql.Stmt
	// insTask inserts a task on the driver's connection (insertRaw), nv
	// its values; nextID is the ID the next task inserted gets (0 before
	// the first).
	insTask rawStmt
	nv      []driver.NamedValue
	nextID  int64
	// rows counts the rows of tasks and their history written.
	rows int
	// revised holds the plans whose revision this transaction moved,
	// created those it made.
	revised, created map[int64]bool
}

// Update runs fn in one write transaction, committed when fn returns nil
// and rolled back otherwise (also when ctx is cancelled).
func (s *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	// On a connection of its own, so that InsertTask can use the driver's
	// (insertRaw).
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", busy(err))
	}
	defer conn.Close()
	_, err = s.updateOn(ctx, conn, fn)
	return err
}

// updateOn runs fn in one write transaction on conn, as Update does; it
// returns how many rows of tasks and their history the transaction wrote
// (when it was committed).
func (s *DB) updateOn(ctx context.Context, conn *sql.Conn, fn func(*Tx) error) (int, error) {
	sqlTx, err := s.beginOn(ctx, conn)
	if err != nil {
		return 0, fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{ctx: ctx, run: context.WithoutCancel(ctx), tx: sqlTx, conn: conn, now: s.now()}
	defer tx.closeStmts()
	// A cancelled ctx makes database/sql roll the transaction back on its
	// own, at any moment: a statement (or the commit) then fails with
	// ErrTxDone, whose cause is the cancellation.
	cancelled := func(err error) error {
		if cerr := ctx.Err(); cerr != nil && errors.Is(err, sql.ErrTxDone) {
			return cerr
		}
		return err
	}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return 0, busy(cancelled(err))
	}
	if err := ctx.Err(); err != nil {
		sqlTx.Rollback()
		return 0, err
	}
	if err := sqlTx.Commit(); err != nil {
		if cerr := cancelled(err); cerr != err {
			return 0, cerr
		}
		return 0, fmt.Errorf("commit: %w", busy(err))
	}
	return tx.rows, nil
}

func (tx *Tx) closeStmts() {
	for _, st := range []*sql.Stmt{tx.updTask, tx.insChange} {
		if st != nil {
			st.Close()
		}
	}
	if tx.insTask != nil {
		tx.conn.Raw(func(any) error { return tx.insTask.Close() })
	}
}

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	if err := tx.ctx.Err(); err != nil {
		return nil, err
	}
	return tx.tx.ExecContext(tx.run, query, args...)
}

// stmtExec runs a prepared statement of the transaction.
func (tx *Tx) stmtExec(st *sql.Stmt, args ...any) (sql.Result, error) {
	if err := tx.ctx.Err(); err != nil {
		return nil, err
	}
	return st.ExecContext(tx.run, args...)
}

// queryRow runs a query of one row in the transaction.
func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(tx.run, query, args...)
}

// Now is the transaction's timestamp.
func (tx *Tx) Now() string { return tx.now }

// FindPlan returns the plan of a municipality and solution, if stored.
func (tx *Tx) FindPlan(municipality, solution string) (Plan, bool, error) {
	if err := tx.ctx.Err(); err != nil {
		return Plan{}, false, err
	}
	return findPlan(tx.run, tx.tx, municipality, solution)
}

// FindPlan returns the plan of a municipality and solution, if stored, as
// committed now (outside any write transaction).
func (s *DB) FindPlan(ctx context.Context, municipality, solution string) (Plan, bool, error) {
	return findPlan(ctx, s.db, municipality, solution)
}

// rowQuerier is what the read functions need of a database or a transaction.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func findPlan(ctx context.Context, q rowQuerier, municipality, solution string) (Plan, bool, error) {
	var p Plan
	var md, claimants string
	err := q.QueryRowContext(ctx, `SELECT id, municipality, solution, wave, COALESCE(source_id, 0), location, state, state_reason, metadata,
		COALESCE(document_id, 0), claimants, health, revision
		FROM plans WHERE municipality = ? COLLATE NOCASE AND solution = ? COLLATE NOCASE`, municipality, solution).
		Scan(&p.ID, &p.Municipality, &p.Solution, &p.Wave, &p.SourceID, &p.Location, &p.State, &p.StateReason, &md, &p.DocumentID, &claimants, &p.Health, &p.Revision)
	if errors.Is(err, sql.ErrNoRows) {
		return Plan{}, false, nil
	}
	if err != nil {
		return Plan{}, false, fmt.Errorf("find plan %s/%s: %w", municipality, solution, err)
	}
	json.Unmarshal([]byte(md), &p.Metadata)
	json.Unmarshal([]byte(claimants), &p.Claimants)
	return p, true, nil
}

// revise moves the revision of a plan whose tasks this transaction
// changes, once per transaction.
func (tx *Tx) revise(planID int64) error {
	if tx.revised[planID] {
		return nil
	}
	if _, err := tx.exec(`UPDATE plans SET revision = revision + 1 WHERE id = ?`, planID); err != nil {
		return fmt.Errorf("revise plan %d: %w", planID, err)
	}
	if tx.revised == nil {
		tx.revised = map[int64]bool{}
	}
	tx.revised[planID] = true
	return nil
}

// CreatePlan stores a new plan and returns its ID.
func (tx *Tx) CreatePlan(p Plan) (int64, error) {
	md, _ := json.Marshal(p.Metadata)
	res, err := tx.exec(`INSERT INTO plans (municipality, solution, wave, source_id, location, state, metadata, created_at) VALUES (?, ?, ?, ?, ?, 'ok', ?, ?)`,
		p.Municipality, p.Solution, p.Wave, nullID(p.SourceID), p.Location, string(md), tx.now)
	if err != nil {
		return 0, fmt.Errorf("create plan %s/%s: %w", p.Municipality, p.Solution, err)
	}
	id, err := res.LastInsertId()
	if err == nil {
		if tx.created == nil {
			tx.created = map[int64]bool{}
		}
		tx.created[id] = true
	}
	return id, err
}

// PlanRead records a successful read of a plan: where it came from (the
// source, the document and its location), its metadata and state; changed
// says whether its content changed. A plan read is in conflict no more.
func (tx *Tx) PlanRead(p Plan, changed bool) error {
	md, _ := json.Marshal(p.Metadata)
	_, err := tx.exec(`UPDATE plans SET wave = ?, source_id = ?, document_id = ?, location = ?, state = ?, state_reason = ?, metadata = ?, health = ?,
		claimants = '[]', last_sync_at = ?, last_ok_at = CASE WHEN ? = 'ok' THEN ? ELSE last_ok_at END,
		last_change_at = CASE WHEN ? THEN ? ELSE last_change_at END WHERE id = ?`,
		p.Wave, nullID(p.SourceID), nullID(p.DocumentID), p.Location, p.State, p.StateReason, string(md), p.Health, tx.now, p.State, tx.now, changed, tx.now, p.ID)
	if err != nil {
		return fmt.Errorf("update plan %s: %w", p.Key(), err)
	}
	return nil
}

// SetPlanState sets a plan's state and reason.
func (tx *Tx) SetPlanState(planID int64, state, reason string) error {
	_, err := tx.exec(`UPDATE plans SET state = ?, state_reason = ?, last_sync_at = ? WHERE id = ?`, state, reason, tx.now, planID)
	return err
}

// PlanTasks returns every task of a plan, removed ones included.
func (tx *Tx) PlanTasks(planID int64) ([]Task, error) {
	if err := tx.ctx.Err(); err != nil {
		return nil, err
	}
	return planTasks(tx.run, tx.tx, planID)
}

// PlanTasks returns every task of a plan, removed ones included, as
// committed now (outside any write transaction).
func (s *DB) PlanTasks(ctx context.Context, planID int64) ([]Task, error) {
	return planTasks(ctx, s.db, planID)
}

func planTasks(ctx context.Context, q rowQuerier, planID int64) ([]Task, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+taskColumns+` FROM tasks t WHERE t.plan_id = ? ORDER BY t.id`, planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// InsertTask stores a new task; its baseline is its dates as first seen.
func (tx *Tx) InsertTask(planID, runID int64, t model.Task) (int64, error) {
	if err := tx.ctx.Err(); err != nil {
		return 0, err
	}
	if err := tx.revise(planID); err != nil {
		return 0, err
	}
	id, err := tx.insertRaw(planID, runID, &t)
	if err != nil {
		return 0, fmt.Errorf("insert task %q: %w", t.Title, err)
	}
	return id, nil
}

// insertTask inserts a task under the ID given (?23). The baseline is the
// dates (?7, ?8), and the run created and updated the task (?14): each
// value is bound once.
const insertTask = `INSERT INTO tasks (plan_id, ext_id, step, title, responsible, performer, start, end, status, raw_status,
	notes, sheet, row, baseline_start, baseline_end, created_run_id, updated_run_id,
	start_text, start_precision, start_year_assumed, end_text, end_precision, end_year_assumed, health, depends_on, id)
	VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?7, ?8, ?14, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)`

// insertRaw runs insertTask as a query on the driver's connection, the
// transaction's: the driver binds a query's values and takes its first
// step in one call into SQLite, where its Exec bound the 22 values a call
// each, each text copied again by SQLite (a first sync inserts 120,000
// tasks; see execRaw for the findings). A query gives no insert's ID, so
// the transaction gives the IDs itself: one past the greatest, as SQLite
// would (it holds the write lock: no one else inserts meanwhile).
func (tx *Tx) insertRaw(planID, runID int64, t *model.Task) (int64, error) {
	if tx.nextID == 0 {
		var max int64
		if err := tx.queryRow(`SELECT COALESCE(MAX(id), 0) FROM tasks`).Scan(&max); err != nil {
			return 0, err
		}
		if max == math.MaxInt64 {
			return 0, errors.New("no task ID left")
		}
		tx.nextID = max + 1
	}
	id := tx.nextID
	err := tx.conn.Raw(func(dc any) error {
		if ac, ok := dc.(interface{ AutoCommit() bool }); ok && ac.AutoCommit() {
			return errors.New("the write transaction ended") // nothing written outside it
		}
		if tx.insTask == nil {
			st, err := prepareRaw(tx.run, dc, insertTask)
			if err != nil {
				return err
			}
			tx.insTask, tx.nv = st, make([]driver.NamedValue, 23)
		}
		flag := func(b bool) int64 {
			if b {
				return 1
			}
			return 0
		}
		for i, v := range [23]driver.Value{planID, t.ID, t.Step, t.Title, t.Responsible, t.Performer, isoDate(t.Start), isoDate(t.End),
			string(t.Status), t.RawStatus, t.Notes, t.Pos.Sheet, int64(t.Pos.Row), runID,
			t.StartAs.Text, string(t.StartAs.Precision), flag(t.StartAs.YearAssumed), t.EndAs.Text, string(t.EndAs.Precision), flag(t.EndAs.YearAssumed),
			t.Health, model.JoinAfter(t.After), id} {
			tx.nv[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
		}
		return execRaw(tx.run, tx.insTask, tx.nv)
	})
	if err != nil {
		return 0, err
	}
	tx.nextID++
	tx.rows++
	return id, nil
}

// UpdateTask writes a task's current fields (restoring it if removed) and
// fills an empty baseline date once the date is known (a baseline that is
// not a date, as a date too far out to read back, is as empty: it reads
// as no date).
func (tx *Tx) UpdateTask(id, runID int64, t model.Task) error {
	planID, err := tx.planOf(id)
	if err != nil {
		return fmt.Errorf("update task %q: %w", t.Title, err)
	}
	return tx.UpdatePlanTask(planID, id, runID, t)
}

// UpdatePlanTask is UpdateTask for a task of a known plan (it fails if the
// task is not the plan's).
func (tx *Tx) UpdatePlanTask(planID, id, runID int64, t model.Task) error {
	if tx.updTask == nil {
		st, err := tx.tx.PrepareContext(tx.run, `UPDATE tasks SET ext_id = ?, step = ?, title = ?, responsible = ?, performer = ?, start = ?, end = ?,
			status = ?, raw_status = ?, notes = ?, sheet = ?, row = ?, updated_run_id = ?, removed_at = NULL, removed_run_id = NULL,
			start_text = ?, start_precision = ?, start_year_assumed = ?, end_text = ?, end_precision = ?, end_year_assumed = ?, health = ?, depends_on = ?,
			baseline_start = CASE WHEN baseline_start = '' OR date(baseline_start) IS NOT baseline_start THEN ? ELSE baseline_start END,
			baseline_end = CASE WHEN baseline_end = '' OR date(baseline_end) IS NOT baseline_end THEN ? ELSE baseline_end END WHERE id = ? AND plan_id = ?`)
		if err != nil {
			return err
		}
		tx.updTask = st
	}
	if err := tx.revise(planID); err != nil {
		return err
	}
	start, end := isoDate(t.Start), isoDate(t.End)
	res, err := tx.stmtExec(tx.updTask, t.ID, t.Step, t.Title, t.Responsible, t.Performer, start, end,
		string(t.Status), t.RawStatus, t.Notes, t.Pos.Sheet, t.Pos.Row, runID,
		t.StartAs.Text, string(t.StartAs.Precision), t.StartAs.YearAssumed, t.EndAs.Text, string(t.EndAs.Precision), t.EndAs.YearAssumed, t.Health, model.JoinAfter(t.After),
		start, end, id, planID)
	if err == nil {
		err = oneRow(res)
	}
	if err != nil {
		return fmt.Errorf("update task %q: %w", t.Title, err)
	}
	tx.rows++
	return nil
}

// RemoveTask marks a task as gone from its sheet; it is kept.
func (tx *Tx) RemoveTask(id, runID int64) error {
	planID, err := tx.planOf(id)
	if err != nil {
		return fmt.Errorf("remove task %d: %w", id, err)
	}
	return tx.RemovePlanTask(planID, id, runID)
}

// RemovePlanTask is RemoveTask for a task of a known plan (it fails if the
// task is not the plan's).
func (tx *Tx) RemovePlanTask(planID, id, runID int64) error {
	if err := tx.revise(planID); err != nil {
		return err
	}
	res, err := tx.exec(`UPDATE tasks SET removed_at = ?, removed_run_id = ?, updated_run_id = ? WHERE id = ? AND plan_id = ?`, tx.now, runID, runID, id, planID)
	if err == nil {
		err = oneRow(res)
	}
	if err != nil {
		return fmt.Errorf("remove task %d: %w", id, err)
	}
	tx.rows++
	return nil
}

// planOf returns the plan of a stored task.
func (tx *Tx) planOf(taskID int64) (int64, error) {
	var planID int64
	if err := tx.ctx.Err(); err != nil {
		return 0, err
	}
	err := tx.queryRow(`SELECT plan_id FROM tasks WHERE id = ?`, taskID).Scan(&planID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("task %d: %w", taskID, ErrNotFound)
	}
	return planID, err
}

// oneRow checks that a write changed exactly one row.
func oneRow(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("%d rows changed, want 1 (the task is not the plan's): %w", n, ErrNotFound)
	}
	return nil
}

// AddChange records one field-level change of a task.
func (tx *Tx) AddChange(taskID, runID int64, field, old, new string) error {
	if tx.insChange == nil {
		st, err := tx.tx.PrepareContext(tx.run, `INSERT INTO task_changes (task_id, run_id, at, field, old, new) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		tx.insChange = st
	}
	if _, err := tx.stmtExec(tx.insChange, taskID, runID, tx.now, field, old, new); err != nil {
		return err
	}
	tx.rows++
	return nil
}

// ReplaceIssues stores the problems found at a plan's latest read.
func (tx *Tx) ReplaceIssues(planID int64, issues []model.Issue) error {
	if _, err := tx.exec(`DELETE FROM plan_issues WHERE plan_id = ?`, planID); err != nil {
		return err
	}
	for _, is := range issues {
		if _, err := tx.exec(`INSERT INTO plan_issues (plan_id, sheet, cell, severity, code, message, link) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			planID, is.Pos.Sheet, is.Pos.Cell, string(is.Severity), is.Code, is.Message, is.Link); err != nil {
			return err
		}
	}
	return nil
}

// SaveDocument records what was read from a document and returns its ID.
func (tx *Tx) SaveDocument(d Document) (int64, error) {
	var id int64
	if err := tx.ctx.Err(); err != nil {
		return 0, err
	}
	err := tx.queryRow(`INSERT INTO documents (source_id, key, version, content_hash, plan_id, last_read_at, last_error, held_hash, name, location)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(source_id, key) DO UPDATE SET version = excluded.version, content_hash = excluded.content_hash,
		plan_id = excluded.plan_id, last_read_at = excluded.last_read_at, last_error = excluded.last_error, held_hash = excluded.held_hash,
		name = CASE WHEN excluded.name = '' THEN name ELSE excluded.name END,
		location = CASE WHEN excluded.location = '' THEN location ELSE excluded.location END
		RETURNING id`,
		d.SourceID, d.Key, d.Version, d.ContentHash, nullID(d.PlanID), tx.now, d.LastError, d.HeldHash, d.Name, d.Location).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("save document %s: %w", d.Key, err)
	}
	return id, nil
}

// OtherDocuments counts the documents other than docKey that feed a plan.
func (tx *Tx) OtherDocuments(planID, sourceID int64, docKey string) (int, error) {
	var n int
	if err := tx.ctx.Err(); err != nil {
		return 0, err
	}
	err := tx.queryRow(`SELECT COUNT(*) FROM documents WHERE plan_id = ? AND NOT (source_id = ? AND key = ?)`, planID, sourceID, docKey).Scan(&n)
	return n, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
