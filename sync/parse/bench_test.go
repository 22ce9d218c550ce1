package parse_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

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
	g, err := grid.ReadFile(path, grid.Options{})
	if err != nil {
		b.Fatal(err)
	}
	plan, err := parser.Parse(g)
	if err != nil {
		b.Fatal(err)
	}
	return len(plan.Tasks)
}

// BenchmarkRead_xlsx100k reads and parses a 100,000-task workbook: compare
// with BenchmarkExcelizeRows_xlsx100k, a bare excelize iteration over the
// same file.
func BenchmarkRead_xlsx100k(b *testing.B) {
	path := benchFile(b, plangen.Blocks, 100_000)
	parser := parse.New(parse.Options{})
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = readAndParse(b, path, parser)
	}
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
			b.ReportAllocs()
			for b.Loop() {
				excelizeRows(b, path, bc.opts)
			}
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
	parser := parse.New(parse.Options{})
	b.ReportAllocs()
	for b.Loop() {
		jobs := make(chan string)
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for path := range jobs {
					readAndParse(b, path, parser)
				}
			}()
		}
		for _, p := range paths {
			jobs <- p
		}
		close(jobs)
		wg.Wait()
	}
	b.ReportMetric(600*float64(b.N)/b.Elapsed().Seconds(), "plans/s")
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
