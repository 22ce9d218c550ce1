package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestMigrate_planIdentity upgrades a database of schema 5: a plan fed by
// one document learns that it was read from it; one fed by two does not.
func TestMigrate_planIdentity(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.version > 5 {
			break
		}
		if _, err := raw.Exec(m.sql); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		raw.Exec(`INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01')`, m.version, m.name)
	}
	for _, q := range []string{
		`INSERT INTO sources (id, name, kind) VALUES (1, 'share', 'files')`,
		`INSERT INTO plans (id, municipality, solution, created_at) VALUES (1, 'Aarhus', 'KY', '2026-01-01'), (2, 'Vejle', 'KY', '2026-01-01')`,
		`INSERT INTO documents (id, source_id, key, plan_id) VALUES (10, 1, '/a/KY_Aarhus.xlsx', 1), (11, 1, '/a/KY_Aarhus_gammel.xlsx', NULL),
			(20, 1, '/a/KY_Vejle.xlsx', 2), (21, 1, '/a/KY_Vejle - Kopi.xlsx', 2)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plans, err := db.ListPlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, p := range plans {
		got[p.Key()] = p.DocumentID
		if p.Claimants != nil && len(p.Claimants) != 0 {
			t.Errorf("%s claimants = %v", p.Key(), p.Claimants)
		}
	}
	if got["Aarhus/KY"] != 10 || got["Vejle/KY"] != 0 {
		t.Errorf("document IDs = %v, want Aarhus read from 10 and Vejle (two files) from none", got)
	}
}
