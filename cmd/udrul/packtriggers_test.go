package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackTriggers_saidToTheUser: a backup without one of udrul's triggers
// on the tasks is said by restore --check to have it made again; config
// check says the same of the database, without changing it; the next
// command makes it again and says so, once. A trigger udrul does not make
// is left alone and warned of by config check and the commands, in the
// configured language.
func TestPackTriggers_saidToTheUser(t *testing.T) {
	for _, tt := range []struct {
		language                                 string
		backupSays, checkSays, madeSays, keptSay string
	}{
		{"da", "Sikkerhedskopien mangler udruls trigger(e) plan_tasks_packed_update på opgaverne: udrul laver dem igen",
			"mangler udruls trigger(e) plan_tasks_packed_update på opgaverne: den næste udrul-kommando eller udrul run laver dem igen",
			"manglede udruls trigger(e) plan_tasks_packed_update på opgaverne: de er lavet igen",
			`har en trigger "audit" på opgaverne, som udrul ikke laver; udrul lader den være, men læser derfor opgaverne række for række (korrekt, men langsommere), da den kan ændre dem uden om udrul: fjern den (DROP TRIGGER "audit";), så læser udrul dem hurtigt igen`},
		{"en", "The backup lacks udrul's trigger(s) plan_tasks_packed_update on the tasks: udrul makes them again",
			"lacks udrul's trigger(s) plan_tasks_packed_update on the tasks: the next udrul command or udrul run makes them again",
			"lacked udrul's trigger(s) plan_tasks_packed_update on the tasks: they were made again",
			`holds a trigger "audit" on the tasks that udrul does not make; udrul leaves it alone, but reads the tasks row by row because of it (correct, but slower), as it may change them behind udrul's back: drop it (DROP TRIGGER "audit";) and udrul reads them quickly again`},
	} {
		t.Run(tt.language, func(t *testing.T) {
			dir, cfg := syncedPlan(t, tt.language)
			dbPath := filepath.Join(dir, "udrul.db")
			exec := func(path string, qs ...string) {
				t.Helper()
				db, err := sql.Open("sqlite3", path)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				for _, q := range qs {
					if _, err := db.Exec(q); err != nil {
						t.Fatal(err)
					}
				}
			}
			trigger := func() string {
				t.Helper()
				db, err := sql.Open("sqlite3", dbPath)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				var n int
				if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'plan_tasks_packed_update'`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return map[int]string{0: "missing", 1: "there"}[n]
			}
			lacking := filepath.Join(dir, "lacking.db")
			exec(dbPath, `VACUUM INTO '`+lacking+`'`)
			exec(lacking, `DROP TRIGGER plan_tasks_packed_update`)

			if code, out, errOut := run(t, "restore", "--config", cfg, "--check", lacking); code != exitOK || !strings.Contains(out, tt.backupSays) {
				t.Errorf("restore --check: exit %d, stdout %q, stderr %q; want %d and %q", code, out, errOut, exitOK, tt.backupSays)
			}
			if code, out, errOut := run(t, "restore", "--config", cfg, lacking); code != exitOK || !strings.Contains(out, tt.backupSays) {
				t.Fatalf("restore: exit %d, stdout %q, stderr %q; want %d and %q", code, out, errOut, exitOK, tt.backupSays)
			}
			if got := trigger(); got != "missing" {
				t.Fatalf("trigger after the restore: %s", got)
			}
			if code, out, errOut := run(t, "config", "check", "--config", cfg); code != exitOK || !strings.Contains(out, tt.checkSays) {
				t.Errorf("config check: exit %d, stdout %q, stderr %q; want %d and %q", code, out, errOut, exitOK, tt.checkSays)
			}
			if got := trigger(); got != "missing" {
				t.Errorf("config check made the trigger: %s", got)
			}
			if code, out, errOut := run(t, "plans", "--config", cfg); code != exitOK || !strings.Contains(errOut, tt.madeSays) {
				t.Errorf("plans: exit %d, stdout %q, stderr %q; want %d and %q", code, out, errOut, exitOK, tt.madeSays)
			}
			if got := trigger(); got != "there" {
				t.Errorf("trigger after a command: %s", got)
			}
			if code, out, errOut := run(t, "plans", "--config", cfg); code != exitOK || errOut != "" {
				t.Errorf("plans again: exit %d, stdout %q, stderr %q; want %d and nothing on stderr", code, out, errOut, exitOK)
			}

			exec(dbPath, `CREATE TRIGGER audit AFTER UPDATE ON tasks BEGIN SELECT 1; END`)
			for _, args := range [][]string{{"config", "check"}, {"plans"}, {"plans"}} {
				code, out, errOut := run(t, append(args, "--config", cfg)...)
				if code != exitOK || !strings.Contains(errOut, tt.keptSay) {
					t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d and %q", args, code, out, errOut, exitOK, tt.keptSay)
				}
			}
		})
	}
}
