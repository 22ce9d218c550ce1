package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOpenReadOnly: a database an older udrul left is read as it is — its
// schema told, its plans' names read — and neither migrated nor written:
// its file is byte-identical afterwards, and no file is left beside it; a
// write through it is refused; a missing database is not created.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	ms := mustMigrations(t)
	for _, tt := range []struct {
		name string
		upTo int // 0: this udrul's schema
	}{
		{"the first schema", ms[0].version},
		{"an older schema", ms[len(ms)/2].version},
		{"this udrul's schema", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "udrul.db")
			db, err := OpenWith(ctx, path, Options{UpTo: tt.upTo})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().Exec(`INSERT INTO plans (municipality, solution, wave, created_at) VALUES ('Aarhus', 'KY', '2', 'then')`); err != nil {
				t.Fatal(err)
			}
			db.Close()
			before, _ := os.ReadFile(path)
			files := dirNames(t, dir)

			ro, err := OpenReadOnly(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			current, known, err := ro.Schema(ctx)
			wantCurrent := tt.upTo
			if wantCurrent == 0 {
				wantCurrent = SchemaVersion()
			}
			if err != nil || current != wantCurrent || known != SchemaVersion() {
				t.Errorf("Schema = %d, %d, %v; want %d, %d", current, known, err, wantCurrent, SchemaVersion())
			}
			plans, err := ro.PlanNames(ctx)
			if err != nil || len(plans) != 1 || plans[0].Municipality != "Aarhus" || plans[0].Solution != "KY" || plans[0].Wave != "2" {
				t.Errorf("PlanNames = %+v, %v; want Aarhus/KY wave 2", plans, err)
			}
			if _, err := ro.SQL().Exec(`DELETE FROM plans`); err == nil {
				t.Error("a write through a read-only open succeeded")
			}
			ro.Close()
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Error("the database file changed")
			}
			if got := dirNames(t, dir); !slices.Equal(got, files) {
				t.Errorf("files beside the database: %q, were %q", got, files)
			}
		})
	}
	t.Run("while an older udrul has it open", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "udrul.db")
		db, err := OpenWith(ctx, path, Options{UpTo: ms[1].version})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.SQL().Exec(`INSERT INTO plans (municipality, solution, created_at) VALUES ('Vejle', 'KSD', 'then')`); err != nil {
			t.Fatal(err)
		}
		ro, err := OpenReadOnly(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		if plans, err := ro.PlanNames(ctx); err != nil || len(plans) != 1 || plans[0].Solution != "KSD" {
			t.Errorf("PlanNames = %+v, %v; want Vejle/KSD (written by the other, not yet checkpointed)", plans, err)
		}
		if current, _, err := ro.Schema(ctx); err != nil || current != ms[1].version {
			t.Errorf("Schema = %d, %v; want %d", current, err, ms[1].version)
		}
	})
	t.Run("missing", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "udrul.db")
		if _, err := OpenReadOnly(ctx, path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("OpenReadOnly = %v, want ErrNotExist", err)
		}
		if _, err := os.Stat(path); err == nil {
			t.Error("the database was created")
		}
	})
	t.Run("not a database", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "udrul.db")
		os.WriteFile(path, []byte("these are not the bytes of an SQLite database, and there are enough of them to fill a header"), 0o644)
		if _, err := OpenReadOnly(ctx, path); err == nil {
			t.Error("OpenReadOnly of a text file succeeded")
		}
	})
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// TestOpenReadOnly_writtenMeanwhile: a database opened read-only while no
// udrul had it open (no -wal file: OpenReadOnly reads it with immutable=1)
// is read as it is when read, not as it was when opened: a udrul sync that
// starts meanwhile (udrul config check run beside a sync started by cron)
// commits plans, and the read-only handle must see them — immutable=1 tells
// SQLite the file never changes, so it keeps its cached pages (and takes no
// lock: pages of a checkpoint half-written may be read).
func TestOpenReadOnly_writtenMeanwhile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO plans (municipality, solution, wave, created_at) VALUES ('Aarhus', 'KY', '2', 'then')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a -wal file is left after Close (%v): the case under test needs none", err)
	}

	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if plans, err := ro.PlanNames(ctx); err != nil || len(plans) != 1 {
		t.Fatalf("PlanNames = %d plans, %v; want 1", len(plans), err)
	}

	// A sync starts: it opens the database and commits plans.
	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"Vejle", "Odense", "Esbjerg"} {
		if _, err := w.SQL().Exec(`INSERT INTO plans (municipality, solution, wave, created_at) VALUES (?, 'KY', '2', 'then')`, m); err != nil {
			t.Fatal(err)
		}
	}
	for i, step := range []string{"while the sync has it open", "after the sync closed it (checkpointed into the file)"} {
		if i == 1 {
			w.Close()
		}
		plans, err := ro.PlanNames(ctx)
		if got, want := len(plans), 4; err != nil || got != want {
			t.Errorf("%s: PlanNames = %d plans, %v; want %d (the committed plans)", step, got, err, want)
		}
	}
}

// TestOpen_notUdrul: a database another application set up (a slip of
// the path in database:) is refused, byte for byte as it was (not even
// turned to WAL), and named as not udrul's; an empty file is set up.
func TestOpen_notUdrul(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, sql string
		want      string // the tables named
	}{
		{"tables and a view", `CREATE TABLE dashboard (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO dashboard (title) VALUES ('Drift'); CREATE VIEW v AS SELECT 1`,
			"dashboard,v"},
		{"golang-migrate's record", `CREATE TABLE schema_migrations (version uint64, dirty bool); INSERT INTO schema_migrations VALUES (3, 0); CREATE TABLE users (id INTEGER)`,
			"schema_migrations,users"},
		{"Rails' record", `CREATE TABLE schema_migrations (version varchar NOT NULL PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101120000'); CREATE TABLE posts (id INTEGER)`,
			"posts,schema_migrations"},
		{"a record of udrul's shape, another tool's rows", `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
			INSERT INTO schema_migrations VALUES (1, '0001_init.sql', ''); CREATE TABLE invoices (id INTEGER, amount INTEGER)`,
			"invoices,schema_migrations"},
		{"a record of udrul's shape, empty, beside tables", `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
			CREATE TABLE invoices (id INTEGER)`,
			"invoices"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			other := filepath.Join(dir, "other.db")
			odb, err := sql.Open("sqlite3", other)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := odb.Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			odb.Close()
			before, _ := os.ReadFile(other)
			_, err = Open(ctx, other)
			var nu *NotUdrulError
			if !errors.Is(err, ErrNotUdrul) || !errors.As(err, &nu) || strings.Join(nu.Tables, ",") != tt.want {
				t.Fatalf("Open(another application's database) = %v, want ErrNotUdrul naming %s", err, tt.want)
			}
			if after, _ := os.ReadFile(other); !bytes.Equal(before, after) {
				t.Error("the refused database changed")
			}
			if names := dirNames(t, dir); strings.Join(names, ",") != "other.db" {
				t.Errorf("files beside it: %v", names)
			}
		})
	}
	for name, content := range map[string]string{
		"an empty file": "",
		"a record of udrul's shape, empty, alone": `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "udrul.db")
			os.WriteFile(path, nil, 0o644)
			if content != "" {
				odb, _ := sql.Open("sqlite3", path)
				if _, err := odb.Exec(content); err != nil {
					t.Fatal(err)
				}
				odb.Close()
			}
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatalf("Open = %v, want it set up", err)
			}
			db.Close()
		})
	}
}
