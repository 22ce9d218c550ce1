package main

import (
	"crypto/sha256"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRestoreCommand_foreignObjectInWords: a backup holding a trigger or a
// view udrul does not make is refused saying which, and why it matters,
// in the configured language — not "damaged or not a udrul backup" — by
// restore --check and restore alike, the database unchanged.
func TestRestoreCommand_foreignObjectInWords(t *testing.T) {
	for _, tt := range []struct {
		name, language, create, want string
	}{
		{"a trigger, danish", "da", `CREATE TRIGGER slet_historik AFTER UPDATE ON tasks BEGIN DELETE FROM task_changes; END`,
			`er ikke, som udrul skrev den: den indeholder en trigger "slet_historik", som udrul ikke laver (den ville køre ved udruls næste skrivning); brug en anden sikkerhedskopi. Intet er ændret.`},
		{"a view, english", "en", `CREATE VIEW alle_opgaver AS SELECT * FROM tasks`,
			`is not as udrul wrote it: it holds a view "alle_opgaver", which udrul does not make; use another backup. Nothing was changed.`},
		{"udrul's own trigger changed, english", "en", `DROP TRIGGER plan_tasks_packed_delete; CREATE TRIGGER plan_tasks_packed_delete AFTER DELETE ON tasks BEGIN DELETE FROM task_changes; END`,
			`is not as udrul wrote it: its trigger "plan_tasks_packed_delete" is changed from udrul's own (it would run at udrul's next write); use another backup. Nothing was changed.`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir, cfg := syncedPlan(t, tt.language)
			// A copy of the database with the object added.
			dbPath := filepath.Join(dir, "udrul.db")
			trapped := filepath.Join(dir, "trapped.db")
			db, err := sql.Open("sqlite3", dbPath)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`VACUUM INTO ?`, trapped); err != nil {
				t.Fatal(err)
			}
			db.Close()
			tdb, err := sql.Open("sqlite3", trapped)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tdb.Exec(tt.create); err != nil {
				t.Fatal(err)
			}
			tdb.Close()
			before := hashOf(t, dbPath)
			for _, args := range [][]string{{"restore", "--config", cfg, "--check", trapped}, {"restore", "--config", cfg, trapped}} {
				code, out, errOut := run(t, args...)
				if code != exitFailure || !strings.Contains(errOut, trapped+" "+tt.want) || strings.Contains(errOut, "beskadiget") || strings.Contains(errOut, "damaged") {
					t.Errorf("%v: exit %d, stdout %q, stderr:\n%s\nwant %d and %q", args, code, out, errOut, exitFailure, tt.want)
				}
			}
			if hashOf(t, dbPath) != before {
				t.Error("the database changed")
			}
		})
	}
}

func hashOf(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}
