package detect

import (
	"fmt"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
)

// TestSprintf: the messages' own formatting gives what fmt.Sprintf gives,
// and leaves to it what it does not handle.
func TestSprintf(t *testing.T) {
	d := model.NewDate(2026, 11, 26)
	tests := []struct {
		name   string
		format string
		args   []any
		ok     bool
	}{
		{"strings", "%s forsinket (slutdato %s)", []any{"3 arbejdsdage", "2026-11-20 (\"20/11\")"}, true},
		{"date", "startdato %s ligger efter slutdato %s", []any{d, model.Date{}}, true},
		{"int", "ikke læst med succes i %d dage", []any{-12}, true},
		{"percent", "100%% %s", []any{"færdig"}, true},
		{"no verbs", "mangler start- eller slutdato", nil, true},
		{"unicode", "ø %s å", []any{"æ\x1fø"}, true},
		{"quoted", "ukendt status %q", []any{"i gang\t\"x\" ø\x00\xff"}, true},
		{"quoted date", "%q", []any{d}, false},
		{"flagged", "%+q", []any{"ø"}, false},
		{"old date", "%s", []any{model.Date{Year: 12, Month: 3, Day: 4}}, true},
		{"far date", "%s", []any{model.Date{Year: 12345, Month: 3, Day: 4}}, true},
		{"int as string", "%s", []any{3}, false},
		{"string as int", "%d", []any{"3"}, false},
		{"other type", "%s", []any{1.5}, false},
		{"too few", "%s %s", []any{"a"}, false},
		{"too many", "%s", []any{"a", "b"}, false},
		{"trailing percent", "50%", nil, false},
		{"width", "uge %02d", []any{3}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := sprintf(tt.format, tt.args)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if want := fmt.Sprintf(tt.format, tt.args...); ok && got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// FuzzSprintf: whatever the format and arguments, a message formatted
// here is fmt.Sprintf's.
func FuzzSprintf(f *testing.F) {
	f.Add("%s slipped %s (%s → %s)", "3 working days", 7, int64(20261126))
	f.Add("%d tasks %%s in %s", "x", -1, int64(0))
	f.Add("standardopgaven %q (%s) mangler", "\"Go-live\"\n", 0, int64(-19991231))
	f.Fuzz(func(t *testing.T, format, s string, n int, day int64) {
		d := model.NewDate(int(day/10000%30000), time.Month(1+day/100%12), 1+int(day%28))
		args := []any{s, n, d, s}
		if got, want := asWritten(d, model.Written{Text: s}), model.AsWritten(d, model.Written{Text: s}); got != want {
			t.Fatalf("asWritten(%v, %q) = %q, want %q", d, s, got, want)
		}
		if got, want := dateString(d), d.String(); got != want {
			t.Fatalf("dateString(%#v) = %q, want %q", d, got, want)
		}
		for k := 0; k <= len(args); k++ {
			got, ok := sprintf(format, args[:k])
			if want := fmt.Sprintf(format, args[:k]...); ok && got != want {
				t.Fatalf("sprintf(%q, %v) = %q, want %q", format, args[:k], got, want)
			}
		}
	})
}

// TestAsWritten: a date as written is model.AsWritten's.
func TestAsWritten(t *testing.T) {
	d := model.NewDate(2027, 1, 4)
	for _, w := range []model.Written{{}, {Text: "4/1"}, {Text: "uge \"1\"\t"}} {
		for _, d := range []model.Date{d, {}} {
			if got, want := asWritten(d, w), model.AsWritten(d, w); got != want {
				t.Errorf("asWritten(%v, %q): got %q, want %q", d, w.Text, got, want)
			}
		}
	}
}
