package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/udrul/udrul/model"
)

type findingDetail struct {
	Wave  string `json:"wave,omitempty"`
	Step  string `json:"step,omitempty"`
	Title string `json:"title,omitempty"`
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
}

// LatestEvaluation is the newest as-of date findings were saved for.
func (s *DB) LatestEvaluation(ctx context.Context) (model.Date, error) {
	var last sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(as_of) FROM evaluations`).Scan(&last); err != nil {
		return model.Date{}, err
	}
	d, _ := model.ParseISODate(last.String)
	return d, nil
}

// EvaluationRecord is what a saved evaluation found and wrote.
type EvaluationRecord struct {
	AsOf                             model.Date
	Found, Opened, Changed, Resolved int
}

// LastEvaluationRecord is the latest saved evaluation's record (zero when
// none was saved).
func (s *DB) LastEvaluationRecord(ctx context.Context) (EvaluationRecord, error) {
	var r EvaluationRecord
	var asOf string
	err := s.db.QueryRowContext(ctx, `SELECT as_of, found, opened, changed, resolved FROM evaluations ORDER BY id DESC LIMIT 1`).
		Scan(&asOf, &r.Found, &r.Opened, &r.Changed, &r.Resolved)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil
	}
	r.AsOf, _ = model.ParseISODate(asOf)
	return r, err
}

// SaveFindings records the findings of an evaluation for asOf: new ones
// are opened (first seen asOf), open ones found again stay as they are
// unless what they say changed, and open ones not found any more are
// resolved. It returns the findings opened and resolved by this evaluation,
// and the first-seen date of every finding found.
func (s *DB) SaveFindings(ctx context.Context, asOf model.Date, found []model.Finding) (opened, resolved []model.Finding, firstSeen map[string]model.Date, err error) {
	return s.findingsLifecycle(ctx, asOf, found, true)
}

// PreviewFindings is SaveFindings without saving: it says what an
// evaluation for asOf would open and resolve, and the first-seen dates it
// would give, and leaves the store as it was (a preview for another date
// than today must not move the lifecycle).
func (s *DB) PreviewFindings(ctx context.Context, asOf model.Date, found []model.Finding) (opened, resolved []model.Finding, firstSeen map[string]model.Date, err error) {
	return s.findingsLifecycle(ctx, asOf, found, false)
}

func (s *DB) findingsLifecycle(ctx context.Context, asOf model.Date, found []model.Finding, save bool) (opened, resolved []model.Finding, firstSeen map[string]model.Date, err error) {
	l, err := s.BeginFindings(ctx, asOf, save)
	if err != nil {
		return nil, nil, nil, err
	}
	defer l.Close()
	// A municipality at a time, in the order they first come; the opened
	// findings in the order they were found.
	found = append([]model.Finding(nil), found...)
	byMun := map[string][]int{}
	var order []string
	for i, f := range found {
		if _, ok := byMun[f.Municipality]; !ok {
			order = append(order, f.Municipality)
		}
		byMun[f.Municipality] = append(byMun[f.Municipality], i)
	}
	firstSeen = make(map[string]model.Date, len(found))
	isNew := make([]bool, len(found))
	group := []model.Finding{}
	for _, m := range order {
		group = group[:0]
		for _, i := range byMun[m] {
			group = append(group, found[i])
		}
		news, err := l.apply(ctx, m, group)
		if err != nil {
			return nil, nil, nil, err
		}
		for j, i := range byMun[m] {
			found[i].FirstSeen = group[j].FirstSeen
			isNew[i] = news[j]
			if _, ok := firstSeen[found[i].Key]; !ok {
				firstSeen[found[i].Key] = group[j].FirstSeen
			}
		}
	}
	for i, f := range found {
		if isNew[i] {
			f.LastSeen = asOf
			opened = append(opened, f)
		}
	}
	if resolved, err = l.Finish(ctx); err != nil {
		return nil, nil, nil, err
	}
	return opened, resolved, firstSeen, nil
}

// Lifecycle records one evaluation's findings a municipality at a time, in
// one transaction: BeginFindings, Apply for each municipality, Finish.
// Only what changed is written: a finding opened, resolved or saying
// something else than before. A preview is rolled back by Finish.
type Lifecycle struct {
	tx        *sql.Tx
	asOf      model.Date
	day, prev string // prev: the latest evaluation before this one ("" none)
	now       string
	save      bool
	applied   map[string]bool
	ins, upd  *sql.Stmt
	res       *sql.Stmt
	open      *sql.Stmt
	done      bool
	// What this evaluation did: findings found, opened, rewritten and
	// resolved.
	Found, Opened, Changed, Resolved int
}

// BeginFindings starts recording an evaluation for asOf (save false: a
// preview, rolled back by Finish). The caller must call Close.
func (s *DB) BeginFindings(ctx context.Context, asOf model.Date, save bool) (*Lifecycle, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	l := &Lifecycle{tx: tx, asOf: asOf, day: asOf.String(), now: s.now(), save: save, applied: map[string]bool{}}
	var prev sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT as_of FROM evaluations ORDER BY id DESC LIMIT 1`).Scan(&prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		l.Close()
		return nil, err
	}
	l.prev = prev.String
	for _, st := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&l.open, `SELECT key, first_seen, digest FROM findings WHERE resolved_at IS NULL AND municipality = ?`},
		{&l.upd, `UPDATE findings SET level = ?, message = ?, days = ?, detail = ?, digest = ?, last_seen = ?,
			plan_id = ?, task_id = ?, municipality = ?, solution = ? WHERE key = ?`},
		{&l.ins, `INSERT INTO findings (key, kind, level, plan_id, task_id, municipality, solution, message, days, detail, digest, first_seen, last_seen)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(key) DO UPDATE SET level = excluded.level, message = excluded.message, days = excluded.days, detail = excluded.detail,
			digest = excluded.digest, first_seen = excluded.first_seen, last_seen = excluded.last_seen, resolved_at = NULL,
			plan_id = excluded.plan_id, task_id = excluded.task_id, municipality = excluded.municipality, solution = excluded.solution`},
		{&l.res, `UPDATE findings SET resolved_at = ?, last_seen = CASE WHEN ? = '' THEN last_seen ELSE ? END WHERE key = ?`},
	} {
		if *st.stmt, err = tx.PrepareContext(ctx, st.sql); err != nil {
			l.Close()
			return nil, err
		}
	}
	return l, nil
}

// Close ends the transaction if Finish did not: nothing is saved.
func (l *Lifecycle) Close() {
	for _, st := range []*sql.Stmt{l.open, l.upd, l.ins, l.res} {
		if st != nil {
			st.Close()
		}
	}
	if !l.done {
		l.done = true
		l.tx.Rollback()
	}
}

type openFinding struct {
	first  string
	digest int64
}

// Apply records the findings found in one municipality (all of them: its
// open findings not among them are resolved). It sets each finding's
// first-seen date and says which are new. A municipality is applied once.
func (l *Lifecycle) Apply(ctx context.Context, municipality string, found []model.Finding) (isNew []bool, err error) {
	return l.apply(ctx, municipality, found)
}

func (l *Lifecycle) apply(ctx context.Context, municipality string, found []model.Finding) ([]bool, error) {
	if l.done {
		return nil, errors.New("findings: apply after finish")
	}
	if l.applied[municipality] {
		return nil, fmt.Errorf("findings: municipality %q applied twice", municipality)
	}
	l.applied[municipality] = true
	open := map[string]openFinding{}
	rows, err := l.open.QueryContext(ctx, municipality)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var k string
		var o openFinding
		if err := rows.Scan(&k, &o.first, &o.digest); err != nil {
			rows.Close()
			return nil, err
		}
		open[k] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	isNew := make([]bool, len(found))
	seen := make(map[string]model.Date, len(found))
	for i := range found {
		f := &found[i]
		if first, ok := seen[f.Key]; ok { // the same finding twice: the first counts
			f.FirstSeen = first
			continue
		}
		l.Found++
		digest := findingDigest(f)
		if o, ok := open[f.Key]; ok {
			f.FirstSeen, _ = model.ParseISODate(o.first)
			seen[f.Key] = f.FirstSeen
			if o.digest == digest {
				continue
			}
			l.Changed++
			if _, err := l.upd.ExecContext(ctx, f.Level, f.Message, f.Days, detailJSON(f), digest, l.day,
				nullID(f.PlanID), nullID(f.TaskID), f.Municipality, f.Solution, f.Key); err != nil {
				return nil, fmt.Errorf("save finding %s: %w", f.Key, err)
			}
			continue
		}
		if _, err := l.ins.ExecContext(ctx, f.Key, f.Kind, f.Level, nullID(f.PlanID), nullID(f.TaskID), f.Municipality, f.Solution, f.Message, f.Days,
			detailJSON(f), digest, l.day, l.day); err != nil {
			return nil, fmt.Errorf("save finding %s: %w", f.Key, err)
		}
		l.Opened++
		f.FirstSeen, isNew[i] = l.asOf, true
		seen[f.Key] = l.asOf
	}
	for k := range open {
		if _, ok := seen[k]; !ok {
			if _, err := l.res.ExecContext(ctx, l.day, l.prev, l.prev, k); err != nil {
				return nil, err
			}
			l.Resolved++
		}
	}
	return isNew, nil
}

// Finish resolves the open findings of the municipalities not applied (no
// plan of theirs is left), records the evaluation and commits it — or, for
// a preview, rolls it all back. It returns the findings resolved for the
// evaluation's date.
func (l *Lifecycle) Finish(ctx context.Context) (resolved []model.Finding, err error) {
	if l.done {
		return nil, errors.New("findings: finished twice")
	}
	defer l.Close()
	rows, err := l.tx.QueryContext(ctx, `SELECT DISTINCT municipality FROM findings WHERE resolved_at IS NULL`)
	if err != nil {
		return nil, err
	}
	var left []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return nil, err
		}
		if !l.applied[m] {
			left = append(left, m)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, m := range left {
		res, err := l.tx.ExecContext(ctx, `UPDATE findings SET resolved_at = ?, last_seen = CASE WHEN ? = '' THEN last_seen ELSE ? END
			WHERE resolved_at IS NULL AND municipality = ?`, l.day, l.prev, l.prev, m)
		if err != nil {
			return nil, err
		}
		n, _ := res.RowsAffected()
		l.Resolved += int(n)
	}
	if l.Resolved > 0 {
		if resolved, err = queryFindings(ctx, l.tx, `WHERE resolved_at = ? AND last_seen < ? ORDER BY municipality, solution, kind, id`, l.day, l.day); err != nil {
			return nil, err
		}
	}
	if !l.save {
		return resolved, nil // Close rolls it back
	}
	if _, err := l.tx.ExecContext(ctx, `INSERT INTO evaluations (as_of, at, found, opened, changed, resolved) VALUES (?, ?, ?, ?, ?, ?)`,
		l.day, l.now, l.Found, l.Opened, l.Changed, l.Resolved); err != nil {
		return nil, err
	}
	l.done = true
	if err := busy(l.tx.Commit()); err != nil {
		return nil, err
	}
	return resolved, nil
}

// findingDigest hashes what a stored finding says, to tell a finding found
// again unchanged (nothing to write) from one that changed.
func findingDigest(f *model.Finding) int64 {
	h := fnv.New64a()
	var buf [8]byte
	for _, s := range []string{f.Level, f.Message, f.Municipality, f.Solution, f.Wave, f.Step, f.Title, f.Old, f.New} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, n := range []int64{int64(f.Days), f.PlanID, f.TaskID} {
		binary.LittleEndian.PutUint64(buf[:], uint64(n))
		h.Write(buf[:])
	}
	d := int64(h.Sum64())
	if d == 0 { // 0 is a row written before digests
		d = 1
	}
	return d
}

func detailJSON(f *model.Finding) string {
	b, _ := json.Marshal(findingDetail{f.Wave, f.Step, f.Title, f.Old, f.New})
	return string(b)
}

// OpenFindings lists the findings not resolved.
func (s *DB) OpenFindings(ctx context.Context) ([]model.Finding, error) {
	return queryFindings(ctx, s.db, `WHERE resolved_at IS NULL ORDER BY municipality, solution, kind, id`)
}

// ResolvedFindings lists the findings resolved on or after since.
func (s *DB) ResolvedFindings(ctx context.Context, since model.Date) ([]model.Finding, error) {
	return queryFindings(ctx, s.db, `WHERE resolved_at IS NOT NULL AND resolved_at >= ? ORDER BY municipality, solution, kind, id`, since.String())
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryFindings(ctx context.Context, q querier, where string, args ...any) ([]model.Finding, error) {
	rows, err := q.QueryContext(ctx, `SELECT key, kind, level, COALESCE(plan_id, 0), COALESCE(task_id, 0), municipality, solution, message, days, detail,
		first_seen, CASE WHEN resolved_at IS NULL THEN COALESCE((SELECT as_of FROM evaluations ORDER BY id DESC LIMIT 1), last_seen) ELSE last_seen END,
		COALESCE(resolved_at, '') FROM findings `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Finding
	for rows.Next() {
		var f model.Finding
		var detail, first, last, resolved string
		if err := rows.Scan(&f.Key, &f.Kind, &f.Level, &f.PlanID, &f.TaskID, &f.Municipality, &f.Solution, &f.Message, &f.Days, &detail, &first, &last, &resolved); err != nil {
			return nil, err
		}
		var d findingDetail
		json.Unmarshal([]byte(detail), &d)
		f.Wave, f.Step, f.Title, f.Old, f.New = d.Wave, d.Step, d.Title, d.Old, d.New
		f.FirstSeen, _ = model.ParseISODate(first)
		f.LastSeen, _ = model.ParseISODate(last)
		f.ResolvedAt, _ = model.ParseISODate(resolved)
		out = append(out, f)
	}
	return out, rows.Err()
}

// SaveSnapshot stores the headline figures of an as-of date.
func (s *DB) SaveSnapshot(ctx context.Context, asOf model.Date, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO snapshots (as_of, data) VALUES (?, ?) ON CONFLICT(as_of) DO UPDATE SET data = excluded.data`, asOf.String(), string(b))
	return err
}

// Snapshots returns the stored snapshots from since to until, oldest first,
// decoded by decode.
func (s *DB) Snapshots(ctx context.Context, since, until model.Date, decode func(asOf model.Date, data []byte) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT as_of, data FROM snapshots WHERE as_of >= ? AND as_of <= ? ORDER BY as_of`, since.String(), until.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var asOf, data string
		if err := rows.Scan(&asOf, &data); err != nil {
			return err
		}
		d, _ := model.ParseISODate(asOf)
		if err := decode(d, []byte(data)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ChangesSince returns the changes recorded at or after t, by task.
func (s *DB) ChangesSince(ctx context.Context, t time.Time) (map[int64][]Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT task_id, run_id, at, field, old, new FROM task_changes WHERE at >= ? ORDER BY id`, formatTime(t))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]Change{}
	for rows.Next() {
		var c Change
		var at sql.NullString
		if err := rows.Scan(&c.TaskID, &c.RunID, &at, &c.Field, &c.Old, &c.New); err != nil {
			return nil, err
		}
		c.At = parseTime(at)
		out[c.TaskID] = append(out[c.TaskID], c)
	}
	return out, rows.Err()
}

// RecordReport remembers that a report was written.
func (s *DB) RecordReport(ctx context.Context, asOf model.Date, path string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO reports (as_of, written_at, path) VALUES (?, ?, ?)`, asOf.String(), s.now(), path)
	return err
}

// LastReport returns when the previous report was written (zero if none).
func (s *DB) LastReport(ctx context.Context) (time.Time, string, error) {
	var at, path sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT written_at, path FROM reports ORDER BY id DESC LIMIT 1`).Scan(&at, &path)
	if err == sql.ErrNoRows {
		return time.Time{}, "", nil
	}
	return parseTime(at), path.String, err
}

// PreviousReport returns the as-of date of the newest report written for a
// date before the given one, and when it was written (zero if none): the
// start of the reporting period that ends with it.
func (s *DB) PreviousReport(ctx context.Context, before model.Date) (model.Date, time.Time, error) {
	var asOf, at sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT as_of, written_at FROM reports WHERE as_of < ? ORDER BY as_of DESC, id DESC LIMIT 1`, before.String()).Scan(&asOf, &at)
	if err == sql.ErrNoRows {
		return model.Date{}, time.Time{}, nil
	}
	if err != nil {
		return model.Date{}, time.Time{}, err
	}
	d, _ := model.ParseISODate(asOf.String)
	return d, parseTime(at), nil
}

// ChangesSinceWithPlans lists the changes recorded at or after t, and the
// tasks added to existing plans since, with their plans.
func (s *DB) ChangesSinceWithPlans(ctx context.Context, t time.Time) ([]RunChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.task_id, c.run_id, c.at, c.field, c.old, c.new, p.municipality || '/' || p.solution, t.title
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
