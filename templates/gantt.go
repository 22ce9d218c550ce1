package templates

import (
	"fmt"
	"io"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/workdays"
	"github.com/xuri/excelize/v2"
)

// WriteGantt writes the standard plan as a Gantt timeline, the way many
// municipalities draw their plans: the plan's key/value lines, the task
// columns (ID, Opgave, Ansvarlig, Udfører, Status) followed by a column per
// ISO week with the year in the row above (over the first week and each
// week 1), a step row before each step's tasks, and each task's weeks
// marked with an x on a coloured cell. udrul reads a task's span as the
// Monday of its first marked week to the Friday of its last.
func (p *Plan) WriteGantt(out io.Writer, in Instance, cal *workdays.Calendar) error {
	f := excelize.NewFile()
	defer f.Close()
	l, lang := in.l, in.lang()
	sheet := l("Tidsplan", "Timeline")
	w := &xw{f: f, sheet: sheet}
	w.must(f.SetSheetName("Sheet1", sheet))
	title := w.style(titleStyle())
	key := w.style(keyStyle())
	header := w.style(headerStyle(&excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}, nil))
	year := w.style(&excelize.Style{Font: &excelize.Font{Bold: true, Color: navy}})
	stepStyle := w.style(stepRowStyle())
	bar := w.style(&excelize.Style{Font: &excelize.Font{Color: "FFFFFF"}, Fill: solid("4472C4"), Alignment: &excelize.Alignment{Horizontal: "center"}})

	w.head(in, fmt.Sprintf(l("Tidsplan for %s", "Timeline for %s"), in.Solution), title, key)

	tasks := p.Dates(in, cal)
	cols := []string{l("ID", "ID"), l("Opgave", "Task"), l("Ansvarlig", "Responsible"), l("Udfører", "Performed by"), l("Status", "Status")}
	for i, wd := range []float64{8, 50, 14, 16, 14} {
		c, _ := excelize.ColumnNumberToName(i + 1)
		w.must(f.SetColWidth(sheet, c, c, wd))
	}
	// The weeks from the first task's to the last task's.
	var first, last model.Date
	for _, t := range tasks {
		if first.IsZero() || t.Start.Before(first) {
			first = t.Start
		}
		if t.End.After(last) {
			last = t.End
		}
	}
	first = monday(first)
	var weeks []model.Date
	for d := first; !d.After(last); d = d.AddDays(7) {
		weeks = append(weeks, d)
	}
	const yearRow, headRow = 7, 8
	tl := len(cols) + 1
	for i, h := range cols {
		c, _ := excelize.CoordinatesToCellName(i+1, headRow)
		w.set(c, h, header)
	}
	for k, mon := range weeks {
		y, wk := mon.Time().ISOWeek()
		if k == 0 || wk == 1 {
			c, _ := excelize.CoordinatesToCellName(tl+k, yearRow)
			w.set(c, y, year)
		}
		c, _ := excelize.CoordinatesToCellName(tl+k, headRow)
		w.set(c, wk, header)
	}
	if len(weeks) > 0 {
		a, _ := excelize.ColumnNumberToName(tl)
		b, _ := excelize.ColumnNumberToName(tl + len(weeks) - 1)
		w.must(f.SetColWidth(sheet, a, b, 3.5))
	}
	row := headRow
	for _, st := range p.Steps {
		row++
		c, _ := excelize.CoordinatesToCellName(2, row)
		w.set(c, st.Label, stepStyle) // as the block template's "Navn: Trin 0a"
		for _, t := range tasks {
			if t.Step != st.Label {
				continue
			}
			row++
			status := ""
			if t.Status != model.NotStarted || t.Raw != "" {
				status = statusOf[t.Status][lang]
			}
			for i, v := range []any{t.ID, t.Title, t.Resp, t.Perf, status} {
				c, _ := excelize.CoordinatesToCellName(i+1, row)
				w.set(c, v, 0)
			}
			for k, mon := range weeks {
				if mon.AddDays(6).Before(t.Start) || mon.After(t.End) {
					continue
				}
				c, _ := excelize.CoordinatesToCellName(tl+k, row)
				w.set(c, "x", bar)
			}
		}
	}
	w.must(f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: len(cols), YSplit: headRow, TopLeftCell: fmt.Sprintf("%s%d", colName(tl), headRow+1), ActivePane: "bottomRight"}))
	w.landscape()
	if err := w.err; err != nil {
		return err
	}
	return f.Write(out)
}

func colName(c int) string {
	n, _ := excelize.ColumnNumberToName(c)
	return n
}

// monday returns the Monday of d's ISO week.
func monday(d model.Date) model.Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}
