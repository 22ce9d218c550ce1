// Package store is udrul's memory: an embedded SQLite database holding the
// sources, plans, tasks, every change to them, and the sync runs. The schema
// is a series of embedded, ordered migrations recorded in the database.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3" // the SQLite driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// ErrNewerSchema is returned by Open for a database written by a newer udrul.
var ErrNewerSchema = errors.New("the database was written by a newer version of udrul")

// ErrNotUdrul is returned by Open for a database that another application
// set up (see NotUdrulError).
var ErrNotUdrul = errors.New("not a udrul database")

// ErrNotFound is returned when a named plan or task does not exist.
var ErrNotFound = errors.New("not found")

// DB is an open store.
type DB struct {
	db *sql.DB
	// Now returns the current time; tests set it.
	Now func() time.Time
	// OnWait, when set, is called when a write has waited WaitNotice for
	// another writer's lock (it goes on waiting), to tell the user why
	// nothing happens.
	OnWait func()
	// ro is set for a database opened by OpenReadOnly as an unchanging
	// file (see readOnly).
	ro *readOnly
	// packTriggers is what Open found of udrul's triggers on the tasks
	// and what it did (PackTriggers).
	packTriggers PackTriggers
	// onUpgrade is Options.OnUpgrade.
	onUpgrade func(from, to int)
}

// WaitNotice is how long a write waits for the lock before OnWait is told.
const WaitNotice = time.Second

// begin starts a write transaction, waiting for another writer's lock up
// to the busy timeout, and tells OnWait when that takes a while.
func (s *DB) begin(ctx context.Context) (*sql.Tx, error) {
	return s.beginOn(ctx, s.db)
}

// beginOn is begin on a connection of its own, or on the pool.
func (s *DB) beginOn(ctx context.Context, on interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}) (*sql.Tx, error) {
	if s.OnWait != nil {
		t := time.AfterFunc(WaitNotice, s.OnWait)
		defer t.Stop()
	}
	tx, err := on.BeginTx(ctx, nil)
	return tx, busy(err)
}

// ErrBusy is returned when another writer (another udrul syncing) held
// the database for longer than the busy timeout.
var ErrBusy = errors.New("the database is busy (another udrul is syncing) — try again")

// DefaultBusyTimeout is how long a writer waits for another writer's lock
// before giving up with ErrBusy.
const DefaultBusyTimeout = 30 * time.Second

// Options tune Open.
type Options struct {
	// BusyTimeout is how long a writer waits for the write lock (default
	// DefaultBusyTimeout).
	BusyTimeout time.Duration
	// OnUpgrade, when set, is told before a database made by an older
	// udrul is upgraded (schema from, to): an upgrade may take a while (a
	// table of a million findings rebuilt: seconds), and says so.
	OnUpgrade func(from, to int)
	// UpTo, when set, migrates only up to that schema version: a database
	// as an older udrul left it (for tests of what reads or upgrades one).
	UpTo int
}

// Open opens (creating if needed) the database at path, with WAL, foreign
// keys and a busy timeout, and migrates it to the schema this binary knows.
func Open(ctx context.Context, path string) (*DB, error) {
	return OpenWith(ctx, path, Options{})
}

// notUdrul refuses an existing database another application set up
// (NotUdrulError), looking at it read-only: opening it as udrul does would
// turn it to WAL before the first migration could refuse it.
func notUdrul(ctx context.Context, path string) error {
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		return nil // created, or set up, by udrul
	}
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		return nil // what is wrong with it, opening it says
	}
	defer ro.Close()
	if tables, err := ro.ForeignTables(ctx); err == nil && len(tables) > 0 {
		return &NotUdrulError{Tables: tables}
	}
	return nil
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, opt Options) (*DB, error) {
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = DefaultBusyTimeout
	}
	if err := notUdrul(ctx, path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s, err := openUnmigrated(path, opt)
	if err != nil {
		return nil, err
	}
	s.onUpgrade = opt.OnUpgrade
	if err := s.migrateWaiting(ctx, opt.BusyTimeout, opt.UpTo); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", path, busy(err))
	}
	// udrul's triggers on the tasks, made again when one is missing (a
	// database at an older schema, UpTo, is as that udrul left it).
	if opt.UpTo == 0 || opt.UpTo >= SchemaVersion() {
		err := retryBusy(ctx, opt.BusyTimeout, func() error {
			var err error
			s.packTriggers, err = s.mendPackTriggers(ctx)
			return err
		})
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("open database %s: %w", path, busy(err))
		}
	}
	return s, nil
}

// openUnmigrated opens the database with its pragmas; write transactions
// begin IMMEDIATE (they take the write lock at once, which migrate needs).
func openUnmigrated(path string, opt Options) (*DB, error) {
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = DefaultBusyTimeout
	}
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", strconv.FormatInt(opt.BusyTimeout.Milliseconds(), 10))
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	// Each connection keeps its last statements prepared: a sync runs the
	// same dozen statements for every plan (finding it, its document, its
	// problems), which were prepared again each time.
	q.Set("_stmt_cache_size", "32")
	db, err := sql.Open("sqlite3", FileURI(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return &DB{db: db, Now: func() time.Time { return time.Now().UTC() }}, nil
}

// FileURI makes an SQLite file: URI of a path: the characters a URI gives a
// meaning to (%, ? and #) are escaped, so that "plans?v2.db" opens that file
// instead of "plans" with a query.
func FileURI(path string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(path)
}

// busyError is a write that waited for another writer's lock in vain, in
// plain words.
type busyError struct{ err error }

func (e busyError) Error() string   { return ErrBusy.Error() }
func (e busyError) Unwrap() []error { return []error{ErrBusy, e.err} }

// busy turns SQLite's "database is locked" into ErrBusy.
func busy(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
		if errors.Is(err, ErrBusy) {
			return err
		}
		return busyError{err}
	}
	return err
}

// Close closes the database.
func (s *DB) Close() error { return s.db.Close() }

// SQL returns the underlying database, for read-only queries in tests and
// reports.
func (s *DB) SQL() *sql.DB { return s.db }

func (s *DB) now() string { return formatTime(s.Now()) }

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// parseTime reads a stored time; NULL and ” are the zero time.
func parseTime(ns sql.NullString) time.Time {
	if !ns.Valid || ns.String == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339, ns.String)
	return t
}

func (s *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return busy(err)
	}
	return busy(tx.Commit())
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict.
func (s *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res)
	return res, err
}

// shortStatement is the context for a statement that takes a moment (an
// INSERT of a few rows), run in a loop that checks ctx between them: one
// that cannot be cancelled, as Tx runs a sync's statements. The driver runs
// a statement whose context can be cancelled on a goroutine of its own (to
// interrupt it), handing over to it and back each time.
func shortStatement(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }
