package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/reports"
	"github.com/xuri/excelize/v2"
)

// TestEnv_WriteReports_streamedSameAsWhole: the report udrul writes (the
// portfolio evaluated a municipality at a time, the task list read again
// from the store while it is written) holds, cell for cell on every sheet,
// what the report of the whole evaluation held in memory holds.
func TestEnv_WriteReports_streamedSameAsWhole(t *testing.T) {
	ctx := context.Background()
	p := portfolio(t, 60, 0)
	whole, streamed := p.open(t), p.open(t)
	asOf := whole.Today()

	d, err := whole.ReportData(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Findings) < 500 || len(d.Tasks) == 0 {
		t.Fatalf("%d findings, %d tasks: the portfolio should give hundreds of findings", len(d.Findings), len(d.Tasks))
	}
	wantPath, err := reports.WriteFile(t.TempDir(), "whole.xlsx", d)
	if err != nil {
		t.Fatal(err)
	}
	paths, _, err := streamed.WriteReports(ctx, asOf, filepath.Join(t.TempDir(), "streamed.xlsx"), "", false)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := layout(t, paths[0]), layout(t, wantPath); g != w {
		t.Errorf("sheets, names, tables, panes and print setup:\n%s\nwant\n%s", g, w)
	}
	want, got := sheetCells(t, wantPath), sheetCells(t, paths[0])
	if len(got) != len(want) {
		t.Fatalf("%d sheets, want %d", len(got), len(want))
	}
	for name, rows := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("sheet %q missing", name)
			continue
		}
		if len(g) != len(rows) {
			t.Errorf("sheet %q: %d rows, want %d", name, len(g), len(rows))
			continue
		}
		for r := range rows {
			if len(g[r]) != len(rows[r]) {
				t.Errorf("sheet %q row %d: %q, want %q", name, r+1, g[r], rows[r])
				break
			}
			for c := range rows[r] {
				if g[r][c] != rows[r][c] {
					t.Errorf("sheet %q row %d col %d: %q, want %q", name, r+1, c+1, g[r][c], rows[r][c])
					break
				}
			}
		}
	}
}

// sheetCells reads every sheet's raw cell values.
func sheetCells(t *testing.T, path string) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		out[name] = rows
	}
	return out
}

// layout describes the workbook beside its cells: the sheets in order,
// the defined names, and each sheet's tables, panes, widths, styles of
// its first rows and page setup.
func layout(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "sheets %q\n", f.GetSheetList())
	for _, dn := range f.GetDefinedName() {
		fmt.Fprintf(&b, "name %+v\n", dn)
	}
	for _, name := range f.GetSheetList() {
		tables, err := f.GetTables(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			fmt.Fprintf(&b, "%s table %s %s %s\n", name, tb.Name, tb.Range, tb.StyleName)
		}
		panes, err := f.GetPanes(name)
		if err != nil {
			t.Fatal(err)
		}
		layout, err := f.GetPageLayout(name)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s panes %+v layout %v %v\n", name, panes, *layout.Orientation, *layout.Size)
		for c := 1; c <= 21; c++ {
			col, _ := excelize.ColumnNumberToName(c)
			w, _ := f.GetColWidth(name, col)
			fmt.Fprintf(&b, "%s %s width %v", name, col, w)
			for r := 1; r <= 5; r++ {
				id, _ := f.GetCellStyle(name, fmt.Sprintf("%s%d", col, r))
				st, err := f.GetStyle(id) // the style, not its number (made in map order)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&b, " %v/%d/%v", st.Fill.Color, st.NumFmt, st.CustomNumFmt != nil)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
