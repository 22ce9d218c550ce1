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

// TestBook_mergesReadAhead: a Book reads a sheet's merged ranges ahead of
// its rows from the first "mergeCells" in the part; where that is not the
// sheet's list (a comment, a CDATA section, two lists) the ranges it gave
// may be wrong, so the sheet ends with ErrMergedHidden and the parser reads
// it whole; where it is, the ranges are the sheet's.
func TestBook_mergesReadAhead(t *testing.T) {
	row := `<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>`
	tests := []struct {
		name  string
		sheet string
		whole bool // ends with ErrMergedHidden
	}{
		{"the sheet's list", row + `<mergeCells count="1"><mergeCell ref="B1:C1"/></mergeCells>`, false},
		{"with a prefix", row + `<x:mergeCells xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:mergeCell ref="B1:C1"/></x:mergeCells>`, false},
		{"no list", row, false},
		{"a list in a comment before the rows", `<!-- <mergeCells><mergeCell ref="A1:A2"/></mergeCells> -->` + row + `<mergeCells><mergeCell ref="B1:C1"/></mergeCells>`, true},
		{"a list in a comment and none after", `<!-- <mergeCells><mergeCell ref="A1:A2"/></mergeCells> -->` + row, true},
		{"two lists", row + `<mergeCells><mergeCell ref="B1:C1"/></mergeCells><mergeCells><mergeCell ref="D1:E1"/></mergeCells>`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := fuzzPkg(t, sheetXML(tt.sheet))
			g, err := grid.ReadBytes("plan.xlsx", data, grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := grid.OpenBytes("plan.xlsx", data, grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			s, err := b.NextSheet()
			if err != nil {
				t.Fatal(err)
			}
			s.MergeAt(1, 1)
			for err == nil {
				_, _, err = s.Next()
			}
			if got := errors.Is(err, grid.ErrMergedHidden); got != tt.whole || (!got && err != io.EOF) {
				t.Fatalf("Book ends with %v, want ErrMergedHidden: %v", err, tt.whole)
			}
			if tt.whole {
				return
			}
			for _, m := range g.Sheets[0].Merges {
				if got, ok := s.MergeAt(m.Top, m.Left); !ok || got != m {
					t.Errorf("MergeAt(%d, %d) = %+v %v, want %+v", m.Top, m.Left, got, ok, m)
				}
			}
		})
	}
}
