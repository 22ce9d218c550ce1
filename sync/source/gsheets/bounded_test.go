package gsheets_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/fakegoogle"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/source/gsheets"
	"google.golang.org/api/sheets/v4"
)

// block is a sheet of rows×cols text cells.
func block(name string, rows, cols int) grid.Sheet {
	sh := grid.Sheet{Name: name}
	for r := range rows {
		var row []grid.Cell
		for c := range cols {
			row = append(row, grid.Cell{Kind: grid.Text, Text: fmt.Sprintf("%s%d", grid.ColumnName(c+1), r+1)})
		}
		sh.Rows = append(sh.Rows, row)
	}
	return sh
}

// TestFetch_bounded: a spreadsheet is read only within the limits, and
// what lies beyond them is told (or refused) in the same words, at the
// same cell, as grid.Bound tells it of the whole spreadsheet decoded (what
// Fetch did before): the same cells give the same outcome, without the
// cells beyond the limits ever being kept.
func TestFetch_bounded(t *testing.T) {
	lim := grid.Limits{Rows: 40, Columns: 12, Cells: 400}
	opts := grid.Options{Limits: lim, Lang: "en"}
	cases := []struct {
		name   string
		sheets []grid.Sheet
		edit   func(ss *sheets.Spreadsheet)
		// maxSize caps the answers (0: the default).
		maxSize int64
		want    string // in the warning or the refusal
		refused bool
	}{
		{name: "within the limits", sheets: []grid.Sheet{block("Plan", 30, 8)}},
		{name: "a far row: warned, not read", sheets: []grid.Sheet{block("Plan", 30, 8)},
			edit: func(ss *sheets.Spreadsheet) { fakegoogle.SetCell(ss, 0, 5000, 2, "stray") },
			want: "1 cell(s) with values lie outside the area udrul reads (at most 40 rows and 12 columns) and were not read; the first is B5000"},
		{name: "a far column: warned, not read", sheets: []grid.Sheet{block("Plan", 30, 8)},
			edit: func(ss *sheets.Spreadsheet) { fakegoogle.SetCell(ss, 0, 3, 200, "stray") },
			want: "the first is GR3"},
		{name: "beyond both: counted together, the first in row order", sheets: []grid.Sheet{block("Plan", 30, 8)},
			edit: func(ss *sheets.Spreadsheet) {
				fakegoogle.SetCell(ss, 0, 45, 1, "below")
				fakegoogle.SetCell(ss, 0, 7, 30, "right")
				fakegoogle.SetCell(ss, 0, 60, 40, "both")
			},
			want: "3 cell(s) with values lie outside the area udrul reads (at most 40 rows and 12 columns) and were not read; the first is AD7"},
		{name: "a column beyond Excel's last (XFD)", sheets: []grid.Sheet{block("Plan", 30, 8)},
			edit: func(ss *sheets.Spreadsheet) { fakegoogle.SetCell(ss, 0, 2, 18_000, "stray") },
			want: "1 cell(s) with values lie outside"},
		{name: "a grid larger than the limits, empty beyond: nothing to say", sheets: []grid.Sheet{block("Plan", 30, 8)},
			edit: func(ss *sheets.Spreadsheet) { fakegoogle.SetGrid(ss, 0, 50000, 200) }},
		{name: "more than 1000 cells beyond: refused, without reading the rest", sheets: []grid.Sheet{block("Plan", 30, 8)},
			edit: func(ss *sheets.Spreadsheet) {
				for r := range grid.MaxStray + 1 {
					fakegoogle.SetCell(ss, 0, 41+r, 1, "x")
				}
				// Far below: the whole answer would pass the cap.
				fakegoogle.SetCell(ss, 0, 300000, 1, "far")
			},
			maxSize: 256 << 10, refused: true,
			want: "the sheet has more than 1000 cells with values outside the area udrul reads (at most 40 rows and 12 columns; the first: A41)"},
		{name: "more cells than limits.cells: refused at the same cell", sheets: []grid.Sheet{block("Plan", 40, 12)}, refused: true,
			want: "more than 400 cells"},
		{name: "too many cells comes before too many beyond, as in Bound", sheets: []grid.Sheet{block("Plan", 40, 12), block("Noter", 2, 2)},
			edit: func(ss *sheets.Spreadsheet) {
				for r := range grid.MaxStray + 1 {
					fakegoogle.SetCell(ss, 1, 41+r, 1, "x")
				}
			},
			refused: true, want: "more than 400 cells"},
		{name: "rows with values right of the limits count to the last column read, as in Bound", sheets: []grid.Sheet{block("Plan", 10, 3)},
			edit: func(ss *sheets.Spreadsheet) {
				for c := range grid.MaxStray + 1 {
					fakegoogle.SetCell(ss, 0, 1+c%40, 13+c/40, "x")
				}
			},
			refused: true, want: "cell L34"},
		{name: "too many cells after too many right of the limits: too many cells, as in Bound", sheets: []grid.Sheet{block("Plan", 40, 8)},
			edit: func(ss *sheets.Spreadsheet) {
				for c := range grid.MaxStray + 1 {
					fakegoogle.SetCell(ss, 0, 1+c%25, 13+c/25, "x")
				}
			},
			refused: true, want: "more than 400 cells"},
		{name: "the first sheet's refusal wins", sheets: []grid.Sheet{block("Plan", 10, 3), block("Noter", 40, 12)},
			edit: func(ss *sheets.Spreadsheet) {
				for r := range grid.MaxStray + 1 {
					fakegoogle.SetCell(ss, 0, 41+r, 1, "x")
				}
			},
			refused: true, want: "the first: A41"},
		{name: "a few cells right of the limits in the rows read: same cells", sheets: []grid.Sheet{block("Plan", 30, 8)},
			edit: func(ss *sheets.Spreadsheet) {
				for r := range 20 {
					fakegoogle.SetCell(ss, 0, 1+r, 13, "x")
				}
			},
			want: "20 cell(s)"},
		{name: "a quote in a sheet's title", sheets: []grid.Sheet{block("Kunde's plan", 5, 3)},
			edit: func(ss *sheets.Spreadsheet) { fakegoogle.SetCell(ss, 0, 41, 1, "x") },
			want: "the first is A41"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			e := newEnv(t, gsheets.Config{}, gsheets.Options{Transport: rec})
			ss := fakegoogle.Spreadsheet(&grid.Grid{Sheets: tc.sheets})
			if tc.edit != nil {
				tc.edit(ss)
			}
			e.fake.Put(fakegoogle.File{ID: "s1", Name: "KY Aarhus", MimeType: gsheets.MimeSheet, Sheet: ss})

			// What Bound makes of the whole spreadsheet, decoded.
			whole := gsheets.ToGrid(ss)
			wantErr := grid.Bound(whole, opts)

			src := gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: []string{"s1"}, ReadOpts: opts, MaxSize: tc.maxSize})
			items, err := src.List(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got, err := src.Fetch(context.Background(), items[0])
			if err == nil {
				err = grid.Bound(got.Grid, opts) // as the syncer does
			}
			switch {
			case tc.refused && (err == nil || wantErr == nil || err.Error() != wantErr.Error() || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want %v (containing %q)", err, wantErr, tc.want)
			case !tc.refused && err != nil:
				t.Fatalf("err = %v, want none (whole: %v)", err, wantErr)
			case tc.refused:
				return
			}
			if !reflect.DeepEqual(got.Grid.Warnings, whole.Warnings) {
				t.Errorf("warnings = %v, want %v", got.Grid.Warnings, whole.Warnings)
			}
			if tc.want != "" && (len(got.Grid.Warnings) != 1 || !strings.Contains(got.Grid.Warnings[0].Message("en"), tc.want)) {
				t.Errorf("warnings = %v, want one saying %q", got.Grid.Warnings, tc.want)
			}
			for i := range whole.Sheets {
				if g, w := got.Grid.Sheets[i].Rows, trimmed(whole.Sheets[i].Rows); !reflect.DeepEqual(g, w) {
					t.Errorf("sheet %d: %d rows, want %d (the same cells)\n got %v\nwant %v", i, len(g), len(w), g, w)
				}
			}
			// One request, without ranges: every sheet's cells from A1.
			if len(rec.ranges) != 1 || len(rec.ranges[0]) != 0 {
				t.Errorf("spreadsheets.get asked with ranges %q, want one request without ranges", rec.ranges)
			}
		})
	}
}

// trimmed are rows without the empty rows at the end (a grid cut at the
// limits keeps those that led to a far row).
func trimmed(rows [][]grid.Cell) [][]grid.Cell {
	for len(rows) > 0 && rows[len(rows)-1] == nil {
		rows = rows[:len(rows)-1]
	}
	return rows
}

// TestFetch_connectedSheet: a connected sheet (DATA_SOURCE: BigQuery and
// the like), whose GridData holds all its values, is read within the
// limits like any other, beside the plan.
func TestFetch_connectedSheet(t *testing.T) {
	e := newEnv(t, gsheets.Config{}, gsheets.Options{})
	ss := fakegoogle.Spreadsheet(&grid.Grid{Sheets: []grid.Sheet{block("Plan", 5, 3), block("Forbundet", 5, 3)}})
	ss.Sheets[1].Properties.SheetType = "DATA_SOURCE"
	e.fake.Put(fakegoogle.File{ID: "s1", Name: "KY Aarhus", MimeType: gsheets.MimeSheet, Sheet: ss})
	src := gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: []string{"s1"}})
	items, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, err := src.Fetch(context.Background(), items[0])
	if err != nil {
		t.Fatalf("err = %v, want the plan read", err)
	}
	if len(got.Grid.Sheets) != 2 || len(got.Grid.Sheets[0].Rows) != 5 || len(got.Grid.Sheets[1].Rows) != 5 {
		t.Errorf("sheets = %+v, want 5 rows in each", got.Grid.Sheets)
	}
}
