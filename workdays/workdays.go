// Package workdays counts Danish working days: Monday to Friday, less the
// public holidays (github.com/rickar/cal/v2/dk, with Store Bededag until
// 2023) and the closure days an organisation adds (the days between
// Christmas and New Year, say). Delays people act on are counted in them.
package workdays

import (
	"sort"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/dk"
	"github.com/udrul/udrul/model"
)

// Calendar answers working-day questions. It is safe for concurrent use.
type Calendar struct {
	bc       *cal.BusinessCalendar
	closures map[model.Date]bool

	once sync.Once
	cum  []int32 // cum[i]: working days from first up to and including first+i
}

// The span precomputed for constant-time counting; dates outside it are
// counted day by day.
var (
	first = model.NewDate(1990, time.January, 1)
	last  = model.NewDate(2100, time.December, 31)
)

// New returns the Danish calendar with extra closure days.
func New(closures ...model.Date) *Calendar {
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(dk.Holidays...)
	c := &Calendar{bc: bc, closures: map[model.Date]bool{}}
	for _, d := range closures {
		c.closures[d] = true
	}
	return c
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d model.Date) bool {
	c.once.Do(c.prefix)
	if i := first.DaysUntil(d); i >= 0 && i < len(c.cum) {
		return c.cum[i] > c.before(i)
	}
	return c.isWorkday(d)
}

// isWorkday asks the holiday calendar; a microsecond or so each.
func (c *Calendar) isWorkday(d model.Date) bool {
	return !c.closures[d] && c.bc.IsWorkday(d.Time())
}

// before is the working days from first up to the day before index i.
func (c *Calendar) before(i int) int32 {
	if i == 0 {
		return 0
	}
	return c.cum[i-1]
}

func (c *Calendar) prefix() {
	n := first.DaysUntil(last) + 1
	c.cum = make([]int32, n)
	var sum int32
	for i := range n {
		if c.isWorkday(first.AddDays(i)) {
			sum++
		}
		c.cum[i] = sum
	}
}

func (c *Calendar) cumAt(d model.Date) (int, bool) {
	c.once.Do(c.prefix)
	i := first.DaysUntil(d)
	if i < 0 || i >= len(c.cum) {
		return 0, false
	}
	return int(c.cum[i]), true
}

// Between counts the working days after a up to and including b: how many
// working days late a task due on a is on b. It is negative when b is
// before a.
func (c *Calendar) Between(a, b model.Date) int {
	if b.Before(a) {
		return -c.Between(b, a)
	}
	ca, okA := c.cumAt(a)
	cb, okB := c.cumAt(b)
	if okA && okB {
		return cb - ca
	}
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

// Add returns the date n working days after d (before d when n < 0). With
// n = 0 it returns d.
func (c *Calendar) Add(d model.Date, n int) model.Date {
	if n == 0 {
		return d
	}
	c.once.Do(c.prefix)
	if i := first.DaysUntil(d); i >= 0 && i < len(c.cum) {
		// The n-th working day after d is the first day whose count reaches
		// count(d)+n; the n-th before it the first reaching the count of
		// the days before d, less n, plus one.
		target := c.cum[i] + int32(n)
		if n < 0 {
			target = c.before(i) + int32(n) + 1
		}
		if target >= 1 && target <= c.cum[len(c.cum)-1] {
			j := sort.Search(len(c.cum), func(k int) bool { return c.cum[k] >= target })
			return first.AddDays(j)
		}
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}
