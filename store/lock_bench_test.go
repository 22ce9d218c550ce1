//go:build unix

package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/reconcile"
)

// bigPlan is a plan of n tasks with IDs, in 20 steps; shift moves every end
// date, so a re-read changes every task.
func bigPlan(n, shift int) []model.Task {
	start, _ := model.ParseISODate("2026-06-01")
	out := make([]model.Task, n)
	for i := range out {
		out[i] = model.Task{Pos: model.Pos{Sheet: "Plan", Row: i + 2}, Step: fmt.Sprintf("Trin %d", i%20), ID: fmt.Sprintf("T%06d", i),
			Title: fmt.Sprintf("Opgave nummer %d med en typisk længde af tekst", i), Responsible: "Kommune", Performer: "Leverandør",
			Start: start.AddDays(i % 300), End: start.AddDays(i%300 + 14 + shift), Status: model.NotStarted}
	}
	return out
}

// cpuTime is the process's CPU time so far (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// applyBig applies a read of the plan and returns how long the write
// transaction (and so the write lock) was held, the CPU time it took (what
// it holds on a machine nobody else loads), and the CPU time of matching
// the read to the stored tasks before the lock is taken.
func applyBig(b *testing.B, db *store.DB, tasks []model.Task, run int) (held, cpu, prepCPU time.Duration) {
	ctx := context.Background()
	runID, err := db.BeginRun(ctx)
	if err != nil {
		b.Fatal(err)
	}
	src, err := db.EnsureSource(ctx, "share", "files", "/share")
	if err != nil {
		b.Fatal(err)
	}
	docs, err := db.Documents(ctx, src)
	if err != nil {
		b.Fatal(err)
	}
	doc := docs["/share/KY_Aarhus.xlsx"]
	doc.Key = "/share/KY_Aarhus.xlsx"
	cpu0 := cpuTime()
	prep, err := reconcile.Prepare(ctx, db, reconcile.Input{RunID: runID, SourceID: src, Doc: doc, Version: fmt.Sprint(run), Hash: fmt.Sprint("h", run),
		Location: doc.Key, Municipality: "Aarhus", Solution: "KY", Wave: "1",
		Plan:  &model.Plan{Tasks: tasks, Metadata: model.Metadata{Extra: map[string]string{}}},
		Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}})
	if err != nil {
		b.Fatal(err)
	}
	start, cpu1 := time.Now(), cpuTime()
	out, err := prep.Apply(ctx, db)
	held, cpu, prepCPU = time.Since(start), cpuTime()-cpu1, cpu1-cpu0
	if err != nil {
		b.Fatal(err)
	}
	if out.Rematched {
		b.Fatal("matched again inside the transaction, though nothing else wrote")
	}
	return held, cpu, prepCPU
}

// BenchmarkApply_100k measures how long applying a 100,000-task plan (the
// readers' limit) holds the write lock (the stored tasks are read and
// matched before, outside the lock: match-cpu-s): a first read (every task inserted)
// and a re-read in which every task's end date moved (every task updated,
// a change recorded for each). Other writers wait for the lock up to
// store.DefaultBusyTimeout.
func BenchmarkApply_100k(b *testing.B) {
	const n = 100_000
	first, slipped := bigPlan(n, 0), bigPlan(n, 7)
	for _, bc := range []struct {
		name string
		prep bool
	}{{"first", false}, {"allChanged", true}} {
		b.Run(bc.name, func(b *testing.B) {
			var worst, worstCPU, worstPrep time.Duration
			for i := range b.N {
				b.StopTimer()
				db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprintf("udrul%d.db", i)))
				if err != nil {
					b.Fatal(err)
				}
				tasks := first
				if bc.prep {
					applyBig(b, db, first, 1)
					tasks = slipped
				}
				b.StartTimer()
				held, cpu, prep := applyBig(b, db, tasks, 2)
				worst, worstCPU, worstPrep = max(worst, held), max(worstCPU, cpu), max(worstPrep, prep)
				b.StopTimer()
				db.Close()
			}
			b.ReportMetric(worst.Seconds(), "lock-s(max)")
			b.ReportMetric(worstCPU.Seconds(), "cpu-s(max)")
			b.ReportMetric(worstPrep.Seconds(), "match-cpu-s(max)")
		})
	}
}
