package gsheets

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/udrul/udrul/sync/grid"
	"google.golang.org/api/sheets/v4"
)

// FuzzCellReader: any answer to spreadsheets.get is read, refused as not
// what was asked for, or stops at a limit; never a panic, never a row
// beyond the limits kept, never more cells kept than limits.cells and the
// row that crossed it.
func FuzzCellReader(f *testing.F) {
	f.Add(`{"spreadsheetId":"s","properties":{"title":"t"},"sheets":[{"properties":{"sheetId":7,"title":"Plan"},"data":[{"rowData":[{"values":[{"formattedValue":"a","effectiveValue":{"stringValue":"a"}}]},{},{"values":[{},{},{},{"effectiveValue":{"numberValue":1}}]}]}]}]}`)
	f.Add(`{"sheets":[{"data":[{"rowData":[{"values":[{"effectiveValue":{"boolValue":true}}]}]}],"properties":{"sheetId":7}}]}`)
	f.Add(`{"sheets":[{"properties":{"sheetId":8},"merges":[{"startRowIndex":0,"endRowIndex":2,"startColumnIndex":0,"endColumnIndex":3}]}]}`)
	f.Add(`{"sheets":[]}`)
	f.Add(`{"sheets":[{"data":[{"rowData":[{},{},{},{},{},{"values":[{"formattedValue":" "},{"formattedValue":"x"}]}]}]}]}`)
	f.Add(`{"sheets":[{"data":[{"startRow":4},{}]}]}`)
	f.Add(`{"sheets":[{"data":[{"rowData":[{"values":[{"formattedValue":"a"},{"formattedValue":"b"},{"formattedValue":"c"},{"formattedValue":"d"}]},{"values":[{"formattedValue":"a"},{"formattedValue":"b"},{"formattedValue":"c"}]},{"values":[{"formattedValue":"a"},{"formattedValue":"b"},{"formattedValue":"c"}]}]}],"properties":{"sheetId":1}}]}`)
	f.Add(`{"sheets":[{"data":[{"rowData":[{"values":[{"formattedValue":"a"},{"formattedValue":"b"}],"values":[{"formattedValue":"a"},{"formattedValue":"b"}]}],"rowData":[{"values":[{"formattedValue":"a"}]},{"values":[{"formattedValue":"a"}]}]}]}]}`)
	f.Add(`{"sheets":[{"data":[{"rowData":[{},{},{},{"values":[{"formattedValue":"a"}]}]}],"data":[{"rowData":[{},{},{},{"values":[{"formattedValue":"a"}]}]}]}]}`)
	f.Fuzz(func(t *testing.T, answer string) {
		lim := grid.Limits{Rows: 4, Columns: 3, Cells: 8}
		d := &cellReader{dec: json.NewDecoder(strings.NewReader(answer)), g: &grid.Grid{}, lim: lim}
		d.spreadsheet()
		if len(d.sheets) != len(d.g.Sheets) {
			t.Fatalf("%d sheets read, %d in the grid", len(d.sheets), len(d.g.Sheets))
		}
		for _, sh := range d.g.Sheets {
			if len(sh.Rows) > lim.Rows {
				t.Fatalf("%d rows kept, limit %d", len(sh.Rows), lim.Rows)
			}
			cells := 0
			for _, r := range sh.Rows {
				if len(r) > lim.Columns {
					t.Fatalf("a row of %d cells kept, limit %d", len(r), lim.Columns)
				}
				cells += len(r)
			}
			if cells > lim.Cells+lim.Columns {
				t.Fatalf("%d cells kept, limit %d and one row", cells, lim.Cells)
			}
		}
	})
}

// FuzzCellReader_bound: a spreadsheet read cell by cell within the limits
// gives what grid.Bound gives of it decoded whole (ToGrid, as Fetch read it
// before): the same refusal in the same words, or the same warnings and
// the same cells. The fuzzer places cells (values, blanks, format-only
// cells) in two sheets around small limits; Go's encoding puts each
// sheet's data before its properties and the spreadsheet's ID last.
func FuzzCellReader_bound(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 1, 1, 1, 1})
	f.Add([]byte{1, 0, 1, 5, 0, 1, 6, 2, 1, 0, 0, 0, 0})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 2, 0, 0, 2, 0, 0, 0, 2, 1, 0, 0, 2, 2, 0})
	f.Add([]byte{1, 1, 0, 0, 3, 0, 3, 4, 2, 1, 7, 5, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 || len(in) > 400 {
			return
		}
		opts := grid.Options{Limits: grid.Limits{Rows: 4, Columns: 3, Cells: 8}, Lang: "en"}
		ss := &sheets.Spreadsheet{SpreadsheetId: "S", Properties: &sheets.SpreadsheetProperties{Title: "plan"}}
		n := 1 + int(in[0])%2
		cells := make([]map[[2]int]*sheets.CellData, n)
		for i := range n {
			cells[i] = map[[2]int]*sheets.CellData{}
		}
		for in = in[1:]; len(in) >= 4; in = in[4:] {
			sheet, row, col := int(in[0])%n, int(in[1])%9, int(in[2])%7
			var v *sheets.CellData
			switch in[3] % 4 {
			case 0:
				s := fmt.Sprintf("v%d", row*7+col)
				v = &sheets.CellData{FormattedValue: s, EffectiveValue: &sheets.ExtendedValue{StringValue: &s}}
			case 1:
				v = &sheets.CellData{FormattedValue: " "} // blank: no value
			case 2:
				num := float64(46000 + row)
				v = &sheets.CellData{FormattedValue: "1-1-2026", EffectiveValue: &sheets.ExtendedValue{NumberValue: &num},
					EffectiveFormat: &sheets.CellFormat{NumberFormat: &sheets.NumberFormat{Type: "DATE"}}}
			default:
				v = &sheets.CellData{EffectiveFormat: &sheets.CellFormat{NumberFormat: &sheets.NumberFormat{Type: "DATE"}}} // format only
			}
			cells[sheet][[2]int{row, col}] = v
		}
		for i := range n {
			// As Google answers without ranges: one GridData from A1, to
			// the last row with content, each row to its last cell.
			gd := &sheets.GridData{}
			for rc, v := range cells[i] {
				for len(gd.RowData) <= rc[0] {
					gd.RowData = append(gd.RowData, &sheets.RowData{})
				}
				rd := gd.RowData[rc[0]]
				for len(rd.Values) <= rc[1] {
					rd.Values = append(rd.Values, &sheets.CellData{})
				}
				rd.Values[rc[1]] = v
			}
			ss.Sheets = append(ss.Sheets, &sheets.Sheet{Properties: &sheets.SheetProperties{SheetId: int64(10 + i), Title: fmt.Sprintf("Ark%d", i+1)},
				Data: []*sheets.GridData{gd}})
		}
		answer, err := json.Marshal(ss)
		if err != nil {
			t.Fatal(err)
		}
		whole := ToGrid(ss)
		wantErr := grid.Bound(whole, opts)

		d := &cellReader{dec: json.NewDecoder(strings.NewReader(string(answer))), g: &grid.Grid{}, lim: opts.Limits}
		if err := d.spreadsheet(); err != nil && !errors.Is(err, errStop) {
			t.Fatalf("read: %v\n%s", err, answer)
		}
		_, err = d.finish("S", opts)
		if err == nil {
			err = grid.Bound(d.g, opts) // as the syncer does
		}
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("err = %v, want %v\n%s", err, wantErr, answer)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(d.g.Warnings, whole.Warnings) {
			t.Fatalf("warnings = %v, want %v\n%s", d.g.Warnings, whole.Warnings, answer)
		}
		for i := range whole.Sheets {
			w := whole.Sheets[i].Rows
			for len(w) > 0 && w[len(w)-1] == nil {
				w = w[:len(w)-1]
			}
			if g := d.g.Sheets[i].Rows; !reflect.DeepEqual(g, w) && len(g)+len(w) > 0 {
				t.Fatalf("sheet %d rows = %v, want %v\n%s", i, g, w, answer)
			}
		}
	})
}

// TestReadAnswer_digest: the same answer gives the same digest however it
// arrives (all at once, or a byte at a time, so that the decoder has not
// read its trailing newline when it ends), and another answer another.
func TestReadAnswer_digest(t *testing.T) {
	answer := `{"sheets":[{"properties":{"sheetId":1,"title":"Plan"},"data":[{"rowData":[{"values":[{"formattedValue":"a","effectiveValue":{"stringValue":"a"}}]}]}]}]}` + "\n"
	lim := grid.Limits{Rows: 4, Columns: 3, Cells: 8}
	digest := func(r io.Reader) string {
		_, data, err := readAnswer(r, lim)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	whole, bytewise := digest(strings.NewReader(answer)), digest(iotest.OneByteReader(strings.NewReader(answer)))
	if whole != bytewise {
		t.Errorf("digest = %s a byte at a time, %s at once; want the same", bytewise, whole)
	}
	if other := digest(strings.NewReader(strings.Replace(answer, `"a"`, `"b"`, 2))); other == whole {
		t.Errorf("another answer: the same digest %s", other)
	}
}
