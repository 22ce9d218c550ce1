package model

import (
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
