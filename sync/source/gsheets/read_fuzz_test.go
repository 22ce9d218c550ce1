package gsheets

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
)

// FuzzCellReader: any answer to the cells request is read, refused as not
// what was asked for, or stops at a limit; never a panic, never a row
// beyond the limits kept.
func FuzzCellReader(f *testing.F) {
	f.Add(`{"sheets":[{"properties":{"sheetId":7},"data":[{"rowData":[{"values":[{"formattedValue":"a","effectiveValue":{"stringValue":"a"}}]},{}]},{"startColumn":3,"rowData":[{"values":[{},{"effectiveValue":{"numberValue":1}}]}]},{"startRow":4,"rowData":[{"values":[{"formattedValue":" "}]}]}]}]}`)
	f.Add(`{"sheets":[{"data":[{"rowData":[{"values":[{"effectiveValue":{"boolValue":true}}]}]}],"properties":{"sheetId":7}}]}`)
	f.Add(`{"sheets":[{"properties":{"sheetId":8}}]}`)
	f.Add(`{"sheets":[]}`)
	f.Add(`{"sheets":[{"data":[{"rowData":[{"values":[{},{},{},{"formattedValue":"x"}]}]}]}]}`)
	f.Add(`{"sheets":[{"data":[{},{},{},{}]}]}`)
	f.Fuzz(func(t *testing.T, answer string) {
		lim := grid.Limits{Rows: 4, Columns: 3, Cells: 8}
		g := &grid.Grid{Sheets: []grid.Sheet{{Name: "Plan"}}}
		plan := []*sheetRead{{index: 0, id: 7, rows: 4, cols: 3, parts: []part{{}, {c0: 3, beyond: true}, {r0: 4, beyond: true}}}}
		d := &cellReader{dec: json.NewDecoder(strings.NewReader(answer)), g: g, plan: plan, lim: lim, byID: map[int64]*sheetRead{7: plan[0]}}
		d.spreadsheet()
		rows := g.Sheets[0].Rows
		if len(rows) > lim.Rows {
			t.Fatalf("%d rows kept, limit %d", len(rows), lim.Rows)
		}
		for _, r := range rows {
			if len(r) > lim.Columns {
				t.Fatalf("a row of %d cells kept, limit %d", len(r), lim.Columns)
			}
		}
	})
}
