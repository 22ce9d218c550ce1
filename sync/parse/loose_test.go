package parse

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
)

func TestParseLoose(t *testing.T) {
	d := func(y int, m time.Month, day int) model.Date { return model.NewDate(y, m, day) }
	tests := []struct {
		name, in    string
		year        int // the year supplied for a text without one
		first, last model.Date
		prec        model.Precision
		noYear      bool
	}{
		{"uge", "uge 34", 2026, d(2026, 8, 17), d(2026, 8, 21), model.Week, true},
		{"Uge capital", "Uge 34", 2026, d(2026, 8, 17), d(2026, 8, 21), model.Week, true},
		{"u34", "u34", 2026, d(2026, 8, 17), d(2026, 8, 21), model.Week, true},
		{"uge with year", "uge 34 2026", 1999, d(2026, 8, 17), d(2026, 8, 21), model.Week, false},
		{"uge comma year", "uge 34, 2026", 1999, d(2026, 8, 17), d(2026, 8, 21), model.Week, false},
		{"week slash year", "34/2026", 1999, d(2026, 8, 17), d(2026, 8, 21), model.Week, false},
		{"iso week", "2026-W34", 1999, d(2026, 8, 17), d(2026, 8, 21), model.Week, false},
		{"week 1 starts in december", "uge 1 2026", 0, d(2025, 12, 29), d(2026, 1, 2), model.Week, false},
		{"week 53", "uge 53 2026", 0, d(2026, 12, 28), d(2027, 1, 1), model.Week, false},
		{"range", "uge 34-36", 2026, d(2026, 8, 17), d(2026, 9, 4), model.Week, true},
		{"range over new year (2026 has 53 weeks)", "uge 51-2 2026", 0, d(2026, 12, 14), d(2027, 1, 15), model.Week, false},
		{"primo", "primo oktober", 2026, d(2026, 10, 1), d(2026, 10, 10), model.Part, true},
		{"medio abbreviated", "medio nov.", 2026, d(2026, 11, 11), d(2026, 11, 20), model.Part, true},
		{"ultimo with year", "ultimo marts 2027", 0, d(2027, 3, 21), d(2027, 3, 31), model.Part, false},
		{"ultimo february leap", "Ultimo feb 2028", 0, d(2028, 2, 21), d(2028, 2, 29), model.Part, false},
		{"primo okt. year", "primo okt. 2026", 0, d(2026, 10, 1), d(2026, 10, 10), model.Part, false},
		{"month", "oktober 2026", 0, d(2026, 10, 1), d(2026, 10, 31), model.Month, false},
		{"month abbreviated", "okt. 2026", 0, d(2026, 10, 1), d(2026, 10, 31), model.Month, false},
		{"month without year", "Februar", 2027, d(2027, 2, 1), d(2027, 2, 28), model.Month, true},
		{"quarter", "Q3 2026", 0, d(2026, 7, 1), d(2026, 9, 30), model.Quarter, false},
		{"quarter year first", "2026 Q4", 0, d(2026, 10, 1), d(2026, 12, 31), model.Quarter, false},
		{"kvartal", "3. kvartal 2026", 0, d(2026, 7, 1), d(2026, 9, 30), model.Quarter, false},
		{"kvartal without year", "1. kvartal", 2027, d(2027, 1, 1), d(2027, 3, 31), model.Quarter, true},
		{"day month", "15/8", 2026, d(2026, 8, 15), d(2026, 8, 15), model.Exact, true},
		{"day month dots", "15.8.", 2026, d(2026, 8, 15), d(2026, 8, 15), model.Exact, true},
		{"day month name", "15. august", 2026, d(2026, 8, 15), d(2026, 8, 15), model.Exact, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ParseLoose(tt.in)
			if err != nil {
				t.Fatalf("ParseLoose(%q): %v", tt.in, err)
			}
			if got := l.Year == 0; got != tt.noYear {
				t.Errorf("ParseLoose(%q) without year = %v, want %v", tt.in, got, tt.noYear)
			}
			first, last, ok := l.Span(tt.year)
			if !ok || first != tt.first || last != tt.last || l.Precision != tt.prec {
				t.Errorf("ParseLoose(%q).Span(%d) = %v, %v, %v (%q); want %v, %v (%q)", tt.in, tt.year, first, last, ok, l.Precision, tt.first, tt.last, tt.prec)
			}
			if l.Text != tt.in {
				t.Errorf("text = %q, want %q", l.Text, tt.in)
			}
		})
	}
}

func TestParseLoose_malformed(t *testing.T) {
	for _, in := range []string{"uge 54", "uge 0", "u99", "primo", "ultimo", "medio 2026", "primo blabla", "Q5", "Q0 2026", "5. kvartal 2026", "Q10", "uge 53 2027", "31/2", "15/13", "2026-W60"} {
		t.Run(in, func(t *testing.T) {
			got, err := ParseLoose(in)
			if !errors.Is(err, ErrBadLoose) {
				t.Errorf("ParseLoose(%q) = %+v, %v; want ErrBadLoose", in, got, err)
			}
		})
	}
	for _, in := range []string{"snart", "", "Aarhus", "TBD", "efter behov"} {
		t.Run("not a date "+in, func(t *testing.T) {
			got, err := ParseLoose(in)
			if !errors.Is(err, ErrNoDate) {
				t.Errorf("ParseLoose(%q) = %+v, %v; want ErrNoDate", in, got, err)
			}
		})
	}
}

func TestLoose_Span_week53(t *testing.T) {
	l, err := ParseLoose("uge 53")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := l.Span(2027); ok {
		t.Errorf("uge 53 in 2027 (52 weeks) = ok, want refused")
	}
	if _, _, ok := l.Span(2026); !ok {
		t.Errorf("uge 53 in 2026 (53 weeks) refused, want ok")
	}
}

func FuzzParseLoose(f *testing.F) {
	for _, s := range []string{"uge 34", "u34", "34/2026", "2026-W34", "uge 34-36", "primo okt.", "ultimo marts 2027", "Q3 2026", "3. kvartal 2026", "15/8", "uge 54", "Q5", "uge 34/26", "u34 '26", "uge 34-26", "34/26"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLoose(s)
		var amb *AmbiguousError
		if err != nil {
			if !errors.Is(err, ErrNoDate) && !errors.Is(err, ErrBadLoose) && !errors.As(err, &amb) {
				t.Fatalf("ParseLoose(%q): unexpected error %v", s, err)
			}
			return
		}
		first, last, ok := l.Span(2026)
		if ok && last.Before(first) {
			t.Fatalf("ParseLoose(%q).Span: last %v before first %v", s, last, first)
		}
	})
}

// TestParseLoose_twoDigitYears: week forms with a two-digit year are read
// when only a year can be meant (after a slash or an apostrophe, or four
// digits after a hyphen), and refused, saying why, when the two digits may
// as well be a week or a month.
func TestParseLoose_twoDigitYears(t *testing.T) {
	d := func(y int, m time.Month, day int) model.Date { return model.NewDate(y, m, day) }
	read := []struct {
		name, in    string
		first, last model.Date
	}{
		{"uge slash yy", "uge 34/26", d(2026, 8, 17), d(2026, 8, 21)},
		{"u slash yy", "u34/26", d(2026, 8, 17), d(2026, 8, 21)},
		{"spaces around the slash", "Uge 34 / 26", d(2026, 8, 17), d(2026, 8, 21)},
		{"apostrophe", "u34 '26", d(2026, 8, 17), d(2026, 8, 21)},
		{"typographic apostrophe", "uge 34 ’26", d(2026, 8, 17), d(2026, 8, 21)},
		{"comma apostrophe", "uge 34, '27", d(2027, 8, 23), d(2027, 8, 27)},
		{"range slash yy", "uge 34-36/26", d(2026, 8, 17), d(2026, 9, 4)},
		{"hyphen and four digits", "uge 34-2026", d(2026, 8, 17), d(2026, 8, 21)},
		{"slash and the same number", "uge 26/26", d(2026, 6, 22), d(2026, 6, 26)},
		{"apostrophe where a slash would be doubtful", "uge 10 '26", d(2026, 3, 2), d(2026, 3, 6)},
		{"short range over a new year stays a range", "uge 51-2", d(2026, 12, 14), d(2027, 1, 15)},
	}
	for _, tt := range read {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ParseLoose(tt.in)
			if err != nil {
				t.Fatalf("ParseLoose(%q): %v", tt.in, err)
			}
			first, last, ok := l.Span(2026)
			if !ok || first != tt.first || last != tt.last || l.Precision != model.Week {
				t.Errorf("ParseLoose(%q).Span = %v, %v, %v (%q); want %v, %v (week)", tt.in, first, last, ok, l.Precision, tt.first, tt.last)
			}
		})
	}
	refused := []struct {
		name, in, kind string
		week, yy       int
	}{
		{"hyphen yy: a range of 44 weeks or week 34 of 2026", "uge 34-26", ambWeekRange, 34, 26},
		{"no uge: a week or a day and month", "34/26", ambWeekDay, 34, 26},
		{"two numbers", "uge 34 26", ambWeekPair, 34, 26},
		{"two numbers with a comma", "u34, 26", ambWeekPair, 34, 26},
		{"slash and a later week: two weeks or a year", "uge 25/26", ambWeekSlash, 25, 26},
		{"slash and a later week far off", "u10/26", ambWeekSlash, 10, 26},
	}
	for _, tt := range refused {
		t.Run("refused "+tt.name, func(t *testing.T) {
			got, err := ParseLoose(tt.in)
			var amb *AmbiguousError
			if !errors.As(err, &amb) {
				t.Fatalf("ParseLoose(%q) = %+v, %v; want an AmbiguousError", tt.in, got, err)
			}
			if amb.Kind != tt.kind || amb.Week != tt.week || amb.YY != tt.yy {
				t.Errorf("ParseLoose(%q) = %+v, want kind %s week %d yy %d", tt.in, amb, tt.kind, tt.week, tt.yy)
			}
			for _, lang := range []Lang{Danish, English} {
				if h := amb.hint(lang); !strings.Contains(h, "2026") || strings.Contains(h, "%!") {
					t.Errorf("hint(%s) = %q, want one naming 2026", lang, h)
				}
			}
		})
	}
}
