package gsheets

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/benchmem"
	"github.com/udrul/udrul/internal/fakegoogle"
	"github.com/udrul/udrul/sync/grid"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"
)

// wholeFields is the field mask Fetch used before it read within the
// limits: every sheet's cells, whole.
const wholeFields = "spreadsheetId,properties/title,sheets(properties(sheetId,title,hidden),merges(startRowIndex,endRowIndex,startColumnIndex,endColumnIndex)," +
	"data(startRow,startColumn,rowData/values(effectiveValue,formattedValue,effectiveFormat/numberFormat/type)))"

// fetchWhole is Fetch as it was: one spreadsheets.get of every cell,
// decoded whole, turned into a grid, bounded after.
func (s *Source) fetchWhole(ctx context.Context, key string) (*grid.Grid, error) {
	ctx = withMaxBytes(withCounter(ctx, &s.calls), s.maxSize())
	ss, err := s.c.sheets.Spreadsheets.Get(key).IncludeGridData(true).Fields(wholeFields).Context(ctx).Do()
	if err != nil {
		return nil, s.explain(key, err)
	}
	ss.ServerResponse = googleapi.ServerResponse{}
	if _, err := json.Marshal(ss); err != nil {
		return nil, err
	}
	g := ToGrid(ss)
	return g, grid.Bound(g, s.readOpts())
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFetch_farRow reads a spreadsheet whose plan (5,000 rows × 3
// columns) has one more cell at row 3,000,000 (a grid of 3,000,000 × 3,
// within Google's 10 million cells): "whole" decodes every row of it, as
// Fetch did; "bounded" reads the same one answer cell by cell, keeping
// what lies within the limits and counting what lies beyond. The fake runs in the same process: its CPU is in cpu-ms/op, its
// memory (the sheet, built before the timer; one row being written) in the
// peak of both.
func BenchmarkFetch_farRow(b *testing.B) {
	ss := fakegoogle.Spreadsheet(&grid.Grid{Sheets: []grid.Sheet{benchPlan(5000)}})
	fakegoogle.SetGrid(ss, 0, 3_000_000, 3)
	fakegoogle.SetCell(ss, 0, 3_000_000, 3, "far")
	benchFetch(b, ss, 5000, 1)
}

// BenchmarkFetch_plan reads the same plan without the far cell (a grid of
// 5,000 × 26, Google's default width): what the bounded read costs a sheet
// within the limits.
func BenchmarkFetch_plan(b *testing.B) {
	benchFetch(b, fakegoogle.Spreadsheet(&grid.Grid{Sheets: []grid.Sheet{benchPlan(5000)}}), 5000, 0)
}

// benchPlan is a sheet of n tasks in three columns.
func benchPlan(n int) grid.Sheet {
	sh := grid.Sheet{Name: "Plan"}
	for r := range n {
		sh.Rows = append(sh.Rows, []grid.Cell{{Kind: grid.Text, Text: fmt.Sprintf("Opgave %d", r+1)}, {Kind: grid.Number, Num: 46000 + float64(r%300)}, {Kind: grid.Text, Text: "I gang"}})
	}
	return sh
}

// benchFetch reads ss the old way (whole) and the bounded way, checking
// both read wantRows rows with wantWarnings warnings.
func benchFetch(b *testing.B, ss *sheets.Spreadsheet, wantRows, wantWarnings int) {
	fake := fakegoogle.New()
	defer fake.Close()
	fake.Put(fakegoogle.File{ID: "far", Name: "KY Aarhus", MimeType: MimeSheet, Sheet: ss})
	c, err := NewClient(context.Background(), Options{DriveEndpoint: fake.DriveEndpoint(), SheetsEndpoint: fake.SheetsEndpoint(),
		WithoutAuthentication: true, RequestsPerMinute: 600000, Language: "en"})
	if err != nil {
		b.Fatal(err)
	}
	src := New(c, Config{Name: "google", Spreadsheets: []string{"far"}})
	items, err := src.List(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		read func() (*grid.Grid, error)
	}{
		{"whole", func() (*grid.Grid, error) { return src.fetchWhole(context.Background(), "far") }},
		{"bounded", func() (*grid.Grid, error) {
			f, err := src.Fetch(context.Background(), items[0])
			if err != nil {
				return nil, err
			}
			return f.Grid, grid.Bound(f.Grid, src.readOpts())
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			runtime.GC()
			b.ReportAllocs()
			var cpu time.Duration
			var g *grid.Grid
			src.TakeCalls()
			benchmem.Peak(b, func() {
				for b.Loop() {
					t0 := cpuTime()
					var err error
					if g, err = tc.read(); err != nil {
						b.Fatal(err)
					}
					cpu += cpuTime() - t0
				}
			})
			rows := g.Sheets[0].Rows
			for len(rows) > 0 && rows[len(rows)-1] == nil {
				rows = rows[:len(rows)-1]
			}
			if len(g.Warnings) != wantWarnings || len(rows) != wantRows {
				b.Fatalf("warnings %v, %d rows; want %d, %d rows", g.Warnings, len(rows), wantWarnings, wantRows)
			}
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(src.TakeCalls())/float64(b.N), "calls/op")
		})
	}
}
