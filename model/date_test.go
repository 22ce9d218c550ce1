package model

import (
	"encoding/json"
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
