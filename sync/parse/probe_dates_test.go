package parse

import (
	"errors"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
)

// TestParseLoose_weekOrMonth: "06/2027" is written as a month and a year
// are (MM/YYYY), so it is refused as week 6 or June (it was read as week 6,
// four months early, in silence); "6/2027" and "34/2026", as planners write
// weeks, stay weeks.
func TestParseLoose_weekOrMonth(t *testing.T) {
	refused := []struct {
		name, in    string
		week, year  int
		daWant, enW string
	}{
		{"june with a zero", "06/2027", 6, 2027, "juni 2027", "June 2027"},
		{"january with a zero and spaces", "01 / 2026", 1, 2026, "januar 2026", "January 2026"},
	}
	for _, tt := range refused {
		t.Run("refused "+tt.name, func(t *testing.T) {
			got, err := ParseLoose(tt.in)
			var amb *AmbiguousError
			if !errors.As(err, &amb) {
				t.Fatalf("ParseLoose(%q) = %+v, %v; want an AmbiguousError", tt.in, got, err)
			}
			if amb.Kind != ambWeekMonth || amb.Week != tt.week || amb.Year != tt.year {
				t.Errorf("ParseLoose(%q) = %+v, want kind %s week %d year %d", tt.in, amb, ambWeekMonth, tt.week, tt.year)
			}
			if h := amb.hint(Danish); !strings.Contains(h, tt.daWant) || strings.Contains(h, "%!") {
				t.Errorf("hint(da) = %q, want one naming %s", h, tt.daWant)
			}
			if h := amb.hint(English); !strings.Contains(h, tt.enW) || strings.Contains(h, "%!") {
				t.Errorf("hint(en) = %q, want one naming %s", h, tt.enW)
			}
		})
	}
	weeks := []struct {
		name, in    string
		first, last model.Date
	}{
		{"week without a zero", "6/2027", model.NewDate(2027, 2, 8), model.NewDate(2027, 2, 12)},
		{"week no month has", "34/2026", model.NewDate(2026, 8, 17), model.NewDate(2026, 8, 21)},
		{"week with uge and a zero", "uge 06/2027", model.NewDate(2027, 2, 8), model.NewDate(2027, 2, 12)},
	}
	for _, tt := range weeks {
		t.Run("week "+tt.name, func(t *testing.T) {
			l, err := ParseLoose(tt.in)
			if err != nil {
				t.Fatalf("ParseLoose(%q): %v", tt.in, err)
			}
			first, last, ok := l.Span(l.Year)
			if !ok || l.Precision != model.Week || first != tt.first || last != tt.last {
				t.Errorf("ParseLoose(%q).Span = %v, %v, %v (%s); want %v, %v (week)", tt.in, first, last, ok, l.Precision, tt.first, tt.last)
			}
		})
	}
}

// TestCellDate_bareNumbers: a bare number is a serial up to the end of
// 2099; above, it is a date typed without separators (ddmmyy "100626" was
// read as the serial of 2 July 2175, in silence).
func TestCellDate_bareNumbers(t *testing.T) {
	tests := []struct {
		name string
		c    grid.Cell
		want string // "" when refused
	}{
		{"a plan's serial", grid.Cell{Kind: grid.Number, Text: "46183", Num: 46183}, "2026-06-10"},
		{"the last day of 2099", grid.Cell{Kind: grid.Number, Text: "73050", Num: 73050}, "2099-12-31"},
		{"ddmmyy on the 10th", grid.Cell{Kind: grid.Number, Text: "100626", Num: 100626}, ""},
		{"ddmmyy typed in a CSV", grid.Cell{Kind: grid.Number, AsText: true, Text: "101126", Num: 101126}, ""},
		{"the first day of 2100", grid.Cell{Kind: grid.Number, Text: "73051", Num: 73051}, ""},
		{"a date cell shows its date", grid.Cell{Kind: grid.Date, Text: "100626", Num: 100626}, "2175-07-02"},
		{"ddmmyy as text", grid.Cell{Kind: grid.Text, Text: "100626"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := CellDate(tt.c)
			got := ""
			if ok {
				got = d.String()
			}
			if got != tt.want {
				t.Errorf("CellDate(%+v) = %q, want %q", tt.c, got, tt.want)
			}
		})
	}
}

// TestCellDate_formulaNoise: a date a formula left a hair under midnight
// (46174.99999999999, shown by Excel as 2 June 2026) is that midnight's
// day; it was read as the day before. A real time of day keeps its day.
func TestCellDate_formulaNoise(t *testing.T) {
	tests := []struct {
		name string
		num  float64
		want string
	}{
		{"a hair under midnight", 46174.99999999999, "2026-06-02"},
		{"sums of thirds", 46174 + 1.0/3 + 1.0/3 + 1.0/3 - 1e-11, "2026-06-02"},
		{"a hair over midnight", 46175.00000000001, "2026-06-02"},
		{"noon", 46174.5, "2026-06-01"},
		{"a second to midnight", 46174 + 86399.0/86400, "2026-06-01"},
	}
	for _, tt := range tests {
		for _, kind := range []grid.Kind{grid.Date, grid.Number} {
			c := grid.Cell{Kind: kind, Num: tt.num}
			d, ok := CellDate(c)
			if !ok || d.String() != tt.want {
				t.Errorf("%s: CellDate(%v, kind %d) = %v, %v; want %s", tt.name, tt.num, kind, d, ok, tt.want)
			}
		}
	}
}
