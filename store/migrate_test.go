package store

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// schemaOf is a database's schema, for comparing two databases.
func schemaOf(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT type, name, COALESCE(sql, '') FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, sql string
		if err := rows.Scan(&typ, &name, &sql); err != nil {
			t.Fatal(err)
		}
		// Whitespace aside: the same table created by hand or by
		// migrate is the same table.
		fmt.Fprintf(&b, "%s %s: %s\n", typ, name, strings.ReplaceAll(strings.Join(strings.Fields(sql), " "), "( ", "("))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// freshSchema is the schema of a database migrated by one Open alone.
func freshSchema(t *testing.T) string {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "alone.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return schemaOf(t, db.SQL())
}

// writeAtVersion writes a database migrated by hand up to version upTo.
func writeAtVersion(t *testing.T, path string, upTo int) {
	t.Helper()
	raw, err := sql.Open("sqlite3", FileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range mustMigrations(t) {
		if m.version > upTo {
			break
		}
		if _, err := raw.Exec(m.sql); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_migrations VALUES (?, ?, 'then')`, m.version, m.name); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOpen_concurrent opens one new (or old) database from several
// connections at the same moment, as two udrul processes may: every Open
// succeeds, each migration is recorded once, and the schema is the one a
// lone Open makes.
func TestOpen_concurrent(t *testing.T) {
	want := freshSchema(t)
	ms := mustMigrations(t)
	for _, tc := range []struct {
		name string
		upTo int // the version written before the race; 0: a new file
	}{
		{"new database", 0},
		{"old database", ms[len(ms)/2].version},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "udrul.db")
			if tc.upTo > 0 {
				writeAtVersion(t, path, tc.upTo)
			}
			const openers = 8
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, openers)
			for i := range openers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					db, err := Open(context.Background(), path)
					if err != nil {
						errs[i] = err
						return
					}
					errs[i] = db.Close()
				}()
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("Open %d: %v", i, err)
				}
			}
			db, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var n, distinct int
			db.SQL().QueryRow(`SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations`).Scan(&n, &distinct)
			if n != len(ms) || distinct != len(ms) {
				t.Errorf("schema_migrations has %d rows (%d versions), want %d", n, distinct, len(ms))
			}
			if got := schemaOf(t, db.SQL()); got != want {
				t.Errorf("schema after concurrent opens:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestApplyMigrations_once runs migrations that are not idempotent (each
// adds a row) from several connections at once: each runs exactly once,
// gaps in the numbers included.
func TestApplyMigrations_once(t *testing.T) {
	ms := []migration{
		{1, "0001_a.sql", `CREATE TABLE IF NOT EXISTS ran (version INTEGER); INSERT INTO ran VALUES (1);`},
		{2, "0002_b.sql", `INSERT INTO ran VALUES (2);`},
		{4, "0004_d.sql", `INSERT INTO ran VALUES (4);`},
		{7, "0007_g.sql", `INSERT INTO ran VALUES (7);`},
	}
	path := filepath.Join(t.TempDir(), "once.db")
	const openers = 8
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, openers)
	for i := range openers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := openUnmigrated(path, Options{})
			if err != nil {
				errs[i] = err
				return
			}
			defer s.Close()
			<-start
			// As Open does: SQLite answers busy at once to a connection
			// that meets the database while another turns it to WAL.
			errs[i] = retryBusy(context.Background(), 10*time.Second, func() error { return s.applyMigrations(context.Background(), ms, nil) })
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("connection %d: %v", i, err)
		}
	}
	s, err := openUnmigrated(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.db.Query(`SELECT version, COUNT(*) FROM ran GROUP BY version ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var v, n int
		rows.Scan(&v, &n)
		got = append(got, fmt.Sprintf("%d×%d", v, n))
	}
	if want := "1×1 2×1 4×1 7×1"; strings.Join(got, " ") != want {
		t.Errorf("migrations ran %q, want %q", strings.Join(got, " "), want)
	}
}

// helperEnv names the database a re-run of the test binary migrates until
// it is killed (TestMigrateHelper).
const helperEnv = "UDRUL_STORE_MIGRATE_HELPER"

// TestMigrateHelper is not a test: run by TestMigrate_killed in a child
// process, it migrates the database and stops inside the transaction of
// the migration numbered $UDRUL_STORE_MIGRATE_HELPER_AT, saying so, until it
// is killed; run by TestOpen_processes ("open"), it opens the database.
func TestMigrateHelper(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("run by TestMigrate_killed")
	}
	if os.Getenv(helperEnv+"_AT") == "open" {
		// One of several processes opening the database at once.
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		return
	}
	at, _ := strconv.Atoi(os.Getenv(helperEnv + "_AT"))
	s, err := openUnmigrated(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ms := mustMigrations(t)
	s.applyMigrations(context.Background(), ms, func(m migration) {
		if m.version == at {
			fmt.Println("inside", m.name)
			select {} // until killed
		}
	})
	t.Fatal("the migration to stop in never ran")
}

// TestMigrate_killed kills a process in the middle of a migration: the
// database stays at the version before it, whole, and the next Open
// finishes the job.
func TestMigrate_killed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	ms := mustMigrations(t)
	at := ms[len(ms)/2]
	before := ms[len(ms)/2-1].version
	path := filepath.Join(t.TempDir(), "killed.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestMigrateHelper$")
	cmd.Env = append(os.Environ(), helperEnv+"="+path, helperEnv+"_AT="+strconv.Itoa(at.version))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot run the test binary: %v", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "inside "+at.name) {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q (%v), want inside %s", line, err, at.name)
	}
	cmd.Process.Kill()
	cmd.Wait()

	raw, err := sql.Open("sqlite3", FileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	v, err := readSchemaVersion(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	raw.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	raw.Close()
	if v != before || n != len(ms)/2 {
		t.Errorf("after the kill: version %d with %d recorded, want %d with %d", v, n, before, len(ms)/2)
	}
	// The half-done migration left nothing: the database is the one
	// migrated up to the version before.
	ref := filepath.Join(t.TempDir(), "ref.db")
	writeAtVersion(t, ref, before)
	gotDB, _ := sql.Open("sqlite3", FileURI(path))
	refDB, _ := sql.Open("sqlite3", FileURI(ref))
	got, want := schemaOf(t, gotDB), schemaOf(t, refDB)
	gotDB.Close()
	refDB.Close()
	if got != want {
		t.Errorf("schema after the kill:\n%s\nwant (version %d):\n%s", got, before, want)
	}

	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open after the kill: %v", err)
	}
	defer db.Close()
	if res, err := db.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Errorf("integrity: %q, %v", res, err)
	}
	if got, want := schemaOf(t, db.SQL()), freshSchema(t); got != want {
		t.Errorf("schema after reopening:\n%s\nwant:\n%s", got, want)
	}
}

// TestOpen_processes starts several processes that open one new database
// at the same moment: each succeeds, and the migrations are recorded once.
func TestOpen_processes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	path := filepath.Join(t.TempDir(), "procs.db")
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for range 4 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMigrateHelper$")
		cmd.Env = append(os.Environ(), helperEnv+"="+path, helperEnv+"_AT=open")
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for _, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			t.Skipf("cannot run the test binary: %v", err)
		}
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outs[i])
		}
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms := mustMigrations(t)
	var n, distinct int
	db.SQL().QueryRow(`SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations`).Scan(&n, &distinct)
	if n != len(ms) || distinct != len(ms) {
		t.Errorf("schema_migrations has %d rows (%d versions), want %d", n, distinct, len(ms))
	}
	if got, want := schemaOf(t, db.SQL()), freshSchema(t); got != want {
		t.Errorf("schema after concurrent processes:\n%s\nwant:\n%s", got, want)
	}
}

// TestMigrate_alertLogMailboxCase: migration 21 keys e-mail recipients in
// lower case, dropping a record its lower-case twin already holds, and
// leaves webhook URLs alone.
func TestMigrate_alertLogMailboxCase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "udrul.db")
	writeAtVersion(t, path, 20)
	raw, err := sql.Open("sqlite3", FileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"PL@Aarhus.dk|overdue|1", "pl@aarhus.dk|overdue|1", "PL@Aarhus.dk|due:5|2", "https://hooks.example/AbC|overdue|1"} {
		f := strings.Split(r, "|")
		if _, err := raw.Exec(`INSERT INTO alert_log (recipient, key, state, at) VALUES (?, ?, ?, 'then')`, f[0], f[2], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db := openTest(t, path)
	var got []string
	rows, err := db.SQL().Query(`SELECT recipient || '|' || state || '|' || key FROM alert_log ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	want := []string{"https://hooks.example/AbC|overdue|1", "pl@aarhus.dk|due:5|2", "pl@aarhus.dk|overdue|1"}
	if !slices.Equal(got, want) {
		t.Errorf("alert log after the migration = %q, want %q", got, want)
	}
}

// TestMigrate_findingsWithoutForeignKeys upgrades a schema-26 database
// holding findings (open, resolved, about a task, about no plan): the
// rebuilt table keeps every row and value, its indexes, and no foreign key
// (migration 0027); a plan deleted by hand no longer takes its findings with
// it (the next evaluation resolves them), and a finding may name any plan.
func TestMigrate_findingsWithoutForeignKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "udrul.db")
	writeAtVersion(t, path, 26)
	raw, err := sql.Open("sqlite3", FileURI(path)+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO sync_runs (id, started_at) VALUES (1, 'then')`,
		`INSERT INTO plans (id, municipality, solution, created_at) VALUES (7, 'Aarhus', 'KY', 'then')`,
		`INSERT INTO tasks (id, plan_id, title, created_run_id, updated_run_id) VALUES (70, 7, 'Kick-off', 1, 1)`,
		`INSERT INTO findings (id, key, kind, level, plan_id, task_id, municipality, solution, message, days, detail, first_seen, last_seen, resolved_at, digest)
			VALUES (3, 'overdue:70', 'overdue', 'red', 7, 70, 'Aarhus', 'KY', 'Kick-off er forsinket', 4, '{"a":1}', '2026-11-02', '2026-11-23', NULL, 99)`,
		`INSERT INTO findings (id, key, kind, level, plan_id, municipality, solution, message, first_seen, last_seen, resolved_at)
			VALUES (5, 'stale:7', 'stale', 'amber', 7, 'Aarhus', 'KY', 'Planen er ikke opdateret', '2026-10-01', '2026-10-20', '2026-10-27')`,
		`INSERT INTO findings (id, key, kind, level, message, first_seen, last_seen) VALUES (9, 'source:a', 'source', 'info', 'Kilden fejler', '2026-11-23', '2026-11-23')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	const all = `SELECT group_concat(id || '|' || key || '|' || kind || '|' || level || '|' || COALESCE(plan_id, '-') || '|' || COALESCE(task_id, '-') || '|' ||
		municipality || '|' || solution || '|' || message || '|' || days || '|' || detail || '|' || first_seen || '|' || last_seen || '|' ||
		COALESCE(resolved_at, '-') || '|' || digest, char(10)) FROM (SELECT * FROM findings ORDER BY id)`
	var before string
	if err := raw.QueryRow(all).Scan(&before); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db := openTest(t, path)
	var after string
	if err := db.SQL().QueryRow(all).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("findings after the migration:\n%s\nwant:\n%s", after, before)
	}
	var fks int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM pragma_foreign_key_list('findings')`).Scan(&fks); err != nil || fks != 0 {
		t.Errorf("foreign keys on findings = %d (%v), want none", fks, err)
	}
	var indexes string
	if err := db.SQL().QueryRow(`SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_list('findings') WHERE origin = 'c' ORDER BY name)`).Scan(&indexes); err != nil || indexes != "findings_open,findings_open_municipality" {
		t.Errorf("findings' indexes = %q (%v), want findings_open,findings_open_municipality", indexes, err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO findings (key, kind, level, plan_id, task_id, message, first_seen, last_seen) VALUES ('x', 'x', 'info', 12345, 67890, 'm', 'd', 'd')`); err != nil {
		t.Errorf("a finding naming no stored plan: %v", err)
	}
	if _, err := db.SQL().Exec(`DELETE FROM plans WHERE id = 7`); err != nil {
		t.Fatalf("a plan deleted by hand: %v", err)
	}
	var left int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM findings WHERE plan_id = 7`).Scan(&left); err != nil || left != 2 {
		t.Errorf("findings of a plan deleted by hand = %d (%v), want both kept", left, err)
	}
}

// TestOpen_onUpgrade: opening a database an older udrul made says so once,
// before it is upgraded (schema from, to); a new database and one already
// up to date say nothing.
func TestOpen_onUpgrade(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := filepath.Join(dir, "old.db")
	writeAtVersion(t, old, 26)
	tests := []struct {
		name string
		path string
		want []string
	}{
		{"an older udrul's", old, []string{fmt.Sprintf("26→%d", SchemaVersion())}},
		{"the same, now up to date", old, nil},
		{"a new one", filepath.Join(dir, "new.db"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			db, err := OpenWith(ctx, tt.path, Options{OnUpgrade: func(from, to int) { got = append(got, fmt.Sprintf("%d→%d", from, to)) }})
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			if !slices.Equal(got, tt.want) {
				t.Errorf("told %q, want %q", got, tt.want)
			}
		})
	}
}
