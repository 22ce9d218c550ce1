package plangen

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/xuri/excelize/v2"
)

// Plans written the way Danish planners write them: deadlines as week
// numbers, parts of months, months and quarters (often without a year), and
// Gantt timelines with a column per week.

// The planners' layouts.
const (
	// WeekDates: a table whose dates are week numbers ("uge 34 2026",
	// "34/2026", "2026-W34", a range "uge 34-36"), parts of months ("primo
	// okt. 2026"), months and quarters mixed with exact dates, some without
	// a year; planners' status words and a traffic-light column.
	WeekDates Layout = "week-dates"
	// GanttMarks: a Gantt timeline, a column per ISO week with the year in
	// a row above, each task's weeks marked x, X, ■, • or 1, step rows, a
	// traffic-light column.
	GanttMarks Layout = "gantt-marks"
	// GanttFill: the same timeline drawn by fill colour alone, with the
	// traffic lights as green, yellow and red cells and grey summary bars
	// on the step rows.
	GanttFill Layout = "gantt-fill"
)

// column role of the traffic light.
const cHealth = 100

func init() {
	layoutColumns[WeekDates] = cols("ID", cID, "Opgave", cTitle, "Ansvarlig", cResp, "Udfører", cPerf, "Start", cStart, "Deadline", cEnd,
		"Status", cStatus, "Trafiklys", cHealth, "Trin", cStep)
	ganttCols := cols("ID", cID, "Opgave", cTitle, "Ansvarlig", cResp, "Udfører", cPerf, "Status", cStatus, "Trafiklys", cHealth)
	layoutColumns[GanttMarks] = ganttCols
	layoutColumns[GanttFill] = ganttCols
}

func (l Layout) gantt() bool { return l == GanttMarks || l == GanttFill }

var healthWords = map[string]string{model.HealthGreen: "Grøn", model.HealthAmber: "Gul", model.HealthRed: "Rød"}

// Traffic-light fills (Excel's own green, amber, red) and bar colours.
var (
	healthFills = map[string]string{model.HealthGreen: "00B050", model.HealthAmber: "FFC000", model.HealthRed: "FF0000"}
	barFills    = []string{"4472C4", "ED7D31", "7030A0", "264478", "A5A5A5"}
	ganttMarks  = []string{"x", "X", "■", "•", "1"}
)

// plannerStatus rewrites a task's status the way planners write it: done
// as Leveret, Godkendt or a tick, some tasks not started as postponed or
// not relevant.
func (p *Plan) plannerStatus(i int) {
	rng := p.rng
	t, r := &p.Tasks[i], &p.raw[i]
	switch t.Status {
	case model.Done:
		r.status = []string{"Leveret", "Godkendt", "✓", "✔", "Færdig"}[rng.IntN(5)]
	case model.NotStarted:
		switch rng.IntN(8) {
		case 0:
			r.status, t.Status = []string{"Udskudt", "På hold", "Afventer"}[rng.IntN(3)], model.OnHold
		case 1:
			r.status, t.Status = []string{"Ej relevant", "Bortfaldet"}[rng.IntN(2)], model.Cancelled
		}
	default:
		return
	}
	t.RawStatus = r.status
	if rng.IntN(2) == 0 {
		h := []string{model.HealthGreen, model.HealthAmber, model.HealthRed}[rng.IntN(3)]
		t.Health, r.health = h, h
	}
}

// form is a date as a planner writes it.
type form struct {
	exact       bool // a date cell
	prec        model.Precision
	first, last model.Date
	year        int // the year the text names (an ISO year for weeks)
	text        func(year bool) string
	canDrop     bool // the text can leave the year out
	noYear      bool
}

func (f form) written() model.Written {
	if f.exact {
		return model.Written{}
	}
	return model.Written{Text: f.text(!f.noYear), Precision: f.prec, YearAssumed: f.noYear}
}

var shortMonth = []string{"jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."}

// looseForm picks how d is written.
func (p *Plan) looseForm(d model.Date) form {
	rng := p.rng
	y, m := d.Year, d.Month
	withYear := func(s string, yr int) func(bool) string {
		return func(b bool) string {
			if b {
				return s + " " + strconv.Itoa(yr)
			}
			return s
		}
	}
	monthName := danishMonths[m-1]
	if rng.IntN(2) == 0 {
		monthName = shortMonth[m-1]
	}
	switch rng.IntN(6) {
	case 0:
		return form{exact: true, first: d, last: d}
	case 1:
		iy, w := d.Time().ISOWeek()
		mon := isoMonday(iy, w)
		f := form{prec: model.Week, first: mon, last: mon.AddDays(4), year: iy}
		switch rng.IntN(4) {
		case 0:
			f.text = func(bool) string { return fmt.Sprintf("%d/%d", w, iy) }
		case 1:
			f.text = func(bool) string { return fmt.Sprintf("%d-W%02d", iy, w) }
		case 2:
			f.text, f.canDrop = withYear(fmt.Sprintf("uge %d", w), iy), true
		default:
			f.text, f.canDrop = withYear(fmt.Sprintf("u%d", w), iy), true
		}
		return f
	case 2, 3:
		part, lo, hi := "primo", 1, 10
		switch {
		case d.Day > 20:
			part, lo, hi = "ultimo", 21, daysIn(y, m)
		case d.Day > 10:
			part, lo, hi = "medio", 11, 20
		}
		return form{prec: model.Part, first: model.NewDate(y, m, lo), last: model.NewDate(y, m, hi), year: y,
			text: withYear(part+" "+monthName, y), canDrop: true}
	case 4:
		return form{prec: model.Month, first: model.NewDate(y, m, 1), last: model.NewDate(y, m, daysIn(y, m)), year: y,
			text: withYear(monthName, y), canDrop: true}
	default:
		q := (int(m)-1)/3 + 1
		qm := time.Month(3*q - 2)
		s := fmt.Sprintf("Q%d", q)
		if rng.IntN(2) == 0 {
			s = fmt.Sprintf("%d. kvartal", q)
		}
		return form{prec: model.Quarter, first: model.NewDate(y, qm, 1), last: model.NewDate(y, qm+2, daysIn(y, qm+2)), year: y,
			text: withYear(s, y), canDrop: true}
	}
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

func isoMonday(year, week int) model.Date {
	jan4 := model.NewDate(year, time.January, 4)
	return jan4.AddDays(-((int(jan4.Weekday()) + 6) % 7) + 7*(week-1))
}

// prepareWeekDates writes every date of the plan as a planner does and sets
// the truth to the first day (a start) or last day (an end) it names.
func (p *Plan) prepareWeekDates() {
	rng := p.rng
	type slot struct {
		task int
		end  bool
		f    *form
	}
	var slots []slot
	starts := make([]form, len(p.Tasks))
	ends := make([]form, len(p.Tasks))
	p.ranges = map[int]bool{}
	for i := range p.Tasks {
		p.plannerStatus(i)
		t := &p.Tasks[i]
		if t.Start.IsZero() || t.End.IsZero() {
			continue
		}
		sy, sw := t.Start.Time().ISOWeek()
		ey, ew := t.End.Time().ISOWeek()
		if !t.Start.After(t.End) && sy == ey && ew > sw && rng.IntN(8) == 0 {
			// A week range in the start cell, the end cell left empty.
			text := fmt.Sprintf("uge %d-%d %d", sw, ew, sy)
			t.Start, t.End = isoMonday(sy, sw), isoMonday(ey, ew).AddDays(4)
			w := model.Written{Text: text, Precision: model.Week}
			t.StartAs, t.EndAs = w, w
			p.raw[i].startText = text
			p.ranges[i] = true
			starts[i] = form{prec: model.Week, first: t.Start, year: sy, text: func(bool) string { return text }}
			slots = append(slots, slot{i, false, &starts[i]})
			continue
		}
		starts[i], ends[i] = p.looseForm(t.Start), p.looseForm(t.End)
		slots = append(slots, slot{i, false, &starts[i]}, slot{i, true, &ends[i]})
	}
	// Leave the year out of about a third of the dates that can: the
	// parser must find it again from the plan's other dates (the year that
	// puts it inside their span, else the year most of them have).
	for _, s := range slots {
		if s.f.canDrop && rng.IntN(3) == 0 {
			s.f.noYear = true
		}
	}
	// Dates the parser counts that are not written here: the start of a
	// task whose end is unreadable.
	var fixed []model.Date
	for i, t := range p.Tasks {
		if t.End.IsZero() && !t.Start.IsZero() && i == p.badDate {
			fixed = append(fixed, t.Start)
		}
	}
	for changed := true; changed; {
		changed = false
		years := map[int]int{}
		var lo, hi model.Date
		for _, d := range fixed {
			years[d.Year]++
			if lo.IsZero() || d.Before(lo) {
				lo = d
			}
			if d.After(hi) {
				hi = d
			}
		}
		for _, s := range slots {
			if s.f.noYear || s.end && p.ranges[s.task] {
				continue
			}
			d := s.f.first
			years[d.Year]++
			if lo.IsZero() || d.Before(lo) {
				lo = d
			}
			if d.After(hi) {
				hi = d
			}
		}
		base := majority(years)
		for _, s := range slots {
			if !s.f.noYear {
				continue
			}
			if base == 0 || fitYear(s.f, s.end, base, lo, hi) != s.f.year {
				s.f.noYear, changed = false, true
			}
		}
	}
	for i := range p.Tasks {
		if p.ranges[i] || starts[i].text == nil && !starts[i].exact {
			continue
		}
		t, r := &p.Tasks[i], &p.raw[i]
		sf, ef := starts[i], ends[i]
		t.Start, t.StartAs = sf.first, sf.written()
		t.End, t.EndAs = ef.last, ef.written()
		if !sf.exact {
			r.startText = sf.text(!sf.noYear)
		}
		if !ef.exact {
			r.endText = ef.text(!ef.noYear)
		}
	}
}

func majority(years map[int]int) int {
	ys := make([]int, 0, len(years))
	for y := range years {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	best, n := 0, 0
	for _, y := range ys {
		if years[y] > n {
			best, n = y, years[y]
		}
	}
	return best
}

// fitYear is the year the README's convention gives a date written
// without one.
func fitYear(f *form, end bool, base int, lo, hi model.Date) int {
	found := 0
	for _, y := range []int{base - 1, base, base + 1} {
		d := f.first
		if end {
			d = f.last
		}
		d = model.NewDate(d.Year+y-f.year, d.Month, d.Day)
		if !d.Before(lo) && !d.After(hi) {
			if found != 0 {
				return base
			}
			found = y
		}
	}
	if found == 0 {
		return base
	}
	return found
}

// prepareGantt turns the truth into what a timeline can say: the Monday of
// the first marked week, the Friday of the last.
func (p *Plan) prepareGantt() {
	for i := range p.Tasks {
		p.plannerStatus(i)
		t := &p.Tasks[i]
		if t.Start.After(t.End) {
			t.Start, t.End = t.End, t.Start // a bar cannot end before it starts
		}
		sy, sw := t.Start.Time().ISOWeek()
		ey, ew := t.End.Time().ISOWeek()
		t.Start, t.End = isoMonday(sy, sw), isoMonday(ey, ew).AddDays(4)
		t.StartAs = model.Written{Text: fmt.Sprintf("uge %d %d", sw, sy), Precision: model.Week}
		t.EndAs = model.Written{Text: fmt.Sprintf("uge %d %d", ew, ey), Precision: model.Week}
	}
}

// writeGantt writes the timeline: key/value lines, a row of years above
// the week numbers, step rows, and each task's weeks marked.
func (p *Plan) writeGantt(w *xw) error {
	w.newSheet("Tidsplan")
	w.set(1, 1, fmt.Sprintf("Tidsplan – %s %s", p.Solution, p.Municipality))
	w.set(2, 1, "Kommune:")
	w.set(2, 2, p.Municipality)
	w.set(3, 1, "Løsning:")
	w.set(3, 2, p.Solution)
	w.set(4, 1, "Bølge:")
	w.set(4, 2, p.Wave)
	var first, last model.Date
	for _, t := range p.Tasks {
		if first.IsZero() || t.Start.Before(first) {
			first = t.Start
		}
		if t.End.After(last) {
			last = t.End
		}
	}
	cols := p.columns()
	tl := len(cols) + 1 // first week column
	var weeks []model.Date
	for d := first; !d.After(last); d = d.AddDays(7) {
		weeks = append(weeks, d)
	}
	weekCol := map[model.Date]int{}
	for k, mon := range weeks {
		y, wk := mon.Time().ISOWeek()
		if k == 0 || wk == 1 {
			w.set(6, tl+k, y)
		}
		w.set(7, tl+k, wk)
		weekCol[mon] = tl + k
	}
	p.header(w, 7)
	fills := map[string]int{}
	fill := func(color string) int {
		if id, ok := fills[color]; ok {
			return id
		}
		id, err := w.f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}})
		if err != nil && w.err == nil {
			w.err = err
		}
		fills[color] = id
		return id
	}
	row := 8
	gapDone := false
	for n, s := range Steps {
		idx := p.stepTasks(s.Label)
		if len(idx) == 0 {
			continue
		}
		label := s.Label + " - " + s.Name
		w.set(row, p.colOf(cTitle), label)
		if p.Layout == GanttFill {
			// A summary bar on the step row, drawn by fill: not a task.
			lo, hi := p.Tasks[idx[0]].Start, p.Tasks[idx[0]].End
			for _, i := range idx {
				lo, hi = minDate(lo, p.Tasks[i].Start), maxDate(hi, p.Tasks[i].End)
			}
			for d := lo; !d.After(hi); d = d.AddDays(7) {
				w.setStyle(row, weekCol[d], fill("D9D9D9"))
			}
		}
		row++
		for k, i := range idx {
			t := &p.Tasks[i]
			t.Step = label
			for c, col := range cols {
				if col.role == cHealth {
					if p.Layout == GanttFill && t.Health != "" {
						w.setStyle(row, c+1, fill(healthFills[t.Health]))
					} else {
						w.set(row, c+1, healthWords[t.Health])
					}
					continue
				}
				w.set(row, c+1, p.cellValue(i, col.role))
			}
			t.Pos = model.Pos{Sheet: w.sheet, Row: row}
			p.expectIssues(w.sheet, i, row)
			gap := model.Date{}
			if p.Defects && !gapDone && t.Start.DaysUntil(t.End) >= 14 {
				// A gap inside the bar: read as one span, with a warning.
				gap, gapDone = t.Start.AddDays(7), true
				p.Issues = append(p.Issues, ExpectedIssue{Sheet: w.sheet, Cell: ref(row, weekCol[gap]), Code: "gantt_gap"})
			}
			for d := t.Start; !d.After(t.End); d = d.AddDays(7) {
				if d == gap {
					continue
				}
				c := weekCol[d]
				if p.Layout == GanttFill {
					w.setStyle(row, c, fill(barFills[n%len(barFills)]))
				} else {
					w.set(row, c, ganttMarks[(i+k)%len(ganttMarks)])
				}
			}
			if p.Defects && i == p.noTitleAfter {
				// Marks with no title.
				row++
				w.set(row, tl, "x")
				p.Issues = append(p.Issues, ExpectedIssue{Sheet: w.sheet, Cell: ref(row, p.colOf(cTitle)), Code: "no_title"})
			}
			row++
		}
	}
	return w.err
}

func minDate(a, b model.Date) model.Date {
	if b.Before(a) {
		return b
	}
	return a
}

func maxDate(a, b model.Date) model.Date {
	if b.After(a) {
		return b
	}
	return a
}
