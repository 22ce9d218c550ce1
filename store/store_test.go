package store

import (
	"context"
	"errors"
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

// TestOpen_migratesOld opens databases that stopped at older schema
// versions (before the first migration, and at version 1) and migrates them.
func TestOpen_migratesOld(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// Roll back to version 0 by hand: drop the schema and its record.
	for _, q := range []string{`PRAGMA foreign_keys = OFF`, `DROP TABLE baselines`, `DROP TABLE plan_issues`, `DROP TABLE task_changes`, `DROP TABLE tasks`,
		`DROP TABLE documents`, `DROP TABLE findings`, `DROP TABLE snapshots`, `DROP TABLE reports`, `DROP TABLE plans`, `DROP TABLE sources`, `DROP TABLE sync_runs`, `DELETE FROM schema_migrations`} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.BeginRun(ctx); err != nil {
		t.Errorf("after migration: %v", err)
	}
	// Back to version 1 with data in it: version 2 is applied, data kept.
	for _, q := range []string{`DROP TABLE findings`, `DROP TABLE snapshots`, `DROP TABLE reports`, `ALTER TABLE sources DROP COLUMN cursor`,
		`ALTER TABLE plan_issues DROP COLUMN link`, `DELETE FROM schema_migrations WHERE version > 1`} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var runs, version int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM sync_runs`).Scan(&runs)
	db.SQL().QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&version)
	if runs != 1 || version != SchemaVersion() {
		t.Errorf("after migrating from version 1: %d runs, version %d", runs, version)
	}
	if _, err := db.OpenFindings(ctx); err != nil {
		t.Errorf("findings table: %v", err)
	}
}
