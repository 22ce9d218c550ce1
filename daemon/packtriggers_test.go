package daemon

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/store"
)

// TestRun_packTriggersLogged: the daemon logs once, when it starts, that
// udrul's missing trigger on the tasks was made again (INFO), and warns of
// a trigger on the tasks udrul does not make, naming it and what to do.
func TestRun_packTriggersLogged(t *testing.T) {
	cfgPath := changedByHand(t, "", `DROP TRIGGER plan_tasks_packed_update`, `CREATE TRIGGER audit AFTER UPDATE ON tasks BEGIN SELECT 1; END`)
	var logs syncBuffer
	r := startLogged(t, cfgPath, &logs)
	defer r.stop(t)
	logged := logs.count
	waitFor(t, "the warning of the foreign trigger", 10*time.Second, func() bool {
		return logged("WARN", `holds a trigger \"audit\" on the tasks that udrul does not make; udrul leaves it alone, but reads the tasks row by row because of it (correct, but slower), as it may change them behind udrul's back: drop it (DROP TRIGGER \"audit\";)`) == 1
	})
	if got := logged("INFO", "lacked udrul's trigger(s) plan_tasks_packed_update on the tasks: they were made again"); got != 1 {
		t.Errorf("the trigger made again was logged at INFO %d times, want once:\n%s", got, logs.String())
	}
}

// changedByHand makes a udrul database in a new folder, runs stmts on it
// as someone with the sqlite3 tool would, and returns the path of a
// configuration (English, hourly syncs of an empty plans folder, nothing
// else scheduled, more YAML appended) that the daemon runs on.
func changedByHand(t *testing.T, more string, stmts ...string) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
	dbPath := filepath.Join(dir, "udrul.db")
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range stmts {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	cfgPath := filepath.Join(dir, "udrul.yaml")
	if err := os.WriteFile(cfgPath, []byte("language: en\nsources: [{name: share, kind: files, path: plans}]\n"+
		"schedules: {sync: \"@every 1h\", alerts: \"off\", report: \"off\", outbox: \"off\"}\nhttp: {listen: \"127.0.0.1:0\"}\n"+more), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath
}

// TestReload_packTriggers: a reload (SIGHUP) looks at udrul's triggers on
// the tasks again, as the start does: one dropped by hand while udrul ran
// is made again by the store (in the database file, logged at INFO), one
// redefined and one udrul does not make are left alone and warned of, with
// what to do.
func TestReload_packTriggers(t *testing.T) {
	cfgPath := changedByHand(t, "")
	var logs syncBuffer
	r := startLogged(t, cfgPath, &logs)
	defer r.stop(t)
	logged := logs.count
	waitFor(t, "the start", 10*time.Second, func() bool { return logged("INFO", "udrul started") == 1 })
	if n := logged("WARN", "trigger"); n != 0 {
		t.Fatalf("%d trigger warnings at the start of a database as udrul makes it:\n%s", n, logs.String())
	}
	dbPath := filepath.Join(filepath.Dir(cfgPath), "udrul.db")
	raw, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`DROP TRIGGER plan_tasks_packed_delete`, `DROP TRIGGER plan_tasks_packed_update`,
		`CREATE TRIGGER plan_tasks_packed_update AFTER UPDATE ON tasks BEGIN SELECT 1; END`,
		`CREATE TRIGGER audit AFTER UPDATE ON tasks BEGIN SELECT 1; END`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	r.reload <- syscall.SIGHUP
	waitFor(t, "the reload's warnings", 10*time.Second, func() bool {
		return logged("WARN", `holds a trigger \"audit\" on the tasks that udrul does not make`) == 1 &&
			logged("WARN", `trigger \"plan_tasks_packed_update\" is not defined as udrul's own; udrul leaves it alone`) == 1
	})
	if got := logged("INFO", "lacked udrul's trigger(s) plan_tasks_packed_delete on the tasks: they were made again"); got != 1 {
		t.Errorf("the trigger made again was logged at INFO %d times, want once:\n%s", got, logs.String())
	}
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'plan_tasks_packed_delete'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("plan_tasks_packed_delete in the database: %d (%v), want made again", n, err)
	}
	// Mended: the next reload finds only what was left alone.
	r.reload <- syscall.SIGHUP
	waitFor(t, "the second reload", 10*time.Second, func() bool {
		return logged("WARN", `holds a trigger \"audit\"`) == 2
	})
	if got := logged("INFO", "they were made again"); got != 1 {
		t.Errorf("made again logged %d times after two reloads, want once", got)
	}
}

// count counts the lines logged at level that hold s.
func (b *syncBuffer) count(level, s string) int {
	n := 0
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, "level="+level) && strings.Contains(line, s) {
			n++
		}
	}
	return n
}
