package parse

import (
	"errors"
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
	// note is ganttOutOfOrder or ganttDoubtful for a column out of order,
	// after the index of the column it was compared with.
	note, after int
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
	var amb *AmbiguousError
	if errors.As(err, &amb) && (amb.Kind == ambWeekDay || amb.Kind == ambWeekSlash) {
		// "34/26" or "uge 25/26" over a timeline's column is a week with
		// its year: a column is one week.
		h.prec, h.n, h.year = model.Week, amb.Week, 2000+amb.YY
		return h, true
	}
	if errors.As(err, &amb) && amb.Kind == ambWeekMonth {
		// "05/2027" over a timeline's column, among 03/2027, 04/2027: a
		// week, as such a header has always been read.
		h.prec, h.n, h.year = model.Week, amb.Week, amb.Year
		return h, true
	}
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
		h, ok := headPeriod(sp.serial(row[i]))
		if !ok {
			continue
		}
		h.col = i + 1
		run := []tlCol{h}
		for j := i + 1; j < len(row); j++ {
			n, ok := headPeriod(sp.serial(row[j]))
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
		if !mostlyInOrder(run) {
			return nil // not periods one after another
		}
		sp.timelineYears(r, run)
	}
	return &timeline{cols: run, first: run[0].col, last: run[len(run)-1].col, head: r}
}

// step is how a week or month column follows the one before it.
type step int

const (
	stepOn     step = iota // a later period of the same year (34 after 33, 36 after 34)
	stepWrap               // an early period of the next year (1 after 52, 2 after 51)
	stepRepeat             // the same period again
	stepBack               // an earlier period, and not just across a new year
)

// maxWrap is how far across a new year the next column may lie to be read
// as the next year: 8 weeks (50, 52, 2) or 3 months (nov, jan).
func maxWrap(prec model.Precision) int {
	if prec == model.Month {
		return 3
	}
	return 8
}

// periods is the number of weeks (ISO 8601; 52 when the year is not known)
// or months of a year.
func periods(prec model.Precision, year int) int {
	switch {
	case prec == model.Month:
		return 12
	case year != 0:
		return isoWeeks(year)
	}
	return 52
}

// stepOf says how period n follows period prev in year (0 when unknown).
func stepOf(prec model.Precision, prev, n, year int) step {
	switch {
	case n > prev:
		return stepOn
	case n == prev:
		return stepRepeat
	case periods(prec, year)-prev+n <= maxWrap(prec):
		return stepWrap
	}
	return stepBack
}

// mostlyInOrder reports whether a run of week or month headers is a
// timeline: more than half of its steps go on by one to four periods (or
// across a new year) from the last column in order. The rest (a week
// repeated, a week out of order) are read column by column
// (timelineYears).
func mostlyInOrder(run []tlCol) bool {
	good, last := 0, 0
	for k := 1; k < len(run); k++ {
		prev, n := run[last].n, run[k].n
		switch stepOf(run[k].prec, prev, n, run[last].year) {
		case stepWrap:
			good++
			last = k
		case stepOn:
			if n-prev <= 4 {
				good++
			}
			last = k
		}
	}
	return 2*good > len(run)-1
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
// year stands over the first column of each year, or in a merged cell over
// its columns). A column without a year of its own takes the year of the
// nearest column before it that has one, counting on past a new year
// (week 52 followed by week 1). Without any year, off counts the years
// after the first column's, which resolveYears supplies.
//
// Columns out of order are read by their own period: a period repeated, or
// a step back with a year of its own, is noted (gantt_order); a step back
// without a year of its own (week 20 after week 40: this year or the next?)
// makes the column doubtful, and bars that begin or end in it are refused
// (gantt_doubtful). Columns after it count on from the last sure one.
func (sp *sheetParser) timelineYears(r int, run []tlCol) {
	own := make([]bool, len(run))
	var merged []int // the year of a merged cell over a column without its own
	for k := range run {
		own[k] = run[k].year != 0
	}
	for up := r - 1; up >= 1 && up >= r-3; up-- {
		found := false
		for k := range run {
			if run[k].year == 0 {
				if y, ok := yearCell(sp.w.cell(up, run[k].col)); ok {
					run[k].year, own[k], found = y, true, true
				}
			}
		}
		if found {
			merged = sp.mergedYears(up, run, own)
			break
		}
	}
	anchor := -1
	for k := range run {
		if own[k] {
			anchor = k
			break
		}
	}
	noYear := anchor < 0
	if noYear {
		anchor = 0
	}
	// yearOf is a column's year, or its offset when the sheet gives none.
	yearOf := func(k int) int {
		if noYear {
			return run[k].off
		}
		return run[k].year
	}
	set := func(k, y int) {
		if noYear {
			run[k].off = y
		} else {
			run[k].year = y
		}
	}
	known := func(k int) int { // the year to count weeks in, 0 if unknown
		if noYear {
			return 0
		}
		return run[k].year
	}
	// Rightwards from the first column with a year.
	last := anchor
	for k := anchor + 1; k < len(run); k++ {
		st := stepOf(run[k].prec, run[last].n, run[k].n, known(last))
		if st == stepBack && merged != nil && merged[k] != 0 {
			// A year merged over a stretch of columns makes a step back
			// inside it sure. (Elsewhere the weeks count on: a merge drawn
			// a column too far does not stop a new year.)
			run[k].year, own[k] = merged[k], true
		}
		if own[k] {
			if st == stepRepeat || st == stepBack {
				run[k].note = ganttOutOfOrder
				run[k].after = last
			}
			last = k
			continue
		}
		switch st {
		case stepOn:
			set(k, yearOf(last))
		case stepRepeat:
			set(k, yearOf(last))
			run[k].note, run[k].after = ganttOutOfOrder, last
		case stepWrap:
			set(k, yearOf(last)+1)
		case stepBack:
			run[k].note, run[k].after = ganttDoubtful, last
			set(k, yearOf(last)) // kept only to name the years in the message
			continue
		}
		last = k
	}
	// Leftwards from it: the columns before the first year.
	next := anchor
	for k := anchor - 1; k >= 0; k-- {
		y := known(next)
		if y != 0 && run[next].n < run[k].n {
			y-- // weeks counted in the year before
		}
		st := stepOf(run[k].prec, run[k].n, run[next].n, y)
		if st == stepBack && merged != nil && merged[k] != 0 {
			run[k].year, run[k].note, run[k].after = merged[k], ganttOutOfOrder, next
			next = k
			continue
		}
		switch st {
		case stepOn:
			set(k, yearOf(next))
		case stepRepeat:
			set(k, yearOf(next))
			run[k].note, run[k].after = ganttOutOfOrder, next
		case stepWrap:
			set(k, yearOf(next)-1)
		case stepBack:
			run[k].note, run[k].after = ganttDoubtful, next
			set(k, yearOf(next))
			continue
		}
		next = k
	}
}

// What a timeline column's header says about its order.
const (
	ganttInOrder    = iota
	ganttOutOfOrder // out of order, but its period is sure
	ganttDoubtful   // its year cannot be told
)

// mergedYears returns, for each column without a year of its own, the year
// of a merged cell over it in row up (0 where there is none): a year cell
// over a timeline column that is merged across the columns to its right.
func (sp *sheetParser) mergedYears(up int, run []tlCol, own []bool) []int {
	var out []int
	for k := range run {
		if !own[k] {
			continue
		}
		m, ok := sp.w.src.MergeAt(up, run[k].col)
		if !ok || m.Right <= m.Left {
			continue
		}
		y, ok := yearCell(sp.w.cell(up, run[k].col))
		if !ok {
			continue
		}
		for j := range run {
			if !own[j] && run[j].col > m.Left && run[j].col <= m.Right {
				if out == nil {
					out = make([]int, len(run))
				}
				out[j] = y
			}
		}
	}
	return out
}

// reportTimeline says on the header what is out of order in a timeline
// that was taken as a table's.
func (sp *sheetParser) reportTimeline(tl *timeline) {
	lang := sp.p.lang
	for _, c := range tl.cols {
		if c.note == ganttInOrder {
			continue
		}
		prev := tl.cols[c.after]
		pos := model.Pos{Sheet: sp.name, Row: tl.head, Cell: grid.Ref(tl.head, c.col)}
		name, prevName := sp.periodName(c, 0), sp.periodName(prev, 0)
		if c.note == ganttOutOfOrder {
			sp.plan.Issues = append(sp.plan.Issues, lang.issue(pos, CodeGanttOrder,
				fmt.Sprintf(lang.word("gantt_order"), name, prevName, sp.periodName(c, c.year))))
			continue
		}
		choice, hint := lang.word("sameOrNext"), name+" "+strconv.Itoa(sp.p.now().Year())
		if c.year != 0 {
			choice = fmt.Sprintf("%d / %d", c.year, c.year+1)
			hint = fmt.Sprintf("%s/%d", name, c.year)
		}
		sp.plan.Issues = append(sp.plan.Issues, lang.issue(pos, CodeGanttDoubtful,
			fmt.Sprintf(lang.word("gantt_doubtful_head"), name, prevName, choice, hint)))
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
	if ok {
		sp.reportTimeline(tl)
	}
	return colOf, tl, ok
}

// marked reports whether a timeline cell is marked: any text (x, X, ■, •,
// 1), or a fill colour that is not white or a pale grey.
// noMarks are the texts a timeline's cell says "not this week" with.
var noMarks = []string{"0", "-", "–", "nej", "n", "no", "false", "falsk"}

// noMark reports whether a timeline cell's text is a no (noMarks, in any
// case, with spaces around), without allocating: it is asked of every
// marked cell.
func noMark(text string) bool {
	t := strings.TrimSpace(text)
	if len(t) > 5 {
		return false
	}
	for _, w := range noMarks {
		if strings.EqualFold(t, w) {
			return true
		}
	}
	return false
}

func marked(c grid.Cell) bool {
	// A formula's timeline writes 0 (or "-", "nej") in the weeks a task
	// does not run and 1 in those it does: 0 is no mark, unless the cell
	// is filled as a bar.
	switch {
	case c.IsEmpty():
	case c.Kind == grid.Number && c.Num == 0,
		c.Kind == grid.Text && noMark(c.Text),
		c.Kind == grid.Bool && c.Text != "1" && !strings.EqualFold(c.Text, "true"):
	default:
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
	right := 0 // the last column of a merged bar being read
	// A value left of the timeline merged into it (a step row "Trin 1 –
	// Forberedelse" merged across the whole row, filled as a band) is
	// shown over those weeks as one cell: its fill there is no bar.
	label := 0
	for i, c := range sp.w.row(r) {
		if i+1 >= sp.gantt.first {
			break
		}
		if c.IsEmpty() {
			continue
		}
		if m, ok := sp.w.src.MergeAt(r, i+1); ok && m.Right >= sp.gantt.first {
			label = max(label, m.Right)
		}
	}
	for k, c := range sp.gantt.cols {
		switch {
		case c.col <= label:
		case c.col <= right:
			// Inside a bar drawn as one merged cell: Excel shows the
			// mark (or fill) of its first cell across it.
			out = append(out, k)
		case marked(sp.w.cell(r, c.col)):
			out = append(out, k)
			if m, ok := sp.w.src.MergeAt(r, c.col); ok {
				right = m.Right
			}
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
		// A formula-drawn timeline saved without its values (by a program
		// that does not calculate): its marks are not known, not absent.
		for _, c := range tl.cols {
			if sp.w.cell(r, c.col).Uncomputed {
				sp.addIssue(model.Pos{Sheet: sp.name, Row: r, Cell: grid.Ref(r, c.col)}, CodeNoValue, sp.p.lang.word("timeline"))
				return false, false
			}
		}
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
	if c.note == ganttDoubtful {
		lang := sp.p.lang
		verb := lang.word("begins")
		if end {
			verb = lang.word("ends")
		}
		head := grid.Ref(sp.gantt.head, c.col)
		sp.addIssue(model.Pos{Sheet: sp.name, Row: r, Cell: grid.Ref(r, c.col)}, CodeGanttDoubtful,
			fmt.Sprintf(lang.word("gantt_doubtful_task"), CollapseSpace(cellText(sp.cell(r, RoleTitle))), verb, colLetters(head), sp.periodName(c, 0), head))
		return false
	}
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
