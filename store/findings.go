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
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(last_seen) FROM findings`).Scan(&last); err != nil {
		return model.Date{}, err
	}
	d, _ := model.ParseISODate(last.String)
	return d, nil
}

// SaveFindings records the findings of an evaluation for asOf: new ones
// are opened (first seen asOf), found ones move their last-seen date on,
// and open ones not found any more are resolved. It returns the findings
// opened and resolved by this evaluation, and the first-seen date of every
// finding found.
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

// errPreview rolls a preview's transaction back.
var errPreview = errors.New("preview")

func (s *DB) findingsLifecycle(ctx context.Context, asOf model.Date, found []model.Finding, save bool) (opened, resolved []model.Finding, firstSeen map[string]model.Date, err error) {
	firstSeen = make(map[string]model.Date, len(found))
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.applyFindings(ctx, tx, asOf, found, firstSeen, &opened, &resolved); err != nil {
			return err
		}
		if !save {
			return errPreview
		}
		return nil
	})
	if errors.Is(err, errPreview) {
		err = nil
	}
	return opened, resolved, firstSeen, err
}

func (s *DB) applyFindings(ctx context.Context, tx *sql.Tx, asOf model.Date, found []model.Finding, firstSeen map[string]model.Date, openedOut, resolvedOut *[]model.Finding) error {
	day := asOf.String()
	var opened, resolved []model.Finding
	err := func() error {
		rows, err := tx.QueryContext(ctx, `SELECT key, first_seen FROM findings WHERE resolved_at IS NULL`)
		if err != nil {
			return err
		}
		openFirst := map[string]string{}
		for rows.Next() {
			var k, f string
			if err := rows.Scan(&k, &f); err != nil {
				rows.Close()
				return err
			}
			openFirst[k] = f
		}
		rows.Close()
		upd, err := tx.PrepareContext(ctx, `UPDATE findings SET level = ?, message = ?, days = ?, detail = ?, last_seen = ?,
			plan_id = ?, task_id = ?, municipality = ?, solution = ? WHERE key = ?`)
		if err != nil {
			return err
		}
		defer upd.Close()
		ins, err := tx.PrepareContext(ctx, `INSERT INTO findings (key, kind, level, plan_id, task_id, municipality, solution, message, days, detail, first_seen, last_seen)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(key) DO UPDATE SET level = excluded.level, message = excluded.message, days = excluded.days, detail = excluded.detail,
			first_seen = excluded.first_seen, last_seen = excluded.last_seen, resolved_at = NULL,
			plan_id = excluded.plan_id, task_id = excluded.task_id`)
		if err != nil {
			return err
		}
		defer ins.Close()
		seen := make(map[string]bool, len(found))
		for _, f := range found {
			if seen[f.Key] {
				continue
			}
			seen[f.Key] = true
			detail, _ := json.Marshal(findingDetail{f.Wave, f.Step, f.Title, f.Old, f.New})
			if first, ok := openFirst[f.Key]; ok {
				firstSeen[f.Key], _ = model.ParseISODate(first)
				if _, err := upd.ExecContext(ctx, f.Level, f.Message, f.Days, string(detail), day, nullID(f.PlanID), nullID(f.TaskID), f.Municipality, f.Solution, f.Key); err != nil {
					return err
				}
				continue
			}
			if _, err := ins.ExecContext(ctx, f.Key, f.Kind, f.Level, nullID(f.PlanID), nullID(f.TaskID), f.Municipality, f.Solution, f.Message, f.Days, string(detail), day, day); err != nil {
				return fmt.Errorf("save finding %s: %w", f.Key, err)
			}
			firstSeen[f.Key] = asOf
			f.FirstSeen, f.LastSeen = asOf, asOf
			opened = append(opened, f)
		}
		res, err := tx.PrepareContext(ctx, `UPDATE findings SET resolved_at = ? WHERE key = ?`)
		if err != nil {
			return err
		}
		defer res.Close()
		var gone []any
		for k := range openFirst {
			if !seen[k] {
				if _, err := res.ExecContext(ctx, day, k); err != nil {
					return err
				}
				gone = append(gone, k)
			}
		}
		if len(gone) > 0 {
			resolved, err = queryFindings(ctx, tx, `WHERE resolved_at = ? AND last_seen < ? ORDER BY municipality, solution, kind, id`, day, day)
		}
		return err
	}()
	*openedOut, *resolvedOut = opened, resolved
	return err
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
		first_seen, last_seen, COALESCE(resolved_at, '') FROM findings `+where, args...)
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
