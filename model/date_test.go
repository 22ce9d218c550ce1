package model

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	d := NewDate(2026, time.February, 28)
	if got := d.AddDays(1).String(); got != "2026-03-01" {
		t.Errorf("AddDays = %s", got)
	}
	if got := NewDate(2026, 1, 1).DaysUntil(NewDate(2026, 12, 31)); got != 364 {
		t.Errorf("DaysUntil = %d, want 364", got)
	}
	if !d.Before(d.AddDays(1)) || d.After(d) || d.Compare(d) != 0 {
		t.Error("Compare is wrong")
	}
	if (Date{}).String() != "" || !(Date{}).IsZero() {
		t.Error("the zero Date prints empty")
	}
	for _, in := range []Date{d, {}} {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var out Date
		if err := json.Unmarshal(b, &out); err != nil || out != in {
			t.Errorf("JSON round trip of %v: %s → %v, %v", in, b, out, err)
		}
	}
	if _, err := ParseISODate("01-06-2026"); err == nil {
		t.Error("ParseISODate accepts only YYYY-MM-DD")
	}
}

// TestParseISODate_sameAsTimeParse: the fast path reads exactly what
// time.Parse reads and refuses what it refuses.
func TestParseISODate_sameAsTimeParse(t *testing.T) {
	inputs := []string{"2026-11-26", "2024-02-29", "2026-02-29", "2026-04-31", "2026-12-31", "0001-01-01", "9999-12-31",
		"2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01", "2026/01/01", "2026-01-0a", "+026-01-01", "2026-01-01 ", "20260101"}
	for y := 1999; y <= 2101; y += 17 {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				inputs = append(inputs, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	for _, s := range inputs {
		got, err := ParseISODate(s)
		tm, terr := time.Parse(time.DateOnly, s)
		if (err != nil) != (terr != nil) {
			t.Errorf("ParseISODate(%q) error %v, time.Parse error %v", s, err, terr)
			continue
		}
		if err == nil && got != DateOf(tm) {
			t.Errorf("ParseISODate(%q) = %v, want %v", s, got, DateOf(tm))
		}
	}
}
