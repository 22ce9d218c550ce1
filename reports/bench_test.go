package reports

import (
	"fmt"
	"github.com/udrul/udrul/internal/benchmem"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"
)

// BenchmarkWrite_120k writes the full report for 120,000 tasks.
func BenchmarkWrite_120k(b *testing.B) {
	data := sample(120_000, false)
	b.ReportAllocs()
	benchmem.Peak(b, func() {
		for b.Loop() {
			if err := Write(io.Discard, data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStreamWriter_120k is the baseline: the same 120,000 rows of the
// Opgaver sheet's 18 cells written with a bare excelize StreamWriter.
func BenchmarkStreamWriter_120k(b *testing.B) {
	data := sample(120_000, false)
	b.ReportAllocs()
	benchmem.Peak(b, func() {
		for b.Loop() {
			f := excelize.NewFile()
			sw, err := f.NewStreamWriter("Sheet1")
			if err != nil {
				b.Fatal(err)
			}
			row := make([]any, 18)
			for i, t := range data.Tasks {
				row[0], row[1], row[2], row[3], row[4], row[5] = t.Plan.Municipality, t.Plan.Solution, t.Plan.Wave, t.Step, t.Task.Task.ID, t.Title
				row[6], row[7], row[8], row[9], row[10], row[11] = t.Responsible, t.Performer, t.Start.Time(), t.End.Time(), string(t.Status), t.RawStatus
				row[12], row[13], row[14], row[15], row[16], row[17] = t.BaselineEnd.Time(), 0, 0, t.Pos.Sheet, t.Pos.Row, t.Plan.Location
				if err := sw.SetRow(fmt.Sprintf("A%d", i+2), row); err != nil {
					b.Fatal(err)
				}
			}
			if err := sw.Flush(); err != nil {
				b.Fatal(err)
			}
			if err := f.Write(io.Discard); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
}
