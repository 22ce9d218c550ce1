package store

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
)

// TestDB_PlansTasks: the tasks read plan by plan are ListTasks' (current
// ones only, by sheet and row, inserted in another order), with their plan.
func TestDB_PlansTasks(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	run, err := db.BeginRun(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var removed int64
	err = db.Update(ctx, func(tx *Tx) error {
		for _, p := range []struct{ mun, sol string }{{"Odense", "KY"}, {"Aarhus", "KSD"}, {"Aarhus", "KY"}} {
			pid, err := tx.CreatePlan(Plan{Municipality: p.mun, Solution: p.sol})
			if err != nil {
				return err
			}
			for _, pos := range []model.Pos{{Sheet: "Trin 2", Row: 3}, {Sheet: "Trin 1", Row: 9}, {Sheet: "Trin 1", Row: 2}, {Sheet: "Trin 1", Row: 2}} {
				id, err := tx.InsertTask(pid, run, model.Task{Pos: pos, Title: p.mun + " " + pos.Sheet, Start: model.NewDate(2026, 8, 17)})
				if err != nil {
					return err
				}
				removed = id
			}
			// Every field set, and texts holding the separator the
			// rows are read with (U+001F) or looking like numbers.
			full := model.Task{Pos: model.Pos{Sheet: "Trin 3", Row: 4}, Step: "Trin 3", ID: "A-1", Title: "Fuld", Responsible: "IT", Performer: "Leverandør",
				Start: model.NewDate(2026, 8, 17), End: model.NewDate(2026, 9, 4), StartAs: model.Written{Text: "uge 34", Precision: model.Week, YearAssumed: true},
				EndAs: model.Written{Text: "primo september", Precision: model.Part}, Status: model.Done, RawStatus: "Færdig", Health: model.HealthGreen,
				Notes: "note, med komma", After: []string{"3", "row:7"}}
			odd := full
			odd.Pos.Row, odd.Title, odd.Notes, odd.ID = 5, "a\x1fb", "\x1f", "7\x1f8"
			// A NUL, the record separator (U+001E), a long text, bytes
			// that are not UTF-8, and the separator at the ends.
			nul := full
			nul.Pos.Row, nul.Title, nul.Notes, nul.Responsible = 6, "a\x00b", "x\x1ey\x1e", strings.Repeat("lang tekst ", 20000)
			bad := full
			bad.Pos.Row, bad.Title, bad.Step, bad.Health = 7, "\xff\xfe", "\x1f", "\x1fred"
			for _, tk := range []model.Task{full, odd, nul, bad} {
				if _, err := tx.InsertTask(pid, run, tk); err != nil {
					return err
				}
			}
		}
		return tx.RemoveTask(removed, run)
	})
	if err != nil {
		t.Fatal(err)
	}
	plans, err := db.ListPlans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := db.ListTasks(ctx, TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.PlansTasks(ctx, plans)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 23 || len(got) != len(want) {
		t.Fatalf("%d tasks, want 23 as ListTasks gives %d", len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i].Task, want[i].Task) || got[i].Plan.ID != want[i].Plan.ID || got[i].Plan.ID != got[i].PlanID {
			t.Errorf("#%d: got %+v of plan %d, want %+v of plan %d", i, got[i].Task, got[i].Plan.ID, want[i].Task, want[i].Plan.ID)
		}
	}
}
