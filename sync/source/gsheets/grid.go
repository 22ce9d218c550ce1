package gsheets

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/udrul/udrul/sync/grid"
	"google.golang.org/api/sheets/v4"
)

// ToGrid turns a whole spreadsheets.get response into a grid: values with
// their types (dates and percentages from their number formats), merged
// ranges, hidden sheets, and a link per sheet that opens a cell. Fetch does
// not use it: it reads within the limits, cell by cell (read.go).
func ToGrid(ss *sheets.Spreadsheet) *grid.Grid {
	g := &grid.Grid{}
	if ss.Properties != nil {
		g.File = ss.Properties.Title
	}
	for _, sh := range ss.Sheets {
		if sh.Properties == nil {
			continue
		}
		out := grid.Sheet{Name: sh.Properties.Title, Hidden: sh.Properties.Hidden,
			Link: fmt.Sprintf("%s#gid=%d&range=", SheetURL(ss.SpreadsheetId), sh.Properties.SheetId)}
		for _, m := range sh.Merges {
			out.Merges = append(out.Merges, grid.Merge{Top: int(m.StartRowIndex) + 1, Left: int(m.StartColumnIndex) + 1, Bottom: int(m.EndRowIndex), Right: int(m.EndColumnIndex)})
		}
		for _, data := range sh.Data {
			for r, rd := range data.RowData {
				row := int(data.StartRow) + r
				cells := rowCells(rd, int(data.StartColumn))
				for len(out.Rows) <= row {
					out.Rows = append(out.Rows, nil)
				}
				// Several GridData may hold parts of one row.
				for c, cell := range cells {
					if cell.Kind == grid.Empty && c < len(out.Rows[row]) {
						continue
					}
					for len(out.Rows[row]) <= c {
						out.Rows[row] = append(out.Rows[row], grid.Cell{})
					}
					out.Rows[row][c] = cell
				}
			}
		}
		for len(out.Rows) > 0 && out.Rows[len(out.Rows)-1] == nil {
			out.Rows = out.Rows[:len(out.Rows)-1]
		}
		g.Sheets = append(g.Sheets, out)
	}
	return g
}

func toCell(v *sheets.CellData) grid.Cell {
	if v == nil || v.EffectiveValue == nil {
		if v != nil && strings.TrimSpace(v.FormattedValue) != "" {
			return grid.Cell{Kind: grid.Text, Text: v.FormattedValue}
		}
		return grid.Cell{}
	}
	ev := v.EffectiveValue
	switch {
	case ev.NumberValue != nil:
		n := *ev.NumberValue
		text := v.FormattedValue
		if text == "" {
			text = fmt.Sprint(n)
		}
		kind := grid.Number
		if v.EffectiveFormat != nil && v.EffectiveFormat.NumberFormat != nil {
			switch v.EffectiveFormat.NumberFormat.Type {
			case "DATE", "DATE_TIME":
				kind = grid.Date
			}
		}
		return grid.Cell{Kind: kind, Text: text, Num: n}
	case ev.StringValue != nil:
		return grid.Cell{Kind: grid.Text, Text: *ev.StringValue}
	case ev.BoolValue != nil:
		return grid.Cell{Kind: grid.Bool, Text: strings.ToUpper(fmt.Sprint(*ev.BoolValue))}
	}
	return grid.Cell{Kind: grid.Text, Text: v.FormattedValue}
}

// A timeline (a Gantt plan) has a header row with a run of week, date or
// month columns; its bars may be drawn by colour alone. Colours are asked
// for only for those columns of those sheets, with a second, narrow
// spreadsheets.get: every other read stays as small as before.
const (
	timelineScanRows = 40 // header rows looked at
	timelineMinRun   = 4  // time columns in a row that make a timeline
)

var (
	weekRe  = regexp.MustCompile(`(?i)^(?:uge|u|w|week|kw|uke)?\.?\s*(\d{1,2})(?:\s*[/-]\s*(?:\d{2}|\d{4}))?$`)
	isoWeek = regexp.MustCompile(`(?i)^\d{4}-?W\d{1,2}$`)
	dateRe  = regexp.MustCompile(`^\d{1,4}[-./]\d{1,2}(?:[-./]\d{2,4})?$`)
	monthRe = regexp.MustCompile(`(?i)^(jan|januar|january|feb|februar|february|mar|mrt|marts|march|apr|april|maj|may|jun|juni|june|jul|juli|july|aug|august|sep|sept|september|okt|oktober|oct|october|nov|november|dec|dek|december)\.?(?:\s*['-]?\s*\d{2,4})?$`)
)

// timeHeading reports whether a header cell names a week, a date or a month.
func timeHeading(c grid.Cell) bool {
	switch c.Kind {
	case grid.Date:
		return true
	case grid.Number:
		return c.Num == math.Trunc(c.Num) && c.Num >= 1 && c.Num <= 53 || c.Num > 30000 && c.Num < 60000
	case grid.Text:
		t := strings.TrimSpace(strings.ReplaceAll(c.Text, "\u00a0", " "))
		if m := weekRe.FindStringSubmatch(t); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n >= 1 && n <= 53
		}
		return isoWeek.MatchString(t) || dateRe.MatchString(t) || monthRe.MatchString(t)
	}
	return false
}

// timelineColumns returns the first and last column (1-based) of a sheet's
// longest run of time headings in its first rows, if it is long enough.
func timelineColumns(sh *grid.Sheet) (first, last int, ok bool) {
	for r := 0; r < len(sh.Rows) && r < timelineScanRows; r++ {
		run := 0
		for c, cell := range sh.Rows[r] {
			if timeHeading(cell) {
				run++
				if run >= timelineMinRun && (!ok || run > last-first+1) {
					first, last, ok = c+2-run, c+1, true
				}
				continue
			}
			run = 0
		}
	}
	return first, last, ok
}

// timelineRanges are the A1 ranges of the time columns of every visible
// timeline sheet, for the colour request, down to the last row read
// (layouts, by grid sheet: within the limits and the grid).
func timelineRanges(g *grid.Grid, layouts []layout) []string {
	var out []string
	for i := range g.Sheets {
		sh := &g.Sheets[i]
		if sh.Hidden || i >= len(layouts) || layouts[i].rows == 0 {
			continue
		}
		first, last, ok := timelineColumns(sh)
		if !ok {
			continue
		}
		// A1 notation: the title in single quotes, a quote doubled.
		out = append(out, fmt.Sprintf("%s!%s1:%s%d", quoteTitle(sh.Name), columnName(first), columnName(last), layouts[i].rows))
	}
	return out
}

// applyFills sets the fill of the grid's cells from the colour request's
// answer: a solid background other than white (Google's default) marks a
// cell, also when it holds no text.
func applyFills(g *grid.Grid, layouts []layout, fills *sheets.Spreadsheet) {
	index := map[int64]int{}
	for i, l := range layouts {
		index[l.id] = i
	}
	for _, sh := range fills.Sheets {
		if sh.Properties == nil {
			continue
		}
		i, ok := index[sh.Properties.SheetId]
		if !ok || i >= len(g.Sheets) {
			continue
		}
		out := &g.Sheets[i]
		for _, data := range sh.Data {
			for r, rd := range data.RowData {
				row := int(data.StartRow) + r
				for c, v := range rd.Values {
					col := int(data.StartColumn) + c
					rgb, ok := background(v)
					if !ok {
						continue
					}
					for len(out.Rows) <= row {
						out.Rows = append(out.Rows, nil)
					}
					for len(out.Rows[row]) <= col {
						out.Rows[row] = append(out.Rows[row], grid.Cell{})
					}
					out.Rows[row][col].Fill = rgb | grid.FillSet
				}
			}
		}
	}
}

// background is a cell's solid background colour as 0xRRGGBB, from
// backgroundColorStyle's rgbColor or else the (deprecated, still returned)
// backgroundColor; white, transparent and absent are no fill. Google omits
// colour components that are 0, so {} is black.
func background(v *sheets.CellData) (uint32, bool) {
	if v == nil || v.EffectiveFormat == nil {
		return 0, false
	}
	col := v.EffectiveFormat.BackgroundColor
	if st := v.EffectiveFormat.BackgroundColorStyle; st != nil && st.RgbColor != nil {
		col = st.RgbColor
	}
	if col == nil {
		return 0, false
	}
	to8 := func(f float64) uint32 { return uint32(math.Round(math.Max(0, math.Min(1, f)) * 255)) }
	rgb := to8(col.Red)<<16 | to8(col.Green)<<8 | to8(col.Blue)
	if rgb == 0xFFFFFF {
		return 0, false
	}
	return rgb, true
}

// rowCells are a row's cells, starting at column c0 (0-based), up to its
// last with a value.
func rowCells(rd *sheets.RowData, c0 int) []grid.Cell {
	var cells []grid.Cell
	for c, v := range rd.Values {
		col := c0 + c
		cell := toCell(v)
		if cell.Kind == grid.Empty {
			continue
		}
		for len(cells) < col {
			cells = append(cells, grid.Cell{})
		}
		cells = append(cells, cell)
	}
	return cells
}
