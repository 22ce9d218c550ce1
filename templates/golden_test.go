package templates_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/templates"
	"github.com/udrul/udrul/workdays"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the templates' golden dumps in testdata")

// dump describes a workbook cell by cell — raw value, cell type and the
// full style of every cell that has a value or a style — with each sheet's
// column widths, panes, page layout, data validations and defined names,
// so two workbooks that dump alike look and behave alike in Excel.
func dump(t *testing.T, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	// Styles are named S1, S2, ... in the order first met and listed at
	// the end, so the dump stays short.
	styles := map[string]string{}
	var styleList []string
	js := func(v any) string {
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "sheet %q\n", sheet)
		// The cells with a value, and a margin for cells with only a
		// style (the empty rows under each step).
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		maxRow, maxCol := len(rows)+10, 0
		for _, r := range rows {
			maxCol = max(maxCol, len(r))
		}
		maxCol += 3
		for c := 1; c <= maxCol; c++ {
			name, _ := excelize.ColumnNumberToName(c)
			w, err := f.GetColWidth(sheet, name)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "  col %s width %g\n", name, w)
		}
		for r := 1; r <= maxRow; r++ {
			for c := 1; c <= maxCol; c++ {
				cell, _ := excelize.CoordinatesToCellName(c, r)
				v, err := f.GetCellValue(sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				typ, _ := f.GetCellType(sheet, cell)
				id, err := f.GetCellStyle(sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				if v == "" && id == 0 {
					continue
				}
				style, err := f.GetStyle(id)
				if err != nil {
					t.Fatal(err)
				}
				sj := js(style)
				label, ok := styles[sj]
				if !ok {
					label = fmt.Sprintf("S%d", len(styleList)+1)
					styles[sj] = label
					styleList = append(styleList, sj)
				}
				fmt.Fprintf(&b, "  %s %q type %d style %s\n", cell, v, typ, label)
			}
		}
		panes, _ := f.GetPanes(sheet)
		layout, _ := f.GetPageLayout(sheet)
		props, _ := f.GetSheetProps(sheet)
		dvs, _ := f.GetDataValidations(sheet)
		fmt.Fprintf(&b, "  panes %s\n  layout %s\n  props %s\n", js(panes), js(layout), js(props))
		for _, dv := range dvs {
			fmt.Fprintf(&b, "  validation %s\n", js(dv))
		}
	}
	for _, dn := range f.GetDefinedName() {
		fmt.Fprintf(&b, "defined name %s\n", js(dn))
	}
	for i, sj := range styleList {
		fmt.Fprintf(&b, "style S%d %s\n", i+1, sj)
	}
	return b.String()
}

// TestWrite_golden writes the standard plan, as blocks and as a timeline,
// in Danish and English, and compares each workbook with its dump in
// testdata (made by `go test ./templates -run TestWrite_golden -update`): a change to
// how templates are built must not change a cell, a style or a setting.
func TestWrite_golden(t *testing.T) {
	p := standard(t)
	keep := templates.KeepFrom([]model.Task{{Title: "Dialogmøde/kick-off på udrulning", Status: model.Done, Start: d("2026-09-01"), End: d("2026-09-02")}})
	for _, tc := range []struct {
		name  string
		gantt bool
		in    templates.Instance
	}{
		{"plan_da", false, templates.Instance{Municipality: "Aarhus", Solution: "KY", Wave: "2", GoLive: d("2027-03-01"), Keep: keep}},
		{"plan_en", false, templates.Instance{Municipality: "Vejle", Solution: "KY", Wave: "1", GoLive: d("2027-01-04"), English: true}},
		{"gantt_da", true, templates.Instance{Municipality: "Aarhus", Solution: "KY", Wave: "2", GoLive: d("2027-03-01"), Keep: keep}},
		{"gantt_en", true, templates.Instance{Municipality: "Vejle", Solution: "KY", Wave: "1", GoLive: d("2027-01-04"), English: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			write := p.Write
			if tc.gantt {
				write = p.WriteGantt
			}
			if err := write(&buf, tc.in, workdays.New()); err != nil {
				t.Fatal(err)
			}
			got := dump(t, buf.Bytes())
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := range max(len(gl), len(wl)) {
					var g, w string
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if g != w {
						t.Fatalf("workbook differs from %s at line %d:\n got: %s\nwant: %s", path, i+1, g, w)
					}
				}
			}
		})
	}
}
