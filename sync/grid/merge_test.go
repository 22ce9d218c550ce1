package grid_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
)

// TestReadBytes_mergedHidden: a value in a merged range's cell other than
// its top-left one is not what Excel shows: the whole read leaves it out
// with a warning naming the cell and the range (keeping the cell's fill),
// and a Book, which hands the rows out before the ranges stored after them
// are known, ends with ErrMergedHidden so the parser reads the file whole.
// Ranges whose other cells are empty change nothing and stream as before.
func TestReadBytes_mergedHidden(t *testing.T) {
	v := func(ref, val string) string {
		return `<c r="` + ref + `" t="inlineStr"><is><t>` + val + `</t></is></c>`
	}
	tests := []struct {
		name   string
		rows   string
		merges string
		hidden []string // cells left out, with a warning each
	}{
		{"a step name hidden below a merged step cell",
			`<row r="2">` + v("A2", "Trin 1") + v("B2", "Møde") + `</row><row r="3">` + v("A3", "Trin 2") + v("B3", "Test") + `</row>`,
			`<mergeCell ref="A2:A3"/>`, []string{"A3"}},
		{"a value beside the top-left cell of a merged row",
			`<row r="1">` + v("A1", "Plan") + v("C1", "skjult") + `</row>`,
			`<mergeCell ref="A1:D1"/>`, []string{"C1"}},
		{"beyond column 64",
			`<row r="1">` + v("BX1", "Plan") + v("CA1", "skjult") + `</row>`,
			`<mergeCell ref="BX1:CB1"/>`, []string{"CA1"}},
		{"only the top-left cell holds a value",
			`<row r="1">` + v("A1", "Plan") + `</row><row r="2">` + v("E2", "uden for") + `</row>`,
			`<mergeCell ref="A1:D2"/>`, nil},
		{"a fill without a value is no hidden value",
			`<row r="1">` + v("A1", "x") + `<c r="B1" s="1"/></row>`,
			`<mergeCell ref="A1:B1"/>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := fuzzPkg(t, sheetXML(`<sheetData>`+tt.rows+`</sheetData><mergeCells>`+tt.merges+`</mergeCells>`))
			g, err := grid.ReadBytes("plan.xlsx", data, grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var warned []string
			for _, w := range g.Warnings {
				if w.Code == grid.CodeMergedHidden {
					warned = append(warned, w.Cell())
					if !strings.Contains(w.Message(grid.English), "merged range") {
						t.Errorf("message %q does not say why", w.Message(grid.English))
					}
				}
			}
			if strings.Join(warned, " ") != strings.Join(tt.hidden, " ") {
				t.Errorf("warnings at %v, want %v", warned, tt.hidden)
			}
			for _, ref := range tt.hidden {
				r, c, _ := grid.ParseRef(ref)
				if got := g.Sheets[0].Cell(r, c); got.Kind != grid.Empty {
					t.Errorf("%s = %+v, want empty", ref, got)
				}
			}
			b, err := grid.OpenBytes("plan.xlsx", data, grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			s, err := b.NextSheet()
			for err == nil {
				_, _, err = s.Next()
			}
			if hides := errors.Is(err, grid.ErrMergedHidden); hides != (len(tt.hidden) > 0) || (!hides && err != io.EOF) {
				t.Errorf("Book ends with %v, want ErrMergedHidden: %v", err, len(tt.hidden) > 0)
			}
		})
	}
}

// TestReadBytes_mergedHiddenBounded: many tall merged ranges over a sheet
// whose rows are short cost work bounded by the sheet's rows, not by the
// ranges' size times their number, and the ranges left unchecked are said.
func TestReadBytes_mergedHiddenBounded(t *testing.T) {
	var rows, merges strings.Builder
	for r := 1; r <= 2000; r++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, r, r, r)
	}
	for i := 0; i < 20000; i++ {
		merges.WriteString(`<mergeCell ref="C1:D100000"/>`)
	}
	data := fuzzPkg(t, sheetXML(`<sheetData>`+rows.String()+`</sheetData><mergeCells>`+merges.String()+`</mergeCells>`))
	g, err := grid.ReadBytes("plan.xlsx", data, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	said := false
	for _, w := range g.Warnings {
		said = said || (w.Code == grid.CodeMergedHidden && strings.Contains(w.Message(grid.English), "not checked"))
	}
	if !said {
		t.Errorf("warnings %v: the unchecked ranges are not said", g.Warnings)
	}
}
