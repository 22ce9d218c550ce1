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
	st, err := stampOf(path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// No udrul has it open (the last one to close it emptied the
	// write-ahead log and removed it): read as a file that does not change,
	// for a reader of a WAL database would otherwise leave a -wal and a
	// -shm file beside it. When one has it open, its files are there and
	// shared. SQLite then trusts the file not to change: each read checks
	// it did not (see readOnly.read).
	still := !st.wal
	db, err := openReadOnly(path, still)
	if err != nil {
		return nil, err
	}
	s := &DB{db: db, Now: func() time.Time { return time.Now().UTC() }}
	if still {
		s.ro = &readOnly{path: path, stamp: st}
	}
	if err := s.ro.read(ctx, s.db, func(q *sql.DB) error { _, err := readSchemaVersion(ctx, q); return err }); err != nil { // not a database, or not readable
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, busy(err))
	}
	return s, nil
}

func openReadOnly(path string, still bool) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	if still {
		q.Set("immutable", "1")
	}
	q.Set("_query_only", "true")
	q.Set("_busy_timeout", strconv.FormatInt((5*time.Second).Milliseconds(), 10))
	db, err := sql.Open("sqlite3", FileURI(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// readOnly is a database file read as unchanging (SQLite's immutable):
// its pages are cached and no lock is taken, so a udrul that opens it
// meanwhile (a sync started by cron beside udrul config check) is not
// seen. Each read is checked against the file as it was when opened; when
// it changed, the read is done again through a connection of its own that
// reads the database as SQLite shares it (leaving its -wal and -shm, as
// the udrul writing it does).
type readOnly struct {
	path  string
	stamp fileStamp
}

// fileStamp is what tells that a database file changed: its size, times
// and inode, and whether a write-ahead log is beside it.
type fileStamp struct {
	size         int64
	mtime, ctime int64
	ino          uint64
	wal          bool
}

func stampOf(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	st := fileStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	st.ino, st.ctime = inodeOf(fi)
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, fs.ErrNotExist) {
		st.wal = true
	}
	return st, nil
}

// read runs fn on db, or, when the file changed from how it was opened
// (or fn failed and it changed), on a connection reading it as it is now.
func (r *readOnly) read(ctx context.Context, db *sql.DB, fn func(*sql.DB) error) error {
	if r == nil {
		return fn(db)
	}
	err := fn(db)
	if now, serr := stampOf(r.path); serr == nil && now == r.stamp {
		return err
	}
	live, oerr := openReadOnly(r.path, false)
	if oerr != nil {
		return oerr
	}
	defer live.Close()
	return fn(live)
}

// Schema is the database's schema version (0: none yet) and the newest
// this udrul knows: when the first is lower, the next Open (a sync, the
// daemon) upgrades the database; when higher, this udrul refuses it
// (ErrNewerSchema).
func (s *DB) Schema(ctx context.Context) (current, known int, err error) {
	err = s.ro.read(ctx, s.db, func(q *sql.DB) error {
		var err error
		current, err = readSchemaVersion(ctx, q)
		return err
	})
	return current, SchemaVersion(), err
}

// PlanNames lists every plan's municipality, solution and wave, by
// municipality and solution, reading only the columns every schema has:
// it reads a database of an older schema opened by OpenReadOnly. A
// database without plans yet (or without the table) has none.
func (s *DB) PlanNames(ctx context.Context) ([]Plan, error) {
	var out []Plan
	err := s.ro.read(ctx, s.db, func(q *sql.DB) error {
		out = nil
		var tables int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'plans'`).Scan(&tables); err != nil || tables == 0 {
			return busy(err)
		}
		rows, err := q.QueryContext(ctx, `SELECT municipality, solution, wave FROM plans ORDER BY municipality, solution`)
		if err != nil {
			return busy(err)
		}
		defer rows.Close()
		for rows.Next() {
			var p Plan
			if err := rows.Scan(&p.Municipality, &p.Solution, &p.Wave); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// ForeignTables lists (up to five of) the tables of a database without
// udrul's schema record (Schema 0): another application's, which Open
// refuses (ErrNotUdrul). None for an empty database, or one udrul set up.
func (s *DB) ForeignTables(ctx context.Context) ([]string, error) {
	var out []string
	err := s.ro.read(ctx, s.db, func(q *sql.DB) error {
		tx, err := q.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // its statements read one state
		if err != nil {
			return err
		}
		defer tx.Rollback()
		ms, err := migrations()
		if err != nil {
			return err
		}
		out, err = foreignTables(ctx, tx, ms[0])
		return err
	})
	return out, err
}
