package main

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigCommand_foreignDatabase: `database:` naming another
// application's SQLite file (a slip of the path: grafana.db, a copy of
// something else) is not "a udrul database at schema 0 that the next sync
// upgrades": config check warns that it is not udrul's, naming it, and does
// not vouch for it — the next sync would write udrul's twenty tables into
// that application's database. Checked in Danish and English; the file is
// left as it was.
func TestConfigCommand_foreignDatabase(t *testing.T) {
	for _, tt := range []struct {
		name, language   string
		warning, upgrade string
	}{
		{"da", "", "advarsel:", "opgraderes ved næste udrul sync"},
		{"en", "language: en\n", "warning:", "the next udrul sync or udrul run upgrades it"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
			cfg := filepath.Join(dir, "udrul.yaml")
			os.WriteFile(cfg, []byte(tt.language+"database: grafana.db\nsources:\n  - {name: share, kind: files, path: plans}\n"), 0o644)
			dbPath := filepath.Join(dir, "grafana.db")
			other, err := sql.Open("sqlite3", dbPath)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := other.Exec(`CREATE TABLE dashboard (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO dashboard (title) VALUES ('Drift')`); err != nil {
				t.Fatal(err)
			}
			other.Close()
			before, _ := os.ReadFile(dbPath)

			code, out, errOut := run(t, "config", "check", "--config", cfg)
			if code != exitOK {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if strings.Contains(out, tt.upgrade) {
				t.Errorf("config check says another application's database will be upgraded:\n%s", out)
			}
			warned := false
			for _, line := range strings.Split(errOut, "\n") {
				if strings.HasPrefix(line, tt.warning) && strings.Contains(line, dbPath) {
					warned = true
				}
			}
			if !warned {
				t.Errorf("no warning names %s as not a udrul database; stdout %q, stderr %q", dbPath, out, errOut)
			}
			if after, _ := os.ReadFile(dbPath); !bytes.Equal(before, after) {
				t.Error("config check changed the database")
			}
		})
	}
}
