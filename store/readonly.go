package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strconv"
	"time"
)

// OpenReadOnly opens the database at path for reading only, as it is: it
// is neither created (a missing file is an error, errors.Is
// fs.ErrNotExist) nor migrated, and no statement may write to it (SQLite's
// mode=ro and query_only; no -wal or -shm file is left beside it), so looking at a database (udrul config check)
// never changes it, whatever udrul last wrote it — an older one may still
// be running against it. Its schema may be older or newer than this
// udrul's (Schema says which): only what every schema has may be read
// (PlanNames).
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	if _, err := os.Stat(path + "-wal"); errors.Is(err, fs.ErrNotExist) {
		// No udrul has it open (the last one to close it emptied the
		// write-ahead log and removed it): read as a file that does not
		// change, for a reader of a WAL database would otherwise leave a
		// -wal and a -shm file beside it. When one has it open, its files
		// are there and shared.
		q.Set("immutable", "1")
	}
	q.Set("_query_only", "true")
	q.Set("_busy_timeout", strconv.FormatInt((5*time.Second).Milliseconds(), 10))
	db, err := sql.Open("sqlite3", FileURI(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &DB{db: db, Now: func() time.Time { return time.Now().UTC() }}
	if _, err := readSchemaVersion(ctx, db); err != nil { // not a database, or not readable
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, busy(err))
	}
	return s, nil
}

// Schema is the database's schema version (0: none yet) and the newest
// this udrul knows: when the first is lower, the next Open (a sync, the
// daemon) upgrades the database; when higher, this udrul refuses it
// (ErrNewerSchema).
func (s *DB) Schema(ctx context.Context) (current, known int, err error) {
	current, err = readSchemaVersion(ctx, s.db)
	return current, SchemaVersion(), err
}

// PlanNames lists every plan's municipality, solution and wave, by
// municipality and solution, reading only the columns every schema has:
// it reads a database of an older schema opened by OpenReadOnly. A
// database without plans yet (or without the table) has none.
func (s *DB) PlanNames(ctx context.Context) ([]Plan, error) {
	var tables int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'plans'`).Scan(&tables); err != nil || tables == 0 {
		return nil, busy(err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT municipality, solution, wave FROM plans ORDER BY municipality, solution`)
	if err != nil {
		return nil, busy(err)
	}
	defer rows.Close()
	var out []Plan
	for rows.Next() {
		var p Plan
		if err := rows.Scan(&p.Municipality, &p.Solution, &p.Wave); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
