package store

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
)

// fileOf is the path of db's main database file.
func fileOf(t *testing.T, db *DB) string {
	t.Helper()
	var seq int
	var name, file string
	if err := db.SQL().QueryRow(`SELECT seq, name, file FROM pragma_database_list WHERE name = 'main'`).Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	return file
}

// triggerSQL is the definition of the trigger name ("" when there is none).
func triggerSQL(t *testing.T, db *DB, name string) string {
	t.Helper()
	var text string
	if err := db.SQL().QueryRow(`SELECT COALESCE((SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?), '')`, name).Scan(&text); err != nil {
		t.Fatal(err)
	}
	return text
}

// TestOpen_packTriggerMissing: a database without one of udrul's triggers
// on the tasks gets it back when opened, and its packed values (which a
// change made meanwhile could have left stale) are deleted in the same
// transaction; the next PackMissing packs them again, and they are read.
func TestOpen_packTriggerMissing(t *testing.T) {
	ctx := context.Background()
	for name := range packTriggers {
		t.Run(name, func(t *testing.T) {
			db, plans := packedFixture(t)
			path := fileOf(t, db)
			if _, err := db.SQL().Exec(`DROP TRIGGER ` + name); err != nil {
				t.Fatal(err)
			}
			// A change only the missing trigger would have seen: the plan's value is stale.
			change := map[string]string{
				"plan_tasks_packed_update": `UPDATE tasks SET title = 'Ændret i hånden' WHERE plan_id = ?`,
				"plan_tasks_packed_insert": `INSERT INTO tasks (plan_id, sheet, row, title, created_run_id, updated_run_id)
					SELECT plan_id, sheet, row + 100, 'Indsat i hånden', created_run_id, updated_run_id FROM tasks WHERE plan_id = ? LIMIT 1`,
				"plan_tasks_packed_delete": `DELETE FROM tasks WHERE id = (SELECT MIN(id) FROM tasks WHERE plan_id = ?)`,
			}[name]
			if _, err := db.SQL().Exec(change, plans[0].ID); err != nil {
				t.Fatal(err)
			}
			if got, want := packedPlans(t, db), 2; got != want {
				t.Fatalf("packed values before opening again = %d, want %d (a stale one)", got, want)
			}
			db.Close()

			db = openTest(t, path)
			got := db.PackTriggers()
			if want := []string{name}; !reflect.DeepEqual(got.Made, want) || len(got.Kept) != 0 || len(got.Missing) != 0 || got.Err != nil {
				t.Errorf("PackTriggers = %+v, want Made %v and nothing else", got, want)
			}
			if got, want := triggerSQL(t, db, name), packTriggers[name]; got != want {
				t.Errorf("trigger %s = %q, want %q", name, got, want)
			}
			if ok, err := packTrusted(ctx, db.SQL()); err != nil || !ok {
				t.Errorf("packTrusted = %v, %v; want true", ok, err)
			}
			if got, want := packedPlans(t, db), 0; got != want {
				t.Errorf("packed values after opening = %d, want %d", got, want)
			}
			if n, err := db.PackMissing(ctx); err != nil || n != 2 {
				t.Errorf("PackMissing = %d, %v; want 2", n, err)
			}
			plans, err := db.ListPlans(ctx)
			if err != nil {
				t.Fatal(err)
			}
			readAsRows(t, db, plans)
			db.Close()

			// Opened again: nothing more to make.
			db = openTest(t, path)
			if got := db.PackTriggers(); !got.Trusted() || len(got.Made) != 0 {
				t.Errorf("PackTriggers on the next open = %+v, want nothing made", got)
			}
			if got, want := packedPlans(t, db), 2; got != want {
				t.Errorf("packed values after the next open = %d, want %d", got, want)
			}
		})
	}
}

// TestOpen_packTriggerKept: a trigger udrul does not make on the tasks, or
// one of udrul's names defined otherwise, is left as it is (and said, in
// Kept); a missing one beside it is made again all the same.
func TestOpen_packTriggerKept(t *testing.T) {
	const foreign = "CREATE TRIGGER audit AFTER UPDATE ON tasks\nBEGIN\n\tSELECT 1;\nEND"
	const changed = "CREATE TRIGGER plan_tasks_packed_update AFTER UPDATE OF title ON tasks\nBEGIN\n\tDELETE FROM plan_tasks_packed WHERE plan_id = NEW.plan_id;\nEND"
	tests := []struct {
		name  string
		setup []string
		kept  []KeptTrigger
		made  []string
		keep  map[string]string // trigger: its definition after opening
	}{
		{"foreign", []string{foreign}, []KeptTrigger{{Name: "audit"}}, nil,
			map[string]string{"audit": foreign, "plan_tasks_packed_update": packTriggers["plan_tasks_packed_update"]}},
		{"udrul's name changed", []string{"DROP TRIGGER plan_tasks_packed_update", changed},
			[]KeptTrigger{{Name: "plan_tasks_packed_update", Changed: true}}, nil, map[string]string{"plan_tasks_packed_update": changed}},
		{"foreign and one missing", []string{foreign, "DROP TRIGGER plan_tasks_packed_delete"}, []KeptTrigger{{Name: "audit"}},
			[]string{"plan_tasks_packed_delete"}, map[string]string{"audit": foreign, "plan_tasks_packed_delete": packTriggers["plan_tasks_packed_delete"]}},
		{"udrul's name on another table", []string{"DROP TRIGGER plan_tasks_packed_insert",
			"CREATE TRIGGER plan_tasks_packed_insert AFTER INSERT ON plans\nBEGIN\n\tSELECT 1;\nEND"},
			[]KeptTrigger{{Name: "plan_tasks_packed_insert", Changed: true}}, nil,
			map[string]string{"plan_tasks_packed_insert": "CREATE TRIGGER plan_tasks_packed_insert AFTER INSERT ON plans\nBEGIN\n\tSELECT 1;\nEND"}},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := packedFixture(t)
			path := fileOf(t, db)
			for _, q := range tt.setup {
				if _, err := db.SQL().Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			db = openTest(t, path)
			got := db.PackTriggers()
			if !reflect.DeepEqual(got.Kept, tt.kept) || !reflect.DeepEqual(got.Made, tt.made) || len(got.Missing) != 0 {
				t.Errorf("PackTriggers = %+v, want Kept %+v, Made %v", got, tt.kept, tt.made)
			}
			if got.Trusted() {
				t.Errorf("Trusted() = true with a trigger kept")
			}
			for name, want := range tt.keep {
				if got := triggerSQL(t, db, name); got != want {
					t.Errorf("trigger %s = %q, want %q", name, got, want)
				}
			}
			if ok, err := packTrusted(ctx, db.SQL()); err != nil || ok {
				t.Errorf("packTrusted = %v, %v; want false", ok, err)
			}
		})
	}
}

// TestReadPackTriggers_readOnly: a database looked at read-only is told
// of its missing trigger and is not changed.
func TestReadPackTriggers_readOnly(t *testing.T) {
	ctx := context.Background()
	db, _ := packedFixture(t)
	path := fileOf(t, db)
	if _, err := db.SQL().Exec(`DROP TRIGGER plan_tasks_packed_update`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ro.ReadPackTriggers(ctx)
	ro.Close()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"plan_tasks_packed_update"}; !reflect.DeepEqual(got.Missing, want) || len(got.Made) != 0 || len(got.Kept) != 0 {
		t.Errorf("ReadPackTriggers = %+v, want Missing %v", got, want)
	}
	db, err = openUnmigrated(path, Options{}) // looked at as it is
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := triggerSQL(t, db, "plan_tasks_packed_update"); got != "" {
		t.Errorf("the read-only look made the trigger: %q", got)
	}
	if got, want := packedPlans(t, db), 2; got != want {
		t.Errorf("packed values after the read-only look = %d, want %d", got, want)
	}
}

// TestMigrate_packTriggerMissingBefore: a database of schema 24 (before
// migration 0025 dropped the insert trigger) without udrul's triggers
// upgrades, and has them all after opening.
func TestMigrate_packTriggerMissingBefore(t *testing.T) {
	for _, drop := range [][]string{
		{"plan_tasks_packed_insert"},
		{"plan_tasks_packed_update", "plan_tasks_packed_delete"},
		{"plan_tasks_packed_insert", "plan_tasks_packed_update", "plan_tasks_packed_delete"},
	} {
		t.Run(strings.Join(drop, "+"), func(t *testing.T) {
			var sqls []string
			for _, name := range drop {
				sqls = append(sqls, `DROP TRIGGER `+name)
			}
			upgradeTrusted(t, 24, sqls...)
		})
	}
}

// TestOpen_packTriggerReadOnlyFile: a database file udrul may not write,
// missing one of udrul's triggers, opens (read by its rows, as it was),
// unchanged, and PackTriggers says the trigger is missing and why it was
// not made.
func TestOpen_packTriggerReadOnlyFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes a read-only file")
	}
	ctx := context.Background()
	db, _ := packedFixture(t)
	path := fileOf(t, db)
	if _, err := db.SQL().Exec(`DROP TRIGGER plan_tasks_packed_delete`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("Open = %v, want the database opened as it is", err)
	}
	defer db.Close()
	got := db.PackTriggers()
	if want := []string{"plan_tasks_packed_delete"}; !reflect.DeepEqual(got.Missing, want) || got.Err == nil || len(got.Made) != 0 {
		t.Errorf("PackTriggers = %+v, want Missing %v with the reason", got, want)
	}
	if ok, err := packTrusted(ctx, db.SQL()); err != nil || ok {
		t.Errorf("packTrusted = %v, %v; want false", ok, err)
	}
	db.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the read-only database changed")
	}
}
