package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/udrul/udrul/internal/retry"
)

// migration is one embedded schema file, numbered by its name's prefix
// (numbers may have gaps).
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", name)
		}
		b, err := fs.ReadFile(migrationFS, path.Join("migrations", name))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, name, string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// SchemaVersion is the newest schema version this binary knows.
func SchemaVersion() int {
	ms, _ := migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate brings the schema up to the newest embedded migration (up to
// upTo when it is set).
func (s *DB) migrate(ctx context.Context, upTo int) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if upTo > 0 {
		ms = slices.DeleteFunc(ms, func(m migration) bool { return m.version > upTo })
	}
	return s.applyMigrations(ctx, ms, nil)
}

// migrateWaiting is migrate, tried again while the database is busy, up
// to timeout. SQLite answers "busy" at once, without waiting its busy
// timeout, to a connection that opens a database another process is
// turning to WAL or recovering; each migration is a transaction, so trying
// again is safe.
func (s *DB) migrateWaiting(ctx context.Context, timeout time.Duration, upTo int) error {
	return retryBusy(ctx, timeout, func() error { return s.migrate(ctx, upTo) })
}

// retryBusy runs f until it does not fail with ErrBusy, up to timeout.
func retryBusy(ctx context.Context, timeout time.Duration, f func() error) error {
	deadline := time.Now().Add(timeout)
	for pause := 5 * time.Millisecond; ; pause = min(2*pause, 200*time.Millisecond) {
		err := f()
		if err == nil || !errors.Is(busy(err), ErrBusy) || time.Now().Add(pause).After(deadline) {
			return err
		}
		if retry.Sleep(ctx, pause) != nil {
			return err
		}
	}
}

// applyMigrations applies the migrations (sorted by version) newer than
// the database's version. Several udrul processes may open one database at
// the same moment (the daemon and a command, two commands on a new file):
// each migration runs in a write transaction taken before the version is
// read (BEGIN IMMEDIATE, the DSN's _txlock), so a second process waits for
// the first (up to the busy timeout) and then finds the work done; a
// migration and its version record commit together, so a process killed
// half-way leaves the database at the version before it. applied, when set
// (tests), is called inside each migration's transaction before it commits.
func (s *DB) applyMigrations(ctx context.Context, ms []migration, applied func(migration)) error {
	known := 0
	if len(ms) > 0 {
		known = ms[len(ms)-1].version
	}
	// Without the write lock first: a database already up to date (every
	// open but the first after an upgrade) must not wait for a writer, the
	// daemon syncing, only to learn that there is nothing to do.
	current, err := readSchemaVersion(ctx, s.db)
	if err != nil {
		return err
	}
	if current > known {
		return newerSchema(current, known)
	}
	if current > 0 && current < known && s.onUpgrade != nil {
		s.onUpgrade(current, known) // not a new database: an older udrul's
	}
	for current < known {
		if current, err = s.applyNext(ctx, ms, known, applied); err != nil {
			return err
		}
	}
	return nil
}

// applyNext applies, under the write lock, the first migration newer than
// the version it reads under that lock, and returns the version it leaves.
func (s *DB) applyNext(ctx context.Context, ms []migration, known int, applied func(migration)) (int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("lock the database to migrate it: %w", err)
	}
	defer tx.Rollback()
	// A database udrul never set up must be empty: udrul's tables written
	// into another application's database (a slip of the path in
	// database:) would change it for good. Under the lock: what another
	// udrul set up meanwhile is seen as udrul's.
	if tables, err := foreignTables(ctx, tx, ms[0]); err != nil {
		return 0, err
	} else if len(tables) > 0 {
		return 0, &NotUdrulError{Tables: tables}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("create migrations table: %w", busy(err))
	}
	current, err := readSchemaVersion(ctx, tx)
	if err != nil {
		return 0, err
	}
	if current > known {
		return 0, newerSchema(current, known)
	}
	i := sort.Search(len(ms), func(i int) bool { return ms[i].version > current })
	if i == len(ms) {
		return current, busy(tx.Commit())
	}
	m := ms[i]
	if pre, ok := beforeMigration[m.version]; ok {
		if _, err := tx.ExecContext(ctx, pre); err != nil {
			return 0, fmt.Errorf("migration %s: %w", m.name, busy(err))
		}
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return 0, fmt.Errorf("migration %s: %w", m.name, busy(err))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, s.now()); err != nil {
		return 0, fmt.Errorf("migration %s: %w", m.name, busy(err))
	}
	if applied != nil {
		applied(m)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("migration %s: %w", m.name, busy(err))
	}
	return m.version, nil
}

// beforeMigration is SQL run before a migration, in its transaction, so
// that it applies to a database that lacks one of udrul's own objects it
// drops: migration 0025 drops the trigger on task inserts, which a
// database restored from a backup made without it (or one dropped by
// hand) lacks; the migration would fail, and the database never open.
// The trigger is made only to be dropped: its body does not matter.
var beforeMigration = map[int]string{
	25: `CREATE TRIGGER IF NOT EXISTS plan_tasks_packed_insert AFTER INSERT ON tasks BEGIN SELECT 1; END`,
}

// readSchemaVersion is the newest recorded migration, 0 for a new database.
func readSchemaVersion(ctx context.Context, q rowQuerier) (int, error) {
	var tables int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&tables); err != nil {
		return 0, fmt.Errorf("read schema version: %w", busy(err))
	}
	if tables == 0 {
		return 0, nil
	}
	var v int
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", busy(err))
	}
	return v, nil
}

func newerSchema(current, known int) error {
	return fmt.Errorf("%w (schema version %d; this udrul knows up to %d): upgrade udrul", ErrNewerSchema, current, known)
}

// NotUdrulError is a database that holds another application's tables and
// no record of udrul's schema: udrul neither sets it up nor reads it.
type NotUdrulError struct {
	Tables []string // a few of its tables
}

func (e *NotUdrulError) Error() string {
	return fmt.Sprintf("%v: it holds another application's tables (%s)", ErrNotUdrul, strings.Join(e.Tables, ", "))
}

func (e *NotUdrulError) Unwrap() error { return ErrNotUdrul }

// foreignTables lists (up to five of) the tables and views of a database
// whose schema record is not udrul's: none in a new database, nor in one
// udrul set up. A table named schema_migrations is not enough (other
// migration tools make one): udrul's has its columns and records udrul's
// first migration by its name. q must read one state of the database (a
// transaction, or a file that does not change): a udrul setting it up
// meanwhile makes its first migration and its record together.
func foreignTables(ctx context.Context, q rowQuerier, first migration) ([]string, error) {
	var cols int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name IN ('version', 'name', 'applied_at')`).Scan(&cols); err != nil {
		return nil, fmt.Errorf("read the database's tables: %w", busy(err))
	}
	if cols == 3 {
		recorded := 0
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ? AND name = ?`, first.version, first.name).Scan(&recorded); err != nil {
			return nil, fmt.Errorf("read the database's tables: %w", busy(err))
		}
		if recorded > 0 {
			// and the tables that migration makes are there (a later
			// migration must not drop one: Open would take udrul's own
			// database for another application's, loudly, in every test).
			made := createdTables(first.sql)
			args := make([]any, len(made))
			for i, t := range made {
				args[i] = t
			}
			var n int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN (`+
				strings.TrimSuffix(strings.Repeat("?, ", len(made)), ", ")+`)`, args...).Scan(&n); err != nil && len(made) > 0 {
				return nil, fmt.Errorf("read the database's tables: %w", busy(err))
			}
			// Most of them: udrul's, a table of it renamed or dropped by
			// hand; what reads the missing table says so in words (not
			// "another application's tables", naming udrul's own).
			if n == len(made) || 2*n > len(made) {
				return nil, nil // udrul's
			}
		}
	}
	// An empty record of udrul's shape alone is no other application's.
	empty := ""
	if cols == 3 {
		var rows bool
		if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations)`).Scan(&rows); err != nil {
			return nil, fmt.Errorf("read the database's tables: %w", busy(err))
		}
		if !rows {
			empty = "schema_migrations"
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
		AND name <> ? ORDER BY name LIMIT 5`, empty)
	if err != nil {
		return nil, fmt.Errorf("read the database's tables: %w", busy(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

// createTable finds the tables a migration makes.
var createTable = regexp.MustCompile(`(?i)CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?["\x60]?(\w+)`)

// createdTables are the tables a migration's SQL makes.
func createdTables(sql string) []string {
	var out []string
	for _, m := range createTable.FindAllStringSubmatch(sql, -1) {
		out = append(out, m[1])
	}
	return out
}
