package grid_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
)

// FuzzReadXLSX feeds generated worksheet XML, zipped into a workbook with
// shared strings and styles, to the xlsx reader: it must never panic, fail
// only with one of its reasons, and keep within its limits.
func FuzzReadXLSX(f *testing.F) {
	whole := sheetXML(plainSheet([]string{"Opgave", "Status"}, []string{"Møde", "I gang"}, []string{"Test", "Færdig"}))
	for _, s := range []string{
		whole,
		whole[:len(whole)/2],
		strings.Replace(whole, "Test", "Test&nbsp;igen", 1),
		strings.Replace(whole, `<row r="3">`, `<row r="3"><<c>`, 1),
		sheetXML(`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>`),
		sheetXML(`<sheetData><row r="2"><c r="A2" s="1"><v>46174</v></c><c r="B2" s="2" t="b"><v>1</v></c><c t="d"><v>2026-06-01T00:00:00</v></c><c t="e"><v>#N/A</v></c></row></sheetData><mergeCells><mergeCell ref="A2:C2"/><mergeCell ref="B9"/></mergeCells>`),
		sheetXML(`<sheetData><row r="1"><c r="C1" s="9"/><c r="XFD1"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row></sheetData>`),
		`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
		manyMerges(20),
		"",
		"<worksheet>",
	} {
		f.Add(s)
	}
	styles := `<?xml version="1.0"?><styleSheet ` + mainNS + `><numFmts><numFmt numFmtId="164" formatCode="d/m/yy"/></numFmts><fills><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FF00FF00"/></patternFill></fill></fills>` +
		`<cellXfs><xf numFmtId="0" fillId="0"/><xf numFmtId="14" fillId="1"/><xf numFmtId="164" fillId="0"/></cellXfs></styleSheet>`
	lim := grid.Limits{Rows: 200, Columns: 50, Cells: 5000}
	f.Fuzz(func(t *testing.T, sheet string) {
		data := pkg{date1904: len(sheet)%2 == 0, strings: []string{"Opgave", "Status"}, styles: styles, sheets: []pkgSheet{{name: "Plan", xml: sheet}}}.bytes(t)
		g, err := grid.ReadBytes("plan.xlsx", data, grid.Options{Limits: lim})
		if err != nil {
			var e *grid.Error
			if !errors.As(err, &e) || (!errors.Is(err, grid.ErrCorrupt) && !errors.Is(err, grid.ErrTooLarge)) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		cells := 0
		for _, sh := range g.Sheets {
			if len(sh.Rows) > lim.Rows {
				t.Fatalf("%d rows, over the limit", len(sh.Rows))
			}
			for _, row := range sh.Rows {
				if len(row) > lim.Columns {
					t.Fatalf("a row of %d cells, over the limit", len(row))
				}
				cells += len(row)
			}
			for _, m := range sh.Merges {
				if got, ok := sh.MergeAt(m.Top, m.Left); !ok || got.Top != m.Top || got.Left != m.Left {
					t.Fatalf("MergeAt(%d, %d) = %+v %v", m.Top, m.Left, got, ok)
				}
			}
		}
		if cells > lim.Cells {
			t.Fatalf("%d cells, over the limit", cells)
		}
	})
}
