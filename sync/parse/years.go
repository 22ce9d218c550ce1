package parse

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/udrul/udrul/model"
)

// planState is what the sheets of one plan share while they are read.
type planState struct {
	// date1904: the workbook counts serials from 1904 (Excel for Mac):
	// a bare serial number in a date column counts from there too.
	date1904 bool
	ids      map[string]model.Pos // the ID cell where each task ID was first seen
	years    map[int]int          // how many dates written with a year fall in each year
	lo, hi   model.Date           // the span of the dates written with a year
	pending  []pendingDate        // dates written without a year
	checks   []orderCheck         // start-after-end checks waiting for those
	after    []afterCell          // dependency cells, checked once every task is read
	// orders are slash dates whose order (day or month first) their
	// column decides; orderCols the evidence of each column, orderList the
	// same in the order the columns were met.
	orders    []orderDate
	orderCols map[colKey]*colOrder
	orderList []*colOrder
	short     []shortYear // dates with a two-digit year, checked against the others
	// scale is the evidence of each status column's numbers (fractions or
	// whole percents), ones the bare 1s it decides (resolveScale).
	scale map[colKey]*scaleCol
	ones  []scaleOne
	// header is the first task table's header row, where a plan without
	// tasks is reported.
	header model.Pos
}

// pendingDate is a date of task task written without a year.
type pendingDate struct {
	task int
	end  bool
	l    Loose
	pos  model.Pos
	// gantt is set for a timeline column whose year the sheet does not
	// give; off is its year after the timeline's first year.
	gantt bool
	off   int
	// col is the order evidence of the column of a day and month written
	// with a slash that reads two ways (3/12): one read month first
	// refuses it.
	col *colOrder
}

type orderCheck struct {
	task int
	pos  model.Pos
}

// written counts a date written with its year.
func (st *planState) written(d model.Date) {
	st.years[d.Year]++
	if st.lo.IsZero() || d.Before(st.lo) {
		st.lo = d
	}
	if d.After(st.hi) {
		st.hi = d
	}
}

// majority returns the year most of the dates written with a year have
// (the earliest of a tie), or 0.
func (st *planState) majority() int {
	best, n := 0, 0
	years := make([]int, 0, len(st.years))
	for y := range st.years {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		if st.years[y] > n {
			best, n = y, st.years[y]
		}
	}
	return best
}

// resolveYears first reads the slash dates whose order their columns
// decide (resolveOrders) and checks the dates with a two-digit year against
// the others (checkShortYears), then gives every date written without a
// year its year:
//   - when the plan has dates written with a year, the year (of the
//     majority year and the years beside it) that puts the date inside
//     their span, or else the majority year;
//   - otherwise the year of the plan's wave go-live, then the current year,
//     with a warning on the cell naming the year assumed.
func (p *Parser) resolveYears(plan *model.Plan, st *planState) {
	p.resolveOrders(plan, st)
	p.checkShortYears(plan, st)
	if len(st.pending) > 0 {
		base, reason := st.majority(), ""
		if base == 0 {
			if p.goLive != nil {
				if d := p.goLive(plan.Metadata.Municipality, plan.Metadata.Solution, plan.Metadata.Wave); !d.IsZero() {
					base, reason = d.Year, p.lang.word("golive")
				}
			}
			if base == 0 {
				base, reason = p.now().Year(), p.lang.word("thisyear")
			}
		}
		type dateKey struct {
			task int
			end  bool
		}
		waiting := make(map[dateKey]bool, len(st.pending))
		for _, pd := range st.pending {
			waiting[dateKey{pd.task, pd.end}] = true
		}
		warned := map[model.Pos]bool{}
		for _, pd := range st.pending {
			t := &plan.Tasks[pd.task]
			if pd.col != nil && (pd.col.month || pd.col.mixed) {
				// A column read month first (11/25/2026): 3/12 is 3
				// December day first, but 12 March as the column's dates
				// are written; in a column with dates of both kinds it is
				// either, as 05/11/2026 is there. Neither is taken.
				lang := p.lang
				word := "Start"
				if pd.end {
					word = "End"
				}
				dayFirst, monthFirst := Loose{Day: pd.l.Day, From: pd.l.From}, Loose{Day: pd.l.From, From: pd.l.Day}
				why := "amb_daymonth"
				if !pd.col.month {
					why = "amb_daymonth_mixed"
				}
				plan.Issues = append(plan.Issues, lang.issue(pd.pos, CodeAmbiguousDate, lang.word(word), pd.l.Text,
					fmt.Sprintf(lang.word(why), dayMonthName(dayFirst, lang), dayMonthName(monthFirst, lang), colLetters(pd.col.head.Cell), pd.col.name)))
				continue
			}
			year, why := base+pd.off, reason
			if reason == "" && !pd.gantt {
				// A year is certain only when exactly one candidate puts
				// the date among the plan's dated ones; otherwise the cell
				// says which year was taken and why, never silently.
				var sure bool
				year, sure, why = st.fit(pd.l, base, pd.end, p.lang)
				if sure {
					why = ""
				}
				// The row's other date, written with a year, decides
				// when the plan's dates alone do not, or would put the
				// row out of order (start 15/12/2026, end 12/1: January
				// of the next year): said on the cell either way.
				other := t.Start
				if !pd.end {
					other = t.End
				}
				if !other.IsZero() && !waiting[dateKey{pd.task, !pd.end}] {
					if y, ok := st.sibling(pd.l, other, pd.end); ok && (y != year || !sure) {
						year, why = y, fmt.Sprintf(p.lang.word("sibling_start"), fmtDate(other))
						if !pd.end {
							why = fmt.Sprintf(p.lang.word("sibling_end"), fmtDate(other))
						}
					}
				}
			}
			first, last, ok := pd.l.Span(year)
			if !ok {
				word := "Start"
				if pd.end {
					word = "End"
				}
				plan.Issues = append(plan.Issues, p.lang.issue(pd.pos, CodeBadDate, p.lang.word(word), pd.l.Text))
				continue
			}
			as := pd.l.Written()
			if pd.gantt {
				as.Text = pd.l.Text + " " + strconv.Itoa(year)
			}
			if pd.end {
				t.End, t.EndAs = last, as
			} else {
				t.Start, t.StartAs = first, as
			}
			if why != "" && !warned[pd.pos] {
				warned[pd.pos] = true
				plan.Issues = append(plan.Issues, p.lang.issue(pd.pos, CodeYearAssumed, pd.l.Text, year, why))
			}
		}
	}
	for _, c := range st.checks {
		t := plan.Tasks[c.task]
		if !t.Start.IsZero() && !t.End.IsZero() && t.Start.After(t.End) {
			plan.Issues = append(plan.Issues, p.lang.issue(c.pos, CodeStartAfterEnd, fmtDate(t.Start), fmtDate(t.End)))
		}
	}
}

// sibling returns the year that puts l in order with the same row's other
// date, written with a year: an end on or after the start, a start on or
// before the end, less than a year apart. ok is false when that date lies
// more than three months outside the span of the plan's dates written
// with a year (then the plan's dates decide, and a row out of order is
// said as such).
func (st *planState) sibling(l Loose, other model.Date, end bool) (year int, ok bool) {
	for i := range 3 {
		y := other.Year - 1 + i
		if !end {
			y = other.Year + 1 - i
		}
		first, last, valid := l.Span(y)
		if !valid {
			continue
		}
		d := first
		if end {
			d = last
		}
		if (end && d.Before(other)) || (!end && d.After(other)) {
			continue
		}
		if (end && other.DaysUntil(d) > 366) || (!end && d.DaysUntil(other) > 366) {
			return 0, false
		}
		lo, hi := st.lo.AddDays(-92), st.hi.AddDays(92)
		return y, !d.Before(lo) && !d.After(hi)
	}
	return 0, false
}

// fit returns the year for l among base-1, base and base+1 (and every
// year of the plan's span, when it is longer). sure is true
// when exactly one of them puts it inside the span of the plan's dates
// written with a year. When none does, it takes the year whose date lies
// nearest that span (a plan running November to January and "uge 5": the
// coming year, not the past one) — sure when that is within three months of
// the span and the other years at least half a year further off; when
// several do (a plan spanning years), base. Unsure answers come with the
// reason, for a warning on the cell.
func (st *planState) fit(l Loose, base int, end bool, lang Lang) (year int, sure bool, why string) {
	inside, best, bestDist, nextDist := 0, 0, -1, -1
	from, to := base-1, base+1
	if !st.lo.IsZero() {
		// A plan spanning 2025 to 2027 has a 12 January in each of three
		// years: none of them is certain.
		from, to = min(from, st.lo.Year-1), max(to, st.hi.Year+1)
	}
	for y := from; y <= to; y++ {
		first, last, ok := l.Span(y)
		if !ok {
			continue
		}
		d := first
		if end {
			d = last
		}
		dist := 0
		switch {
		case d.Before(st.lo):
			dist = d.DaysUntil(st.lo)
		case d.After(st.hi):
			dist = st.hi.DaysUntil(d)
		default:
			inside++
			if inside == 1 {
				year = y
			}
		}
		switch {
		case bestDist < 0 || dist < bestDist:
			nextDist = bestDist
			best, bestDist = y, dist
		case nextDist < 0 || dist < nextDist:
			nextDist = dist
		}
	}
	switch {
	case inside == 1:
		return year, true, ""
	case inside > 1:
		return base, false, lang.word("ambiguous")
	case best != 0 && bestDist <= 92 && (nextDist < 0 || nextDist-bestDist >= 180):
		// Just outside the plan's dates, and the other years far off: as
		// good as certain (a plan to January and "uge 5" of the next year).
		return best, true, ""
	case best != 0:
		return best, false, lang.word("nearest")
	}
	return base, false, lang.word("nearest")
}

// dayMonthName names a day and a month: "3. december", "3 December".
func dayMonthName(l Loose, lang Lang) string {
	if lang == English {
		return fmt.Sprintf("%d %s", l.Day, time.Month(l.From))
	}
	return fmt.Sprintf("%d. %s", l.Day, danishMonths[l.From])
}
