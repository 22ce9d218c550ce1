package parse

import (
	"testing"

	"github.com/udrul/udrul/model"
)

// TestNumericDate: the three-number forms and both readings of each.
func TestNumericDate(t *testing.T) {
	d := model.NewDate
	tests := []struct {
		name, in             string
		ok                   bool
		dayFirst, monthFirst model.Date
	}{
		{"dashes", "01-06-2026", true, d(2026, 6, 1), model.Date{}},
		{"dots", "1.6.2026", true, d(2026, 6, 1), model.Date{}},
		{"slashes read both ways", "11/05/2026", true, d(2026, 5, 11), d(2026, 11, 5)},
		{"slashes month first only", "11/25/2026", true, model.Date{}, d(2026, 11, 25)},
		{"slashes day first only", "25/11/2026", true, d(2026, 11, 25), model.Date{}},
		{"mixed separators are Danish", "1/6-2026", true, d(2026, 6, 1), model.Date{}},
		{"two-digit year", "01/02/03", true, d(2003, 2, 1), d(2003, 1, 2)},
		{"weekday and time", "man. 01-06-2026 10:00", true, d(2026, 6, 1), model.Date{}},
		{"spaces around separators", "01 / 06 / 2026", true, d(2026, 6, 1), d(2026, 1, 6)},
		{"no such day either way", "31/31/2026", true, model.Date{}, model.Date{}},
		{"year first is not this form", "2026-06-01", false, model.Date{}, model.Date{}},
		{"three-digit year", "01-06-202", false, model.Date{}, model.Date{}},
		{"two numbers", "1.6", false, model.Date{}, model.Date{}},
		{"trailing text", "01-06-2026 ca.", false, model.Date{}, model.Date{}},
		{"word", "uge 34", false, model.Date{}, model.Date{}},
		{"empty", "", false, model.Date{}, model.Date{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nd, ok := numericDate(tt.in)
			if ok != tt.ok {
				t.Fatalf("numericDate(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if !ok {
				return
			}
			df, mf := nd.readings()
			if df != tt.dayFirst || mf != tt.monthFirst {
				t.Errorf("numericDate(%q).readings() = %v, %v; want %v, %v", tt.in, df, mf, tt.dayFirst, tt.monthFirst)
			}
		})
	}
}

// BenchmarkNumericDate is the cost the order check adds to each text date.
func BenchmarkNumericDate(b *testing.B) {
	for b.Loop() {
		numericDate("01-06-2026")
		numericDate("11/05/2026")
		numericDate("uge 34")
	}
}
