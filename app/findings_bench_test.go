package app_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/internal/benchmem"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/municipality"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/reconcile"
)

// The findings benchmarks evaluate and save the findings of a portfolio
// stored in a real SQLite file: the plans the project's generator makes,
// stored as the syncer stores them (reconcile), without reading files.

var benchSolutions = []string{"KY", "KSD", "SAPA", "KP", "FLIS", "SBSIP", "Støttesystemerne"}

// benchAsOf is the date the benchmarks evaluate for; the store's clock
// stands at its morning, so the edits between runs are in the last week.
var benchAsOf = model.NewDate(2026, 11, 26)

// cpuTime is the process's CPU time so far (user and system): with other
// work on the machine, a fairer measure than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchNow() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }

// benchPortfolio is a stored portfolio of generated plans and the
// generated plans (the truth), for edits.
type benchPortfolio struct {
	dbPath string
	plans  []*plangen.Plan
	src    int64
	shift  int // days every twentieth task's end has slipped
	// solutions are the plans' solutions (the plans themselves are not
	// kept for the 10× portfolio).
	solutions []string
}

// benchPlan is the portfolio's plan i.
func benchPlan(i, tasks int) *plangen.Plan {
	sol := benchSolutions[i/len(municipality.Names)%len(benchSolutions)]
	if k := i / (len(municipality.Names) * len(benchSolutions)); k > 0 {
		sol = fmt.Sprintf("%s%d", sol, k+1) // more solutions than the country has, for the 10× portfolio
	}
	return plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.Layouts[i%len(plangen.Layouts)],
		Municipality: municipality.Names[i%len(municipality.Names)], Solution: sol, Wave: i%4 + 1, Tasks: tasks})
}

// store applies the plans' current truth to the store in one sync run.
func (p *benchPortfolio) store(tb testing.TB, db *store.DB, only []int) {
	tb.Helper()
	ctx := context.Background()
	run, err := db.BeginRun(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	docs, err := db.Documents(ctx, p.src)
	if err != nil {
		tb.Fatal(err)
	}
	if only == nil {
		for i := range p.plans {
			only = append(only, i)
		}
	}
	for _, i := range only {
		pl := p.plans[i]
		key := filepath.Join("/share", pl.FileName())
		doc := docs[key]
		doc.Key = key
		if _, err := reconcile.Apply(ctx, db, reconcile.Input{RunID: run, SourceID: p.src, Doc: doc, Version: fmt.Sprint(run), Hash: fmt.Sprint("h", run),
			Location: key, Municipality: pl.Municipality, Solution: pl.Solution, Wave: fmt.Sprint(pl.Wave),
			Plan: &model.Plan{File: key, Tasks: append([]model.Task(nil), pl.Tasks...)}, Guard: reconcile.Guard{MaxLoss: 0.9, MinTasks: 4}}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := db.FinishRun(ctx, run, "ok", ""); err != nil {
		tb.Fatal(err)
	}
}

// TestMain removes the stored portfolios.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, p := range portfolios {
		os.RemoveAll(filepath.Dir(p.dbPath))
	}
	os.Exit(code)
}

var (
	portfolioMu sync.Mutex
	portfolios  = map[[2]int]*benchPortfolio{}
)

// portfolio stores (once per process) n generated plans of the given
// number of tasks (0: the standard plan's) in a SQLite file that each
// benchmark copies.
func portfolio(tb testing.TB, n, tasks int) *benchPortfolio {
	tb.Helper()
	portfolioMu.Lock()
	defer portfolioMu.Unlock()
	if p := portfolios[[2]int{n, tasks}]; p != nil {
		return p
	}
	dir, err := os.MkdirTemp("", "udrul-findings-bench")
	if err != nil {
		tb.Fatal(err)
	}
	p := &benchPortfolio{dbPath: filepath.Join(dir, "udrul.db")}
	db, err := store.Open(context.Background(), p.dbPath)
	if err != nil {
		tb.Fatal(err)
	}
	db.Now = func() time.Time { return benchNow().AddDate(0, 0, -30) }
	if p.src, err = db.EnsureSource(context.Background(), "share", "files", "/share"); err != nil {
		tb.Fatal(err)
	}
	// Generated and stored 600 at a time; the plans are kept for edits
	// unless there are more.
	sols := map[string]bool{}
	var all []*plangen.Plan
	for from := 0; from < n; from += 600 {
		p.plans = nil
		for i := from; i < min(from+600, n); i++ {
			pl := benchPlan(i, tasks)
			p.plans = append(p.plans, pl)
			if !sols[pl.Solution] {
				sols[pl.Solution] = true
				p.solutions = append(p.solutions, pl.Solution)
			}
		}
		p.store(tb, db, nil)
		if n <= 600 {
			all = append(all, p.plans...)
		}
	}
	p.plans = all
	db.Close()
	portfolios[[2]int{n, tasks}] = p
	return p
}

func copyFile(tb testing.TB, from, to string) {
	tb.Helper()
	src, err := os.Open(from)
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		tb.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		tb.Fatal(err)
	}
}

// open copies the portfolio's database (with its WAL checkpointed by the
// close) into a new directory with a configuration, and opens it.
func (p *benchPortfolio) open(tb testing.TB) *app.Env {
	tb.Helper()
	dir := tb.TempDir()
	copyFile(tb, p.dbPath, filepath.Join(dir, "udrul.db"))
	var cfg strings.Builder
	cfg.WriteString("database: udrul.db\nwaves:\n")
	for _, sol := range p.solutions {
		fmt.Fprintf(&cfg, "  %q:\n    waves:\n", sol)
		for w := 1; w <= 4; w++ {
			fmt.Fprintf(&cfg, "      %q: {go_live: %s}\n", fmt.Sprint(w), model.NewDate(2027, 1, 11).AddDays(28*(w-1)))
		}
	}
	path := filepath.Join(dir, "udrul.yaml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	e, err := app.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	e.DB.Now = benchNow
	tb.Cleanup(func() { e.Close() })
	return e
}

// slip moves the end of every twentieth task of every plan (5 % of the
// tasks) to days after the generated date, and stores the plans.
func (p *benchPortfolio) slip(tb testing.TB, db *store.DB, days int) {
	for _, pl := range p.plans {
		for i := 0; i < len(pl.Tasks); i += 20 {
			pl.Slip(i, days-p.shift)
		}
	}
	p.shift = days
	p.store(tb, db, nil)
}

// evaluators are the ways of evaluating and saving: all at once (the
// tasks of every plan in memory) and streamed by municipality.
type evalFunc func(ctx context.Context, e *app.Env) (int, error)

var evaluators = []struct {
	name string
	run  evalFunc
}{
	{"all", func(ctx context.Context, e *app.Env) (int, error) {
		ev, err := e.EvaluateFor(ctx, benchAsOf, true)
		if err != nil {
			return 0, err
		}
		return len(ev.Findings), nil
	}},
	{"stream", func(ctx context.Context, e *app.Env) (int, error) {
		n := 0
		_, _, err := e.EvaluateStream(ctx, benchAsOf, benchAsOf.AddDays(-6), true, func(g *detect.Group) error {
			n += len(g.Findings)
			return nil
		})
		return n, err
	}},
}

func benchFindings(b *testing.B, plans int, only string, edit func(b *testing.B, p *benchPortfolio, e **app.Env, i int, run evalFunc)) {
	p := portfolio(b, plans, 200)
	for _, ev := range evaluators {
		if only != "" && ev.name != only {
			continue
		}
		b.Run(ev.name, func(b *testing.B) {
			e := p.open(b)
			ctx := context.Background()
			runtime.GC()
			b.ReportAllocs()
			n := 0
			var cpu time.Duration
			written := 0 // findings written by the last run
			benchmem.Peak(b, func() {
				for i := 0; b.Loop(); i++ {
					if edit != nil {
						b.StopTimer()
						edit(b, p, &e, i, ev.run)
						runtime.GC()
						b.StartTimer()
					}
					var err error
					t0 := cpuTime()
					if n, err = ev.run(ctx, e); err != nil {
						b.Fatal(err)
					}
					cpu += cpuTime() - t0
					if written, err = lastWritten(ctx, e.DB); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.ReportMetric(float64(n), "findings")
			b.ReportMetric(float64(written), "written")
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// lastWritten is the rows the latest saved evaluation (of benchAsOf)
// wrote: opened, changed and resolved.
func lastWritten(ctx context.Context, db *store.DB) (int, error) {
	var asOf string
	var n int
	err := db.SQL().QueryRowContext(ctx, `SELECT as_of, opened + changed + resolved FROM evaluations ORDER BY id DESC LIMIT 1`).Scan(&asOf, &n)
	if err == nil && asOf != benchAsOf.String() {
		err = fmt.Errorf("the latest evaluation is of %s, want %s", asOf, benchAsOf)
	}
	return n, err
}

// BenchmarkFindings_first evaluates the national portfolio (600 plans,
// 120,000 tasks) and saves its findings into a store that has none.
func BenchmarkFindings_first(b *testing.B) {
	benchFindings(b, 600, "", func(b *testing.B, p *benchPortfolio, e **app.Env, i int, run evalFunc) {
		if i > 0 { // a fresh store for each run
			*e = p.open(b)
		}
	})
}

// BenchmarkFindings_unchanged evaluates again with nothing changed: the
// findings are all open already and nothing is written.
func BenchmarkFindings_unchanged(b *testing.B) {
	benchFindings(b, 600, "", func(b *testing.B, p *benchPortfolio, e **app.Env, i int, run evalFunc) {
		if i == 0 {
			if _, err := run(context.Background(), *e); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFindings_changed5pct evaluates after 5 % of the tasks slipped a
// week (and back, in turn).
func BenchmarkFindings_changed5pct(b *testing.B) {
	benchFindings(b, 600, "", func(b *testing.B, p *benchPortfolio, e **app.Env, i int, run evalFunc) {
		if i == 0 {
			if _, err := run(context.Background(), *e); err != nil {
				b.Fatal(err)
			}
		}
		days := 7
		if i%2 == 1 {
			days = 0
		}
		p.slip(b, (*e).DB, days)
	})
}

// BenchmarkFindings_scale10x evaluates a portfolio ten times the country
// (6,000 plans, 1,200,000 tasks), streamed; it takes minutes to store, so
// it runs only with UDRUL_BENCH_SCALE set (to "all", it also evaluates
// everything at once, which holds every task). The store and a
// configuration stay in $UDRUL_BENCH_SCALE_DIR, when set, for measuring
// `udrul findings` on them.
func BenchmarkFindings_scale10x(b *testing.B) {
	which := os.Getenv("UDRUL_BENCH_SCALE")
	if which == "" {
		b.Skip("set UDRUL_BENCH_SCALE=stream (or all) to evaluate a portfolio of 1.2 million tasks")
	}
	only := "stream"
	if which == "all" {
		only = ""
	}
	if dir := os.Getenv("UDRUL_BENCH_SCALE_DIR"); dir != "" {
		p := portfolio(b, 6000, 200)
		e := p.open(b)
		e.Close()
		for _, name := range []string{"udrul.db", "udrul.yaml"} {
			copyFile(b, filepath.Join(filepath.Dir(e.Cfg.Path()), name), filepath.Join(dir, name))
		}
	}
	benchFindings(b, 6000, only, nil)
}
