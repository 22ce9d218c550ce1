package grid_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/grid/gridtest"
)

// peakHeap samples the heap in use every 5 ms while f runs and returns the
// largest sample, in MB.
func peakHeap(f func()) float64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	return float64(peak.Load()) / (1 << 20)
}

// cpuTime is the CPU time the process used (user and system): on a shared,
// loaded machine it says more of a reader's cost than the wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchRead writes a hostile file once and reads it b.N times; wantErr
// says whether the read is refused.
func benchRead(b *testing.B, name string, write func(path string) error, wantErr bool) {
	path := filepath.Join(b.TempDir(), name)
	if err := write(path); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(path)
	b.ReportAllocs()
	runtime.GC()
	cpu0 := cpuTime()
	peak := peakHeap(func() {
		for b.Loop() {
			_, err := grid.ReadFile(path, grid.Options{})
			if (err != nil) != wantErr {
				b.Fatalf("err = %v, want error %v", err, wantErr)
			}
		}
	})
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(peak, "peak-heap-MB")
	b.ReportMetric(float64(fi.Size())/1024, "file-KB")
}

// BenchmarkRead_merges50k reads a sheet of 50,000 merged ranges (issue 11).
func BenchmarkRead_merges50k(b *testing.B) {
	benchRead(b, "merges.xlsx", func(p string) error { return gridtest.WriteXLSX(p, gridtest.Merges(50_000)) }, false)
}

// BenchmarkRead_sparse10 reads ten sheets each with a stray cell at
// XFD1048576 (issue 11).
func BenchmarkRead_sparse10(b *testing.B) {
	benchRead(b, "sparse.xlsx", func(p string) error { return gridtest.WriteXLSX(p, gridtest.SparseSheets(10)...) }, false)
}

// BenchmarkRead_farColumn20k refuses one number in column XFD on each of
// 20,000 rows (issue 17).
func BenchmarkRead_farColumn20k(b *testing.B) {
	benchRead(b, "xfd.xlsx", func(p string) error { return gridtest.WriteXLSX(p, gridtest.FarColumn(20_000)) }, true)
}

// BenchmarkRead_millionRows refuses a sheet of 1,048,576 rows (issue 17).
func BenchmarkRead_millionRows(b *testing.B) {
	benchRead(b, "rows.xlsx", func(p string) error { return gridtest.WriteXLSX(p, gridtest.FullRows(1<<20)) }, true)
}

// BenchmarkRead_csvLine50MB refuses a CSV line of 50 MB of ';' (issue 17).
func BenchmarkRead_csvLine50MB(b *testing.B) {
	benchRead(b, "line.csv", func(p string) error { return gridtest.WriteRepeated(p, "", ";", 50<<20) }, true)
}

// BenchmarkRead_csv4MLines refuses a CSV of 4,000,000 lines (issue 17).
func BenchmarkRead_csv4MLines(b *testing.B) {
	benchRead(b, "lines.csv", func(p string) error {
		return gridtest.WriteRepeated(p, "Opgave;Status\n", "Møde;Færdig\n", 4_000_000)
	}, true)
}

// BenchmarkRead_csv100kRows reads a CSV of 100,000 rows, the most a sheet
// may have by default.
func BenchmarkRead_csv100kRows(b *testing.B) {
	benchRead(b, "rows.csv", func(p string) error {
		return gridtest.WriteRepeated(p, "Opgave;Ansvarlig;Udfører;Startdato;Slutdato;Status\n", "Møde om ændringer;Kommune;Leverandør;01-06-2026;02-06-2026;Færdig\n", 99_999)
	}, false)
}

// BenchmarkBook_mergesAhead streams a sheet of 100,000 task-like rows and
// 50,000 merged ranges after them: "rows" only hands out the rows,
// "rows+merges" also asks for a merged range at the first row, which reads
// the sheet's merged ranges ahead in a second pass (the difference is what
// a sheet that needs its merges while streaming costs), "rows+none" asks
// the same of the sheet without merged ranges (a scan for the word).
func BenchmarkBook_mergesAhead(b *testing.B) {
	path := filepath.Join(b.TempDir(), "merges.xlsx")
	sheet := gridtest.Sheet{Name: "Plan", Rows: func(w io.Writer) {
		for r := 1; r <= 100_000; r++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="inlineStr"><is><t>Møde om ændringer %d</t></is></c><c r="C%d" t="inlineStr"><is><t>Kommune</t></is></c><c r="D%d"><v>46174</v></c><c r="E%d"><v>46175</v></c></row>`, r, r, r, r, r, r, r, r)
		}
	}, Tail: func(w io.Writer) {
		io.WriteString(w, `<mergeCells count="50000">`)
		for r := 1; r <= 50_000; r++ {
			fmt.Fprintf(w, `<mergeCell ref="F%d:H%d"/>`, r*2, r*2)
		}
		io.WriteString(w, `</mergeCells>`)
	}}
	if err := gridtest.WriteXLSX(path, sheet); err != nil {
		b.Fatal(err)
	}
	noMerges := filepath.Join(b.TempDir(), "nomerges.xlsx")
	if err := gridtest.WriteXLSX(noMerges, gridtest.Sheet{Name: "Plan", Rows: sheet.Rows}); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name, path string
		merges     bool
	}{{"rows", path, false}, {"rows+merges", path, true}, {"rows+none", noMerges, true}} {
		path, merges := bc.path, bc.merges
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				book, err := grid.OpenFile(path, grid.Options{})
				if err != nil {
					b.Fatal(err)
				}
				sh, err := book.NextSheet()
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					r, _, err := sh.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					if n++; n == 1 && merges {
						if _, ok := sh.MergeAt(r+1, 6); ok != (path != noMerges) {
							b.Fatalf("merged range at F2: %v", ok)
						}
					}
				}
			}
			b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
