package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
)

// TestReadCommands_alteredTables: a database whose tables were altered by
// hand (a column of plans renamed or dropped, the tasks renamed) is refused by the commands that
// read it in plain words in the configured language, saying what to do,
// never with SQLite's own text, and with a failure's exit code.
func TestReadCommands_alteredTables(t *testing.T) {
	for _, tt := range []struct {
		name, language, alter, want string
	}{
		{"renamed, danish", "da", `ALTER TABLE plans RENAME COLUMN wave TO w`,
			`databasen er ikke, som udrul lavede den (kolonnen "wave" findes ikke): et andet program eller en hånd har ændret dens tabeller, og udrul læser den ikke; læg en sikkerhedskopi tilbage med 'udrul restore'`},
		{"dropped, english", "en", `ALTER TABLE plans DROP COLUMN wave`,
			`the database is not as udrul made it (the column "wave" does not exist): another program or a hand has changed its tables, and udrul does not read it; put a backup back with 'udrul restore'`},
		{"a table renamed, danish", "da", `ALTER TABLE tasks RENAME TO opgaver`,
			`databasen er ikke, som udrul lavede den (tabellen "tasks" findes ikke): et andet program eller en hånd har ændret dens tabeller`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir, cfg := syncedPlan(t, tt.language)
			db, err := sql.Open("sqlite3", filepath.Join(dir, "udrul.db"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(tt.alter); err != nil {
				t.Fatal(err)
			}
			db.Close()
			for _, cmd := range []string{"findings", "plans", "tasks", "report", "sources"} {
				code, out, errOut := run(t, cmd, "--config", cfg)
				if code != exitFailure || !strings.Contains(errOut, "udrul "+cmd+": "+tt.want) || strings.Contains(errOut, "no such") || strings.Contains(errOut, "anden programs tabeller") {
					t.Errorf("%s: exit %d, stdout %q, stderr %q; want %d and %q", cmd, code, out, errOut, exitFailure, tt.want)
				}
			}
		})
	}
}

// syncedPlan writes a configuration in the language into a new folder
// (database udrul.db, a files source of its plans folder) with one plan,
// Aarhus/KY, and syncs it; it returns the folder and the configuration.
func syncedPlan(t *testing.T, language string) (dir, cfg string) {
	t.Helper()
	dir = t.TempDir()
	cfg = filepath.Join(dir, "udrul.yaml")
	if err := os.WriteFile(cfg, []byte("database: udrul.db\nlanguage: "+language+"\nsources:\n  - {name: share, kind: files, path: plans}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	if _, err := plangen.Generate(plangen.Spec{Seed: 1, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1}).Write(plans); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("sync: %d %s %s", code, out, errOut)
	}
	return dir, cfg
}
