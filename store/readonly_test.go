package store

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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
