package reconcile

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// BenchmarkGuard compares the guard's review with Match, which every
// apply runs anyway, on a 100,000-task plan (the readers' limit) in its
// worst case: every title changed by a small edit, so that every pair is
// compared beyond equality, and none held.
func BenchmarkGuard(b *testing.B) {
	const n = 100000
	old := make([]store.Task, n)
	read := make([]model.Task, n)
	for i := range n {
		st := plangen.Standard[i%len(plangen.Standard)]
		t := model.Task{Pos: model.Pos{Sheet: "Plan", Row: i + 2}, ID: fmt.Sprint(i + 1), Step: st.Step, Title: fmt.Sprintf("%s %d", st.Title, i)}
		old[i] = store.Task{ID: int64(i + 1), Task: t}
		t.Title = strings.ToUpper(strings.Replace(t.Title, "e", "", 1))
		read[i] = t
	}
	g := Guard{MaxLoss: 0.5, MinTasks: 4, MaxRetitled: 0.5, MaxTailLoss: 0.2}
	same := make([]model.Task, n)
	for i := range n {
		same[i] = old[i].Task
	}
	for _, c := range []struct {
		name  string
		read  []model.Task
		check bool
	}{{"match", read, false}, {"review/all-edited", read, true}, {"match/unchanged", same, false}, {"review/unchanged", same, true}} {
		in := Input{Municipality: "Aarhus", Solution: "KY", Plan: &model.Plan{Tasks: c.read}}
		pairs, rest := Match(old, c.read)
		b.Run(c.name, func(b *testing.B) {
			cpu := cpuTime()
			for range b.N {
				if !c.check {
					Match(old, c.read)
				} else if why := g.review(in, old, pairs, rest); why != "" {
					b.Fatal(why)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the process's CPU time so far (user and system, every
// thread: the garbage collector's work included).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
