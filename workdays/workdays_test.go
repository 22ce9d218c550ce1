package workdays

import (
	"testing"
	"time"

	"github.com/udrul/udrul/model"
)

func TestCalendar(t *testing.T) {
	d := func(y int, m time.Month, day int) model.Date { return model.NewDate(y, m, day) }
	c := New(d(2026, 12, 28), d(2026, 12, 29), d(2026, 12, 30))
	for _, tt := range []struct {
		name string
		day  model.Date
		want bool
	}{
		{"Monday", d(2026, 6, 1), true},
		{"Saturday", d(2026, 6, 6), false},
		{"Grundlovsdag on a Friday", d(2026, 6, 5), false},
		{"Store Bededag 2023 was a holiday", d(2023, 5, 5), false},
		{"Store Bededag 2024 is a workday", d(2024, 4, 26), true},
		{"Store Bededag's Friday in 2026 is a workday", d(2026, 5, 1), true},
		{"Kristi Himmelfartsdag 2026", d(2026, 5, 14), false},
		{"Langfredag 2026", d(2026, 4, 3), false},
		{"Anden pinsedag 2026", d(2026, 5, 25), false},
		{"Juledag", d(2026, 12, 25), false},
		{"closure day", d(2026, 12, 29), false},
		{"Nytårsdag 2027", d(2027, 1, 1), false},
	} {
		if got := c.IsWorkday(tt.day); got != tt.want {
			t.Errorf("%s (%s): IsWorkday = %v, want %v", tt.name, tt.day, got, tt.want)
		}
	}
	for _, tt := range []struct {
		name string
		a, b model.Date
		want int
	}{
		{"same day", d(2026, 6, 1), d(2026, 6, 1), 0},
		{"one day", d(2026, 6, 1), d(2026, 6, 2), 1},
		{"over a weekend", d(2026, 6, 5), d(2026, 6, 8), 1}, // Grundlovsdag Fri, then Monday
		{"a week with a holiday", d(2026, 6, 1), d(2026, 6, 8), 4},
		{"backwards", d(2026, 6, 8), d(2026, 6, 1), -4},
		{"Christmas with closures", d(2026, 12, 23), d(2027, 1, 4), 3},    // 24 Dec, 31 Dec, 4 Jan
		{"outside the precomputed span", d(2150, 6, 1), d(2150, 6, 8), 4}, // 5 June is Grundlovsdag
	} {
		if got := c.Between(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Between(%s, %s) = %d, want %d", tt.name, tt.a, tt.b, got, tt.want)
		}
	}
	if got := c.Add(d(2026, 6, 4), 1); got != d(2026, 6, 8) {
		t.Errorf("Add one working day to Thu 4 June 2026 = %s, want Mon 8 June", got)
	}
	if got := c.Add(d(2026, 6, 8), -1); got != d(2026, 6, 4) {
		t.Errorf("Add -1 = %s", got)
	}
}

// TestCalendar_fastMatchesSlow compares the table-driven answers with the
// holiday calendar's, day by day, over years with every kind of holiday.
func TestCalendar_fastMatchesSlow(t *testing.T) {
	c := New(model.NewDate(2026, 12, 28), model.NewDate(2026, 12, 29))
	start := model.NewDate(2022, 12, 20)
	for i := 0; i < 5*365; i++ {
		d := start.AddDays(i)
		if got, want := c.IsWorkday(d), c.isWorkday(d); got != want {
			t.Fatalf("IsWorkday(%s) = %v, want %v", d, got, want)
		}
		for _, n := range []int{1, 2, 5, 13, -1, -3, -22} {
			want := d
			step, k := 1, n
			if k < 0 {
				step, k = -1, -k
			}
			for k > 0 {
				want = want.AddDays(step)
				if c.isWorkday(want) {
					k--
				}
			}
			if got := c.Add(d, n); got != want {
				t.Fatalf("Add(%s, %d) = %s, want %s", d, n, got, want)
			}
		}
	}
}
