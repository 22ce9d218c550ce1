package m365_test

import (
	"fmt"
	"testing"

	"github.com/udrul/udrul/internal/fakegraph"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/source/m365"
)

// BenchmarkCallsPerCycle syncs 600 plans kept in one SharePoint library
// folder, then cycles with 0, 1 and 30 changed files, and reports the
// Graph requests (delta pages and content requests) and the downloads
// from the pre-authenticated URLs of one cycle.
func BenchmarkCallsPerCycle(b *testing.B) {
	e := newEnv(b, m365.Config{Folders: []string{"Planer"}}, nil)
	e.fake.PageSize = 200 // about what Graph pages a delta by
	sols := []string{"KY", "KSD", "SAPA", "KP", "FLIS", "SBSIP", "Støttesystemerne"}
	file := func(i int, seed uint64) (string, []byte) {
		mun, sol := parse.Municipalities[i%98], sols[i/98]
		p := plangen.Generate(plangen.Spec{Seed: seed, Layout: plangen.CSVDanish, Municipality: mun, Solution: sol, Wave: 1})
		return "Planer/" + p.FileName(), planBytes(b, p)
	}
	for i := range 600 {
		e.drive.Put(file(i, uint64(i)))
	}
	e.fake.Calls()
	r := e.cycle()
	calls := e.fake.Calls()
	if r.Read != 600 {
		b.Fatalf("first cycle: %s %v", r.Summary(), r.Errors)
	}
	b.Logf("first cycle: %d Graph calls (%v), %d downloads", fakegraph.GraphCalls(calls), calls, calls["download"])
	seed := uint64(10_000)
	for _, changed := range []int{0, 1, 30} {
		b.Run(fmt.Sprintf("changed=%d", changed), func(b *testing.B) {
			var graph, downloads int
			for b.Loop() {
				b.StopTimer() // writing the changed files is not the cycle
				for i := range changed {
					seed++
					e.drive.Put(file(i*20, seed))
				}
				e.fake.Calls()
				b.StartTimer()
				r := e.cycle()
				calls := e.fake.Calls()
				if r.Read != changed || calls["delta"] != 1 || calls["content"] != changed {
					b.Fatalf("%d changed: %s; calls %v", changed, r.Summary(), calls)
				}
				graph, downloads = fakegraph.GraphCalls(calls), calls["download"]
			}
			b.ReportMetric(float64(graph), "graph-calls/cycle")
			b.ReportMetric(float64(downloads), "downloads/cycle")
		})
	}
}
