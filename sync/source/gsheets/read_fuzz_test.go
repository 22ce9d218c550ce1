package gsheets

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
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
