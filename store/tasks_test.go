package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/udrul/udrul/model"
)

func TestTx_InsertTask_writtenDatesAndHealth(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	run, err := db.BeginRun(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := model.Task{
		Pos: model.Pos{Sheet: "Plan", Row: 4}, Title: "Konvertering", Responsible: "Kommune",
		Start: model.NewDate(2026, 8, 17), StartAs: model.Written{Text: "uge 34", Precision: model.Week, YearAssumed: true},
		End: model.NewDate(2026, 10, 31), EndAs: model.Written{Text: "ultimo oktober 2026", Precision: model.Part},
		Status: model.OnHold, RawStatus: "Udskudt", Health: model.HealthGreen,
		After: []string{"3", "A-7"},
	}
	var id int64
	err = db.Update(ctx, func(tx *Tx) error {
		pid, err := tx.CreatePlan(Plan{Municipality: "Aarhus", Solution: "KY"})
		if err != nil {
			return err
		}
		if err := tx.PlanRead(Plan{ID: pid, Municipality: "Aarhus", Solution: "KY", State: PlanOK, Health: model.HealthAmber}, true); err != nil {
			return err
		}
		id, err = tx.InsertTask(pid, run, want)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.TaskByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Task.Task, want) {
		t.Errorf("stored task:\n got  %+v\n want %+v", got.Task.Task, want)
	}
	if got.Plan.Health != model.HealthAmber {
		t.Errorf("plan health = %q, want amber", got.Plan.Health)
	}

	// An update writes the new text as written, health and dependencies.
	want.EndAs, want.End, want.Health = model.Written{Text: "Q4 2026", Precision: model.Quarter}, model.NewDate(2026, 12, 31), model.HealthRed
	want.After = []string{"row:2", "row:12"}
	if err := db.Update(ctx, func(tx *Tx) error { return tx.UpdateTask(id, run, want) }); err != nil {
		t.Fatal(err)
	}
	got, err = db.TaskByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Task.Task, want) {
		t.Errorf("updated task:\n got  %+v\n want %+v", got.Task.Task, want)
	}
	// Dependencies removed from the sheet are gone from the store.
	want.After = nil
	if err := db.Update(ctx, func(tx *Tx) error { return tx.UpdateTask(id, run, want) }); err != nil {
		t.Fatal(err)
	}
	if got, err = db.TaskByID(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got.After != nil {
		t.Errorf("dependencies after clearing = %q, want none", got.After)
	}
}

// TestOpen_dependenciesReadAgain: a database from before the dependency
// column forgets its documents' content hashes, so the next sync reads
// every file again and stores the dependencies of unchanged sheets too.
func TestOpen_dependenciesReadAgain(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
	for _, m := range mustMigrations(t) {
		if m.version >= 9 {
			break
		}
		if _, err := raw.Exec(m.sql); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 'then')`, m.version, m.name)
	}
	for _, q := range []string{
		`INSERT INTO sources (id, name, kind, location) VALUES (1, 'share', 'files', '/share')`,
		`INSERT INTO documents (source_id, key, version, content_hash) VALUES (1, '/share/KY_Aarhus.xlsx', 'v1', 'abc')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var hash, version string
	db.SQL().QueryRow(`SELECT content_hash, version FROM documents`).Scan(&hash, &version)
	if hash != "" || version != "v1" {
		t.Errorf("after migrating: content_hash %q, version %q; want '' (read again) and v1", hash, version)
	}
}

// TestDB_Update_cancelled: a transaction whose context is cancelled stops
// at its next statement, with the context's error, and nothing of it is
// committed — its statements do not watch the context themselves (tx.go).
func TestDB_Update_cancelled(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	run, err := db.BeginRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		cancel int // cancel after this many tasks
	}{{"before the first task", 0}, {"after one task", 1}, {"after five tasks", 5}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			inserted := 0
			err := db.Update(ctx, func(tx *Tx) error {
				pid, err := tx.CreatePlan(Plan{Municipality: "Aarhus", Solution: "KY"})
				if err != nil {
					return err
				}
				for i := range 10 {
					if i == tc.cancel {
						cancel()
					}
					if _, err := tx.InsertTask(pid, run, model.Task{Title: "Møde"}); err != nil {
						return err
					}
					inserted++
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Update = %v, want context.Canceled", err)
			}
			if inserted != tc.cancel {
				t.Errorf("inserted %d tasks after the cancel, want it to stop at the next statement (%d)", inserted, tc.cancel)
			}
			var plans, tasks int
			db.SQL().QueryRow(`SELECT (SELECT COUNT(*) FROM plans), (SELECT COUNT(*) FROM tasks)`).Scan(&plans, &tasks)
			if plans != 0 || tasks != 0 {
				t.Errorf("committed %d plans and %d tasks, want none", plans, tasks)
			}
		})
	}
}
