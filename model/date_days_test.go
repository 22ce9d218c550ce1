package model

import (
	"fmt"
	"testing"
	"time"
)

func TestDate_DaysUntil(t *testing.T) {
	base := NewDate(1970, time.January, 1)
	for _, tt := range []struct {
		d    Date
		want int
	}{
		{NewDate(1970, 1, 1), 0}, {NewDate(1969, 12, 31), -1}, {NewDate(2000, 2, 29), 11016}, {NewDate(2000, 3, 1), 11017},
		{NewDate(1900, 3, 1), -25508}, {NewDate(2100, 12, 31), 47846}, {NewDate(1600, 2, 29), -135081},
	} {
		if got := base.DaysUntil(tt.d); got != tt.want {
			t.Errorf("days to %s = %d, want %d", tt.d, got, tt.want)
		}
	}
	// Against time.Time, day by day over two centuries (its durations end at
	// 292 years).
	d := NewDate(1950, time.January, 1)
	for i := 0; i < 73050; i++ {
		e := d.AddDays(i)
		if got, want := d.DaysUntil(e), int(e.Time().Sub(d.Time()).Hours()/24); got != want {
			t.Fatalf("%s → %s: %d, want %d", d, e, got, want)
		}
	}
}

// TestDate_AddDays: as time.Date normalises the day, for every day of
// several years and steps either way, and for dates not normalised (the
// zero Date, a day past its month's end).
func TestDate_AddDays(t *testing.T) {
	check := func(d Date, n int) {
		t.Helper()
		want := DateOf(time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC))
		if got := d.AddDays(n); got != want {
			t.Fatalf("%+v.AddDays(%d) = %+v, want %+v", d, n, got, want)
		}
	}
	d := NewDate(1999, time.January, 1)
	for i := 0; i < 4*366; i++ {
		for _, n := range []int{-400, -31, -29, -28, -27, -1, 0, 1, 2, 7, 27, 28, 29, 31, 365} {
			check(d.AddDays(i), n)
		}
	}
	for _, d := range []Date{{}, {2026, 2, 31}, {2026, 13, 5}, {2026, 0, 10}, {2026, 6, 0}, {2026, 6, -3}, {-1, 3, 4}} {
		for _, n := range []int{-30, -1, 0, 1, 5, 27, 40} {
			check(d, n)
		}
	}
}

// TestDate_String: as fmt writes it ("%04d-%02d-%02d"), for every day of
// several centuries and for dates out of the usual ranges; the zero Date
// is "".
func TestDate_String(t *testing.T) {
	check := func(d Date) {
		t.Helper()
		if got, want := d.String(), fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day); got != want {
			t.Fatalf("%+v.String() = %q, want %q", d, got, want)
		}
	}
	for d := NewDate(1899, time.December, 25); d.Year < 2101; d = d.AddDays(1) {
		check(d)
	}
	for _, d := range []Date{{1, 1, 1}, {9, 9, 9}, {999, 12, 31}, {9999, 12, 31}, {10000, 1, 1}, {-1, 3, 4}, {2026, 13, 1}, {2026, 0, 5}, {2026, 2, 0}, {2026, 2, 32}, {0, 1, 1}} {
		check(d)
	}
	if s := (Date{}).String(); s != "" {
		t.Errorf("zero Date = %q", s)
	}
}
