package app_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/benchmem"
)

// benchReport writes `udrul report`'s workbook for a portfolio of plans
// of 200 generated tasks each, end to end as the command does
// (Env.WriteReports: the evaluation, the store's other figures and the
// workbook), as a preview (the day before the store's today: nothing is
// recorded, so every run does the same work).
func benchReport(b *testing.B, plans int) {
	p := portfolio(b, plans, 200)
	e := p.open(b)
	ctx := context.Background()
	asOf := e.Today().AddDays(-1)
	dir := b.TempDir()
	runtime.GC()
	b.ReportAllocs()
	var cpu time.Duration
	var size int64
	benchmem.Peak(b, func() {
		for b.Loop() {
			t0 := cpuTime()
			paths, _, err := e.WriteReports(ctx, asOf, filepath.Join(dir, "report.xlsx"), "", false)
			if err != nil {
				b.Fatal(err)
			}
			cpu += cpuTime() - t0
			st, err := os.Stat(paths[0])
			if err != nil {
				b.Fatal(err)
			}
			size = st.Size()
		}
	})
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
}

// BenchmarkReport_national writes the report of the national portfolio
// (600 plans, 120,000 tasks), evaluation included.
func BenchmarkReport_national(b *testing.B) { benchReport(b, 600) }

// BenchmarkReport_scale10x writes the report of a portfolio ten times the
// country (6,000 plans, 1,200,000 tasks); it takes minutes to store, so it
// runs only with UDRUL_BENCH_SCALE set.
func BenchmarkReport_scale10x(b *testing.B) {
	if os.Getenv("UDRUL_BENCH_SCALE") == "" {
		b.Skip("set UDRUL_BENCH_SCALE=stream to report on a portfolio of 1.2 million tasks")
	}
	benchReport(b, 6000)
}
