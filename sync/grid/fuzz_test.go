package grid_test

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
)

// FuzzReadXLSX feeds generated worksheet XML, zipped into a workbook with
// shared strings and styles, to the xlsx reader: it must never panic, fail
// only with one of its reasons, and keep within its limits.
func FuzzReadXLSX(f *testing.F) {
	addSheetSeeds(f)
	lim := grid.Limits{Rows: 200, Columns: 50, Cells: 5000}
	f.Fuzz(func(t *testing.T, sheet string) {
		data := fuzzPkg(t, sheet)
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

// FuzzBook_equalsReadBytes: a Book of any worksheet hands out the rows,
// merged ranges, warnings and errors ReadBytes reads whole; rows out of
// order end it with ErrRowOrder where ReadBytes reads them. The merged
// ranges, read ahead when first asked for, are ReadBytes's, or the sheet
// ends with ErrMergedHidden (the parser then reads it whole).
func FuzzBook_equalsReadBytes(f *testing.F) {
	addSheetSeeds(f)
	f.Add(sheetXML(`<sheetData><row r="3"><c r="A3"><v>3</v></c></row><row r="2"><c r="A2"><v>2</v></c></row></sheetData>`))
	lim := grid.Limits{Rows: 200, Columns: 50, Cells: 5000}
	f.Fuzz(func(t *testing.T, sheet string) {
		data := fuzzPkg(t, sheet)
		opts := grid.Options{Limits: lim, Lang: grid.English}
		g, wantErr := grid.ReadBytes("plan.xlsx", data, opts)
		b, err := grid.OpenBytes("plan.xlsx", data, opts)
		var got []grid.Sheet
		var merged []*grid.SheetRows
		for err == nil {
			var sr *grid.SheetRows
			if sr, err = b.NextSheet(); err != nil {
				break
			}
			sh := grid.Sheet{Name: sr.Name, Hidden: sr.Hidden}
			sr.MergeAt(1, 1) // the merged ranges are read ahead
			for {
				var r int
				var cells []grid.Cell
				if r, cells, err = sr.Next(); err != nil {
					break
				}
				for len(sh.Rows) < r-1 {
					sh.Rows = append(sh.Rows, nil)
				}
				sh.Rows = append(sh.Rows, cells)
			}
			if err == io.EOF {
				merged = append(merged, sr)
			}
			if err == io.EOF {
				err = nil
			}
			got = append(got, sh)
		}
		if err == io.EOF {
			err = nil
		}
		if errors.Is(err, grid.ErrRowOrder) || errors.Is(err, grid.ErrMergedHidden) {
			return // the parser reads such a file whole (ReadBytes)
		}
		if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("error = %v, want %v", err, wantErr)
		}
		if err != nil {
			return
		}
		if len(got) != len(g.Sheets) {
			t.Fatalf("%d sheets, want %d", len(got), len(g.Sheets))
		}
		for i, sh := range g.Sheets {
			if !reflect.DeepEqual(got[i].Rows, sh.Rows) {
				t.Errorf("sheet %q: rows differ:\ngot  %v\nwant %v", sh.Name, got[i].Rows, sh.Rows)
			}
		}
		for _, sr := range merged {
			for _, sh := range g.Sheets {
				if sh.Name != sr.Name {
					continue
				}
				for _, m := range sh.Merges {
					if got, ok := sr.MergeAt(m.Top, m.Left); !ok || got != m {
						t.Errorf("sheet %q: MergeAt(%d, %d) = %+v %v, want %+v", sh.Name, m.Top, m.Left, got, ok, m)
					}
				}
			}
		}
		if !reflect.DeepEqual(b.Warnings, g.Warnings) {
			t.Errorf("warnings = %v, want %v", b.Warnings, g.Warnings)
		}
	})
}

func fuzzPkg(t *testing.T, sheet string) []byte {
	styles := `<?xml version="1.0"?><styleSheet ` + mainNS + `><numFmts><numFmt numFmtId="164" formatCode="d/m/yy"/></numFmts><fonts><font/><font><strike/></font></fonts><fills><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FF00FF00"/></patternFill></fill></fills>` +
		`<cellXfs><xf numFmtId="0" fillId="0"/><xf numFmtId="14" fillId="1"/><xf numFmtId="164" fillId="0"/><xf numFmtId="9" fontId="1" fillId="0"/></cellXfs></styleSheet>`
	return pkg{date1904: len(sheet)%2 == 0, strings: []string{"Opgave", "Status"}, styles: styles, sheets: []pkgSheet{{name: "Plan", xml: sheet}}}.bytes(t)
}

func addSheetSeeds(f *testing.F) {
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
		sheetXML(`<!-- <mergeCells><mergeCell ref="A1:A2"/></mergeCells> --><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="B1:C1"/></mergeCells>`),
		sheetXML(`<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="B1:C1"/></mergeCells><mergeCells><mergeCell ref="D1:E1"/></mergeCells>`),
		sheetXML(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<mergeCells><mergeCell ref="A1:A2"/></mergeCells>]]></t></is></c></row></sheetData>`),
		sheetXML(`<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row><row r="2"><c r="A2"><v>3</v></c><c r="BZ2"><v>4</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B1"/><mergeCell ref="BY2:CA2"/></mergeCells>`),
		sheetXML(`<sheetData><row r="1"><c r="A1" s="3" t="inlineStr"><is><t>Møde</t></is></c><c r="B1" s="3"><v>1</v></c><c r="C1" s="3"/></row></sheetData>`),
		"",
		"<worksheet>",
	} {
		f.Add(s)
	}
}
