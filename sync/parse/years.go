package parse

import (
	"sort"
	"strconv"

	"github.com/udrul/udrul/model"
)

// planState is what the sheets of one plan share while they are read.
type planState struct {
	ids     map[string]model.Pos // the ID cell where each task ID was first seen
	years   map[int]int          // how many dates written with a year fall in each year
	lo, hi  model.Date           // the span of the dates written with a year
	pending []pendingDate        // dates written without a year
	checks  []orderCheck         // start-after-end checks waiting for those
	after   []afterCell          // dependency cells, checked once every task is read
	// orders are slash dates whose order (day or month first) their
	// column decides; orderCols the evidence of each column, orderList the
	// same in the order the columns were met.
	orders    []orderDate
	orderCols map[colKey]*colOrder
	orderList []*colOrder
	short     []shortYear // dates with a two-digit year, checked against the others
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
		warned := map[model.Pos]bool{}
		for _, pd := range st.pending {
			t := &plan.Tasks[pd.task]
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

// fit returns the year for l among base-1, base and base+1. sure is true
// when exactly one of them puts it inside the span of the plan's dates
// written with a year. When none does, it takes the year whose date lies
// nearest that span (a plan running November to January and "uge 5": the
// coming year, not the past one) — sure when that is within three months of
// the span and the other years at least half a year further off; when
// several do (a plan spanning years), base. Unsure answers come with the
// reason, for a warning on the cell.
func (st *planState) fit(l Loose, base int, end bool, lang Lang) (year int, sure bool, why string) {
	inside, best, bestDist, nextDist := 0, 0, -1, -1
	for _, y := range []int{base - 1, base, base + 1} {
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
