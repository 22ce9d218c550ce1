package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
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

func benchNow() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }

// benchPortfolio is a stored portfolio of generated plans and the
// generated plans (the truth), for edits.
type benchPortfolio struct {
	dbPath string
	plans  []*plangen.Plan
	src    int64
	shift  int // days every twentieth task's end has slipped
}

func benchPlans(n, tasks int) []*plangen.Plan {
	var plans []*plangen.Plan
	for i := range n {
		sol := benchSolutions[i/len(municipality.Names)%len(benchSolutions)]
		if k := i / (len(municipality.Names) * len(benchSolutions)); k > 0 {
			sol = fmt.Sprintf("%s%d", sol, k+1) // more solutions than the country has, for the 10× portfolio
		}
		plans = append(plans, plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.Layouts[i%len(plangen.Layouts)],
			Municipality: municipality.Names[i%len(municipality.Names)], Solution: sol, Wave: i%4 + 1, Tasks: tasks}))
	}
	return plans
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
	p := &benchPortfolio{dbPath: filepath.Join(dir, "udrul.db"), plans: benchPlans(n, tasks)}
	db, err := store.Open(context.Background(), p.dbPath)
	if err != nil {
		tb.Fatal(err)
	}
	db.Now = func() time.Time { return benchNow().AddDate(0, 0, -30) }
	if p.src, err = db.EnsureSource(context.Background(), "share", "files", "/share"); err != nil {
		tb.Fatal(err)
	}
	p.store(tb, db, nil)
	db.Close()
	portfolios[[2]int{n, tasks}] = p
	return p
}

// copyDB copies the portfolio's database (with its WAL checkpointed by the
// close) into a new directory with a configuration, and opens it.
func (p *benchPortfolio) open(tb testing.TB) *app.Env {
	tb.Helper()
	dir := tb.TempDir()
	data, err := os.ReadFile(p.dbPath)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "udrul.db"), data, 0o644); err != nil {
		tb.Fatal(err)
	}
	var cfg strings.Builder
	cfg.WriteString("database: udrul.db\nwaves:\n")
	sols := map[string]bool{}
	for _, pl := range p.plans {
		if sols[pl.Solution] {
			continue
		}
		sols[pl.Solution] = true
		fmt.Fprintf(&cfg, "  %q:\n    waves:\n", pl.Solution)
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
var evaluators = []struct {
	name string
	run  func(ctx context.Context, e *app.Env) (int, error)
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

func benchFindings(b *testing.B, plans int, edit func(b *testing.B, p *benchPortfolio, e **app.Env, i int)) {
	p := portfolio(b, plans, 200)
	for _, ev := range evaluators {
		b.Run(ev.name, func(b *testing.B) {
			e := p.open(b)
			ctx := context.Background()
			runtime.GC()
			b.ReportAllocs()
			n := 0
			benchmem.Peak(b, func() {
				for i := 0; b.Loop(); i++ {
					if edit != nil {
						b.StopTimer()
						edit(b, p, &e, i)
						runtime.GC()
						b.StartTimer()
					}
					var err error
					if n, err = ev.run(ctx, e); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.ReportMetric(float64(n), "findings")
		})
	}
}

// BenchmarkFindings_first evaluates the national portfolio (600 plans,
// 120,000 tasks) and saves its findings into a store that has none.
func BenchmarkFindings_first(b *testing.B) {
	benchFindings(b, 600, func(b *testing.B, p *benchPortfolio, e **app.Env, i int) {
		if i > 0 { // a fresh store for each run
			*e = p.open(b)
		}
	})
}

// BenchmarkFindings_unchanged evaluates again with nothing changed: the
// findings are all open already and nothing is written.
func BenchmarkFindings_unchanged(b *testing.B) {
	benchFindings(b, 600, func(b *testing.B, p *benchPortfolio, e **app.Env, i int) {
		if i == 0 {
			if _, err := (*e).EvaluateFor(context.Background(), benchAsOf, true); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFindings_changed5pct evaluates after 5 % of the tasks slipped a
// week (and back, in turn).
func BenchmarkFindings_changed5pct(b *testing.B) {
	benchFindings(b, 600, func(b *testing.B, p *benchPortfolio, e **app.Env, i int) {
		if i == 0 {
			if _, err := (*e).EvaluateFor(context.Background(), benchAsOf, true); err != nil {
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
