package parse

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
)

// A Gantt timeline is a task table whose header row ends in a run of
// period columns: week numbers (with the year in a row above, or in the
// header as "34/2026"), dates (the Monday of each week, or each day), or
// months. A task's marked cells in those columns give its span.

// tlCol is one period column of a timeline.
type tlCol struct {
	col  int             // 1-based column
	prec model.Precision // Week, Month, or Exact for a day column
	n    int             // week or month number
	year int             // 0 when the sheet does not give it
	off  int             // years after the first column's, when year is 0
	day  model.Date      // a day column's date
}

// timeline is the period columns of a Gantt table, left to right.
type timeline struct {
	cols  []tlCol
	first int // first and last column of the timeline
	last  int
	head  int // the header row
}

func (tl *timeline) has(col int) bool { return col >= tl.first && col <= tl.last }

// minTimeline is the fewest period columns that make a timeline.
const minTimeline = 3

// headPeriod classifies a header cell as a period column.
func headPeriod(c grid.Cell) (tlCol, bool) {
	var h tlCol
	switch c.Kind {
	case grid.Date, grid.Number:
		if c.Kind == grid.Date || c.Num >= 10000 {
			d, ok := c.Date()
			h.prec, h.day = model.Exact, d
			return h, ok
		}
		if c.Num == float64(int(c.Num)) && c.Num >= 1 && c.Num <= 53 {
			h.prec, h.n = model.Week, int(c.Num)
			return h, true
		}
		return h, false
	case grid.Text:
	default:
		return h, false
	}
	text := CollapseSpace(c.Text)
	if n, err := strconv.Atoi(text); err == nil {
		if n >= 1 && n <= 53 {
			h.prec, h.n = model.Week, n
			return h, true
		}
		return h, false
	}
	if d, err := ParseDate(text); err == nil {
		h.prec, h.day = model.Exact, d
		return h, true
	}
	l, err := ParseLoose(text)
	if err != nil {
		return h, false
	}
	switch {
	case l.Precision == model.Week && l.From == l.To:
		h.prec, h.n, h.year = model.Week, l.From, l.Year
	case l.Precision == model.Month:
		h.prec, h.n, h.year = model.Month, l.From, l.Year
	default:
		return h, false
	}
	return h, true
}

// findTimeline returns the first run of at least minTimeline adjacent
// period columns of one kind in header row r, in sequence (weeks and months
// one after another, dates a day, a week or a month apart).
func (sp *sheetParser) findTimeline(r int, row []grid.Cell) *timeline {
	for i := 0; i < len(row); i++ {
		h, ok := headPeriod(row[i])
		if !ok {
			continue
		}
		h.col = i + 1
		run := []tlCol{h}
		for j := i + 1; j < len(row); j++ {
			n, ok := headPeriod(row[j])
			if !ok || n.prec != h.prec {
				break
			}
			n.col = j + 1
			run = append(run, n)
		}
		if tl := sp.makeTimeline(r, run); tl != nil {
			return tl
		}
		i += len(run) - 1
	}
	return nil
}

func (sp *sheetParser) makeTimeline(r int, run []tlCol) *timeline {
	if len(run) < minTimeline {
		return nil
	}
	switch run[0].prec {
	case model.Exact:
		run = datesTimeline(run)
		if run == nil {
			return nil
		}
	default:
		limit := 53
		if run[0].prec == model.Month {
			limit = 12
		}
		for k := 1; k < len(run); k++ {
			prev, n := run[k-1].n, run[k].n
			if n != prev+1 && !(n == 1 && prev >= limit-1) {
				return nil // not one period after another
			}
		}
		sp.timelineYears(r, run)
	}
	return &timeline{cols: run, first: run[0].col, last: run[len(run)-1].col, head: r}
}

// datesTimeline reads date header columns: a week apart they are weeks
// (each the week of its date), a day apart (weekends may be left out) days,
// a month apart (the first of each month) months.
func datesTimeline(run []tlCol) []tlCol {
	gaps := map[string]bool{}
	for k := 1; k < len(run); k++ {
		a, b := run[k-1].day, run[k].day
		switch gap := a.DaysUntil(b); {
		case gap == 7:
			gaps["week"] = true
		case gap >= 1 && gap <= 3:
			gaps["day"] = true
		case gap >= 28 && gap <= 31 && a.Day == 1 && b.Day == 1 && b.Month == a.Month%12+1:
			gaps["month"] = true
		default:
			return nil
		}
	}
	if len(gaps) != 1 {
		return nil
	}
	for k := range run {
		d := run[k].day
		switch {
		case gaps["week"]:
			y, w := d.Time().ISOWeek()
			run[k] = tlCol{col: run[k].col, prec: model.Week, n: w, year: y}
		case gaps["month"]:
			run[k] = tlCol{col: run[k].col, prec: model.Month, n: int(d.Month), year: d.Year}
		}
	}
	return run
}

// timelineYears gives week and month columns their years: from the header
// itself ("34/2026"), or from a row of years up to three rows above (the
// year stands over the first column of each year), counting on past a new
// year (week 52 followed by week 1). Without any year, off counts the years
// after the first column's, which resolveYears supplies.
func (sp *sheetParser) timelineYears(r int, run []tlCol) {
	for up := r - 1; up >= 1 && up >= r-3; up-- {
		found := false
		for k := range run {
			if run[k].year == 0 {
				if y, ok := yearCell(sp.w.cell(up, run[k].col)); ok {
					run[k].year, found = y, true
				}
			}
		}
		if found {
			break
		}
	}
	firstKnown := -1
	for k := range run {
		if run[k].year != 0 {
			if firstKnown < 0 {
				firstKnown = k
			}
			continue
		}
		if k > 0 && run[k-1].year != 0 {
			run[k].year = run[k-1].year
			if run[k].n < run[k-1].n {
				run[k].year++
			}
		}
	}
	if firstKnown < 0 {
		for k := 1; k < len(run); k++ {
			run[k].off = run[k-1].off
			if run[k].n < run[k-1].n {
				run[k].off++
			}
		}
		return
	}
	for k := firstKnown - 1; k >= 0; k-- {
		run[k].year = run[k+1].year
		if run[k].n > run[k+1].n {
			run[k].year--
		}
	}
}

// yearCell reads a year written alone in a cell (2026, "2026", "År 2026").
func yearCell(c grid.Cell) (int, bool) {
	var n int
	switch c.Kind {
	case grid.Number:
		if c.Num != float64(int(c.Num)) {
			return 0, false
		}
		n = int(c.Num)
	case grid.Text:
		t := strings.TrimSpace(strings.TrimPrefix(strings.ToLower(CollapseSpace(c.Text)), "år"))
		var err error
		if n, err = strconv.Atoi(t); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	return n, n >= 1950 && n <= 2199
}

// ganttHeader recognises a timeline's header row: a task column and at
// least one of ID, responsible, performer or status before (or after) a
// timeline.
func (sp *sheetParser) ganttHeader(r int, row []grid.Cell, filled []int) ([numRoles]int, *timeline, bool) {
	var colOf [numRoles]int
	if len(filled) < minTimeline+2 {
		return colOf, nil, false
	}
	// Cheap first: a header names the task column.
	hasTitle := false
	for _, i := range filled {
		if c := row[i]; c.Kind == grid.Text && sp.p.cols.Role(c.Text) == RoleTitle {
			hasTitle = true
			break
		}
	}
	if !hasTitle {
		return colOf, nil, false
	}
	tl := sp.findTimeline(r, row)
	if tl == nil {
		return colOf, nil, false
	}
	matched, others, rest := 0, 0, 0
	for _, i := range filled {
		if tl.has(i + 1) {
			continue
		}
		rest++
		c := row[i]
		if c.Kind != grid.Text {
			continue
		}
		role := sp.p.cols.Role(c.Text)
		if role == RoleNone {
			continue
		}
		matched++
		if colOf[role] == 0 {
			colOf[role] = i + 1
			switch role {
			case RoleID, RoleResponsible, RolePerformer, RoleStatus:
				others++
			}
		}
	}
	ok := colOf[RoleTitle] != 0 && colOf[RoleTitle] < tl.first && others >= 1 && matched*2 >= rest
	return colOf, tl, ok
}

// marked reports whether a timeline cell is marked: any text (x, X, ■, •,
// 1), or a fill colour that is not white or a pale grey.
func marked(c grid.Cell) bool {
	if !c.IsEmpty() {
		return true
	}
	rgb, ok := c.FillRGB()
	if !ok {
		return false
	}
	r, g, b := rgb>>16&0xff, rgb>>8&0xff, rgb&0xff
	hi, lo := max(r, g, b), min(r, g, b)
	return !(lo >= 0xc0 && hi-lo < 0x20) // white, off-white and pale grey are backgrounds
}

// ganttMarks returns the timeline columns (indexes into tl.cols) marked in
// row r.
func (sp *sheetParser) ganttMarks(r int) []int {
	var out []int
	for k, c := range sp.gantt.cols {
		if marked(sp.w.cell(r, c.col)) {
			out = append(out, k)
		}
	}
	return out
}

// ganttSpan sets task idx's dates from its marks in row r. It returns
// whether the dates wait for resolveYears (the timeline has no year).
func (sp *sheetParser) ganttSpan(r, idx int, t *model.Task) (pendStart, pendEnd bool) {
	marks := sp.ganttMarks(r)
	tl := sp.gantt
	if len(marks) == 0 {
		sp.addIssue(model.Pos{Sheet: sp.name, Row: r, Cell: grid.Ref(r, tl.first)}, CodeGanttNoMarks, t.Title)
		return false, false
	}
	first, last := marks[0], marks[len(marks)-1]
	if len(marks) != last-first+1 {
		// The first unmarked column inside the bar names the gap.
		gap := first
		for k, m := range marks {
			if m != first+k {
				gap = first + k
				break
			}
		}
		c := tl.cols[gap]
		sp.addIssue(model.Pos{Sheet: sp.name, Row: r, Cell: grid.Ref(r, c.col)}, CodeGanttGap, t.Title, sp.periodName(c, c.year))
	}
	a, b := tl.cols[first], tl.cols[last]
	pendStart = sp.ganttDate(r, idx, a, false, &t.Start, &t.StartAs)
	pendEnd = sp.ganttDate(r, idx, b, true, &t.End, &t.EndAs)
	return pendStart, pendEnd
}

// ganttDate sets one end of a bar from its column c.
func (sp *sheetParser) ganttDate(r, idx int, c tlCol, end bool, d *model.Date, as *model.Written) bool {
	if c.prec == model.Exact {
		*d = c.day
		sp.st.written(c.day)
		return false
	}
	l := Loose{Text: sp.periodName(c, 0), Precision: c.prec, From: c.n, To: c.n}
	if c.year == 0 {
		// The timeline gives no year: one warning, on its first header cell.
		head := sp.gantt.head
		sp.st.pending = append(sp.st.pending, pendingDate{task: idx, end: end, l: l, gantt: true, off: c.off,
			pos: model.Pos{Sheet: sp.name, Row: head, Cell: grid.Ref(head, sp.gantt.first)}})
		return true
	}
	first, last, ok := l.Span(c.year)
	if !ok {
		sp.addIssue(model.Pos{Sheet: sp.name, Row: r, Cell: grid.Ref(r, c.col)}, CodeBadDate, sp.p.lang.word("Start"), sp.periodName(c, c.year))
		return false
	}
	sp.st.written(first)
	l.Text = sp.periodName(c, c.year)
	*as = model.Written{Text: l.Text, Precision: c.prec}
	if end {
		*d = last
	} else {
		*d = first
	}
	return false
}

// periodName names a timeline column the way the README writes it: "uge
// 34 2026", "oktober 2026" (without the year when year is 0).
func (sp *sheetParser) periodName(c tlCol, year int) string {
	var s string
	switch c.prec {
	case model.Week:
		s = fmt.Sprintf("uge %d", c.n)
	case model.Month:
		s = danishMonths[c.n]
	default:
		return fmtDate(c.day)
	}
	if year != 0 {
		s += " " + strconv.Itoa(year)
	}
	return s
}

var danishMonths = [...]string{"", "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"}
