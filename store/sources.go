package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Sources and the documents (files, spreadsheets) read from them.

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
	// Name is the file's name, Location where a person finds it (a path
	// or a URL).
	Name, Location string
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
	rows, err := s.db.QueryContext(ctx, `SELECT id, key, version, content_hash, COALESCE(plan_id, 0), last_read_at, last_error, held_hash, name, location
		FROM documents WHERE source_id = ?`, sourceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Document{}
	for rows.Next() {
		d := Document{SourceID: sourceID}
		var read sql.NullString
		if err := rows.Scan(&d.ID, &d.Key, &d.Version, &d.ContentHash, &d.PlanID, &read, &d.LastError, &d.HeldHash, &d.Name, &d.Location); err != nil {
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
			WHERE id = (SELECT plan_id FROM documents WHERE source_id = ? AND key = ?) AND state NOT IN ('held', 'conflict')`, readErr.Error(), now, sourceID, key)
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
	return s.DocumentGoneWhy(ctx, d, d.Key+" is no longer in its source; its tasks are kept")
}

// DocumentGoneWhy is DocumentGone with the reason its plan is gone (a file
// now ignored as a copy, a workbook udrul wrote).
func (s *DB) DocumentGoneWhy(ctx context.Context, d Document, why string) error {
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
			why, now, d.PlanID, d.PlanID, d.ID)
		return err
	})
}

// LiveDocument is a document that claims a plan, with its source's name.
type LiveDocument struct {
	Document
	Source string
}

// ClaimingDocuments lists the documents of every source that claim a plan
// and are still in their source (read or failing, not gone).
func (s *DB) ClaimingDocuments(ctx context.Context) ([]LiveDocument, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.source_id, src.name, d.key, d.version, d.content_hash, d.plan_id, d.last_error, d.held_hash, d.name, d.location
		FROM documents d JOIN sources src ON src.id = d.source_id WHERE d.plan_id IS NOT NULL AND d.last_error != 'gone' ORDER BY src.name, d.key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LiveDocument
	for rows.Next() {
		var d LiveDocument
		if err := rows.Scan(&d.ID, &d.SourceID, &d.Source, &d.Key, &d.Version, &d.ContentHash, &d.PlanID, &d.LastError, &d.HeldHash, &d.Name, &d.Location); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// MarkConflict records that several files claim the plan of a municipality
// and solution: the plan (created if new, without tasks) is marked
// conflict, naming them, and each claiming document is recorded as
// claiming it, with its version, without its content being applied. It
// returns the plan's ID.
func (s *DB) MarkConflict(ctx context.Context, municipality, solution, wave string, claimants []string, reason string, docs []Document) (int64, error) {
	var planID int64
	err := s.Update(ctx, func(tx *Tx) error {
		p, found, err := tx.FindPlan(municipality, solution)
		if err != nil {
			return err
		}
		if !found {
			if p.ID, err = tx.CreatePlan(Plan{Municipality: municipality, Solution: solution, Wave: wave}); err != nil {
				return err
			}
		}
		planID = p.ID
		b, _ := json.Marshal(claimants)
		if _, err := tx.exec(`UPDATE plans SET state = 'conflict', state_reason = ?, claimants = ?, last_sync_at = ? WHERE id = ?`,
			reason, string(b), tx.now, p.ID); err != nil {
			return err
		}
		return tx.claimDocuments(p, docs)
	})
	return planID, err
}

// ClaimDocuments records that documents claim the plan of a municipality
// and solution without their content being applied (another file was
// preferred): they are re-read only when the plan turns to them.
func (s *DB) ClaimDocuments(ctx context.Context, municipality, solution string, docs []Document) error {
	if len(docs) == 0 {
		return nil
	}
	return s.Update(ctx, func(tx *Tx) error {
		p, found, err := tx.FindPlan(municipality, solution)
		if err != nil || !found {
			return err
		}
		return tx.claimDocuments(p, docs)
	})
}

func (tx *Tx) claimDocuments(p Plan, docs []Document) error {
	for _, d := range docs {
		if d.PlanID != 0 && d.PlanID != p.ID {
			// It fed another plan before: that plan is gone unless another
			// document still feeds it.
			if _, err := tx.exec(`UPDATE plans SET state = 'gone', state_reason = ?, last_sync_at = ?
				WHERE id = ? AND NOT EXISTS (SELECT 1 FROM documents WHERE plan_id = ? AND NOT (source_id = ? AND key = ?) AND last_error = '')`,
				fmt.Sprintf("%s now claims the plan %s", d.Location, p.Key()), tx.now, d.PlanID, d.PlanID, d.SourceID, d.Key); err != nil {
				return err
			}
		}
		d.PlanID, d.LastError = p.ID, ""
		if _, err := tx.SaveDocument(d); err != nil {
			return err
		}
	}
	return nil
}
