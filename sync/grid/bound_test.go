package grid_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/udrul/udrul/sync/grid"
	"github.com/xuri/excelize/v2"
)

// TestBound_asAFile: a grid made elsewhere (a Google spreadsheet's cells)
// and bounded by Bound is what the reader makes of the same cells in a
// workbook: the rows and columns within the limits, the same warning for
// cells beyond them, the same refusal for too many of them or too many
// cells. A Google sheet was read whole, whatever its size.
func TestBound_asAFile(t *testing.T) {
	type cell struct {
		row, col int
		v        any
	}
	head := []cell{{1, 1, "Opgave"}, {1, 2, "Ansvarlig"}, {2, 1, "Møde"}, {2, 2, "IT"}}
	lim := grid.Limits{Rows: 50, Columns: 20, Cells: 400}
	many := func(n int, at func(i int) cell) []cell {
		var cs []cell
		for i := range n {
			cs = append(cs, at(i))
		}
		return cs
	}
	for _, tt := range []struct {
		name  string
		cells []cell
		err   bool
	}{
		{"within", nil, false},
		{"a stray cell far down", []cell{{5000, 3, 1.0}}, false},
		{"stray cells far right and down", []cell{{3, 300, "x"}, {7, 21, 2.0}, {60, 1, "y"}}, false},
		{"more stray cells than a plan has", many(1001, func(i int) cell { return cell{100 + i, 1, float64(i)} }), true},
		{"more cells than the limit", many(30, func(i int) cell { return cell{3 + i, 20, "z"} }), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cells := append(append([]cell(nil), head...), tt.cells...)
			// The workbook, read by the reader.
			f := excelize.NewFile()
			for _, c := range cells {
				ref, _ := excelize.CoordinatesToCellName(c.col, c.row)
				f.SetCellValue("Sheet1", ref, c.v)
			}
			var buf bytes.Buffer
			if err := f.Write(&buf); err != nil {
				t.Fatal(err)
			}
			opts := grid.Options{Limits: lim, Lang: grid.English}
			want, wantErr := grid.ReadBytes("plan.xlsx", buf.Bytes(), opts)
			// The same cells as a grid made elsewhere.
			g := &grid.Grid{File: "plan", Sheets: []grid.Sheet{{Name: "Sheet1"}}}
			sh := &g.Sheets[0]
			for _, c := range cells {
				for len(sh.Rows) < c.row {
					sh.Rows = append(sh.Rows, nil)
				}
				for len(sh.Rows[c.row-1]) < c.col {
					sh.Rows[c.row-1] = append(sh.Rows[c.row-1], grid.Cell{})
				}
				gc := grid.Cell{Kind: grid.Text, Text: fmt.Sprint(c.v)}
				if n, ok := c.v.(float64); ok {
					gc = grid.Cell{Kind: grid.Number, Text: fmt.Sprint(n), Num: n}
				}
				sh.Rows[c.row-1][c.col-1] = gc
			}
			gotErr := grid.Bound(g, opts)
			if (gotErr != nil) != tt.err || (wantErr != nil) != tt.err {
				t.Fatalf("Bound: %v; the reader: %v; want an error: %v", gotErr, wantErr, tt.err)
			}
			if tt.err {
				if !errors.Is(gotErr, grid.ErrTooLarge) || gotErr.Error() != wantErr.Error() {
					t.Errorf("Bound says %q\nthe reader says %q", gotErr, wantErr)
				}
				return
			}
			if len(g.Warnings) != len(want.Warnings) {
				t.Fatalf("warnings %+v, the reader's %+v", g.Warnings, want.Warnings)
			}
			for i := range g.Warnings {
				if got, want := g.Warnings[i], want.Warnings[i]; got.Code != want.Code || got.Cell() != want.Cell() || got.Message(grid.Danish) != want.Message(grid.Danish) {
					t.Errorf("warning %+v (%s), the reader's %+v (%s)", got, got.Message(grid.Danish), want, want.Message(grid.Danish))
				}
			}
			for r := 1; r <= max(len(sh.Rows), len(want.Sheets[0].Rows)); r++ {
				for c := 1; c <= 300; c++ {
					if got, want := sh.Cell(r, c), want.Sheets[0].Cell(r, c); got.Kind != want.Kind || got.Text != want.Text {
						t.Fatalf("%s: %+v, the reader's %+v", grid.Ref(r, c), got, want)
					}
				}
			}
			if len(sh.Rows) > lim.Rows {
				t.Errorf("%d rows kept, the limit is %d", len(sh.Rows), lim.Rows)
			}
		})
	}
}

// FuzzBound: any grid and limits: no panic, nothing kept beyond the
// limits, and a refusal only for too many cells beyond them or in all.
func FuzzBound(f *testing.F) {
	f.Add([]byte{3, 1, 200, 9, 0, 7}, uint8(4), uint8(4), uint16(10))
	f.Add([]byte{}, uint8(1), uint8(1), uint16(1))
	f.Fuzz(func(t *testing.T, shape []byte, rows, cols uint8, cells uint16) {
		lim := grid.Limits{Rows: int(rows%40) + 1, Columns: int(cols%40) + 1, Cells: int(cells%2000) + 1}
		g := &grid.Grid{Sheets: []grid.Sheet{{Name: "A"}, {Name: "B"}}}
		for i, b := range shape {
			sh := &g.Sheets[i%2]
			row := make([]grid.Cell, int(b)%300)
			for c := range row {
				if (c+i)%3 == 0 {
					row[c] = grid.Cell{Kind: grid.Text, Text: "x"}
				}
			}
			sh.Rows = append(sh.Rows, row)
			if b%7 == 0 {
				sh.Rows = append(sh.Rows, make([][]grid.Cell, int(b)*4)...)
			}
		}
		err := grid.Bound(g, grid.Options{Limits: lim})
		if err != nil {
			if !errors.Is(err, grid.ErrTooLarge) {
				t.Fatalf("error %v is not ErrTooLarge", err)
			}
			return
		}
		for _, sh := range g.Sheets {
			if len(sh.Rows) > lim.Rows {
				t.Fatalf("%d rows kept, limit %d", len(sh.Rows), lim.Rows)
			}
			n := 0
			for _, row := range sh.Rows {
				if len(row) > lim.Columns {
					t.Fatalf("%d columns kept, limit %d", len(row), lim.Columns)
				}
				n += len(row)
			}
			if n > lim.Cells {
				t.Fatalf("%d cells kept, limit %d", n, lim.Cells)
			}
		}
	})
}
