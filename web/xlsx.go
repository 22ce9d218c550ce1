package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/model"
	"github.com/xuri/excelize/v2"
)

// writeXLSX writes a list as an Excel extract: a frozen, filterable header,
// numbers as numbers, dates as date cells, text always as text (never a
// formula), and udrul's mark, so the file is never read as a plan.
func writeXLSX(w http.ResponseWriter, name string, columns []string, rows []listRow) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}}})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: ptr("dd-mm-yyyy")})
	for i := range columns {
		sw.SetColWidth(i+1, i+1, 18)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(columns))
	for i, c := range columns {
		head[i] = excelize.Cell{Value: c, StyleID: header}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{}); err != nil {
		return err
	}
	for r, row := range rows {
		vals := make([]any, len(row.Cells))
		for i, c := range row.Cells {
			switch {
			case isInt(c.Text):
				n, _ := strconv.Atoi(c.Text)
				vals[i] = n
			case isDate(c.Text):
				d, _ := model.ParseISODate(c.Text)
				vals[i] = excelize.Cell{Value: d.Time(), StyleID: date}
			default:
				// A string cell: excelize writes it as text, never a formula.
				vals[i] = c.Text
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if len(rows) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(columns), len(rows)+1)
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Liste", StyleName: "TableStyleLight9"}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := f.SetSheetName(sheet, name); err != nil {
		return err
	}
	if err := provenance.Mark(f, provenance.Report); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "udrul-"+name+".xlsx"))
	return f.Write(w)
}

func ptr(s string) *string { return &s }

// isInt reports whether s is an integer written as Excel writes it: a
// number cell shows it unchanged. "007" or "+45" (an ID, a wave) is text:
// as a number it would show as 7 or 45.
func isInt(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	n, err := strconv.Atoi(s)
	return err == nil && strconv.Itoa(n) == s
}

func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	_, err := model.ParseISODate(s)
	return err == nil
}
