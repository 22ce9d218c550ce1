package syncer_test

import (
	"context"
	"crypto/sha256"
	"flag"
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

	"github.com/udrul/udrul/internal/benchmem"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/syncer"
)

var benchSolutions = []string{"KY", "KSD", "SAPA", "KP", "FLIS", "SBSIP", "Støttesystemerne"}

// portfolio writes (once per machine) 600 plans of 200 tasks each, 120,000
// tasks in all, in every layout.
func portfolio(b *testing.B) (string, []*plangen.Plan) {
	b.Helper()
	var plans []*plangen.Plan
	for i := range 600 {
		plans = append(plans, plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.Layouts[i%len(plangen.Layouts)],
			Municipality: parse.Municipalities[i%len(parse.Municipalities)], Solution: benchSolutions[i/len(parse.Municipalities)], Wave: i%4 + 1, Tasks: 200}))
	}
	return writePortfolio(b, "sync600x200", len(plans), func(i int) *plangen.Plan { return plans[i] }), plans
}

// writePortfolio writes n plans made by gen into a folder below the
// system's temporary folder, once per machine and version of the
// generator: the folder's name carries a fingerprint of the first plans
// (one of each layout: their file names and tasks) and of n, and it takes
// that name only when every file is written, so that a folder left by
// another version of the generator, or by a run stopped half-way, is never
// read as this portfolio. The plans are made and written one at a time.
func writePortfolio(b *testing.B, name string, n int, gen func(i int) *plangen.Plan) string {
	b.Helper()
	h := sha256.New()
	fmt.Fprintf(h, "%d\n", n)
	for i := range min(n, 2*len(plangen.Layouts)) {
		p := gen(i)
		io.WriteString(h, p.FileName()+"\x00"+string(p.Layout)+"\x00")
		for _, t := range p.Tasks {
			io.WriteString(h, t.ID+"\x00"+t.Step+"\x00"+t.Title+"\x00"+t.Responsible+"\x00"+t.Start.String()+"\x00"+t.End.String()+"\x00"+string(t.Status)+"\n")
		}
	}
	root := filepath.Join(os.TempDir(), "udrul-bench")
	dir := filepath.Join(root, fmt.Sprintf("%s-%x", name, h.Sum(nil)[:6]))
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		b.Fatal(err)
	}
	tmp, err := os.MkdirTemp(root, name+"-writing-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if _, err := gen(i).Write(tmp); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	os.Chmod(tmp, 0o755)
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(dir); statErr != nil {
			b.Fatal(err)
		}
		// Another run wrote the same portfolio meanwhile.
	}
	return dir
}

// cpuTime is the process's CPU time so far (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the process's CPU time per iteration since start (cpu-s):
// on a machine other work loads, the wall time says little, the CPU time a
// benchmark took still does.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
}

func benchSyncer(b *testing.B, dbPath string) *syncer.Syncer {
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return &syncer.Syncer{DB: db, Parser: parse.New(parse.Options{}), Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}}
}

func cycle(b *testing.B, s *syncer.Syncer, dir string) syncer.Result {
	res, err := s.Cycle(context.Background(), []syncer.Target{{Source: source.NewFiles("share", dir, false), Identify: identifyByMetadata}}, syncer.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if !res[0].OK() {
		b.Fatalf("sync failed: %s %v", res[0].Summary(), res[0].Errors)
	}
	return res[0]
}

// BenchmarkSync_first is a first sync of 600 plans, 120,000 tasks, into a
// new database.
func BenchmarkSync_first(b *testing.B) {
	dir, _ := portfolio(b)
	runtime.GC() // generating the portfolio's truth is not the sync's peak
	b.ReportAllocs()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	benchmem.Peak(b, func() {
		for i := 0; b.Loop(); i++ {
			s := benchSyncer(b, filepath.Join(b.TempDir(), "udrul.db"))
			if r := cycle(b, s, dir); r.Added != 120_000 || r.Created != 600 {
				b.Fatalf("added %d tasks in %d plans, want 120000 in 600", r.Added, r.Created)
			}
		}
	})
}

// BenchmarkSync_unchanged re-syncs the 600 plans when nothing changed.
func BenchmarkSync_unchanged(b *testing.B) {
	dir, _ := portfolio(b)
	s := benchSyncer(b, filepath.Join(b.TempDir(), "udrul.db"))
	cycle(b, s, dir)
	runtime.GC() // the first sync's garbage is not this benchmark's peak
	b.ReportAllocs()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	benchmem.Peak(b, func() {
		for b.Loop() {
			if r := cycle(b, s, dir); r.Read != 0 || r.Unchanged != 600 {
				b.Fatalf("read %d, unchanged %d", r.Read, r.Unchanged)
			}
		}
	})
}

// BenchmarkSync_changed5pct re-syncs after 30 of the 600 plans changed (a
// slipped date in each): the cost follows what changed.
func BenchmarkSync_changed5pct(b *testing.B) {
	dir, plans := portfolio(b)
	work := filepath.Join(b.TempDir(), "plans")
	os.MkdirAll(work, 0o755)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		os.WriteFile(filepath.Join(work, e.Name()), data, 0o644)
	}
	// Two versions of 30 plans, written in turn.
	type version struct {
		path string
		data [2][]byte
	}
	var changed []version
	tmp := b.TempDir()
	for i := 0; i < 600; i += 20 {
		p := plans[i]
		v := version{path: filepath.Join(work, p.FileName())}
		v.data[0], _ = os.ReadFile(v.path)
		p.Slip(5, 7)
		path, err := p.Write(tmp)
		if err != nil {
			b.Fatal(err)
		}
		v.data[1], _ = os.ReadFile(path)
		p.Slip(5, -7)
		changed = append(changed, v)
	}
	s := benchSyncer(b, filepath.Join(b.TempDir(), "udrul.db"))
	cycle(b, s, work)
	b.ReportAllocs()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	benchmem.Peak(b, func() {
		for i := 1; b.Loop(); i++ {
			for _, v := range changed {
				os.WriteFile(v.path, v.data[i%2], 0o644)
			}
			if r := cycle(b, s, work); r.Read != 30 || r.Changed != 30 {
				b.Fatalf("read %d, changed %d; want 30 and 30", r.Read, r.Changed)
			}
		}
	})
}

// scaleSolutions are the 62 solutions of the scale portfolio: the shared
// ones and made-up codes, so that 6,000 plans have 6,000 names.
var scaleSolutions = func() []string {
	out := append([]string(nil), benchSolutions...)
	for i := 0; len(out) < 62; i++ {
		out = append(out, fmt.Sprintf("SYS%c%c", 'A'+i/26, 'A'+i%26))
	}
	return out
}()

// BenchmarkSync_scale6000 is a first sync of ten times the country: 6,000
// plans of 200 tasks, 1.2 million tasks. The cycle's memory must follow its
// largest plans (the hold budget), not the portfolio. Slow (writing the
// files takes minutes the first time): it runs only when the -bench
// pattern names it ("scale") or UDRUL_BENCH_SCALE is set. Run it alone:
// maxrss-MB is the process's peak.
func BenchmarkSync_scale6000(b *testing.B) {
	if pat := flag.Lookup("test.bench"); os.Getenv("UDRUL_BENCH_SCALE") == "" && (pat == nil || !strings.Contains(strings.ToLower(pat.Value.String()), "scale")) {
		b.Skip("slow: run with -bench Sync_scale6000 (or UDRUL_BENCH_SCALE=1)")
	}
	const n = 6000
	munis := len(parse.Municipalities)
	dir := writePortfolio(b, "sync6000x200", n, func(i int) *plangen.Plan {
		return plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.Layouts[i%len(plangen.Layouts)],
			Municipality: parse.Municipalities[i%munis], Solution: scaleSolutions[i/munis], Wave: i%4 + 1, Tasks: 200})
	})
	runtime.GC()
	b.ReportAllocs()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	benchmem.Peak(b, func() {
		for b.Loop() {
			s := benchSyncer(b, filepath.Join(b.TempDir(), "udrul.db"))
			s.Parser = parse.New(parse.Options{Solutions: scaleSolutions})
			if r := cycle(b, s, dir); r.Added != n*200 || r.Created != n {
				b.Fatalf("added %d tasks in %d plans, want %d in %d", r.Added, r.Created, n*200, n)
			}
		}
	})
}
