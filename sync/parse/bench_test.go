package parse_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/benchmem"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/xuri/excelize/v2"
)

// benchFile generates a plan file once per machine and reuses it: writing a
// 100,000-row workbook takes longer than reading it.
func benchFile(b *testing.B, layout plangen.Layout, tasks int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "udrul-bench", fmt.Sprintf("%s-%d", layout, tasks))
	p := plangen.Generate(plangen.Spec{Seed: 42, Layout: layout, Municipality: "Aarhus", Solution: "KY", Wave: 1, Tasks: tasks})
	path := filepath.Join(dir, p.FileName())
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if _, err := p.Write(dir); err != nil {
		b.Fatal(err)
	}
	return path
}

func readAndParse(b *testing.B, path string, parser *parse.Parser) int {
	return len(benchPlan(b, path, parser).Tasks)
}

// benchPlan is what udrul check does with one file.
func benchPlan(b *testing.B, path string, parser *parse.Parser) *model.Plan {
	plan, err := parser.ReadFile(path, grid.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return plan
}

// sampler samples the heap in use every 2 ms; peak is the largest sample
// above the heap in use when it started (after a collection).
type sampler struct {
	base, peak atomic.Uint64
	stop       chan struct{}
	done       sync.WaitGroup
}

func startSampler() *sampler {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s := &sampler{stop: make(chan struct{})}
	s.base.Store(ms.HeapInuse)
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		var ms runtime.MemStats
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > s.peak.Load() {
				s.peak.Store(ms.HeapInuse)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// end stops the sampler and returns the peak above the start, in MB.
func (s *sampler) end() float64 {
	close(s.stop)
	s.done.Wait()
	return float64(s.peak.Load()-min(s.base.Load(), s.peak.Load())) / (1 << 20)
}

// heapMB is the heap in use after a collection, in MB.
func heapMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse) / (1 << 20)
}

// cpuSeconds is the process's CPU time (user and system) so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkSideBySide_xlsx100k reads the 100,000-task workbook with udrul
// and with a bare excelize Rows iteration of raw values in each iteration,
// and reports both times (CPU seconds), both peaks (heap in use above the
// start) and their ratios in one run. tasks-MB is the heap the parsed plan
// keeps (measured after a collection, the reader's memory gone):
// peak-ratio is udrul's peak less the tasks over excelize's peak.
func BenchmarkSideBySide_xlsx100k(b *testing.B) {
	path := benchFile(b, plangen.Blocks, 100_000)
	parser := parse.New(parse.Options{})
	var exT, udT, exPeak, udPeak, tasks float64
	for b.Loop() {
		s := startSampler()
		t0 := cpuSeconds()
		excelizeRows(b, path, excelize.Options{RawCellValue: true})
		exT += cpuSeconds() - t0
		exPeak += s.end()

		before := heapMB()
		s = startSampler()
		t0 = cpuSeconds()
		plan := benchPlan(b, path, parser)
		udT += cpuSeconds() - t0
		udPeak += s.end()
		tasks += heapMB() - before
		runtime.KeepAlive(plan)
	}
	n := float64(b.N)
	b.ReportMetric(exT/n, "excelize-cpu-s")
	b.ReportMetric(udT/n, "udrul-cpu-s")
	b.ReportMetric(udT/exT, "time-ratio")
	b.ReportMetric(exPeak/n, "excelize-peak-MB")
	b.ReportMetric(udPeak/n, "udrul-peak-MB")
	b.ReportMetric(tasks/n, "tasks-MB")
	b.ReportMetric((udPeak-tasks)/exPeak, "peak-ratio")
}

// BenchmarkRead_xlsx100k reads and parses a 100,000-task workbook: compare
// with BenchmarkExcelizeRows_xlsx100k, a bare excelize iteration over the
// same file.
func BenchmarkRead_xlsx100k(b *testing.B) {
	path := benchFile(b, plangen.Blocks, 100_000)
	parser := parse.New(parse.Options{})
	runtime.GC()
	b.ReportAllocs()
	n := 0
	benchmem.Peak(b, func() {
		for b.Loop() {
			n = readAndParse(b, path, parser)
		}
	})
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func excelizeRows(b *testing.B, path string, opts excelize.Options) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			if _, err := rows.Columns(opts); err != nil {
				b.Fatal(err)
			}
		}
		rows.Close()
	}
}

// BenchmarkExcelizeRows_xlsx100k is the baseline: excelize's Rows over every
// sheet, with raw values (what udrul reads) and with formatted values
// (excelize's default).
func BenchmarkExcelizeRows_xlsx100k(b *testing.B) {
	path := benchFile(b, plangen.Blocks, 100_000)
	for _, bc := range []struct {
		name string
		opts excelize.Options
	}{{"raw", excelize.Options{RawCellValue: true}}, {"formatted", excelize.Options{}}} {
		b.Run(bc.name, func(b *testing.B) {
			runtime.GC()
			b.ReportAllocs()
			benchmem.Peak(b, func() {
				for b.Loop() {
					excelizeRows(b, path, bc.opts)
				}
			})
		})
	}
}

// BenchmarkRead_csv100k reads and parses a 100,000-task Danish CSV file.
func BenchmarkRead_csv100k(b *testing.B) {
	path := benchFile(b, plangen.CSVDanish, 100_000)
	parser := parse.New(parse.Options{})
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = readAndParse(b, path, parser)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRead_folder600 reads and parses a folder of 600 typical plans
// (every layout, about 26 tasks each) on all cores, as udrul check does.
func BenchmarkRead_folder600(b *testing.B) {
	paths := folder600(b)
	parser := parse.New(parse.Options{})
	b.ReportAllocs()
	benchmem.Peak(b, func() {
		for b.Loop() {
			onAllCores(paths, func(path string) { readAndParse(b, path, parser) })
		}
	})
	b.ReportMetric(600*float64(b.N)/b.Elapsed().Seconds(), "plans/s")
}

// BenchmarkExcelizeRows_folder600 is BenchmarkRead_folder600's baseline: a
// bare excelize Rows iteration (raw values) over the same 600 plans on all
// cores, the CSV files read with encoding/csv.
func BenchmarkExcelizeRows_folder600(b *testing.B) {
	paths := folder600(b)
	b.ReportAllocs()
	benchmem.Peak(b, func() {
		for b.Loop() {
			onAllCores(paths, func(path string) { bareRows(b, path) })
		}
	})
	b.ReportMetric(600*float64(b.N)/b.Elapsed().Seconds(), "plans/s")
}

// BenchmarkSideBySide_folder600 runs both in each iteration and reports
// the ratio of their CPU time.
func BenchmarkSideBySide_folder600(b *testing.B) {
	paths := folder600(b)
	parser := parse.New(parse.Options{})
	var exT, udT float64
	for b.Loop() {
		t0 := cpuSeconds()
		onAllCores(paths, func(path string) { bareRows(b, path) })
		exT += cpuSeconds() - t0
		t0 = cpuSeconds()
		onAllCores(paths, func(path string) { readAndParse(b, path, parser) })
		udT += cpuSeconds() - t0
	}
	b.ReportMetric(exT/float64(b.N), "bare-cpu-s")
	b.ReportMetric(udT/float64(b.N), "udrul-cpu-s")
	b.ReportMetric(udT/exT, "time-ratio")
}

// bareRows iterates a plan's rows without understanding them: excelize's
// Rows for a workbook, encoding/csv for a text file.
func bareRows(b *testing.B, path string) {
	switch filepath.Ext(path) {
	case ".xlsx", ".xlsm":
		excelizeRows(b, path, excelize.Options{RawCellValue: true})
	default:
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		text, _, err := grid.DecodeText(data)
		if err != nil {
			b.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord, r.ReuseRecord = grid.DetectDelimiter(text), true, -1, true
		for {
			if _, err := r.Read(); err != nil {
				break
			}
		}
	}
}

func onAllCores(paths []string, f func(path string)) {
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range jobs {
				f(path)
			}
		}()
	}
	for _, p := range paths {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
}

// folder600 writes (once per machine) 600 typical plans, every layout.
func folder600(b *testing.B) []string {
	dir := filepath.Join(os.TempDir(), "udrul-bench", "folder600")
	var paths []string
	for i := range 600 {
		p := plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.Layouts[i%len(plangen.Layouts)],
			Municipality: parse.Municipalities[i%len(parse.Municipalities)], Solution: []string{"KY", "KSD", "SAPA", "KP", "FLIS", "SBSIP"}[i/98%6], Wave: i%5 + 1})
		path := filepath.Join(dir, p.FileName())
		if _, err := os.Stat(path); err != nil {
			os.MkdirAll(dir, 0o755)
			if _, err := p.Write(dir); err != nil {
				b.Fatal(err)
			}
		}
		paths = append(paths, path)
	}
	return paths
}

// BenchmarkRead_gantt10k reads and parses a 10,000-task Gantt timeline (a
// column per week, marks in each task's weeks, across a new year).
func BenchmarkRead_gantt10k(b *testing.B) {
	p := plangen.Generate(plangen.Spec{Seed: 1, Layout: plangen.GanttMarks, Municipality: "Aarhus", Solution: "KY", Wave: 1,
		Start: model.NewDate(2026, 10, 5), Tasks: 10000})
	path, err := p.Write(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	parser := parse.New(parse.Options{})
	b.ReportAllocs()
	for b.Loop() {
		g, err := grid.ReadFile(path, grid.Options{})
		if err != nil {
			b.Fatal(err)
		}
		plan, err := parser.Parse(g)
		if err != nil || len(plan.Tasks) != len(p.Tasks) {
			b.Fatalf("%v: %d tasks, want %d", err, len(plan.Tasks), len(p.Tasks))
		}
	}
	b.ReportMetric(float64(len(p.Tasks))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkParse_csvDates100k parses (without reading) a 100,000-task
// Danish CSV file whose dates are all text (01-06-2026): the cost of the
// date readers per cell.
func BenchmarkParse_csvDates100k(b *testing.B) {
	path := benchFile(b, plangen.CSVDanish, 100_000)
	g, err := grid.ReadFile(path, grid.Options{})
	if err != nil {
		b.Fatal(err)
	}
	parser := parse.New(parse.Options{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parser.Parse(g); err != nil {
			b.Fatal(err)
		}
	}
}
