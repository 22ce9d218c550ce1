package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/udrul/udrul/model"
)

// packedFixture stores two plans of odd tasks and packs them from their
// rows, as PackMissing does after an upgrade.
func packedFixture(t *testing.T) (*DB, []Plan) {
	t.Helper()
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	run, err := db.BeginRun(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		for _, mun := range []string{"Aarhus", "Odense"} {
			pid, err := tx.CreatePlan(Plan{Municipality: mun, Solution: "KY"})
			if err != nil {
				return err
			}
			full := model.Task{Pos: model.Pos{Sheet: "Trin 3", Row: 4}, Step: "Trin 3", ID: "A-1", Title: "Fuld", Responsible: "IT", Performer: "Leverandør",
				Start: model.NewDate(2026, 8, 17), End: model.NewDate(2026, 9, 4), StartAs: model.Written{Text: "uge 34", Precision: model.Week, YearAssumed: true},
				EndAs: model.Written{Text: "primo september", Precision: model.Part}, Status: model.Done, RawStatus: "Færdig", Health: model.HealthGreen,
				Notes: "note, med komma", After: []string{"3", "row:7"}}
			odd := full
			odd.Pos.Row, odd.Title, odd.Notes, odd.ID, odd.Start, odd.End = 2, "a\x1fb\x00c", "\xff\xfe", "", model.Date{}, model.Date{Year: 999, Month: 1, Day: 1}
			odd.Responsible, odd.Performer = "nul\x00midt i", "\x00"
			for _, tk := range []model.Task{full, odd, {Pos: model.Pos{Sheet: "Trin 1", Row: 9}, Title: mun}} {
				if _, err := tx.InsertTask(pid, run, tk); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.PackMissing(ctx); err != nil || n != 2 {
		t.Fatalf("PackMissing = %d, %v; want 2 plans packed", n, err)
	}
	if n, err := db.PackMissing(ctx); err != nil || n != 0 {
		t.Fatalf("PackMissing again = %d, %v; want none", n, err)
	}
	plans, err := db.ListPlans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return db, plans
}

// rowsRead reads the plans' tasks from their rows only.
func rowsRead(t *testing.T, db *DB, plans []Plan) []PlanTask {
	t.Helper()
	ctx := context.Background()
	tr, err := db.Reader().TaskReader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	var out []PlanTask
	for i := range plans {
		if out, err = readPlanTasks(ctx, tr.stmt, tr.one, &plans[i], out); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// readAsRows checks that the plans' tasks read (packed where trusted) are
// what their rows hold.
func readAsRows(t *testing.T, db *DB, plans []Plan) {
	t.Helper()
	got, err := db.PlansTasks(context.Background(), plans)
	if err != nil {
		t.Fatal(err)
	}
	if want := rowsRead(t, db, plans); !reflect.DeepEqual(got, want) {
		t.Errorf("read:\n%+v\nrows:\n%+v", got, want)
	}
}

// packedPlans counts the plans with a packed value.
func packedPlans(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM plan_tasks_packed`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPackTriggers: the triggers migration 0023 makes are the ones a
// database is trusted by, to the byte.
func TestPackTriggers(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	rows, err := db.SQL().Query(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			t.Fatal(err)
		}
		got[name] = text
	}
	if !reflect.DeepEqual(got, packTriggers) {
		t.Errorf("triggers = %q\nwant %q", got, packTriggers)
	}
	if ok, err := packTrusted(context.Background(), db.SQL()); !ok || err != nil {
		t.Errorf("a new database is not trusted to keep its packed tasks: %v, %v", ok, err)
	}
}

// TestPacked_readAsRows: packed tasks read as their rows do, odd texts and
// dates included.
func TestPacked_readAsRows(t *testing.T) {
	db, plans := packedFixture(t)
	got, err := db.PlansTasks(context.Background(), plans)
	if err != nil {
		t.Fatal(err)
	}
	want := rowsRead(t, db, plans)
	if len(got) != 6 || !reflect.DeepEqual(got, want) {
		t.Errorf("packed:\n%+v\nrows:\n%+v", got, want)
	}
	// And the packed values were read, not the rows: a stale value (a
	// title changed, the NUL bytes and other texts kept) shows.
	stale(t, db, plans[0])
	got, err = db.PlansTasks(context.Background(), plans)
	if err != nil {
		t.Fatal(err)
	}
	for i, pt := range got {
		if stale := pt.Title == "STALE"; stale != (pt.PlanID == plans[0].ID) {
			t.Errorf("task %d of plan %d read with title %q: the packed values were not read", i, pt.PlanID, pt.Title)
		}
		if pt.Title == "STALE" && pt.Responsible != want[i].Responsible {
			t.Errorf("task %d: responsible %q read packed, %q from its row", i, pt.Responsible, want[i].Responsible)
		}
	}
}

// TestPacked_notUsed: whatever makes a packed value doubtful makes the
// reader read the rows. Each case leaves a packed value that unpacks to
// a wrong title ("STALE"), so reading it would show.
func TestPacked_notUsed(t *testing.T) {
	tests := []struct {
		name string
		sql  string // run after the stale value is in place
	}{
		{"a trigger dropped", `DROP TRIGGER plan_tasks_packed_update`},
		{"a trigger changed", `DROP TRIGGER plan_tasks_packed_update; CREATE TRIGGER plan_tasks_packed_update AFTER UPDATE OF title ON tasks BEGIN DELETE FROM plan_tasks_packed WHERE plan_id = NEW.plan_id; END`},
		{"another trigger on the tasks", `CREATE TRIGGER mine AFTER UPDATE ON tasks BEGIN SELECT 1; END`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, plans := packedFixture(t)
			if _, err := db.SQL().Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			stale(t, db, plans[0])
			got, err := db.PlansTasks(ctx, plans)
			if err != nil {
				t.Fatal(err)
			}
			for _, pt := range got {
				if pt.Title == "STALE" {
					t.Fatalf("a packed value was read from a database not trusted to keep it")
				}
			}
			// Nor does the sync write packed values there.
			if _, err := db.SQL().Exec(`DELETE FROM plan_tasks_packed`); err != nil {
				t.Fatal(err)
			}
			if n, err := db.PackMissing(ctx); n != 0 || err != nil {
				t.Errorf("PackMissing = %d, %v on a database not trusted", n, err)
			}
			err = db.Update(ctx, func(tx *Tx) error {
				ts, err := tx.PlanTasks(plans[0].ID)
				if err != nil {
					return err
				}
				return tx.PackPlan(plans[0].ID, ts)
			})
			if err != nil {
				t.Fatal(err)
			}
			if n := packedPlans(t, db); n != 0 {
				t.Errorf("PackPlan packed on a database not trusted")
			}
		})
	}
}

// stale overwrites a plan's packed value with one that unpacks, all its
// titles "STALE".
func stale(t *testing.T, db *DB, p Plan) {
	t.Helper()
	ts := rowsRead(t, db, []Plan{p})
	var st []Task
	for _, pt := range ts {
		pt.Task.Title = "STALE"
		st = append(st, pt.Task)
	}
	if _, err := db.SQL().Exec(`UPDATE plan_tasks_packed SET data = ? WHERE plan_id = ?`, packTasks(p.ID, st), p.ID); err != nil {
		t.Fatal(err)
	}
}

// TestPacked_changedElsewhere: a task changed by anything but the sync
// (here by hand, as with the sqlite3 tool) takes its plan's packed value
// with it, and the change is read.
func TestPacked_changedElsewhere(t *testing.T) {
	tests := []struct{ name, sql string }{
		{"title edited", `UPDATE tasks SET title = 'Ændret' WHERE title = 'Fuld' AND plan_id = 1`},
		{"task added", `INSERT INTO tasks (plan_id, title, sheet, row, created_run_id, updated_run_id) VALUES (1, 'Ændret', 'Trin 9', 1, 1, 1)`},
		{"task added and one removed", `INSERT INTO tasks (plan_id, title, sheet, row, created_run_id, updated_run_id) VALUES (1, 'Ændret', 'Trin 9', 1, 1, 1);
			UPDATE tasks SET removed_at = '2026-11-26T09:00:00Z' WHERE title = 'Aarhus'`},
		{"task deleted", `DELETE FROM tasks WHERE title = 'Aarhus'`},
		{"task moved to the other plan", `UPDATE tasks SET plan_id = 2, title = 'Ændret' WHERE title = 'Fuld' AND plan_id = 1`},
		// REPLACE deletes the row it replaces without the delete trigger
		// (SQLite fires it only with recursive_triggers on, which the
		// sqlite3 tool has off): same ID, same count, same run.
		{"another plan's value copied onto it", `UPDATE plan_tasks_packed SET data = (SELECT data FROM plan_tasks_packed WHERE plan_id = 2) WHERE plan_id = 1`},
		{"task replaced", `REPLACE INTO tasks (id, plan_id, title, sheet, row, created_run_id, updated_run_id)
			SELECT id, plan_id, 'Ændret', sheet, row, created_run_id, updated_run_id FROM tasks WHERE title = 'Fuld' AND plan_id = 1`},
		{"task replaced from the other plan", `REPLACE INTO tasks (id, plan_id, title, sheet, row, created_run_id, updated_run_id)
			SELECT id, 2, 'Ændret', sheet, row, created_run_id, updated_run_id FROM tasks WHERE title = 'Fuld' AND plan_id = 1;
			INSERT INTO tasks (plan_id, title, sheet, row, created_run_id, updated_run_id) VALUES (1, 'Ændret', 'Trin 9', 1, 1, 1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, plans := packedFixture(t)
			if _, err := db.SQL().Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			plans, _ = db.ListPlans(ctx)
			readAsRows(t, db, plans)
		})
	}
}

// TestPacked_damaged: a value that does not unpack is not used.
func TestPacked_damaged(t *testing.T) {
	good := packTasks(1, []Task{{ID: 1, PlanID: 1, Task: model.Task{Title: "x"}}})
	huge := binary.AppendUvarint(binary.AppendVarint([]byte{packVersion}, 1), 1<<40)
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", []byte{}},
		{"another version", append([]byte{9}, good[1:]...)},
		{"cut short", good[:len(good)-1]},
		{"a byte too many", append(append([]byte(nil), good...), 0)},
		{"a count beyond the value", huge},
		{"a text beyond the list", func() []byte {
			// Its one shared text is "": the last place given (the
			// health's, before the task's own seven bytes) is beyond it.
			b := bytes.Clone(good)
			b[len(b)-8] = 1
			return b
		}()},
		{"an older version", append([]byte{1}, good[1:]...)},
		{"version 3 (no plan ID)", append([]byte{3}, good[2:]...)},
		{"another plan's", func() []byte {
			b := bytes.Clone(good)
			b[1] = 4 // plan 2, as a varint
			return b
		}()},
		{"a month that is none", packTasks(1, []Task{{ID: 1, PlanID: 1, Task: model.Task{Start: model.Date{Year: 2026, Month: 13, Day: 1}}}})},
		{"a day that is none", packTasks(1, []Task{{ID: 1, PlanID: 1, Task: model.Task{End: model.Date{Year: 2026, Month: 2, Day: 0}}}})},
		{"flags unknown", func() []byte {
			// The flags, then nine texts by their places and six of the
			// task's own (a byte each, but the title's two).
			b := bytes.Clone(good)
			b[len(b)-17] = 4
			return b
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, plans := packedFixture(t)
			if _, err := db.SQL().Exec(`UPDATE plan_tasks_packed SET data = ? WHERE plan_id = 1`, tt.data); err != nil {
				t.Fatal(err)
			}
			readAsRows(t, db, plans)
		})
	}
}

// TestPackPlan_refused: the sync's account of a plan that does not add up
// to its rows packs nothing.
func TestPackPlan_refused(t *testing.T) {
	tests := []struct {
		name string
		edit func([]Task) []Task
	}{
		{"a task missing", func(ts []Task) []Task { return ts[1:] }},
		{"a task twice", func(ts []Task) []Task { return append(ts, ts[0]) }},
		{"a wrong ID", func(ts []Task) []Task { ts[0].ID += 100; return ts }},
		{"another plan's task", func(ts []Task) []Task { ts[0].PlanID++; return ts }},
		{"an update not told of", func(ts []Task) []Task { ts[0].UpdatedRun++; return ts }},
		{"a baseline taken for none", func(ts []Task) []Task { ts[0].BaselineEnd = model.Date{}; return ts }},
		{"a date for none", func(ts []Task) []Task { ts[1].Start = ts[0].Start; return ts }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, plans := packedFixture(t)
			var mismatched []int64
			packMismatch = func(id int64) { mismatched = append(mismatched, id) }
			t.Cleanup(func() { packMismatch = func(int64) {} })
			db.SQL().Exec(`DELETE FROM plan_tasks_packed`)
			err := db.Update(ctx, func(tx *Tx) error {
				ts, err := tx.PlanTasks(plans[0].ID)
				if err != nil {
					return err
				}
				return tx.PackPlan(plans[0].ID, tt.edit(ts))
			})
			if err != nil {
				t.Fatal(err)
			}
			if n := packedPlans(t, db); n != 0 || len(mismatched) != 1 {
				t.Errorf("packed %d plans, %d mismatches told; want none packed, one told", n, len(mismatched))
			}
		})
	}
}

// FuzzUnpackTasks: any value unpacks or is refused, without a panic and
// without allocating beyond the value; what unpacks packs again to a
// value that unpacks the same.
func FuzzUnpackTasks(f *testing.F) {
	f.Add(packTasks(1, nil))
	f.Add(packTasks(1, []Task{{ID: 7, PlanID: 1, Task: model.Task{Title: "a\x00b", After: []string{"1", "row:2"}, Start: model.NewDate(2026, 1, 31)},
		BaselineEnd: model.NewDate(9999, 12, 31), CreatedRun: -1, UpdatedRun: 1 << 40}}))
	f.Add([]byte{packVersion, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := &Plan{ID: 1}
		got, err := unpackTasks(string(data), p, nil)
		if err != nil {
			if len(got) != 0 {
				t.Fatalf("refused, yet %d tasks appended", len(got))
			}
			return
		}
		ts := make([]Task, len(got))
		for i, pt := range got {
			ts[i] = pt.Task
		}
		again, err := unpackTasks(string(packTasks(p.ID, ts)), p, nil)
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("packed again: %v\n%+v\nwant %+v", err, again, got)
		}
	})
}

// TestMigrate_packedReplacedBefore: a database of schema 25 whose packed
// value a REPLACE made stale (no trigger on inserts then) has it dropped
// by the upgrade: the plan is read from its rows.
func TestMigrate_packedReplacedBefore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	old, err := OpenWith(ctx, path, Options{UpTo: 25})
	if err != nil {
		t.Fatal(err)
	}
	run, err := old.BeginRun(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = old.Update(ctx, func(tx *Tx) error {
		pid, err := tx.CreatePlan(Plan{Municipality: "Aarhus", Solution: "KY"})
		if err != nil {
			return err
		}
		_, err = tx.InsertTask(pid, run, model.Task{Pos: model.Pos{Sheet: "Trin 1", Row: 2}, Title: "Fuld"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := old.SQL().QueryRow(`SELECT id FROM tasks`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	// The value as schema 25's sync packed it, then the row replaced.
	packed := packTasks(1, []Task{{ID: id, PlanID: 1, Task: model.Task{Pos: model.Pos{Sheet: "Trin 1", Row: 2}, Title: "Fuld"}, CreatedRun: run, UpdatedRun: run}})
	for _, q := range []string{
		`INSERT INTO plan_tasks_packed (plan_id, version, data) VALUES (1, ` + packVersionText + `, ?)`,
		`REPLACE INTO tasks (id, plan_id, title, sheet, row, created_run_id, updated_run_id) SELECT id, plan_id, 'Ændret', sheet, row, created_run_id, updated_run_id FROM tasks`,
	} {
		args := []any{}
		if bytes.Contains([]byte(q), []byte("?")) {
			args = append(args, packed)
		}
		if _, err := old.SQL().Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	db := openTest(t, path)
	plans, err := db.ListPlans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.PlansTasks(ctx, plans)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Title != "Ændret" {
		t.Errorf("read %+v after the upgrade, want the row's title \"Ændret\"", got)
	}
}

// TestMigrate_insertTriggerMadeByHand: a database of schema 25 with a
// trigger of the name migration 0026 makes (made by hand) upgrades, and
// keeps its packed values current with udrul's triggers.
func TestMigrate_insertTriggerMadeByHand(t *testing.T) {
	upgradeTrusted(t, 25, `CREATE TRIGGER plan_tasks_packed_insert AFTER INSERT ON tasks BEGIN SELECT 1; END`)
}

// upgradeTrusted makes a database at schema upTo, changes it by hand with
// sqls, and checks that opening it with this udrul upgrades it to udrul's
// triggers on the tasks exactly (its packed values trusted).
func upgradeTrusted(t *testing.T, upTo int, sqls ...string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	old, err := OpenWith(ctx, path, Options{UpTo: upTo})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range sqls {
		if _, err := old.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	if ok, err := packTrusted(ctx, db.SQL()); !ok || err != nil {
		t.Errorf("trusted = %v, %v after the upgrade; want udrul's triggers", ok, err)
	}
}

// TestPackPlan_createdRefused: a plan made in the transaction is checked
// by its index only, and still packs nothing for an account that does not
// add up (a task missing, a wrong ID); a right one packs.
func TestPackPlan_createdRefused(t *testing.T) {
	tests := []struct {
		name string
		edit func([]Task) []Task
		want int // plans packed
	}{
		{"right", func(ts []Task) []Task { return ts }, 1},
		{"a task missing", func(ts []Task) []Task { return ts[1:] }, 0},
		{"a wrong ID", func(ts []Task) []Task { ts[0].ID += 100; return ts }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
			run, _ := db.BeginRun(ctx)
			err := db.Update(ctx, func(tx *Tx) error {
				pid, err := tx.CreatePlan(Plan{Municipality: "Aarhus", Solution: "KY"})
				if err != nil {
					return err
				}
				var ts []Task
				for i, title := range []string{"a", "b", "c"} {
					mt := model.Task{Pos: model.Pos{Sheet: "Plan", Row: i + 2}, Title: title, Start: model.NewDate(2026, 8, 17)}
					id, err := tx.InsertTask(pid, run, mt)
					if err != nil {
						return err
					}
					ts = append(ts, Task{ID: id, PlanID: pid, Task: mt, BaselineStart: mt.Start, CreatedRun: run, UpdatedRun: run})
				}
				return tx.PackPlan(pid, tt.edit(ts))
			})
			if err != nil {
				t.Fatal(err)
			}
			if n := packedPlans(t, db); n != tt.want {
				t.Errorf("packed %d plans, want %d", n, tt.want)
			}
			plans, _ := db.ListPlans(ctx)
			readAsRows(t, db, plans)
		})
	}
}
