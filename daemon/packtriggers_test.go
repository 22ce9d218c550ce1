package daemon

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
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
	logged := func(level, s string) int {
		n := 0
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, "level="+level) && strings.Contains(line, s) {
				n++
			}
		}
		return n
	}
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
