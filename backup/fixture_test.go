package backup_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/parse"
)

var solutions = []string{"KY", "KSD", "SAPA", "KP", "FLIS", "SBSIP", "Støttesystemerne"}

// fill stores plans plans of tasks tasks each (from plangen), each plan in
// one transaction, then moves every task's end date changes times, one
// transaction per plan and round, so that the history is as deep as a
// year's syncs make it.
func fill(tb testing.TB, db *store.DB, plans, tasks, changes int) {
	tb.Helper()
	ctx := context.Background()
	run, err := db.BeginRun(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	ids := make([][]int64, plans)
	gen := make([]*plangen.Plan, plans)
	for i := range plans {
		p := plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.Blocks, Municipality: parse.Municipalities[i%len(parse.Municipalities)],
			Solution: solutions[(i/len(parse.Municipalities))%len(solutions)], Wave: i%4 + 1, Tasks: tasks})
		gen[i] = p
		err := db.Update(ctx, func(tx *store.Tx) error {
			id, err := tx.CreatePlan(store.Plan{Municipality: p.Municipality, Solution: p.Solution + suffix(i), Wave: fmt.Sprint(p.Wave)})
			if err != nil {
				return err
			}
			for _, t := range p.Tasks {
				tid, err := tx.InsertTask(id, run, t)
				if err != nil {
					return err
				}
				ids[i] = append(ids[i], tid)
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	for round := range changes {
		for i, p := range gen {
			err := db.Update(ctx, func(tx *store.Tx) error {
				for j, t := range p.Tasks {
					old := t.End
					t.End = t.End.AddDays(round + 1)
					if err := tx.UpdateTask(ids[i][j], run, t); err != nil {
						return err
					}
					if err := tx.AddChange(ids[i][j], run, "end", old.String(), t.End.String()); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := db.FinishRun(ctx, run, "ok", "fixture"); err != nil {
		tb.Fatal(err)
	}
}

// suffix keeps plan keys unique when there are more plans than
// municipalities × solutions.
func suffix(i int) string {
	if n := i / (len(parse.Municipalities) * len(solutions)); n > 0 {
		return fmt.Sprintf("-%d", n)
	}
	return ""
}

func openDB(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func newDB(tb testing.TB) (*store.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "udrul.db")
	return openDB(tb, path), path
}

func taskNamed(title string) model.Task {
	return model.Task{Title: title, Step: "Trin 1", Start: model.NewDate(2026, 3, 2), End: model.NewDate(2026, 4, 1), Status: model.NotStarted}
}
