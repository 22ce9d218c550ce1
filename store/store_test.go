package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

func TestOpen_pragmasAndMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	var fk, version int
	db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	db.SQL().QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	db.SQL().QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&version)
	if mode != "wal" || fk != 1 || version != SchemaVersion() {
		t.Errorf("journal_mode=%s foreign_keys=%d version=%d; want wal, 1, %d", mode, fk, version, SchemaVersion())
	}
	// Foreign keys are enforced.
	if _, err := db.SQL().Exec(`INSERT INTO tasks (plan_id, title, created_run_id, updated_run_id) VALUES (999, 'x', 1, 1)`); err == nil {
		t.Error("a task of a missing plan was accepted")
	}
	db.Close()

	// Opening again applies nothing twice.
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	if n != len(mustMigrations(t)) {
		t.Errorf("%d migrations recorded, want %d", n, len(mustMigrations(t)))
	}
	// A database from a newer udrul is refused.
	db.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 'now')`)
	db.Close()
	if _, err := Open(ctx, path); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open of a newer database: err = %v, want ErrNewerSchema", err)
	}
}

func mustMigrations(t *testing.T) []migration {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestOpen_migratesOld opens databases written at older schema versions —
// empty, and at each earlier migration with data in it — and migrates them,
// keeping the data.
func TestOpen_migratesOld(t *testing.T) {
	ctx := context.Background()
	ms := mustMigrations(t)
	for upTo := 0; upTo < len(ms); upTo++ {
		t.Run(fmt.Sprintf("from version %d", upTo), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "old.db")
			raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
			if err != nil {
				t.Fatal(err)
			}
			raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
			for _, m := range ms[:upTo] {
				if _, err := raw.Exec(m.sql); err != nil {
					t.Fatalf("%s: %v", m.name, err)
				}
				raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 'then')`, m.version, m.name)
			}
			if upTo > 0 {
				if _, err := raw.Exec(`INSERT INTO sync_runs (started_at) VALUES ('2026-01-01T00:00:00Z')`); err != nil {
					t.Fatal(err)
				}
			}
			raw.Close()
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var runs, version int
			db.SQL().QueryRow(`SELECT COUNT(*) FROM sync_runs`).Scan(&runs)
			db.SQL().QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&version)
			if version != SchemaVersion() || (upTo > 0 && runs != 1) {
				t.Errorf("after migrating: version %d, %d runs", version, runs)
			}
			if _, err := db.OpenFindings(ctx); err != nil {
				t.Errorf("findings: %v", err)
			}
			if _, _, err := db.OutboxCounts(ctx); err != nil {
				t.Errorf("outbox: %v", err)
			}
		})
	}
}
