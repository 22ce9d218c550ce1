package model

import (
	"reflect"
	"testing"
)

func TestRowRef(t *testing.T) {
	if got := RowRef(12); got != "row:12" {
		t.Errorf("RowRef(12) = %q, want row:12", got)
	}
	for _, tt := range []struct {
		ref  string
		n    int
		isOK bool
	}{{"row:12", 12, true}, {"row:0", 0, false}, {"row:x", 0, false}, {"12", 0, false}, {"row:-3", 0, false}} {
		t.Run(tt.ref, func(t *testing.T) {
			if n, ok := ParseRowRef(tt.ref); n != tt.n || ok != tt.isOK {
				t.Errorf("ParseRowRef(%q) = %d, %v; want %d, %v", tt.ref, n, ok, tt.n, tt.isOK)
			}
		})
	}
}

func TestJoinAfter_SplitAfter(t *testing.T) {
	for _, refs := range [][]string{nil, {"3"}, {"3", "row:7", "A-1.2"}} {
		if got := SplitAfter(JoinAfter(refs)); !reflect.DeepEqual(got, refs) {
			t.Errorf("SplitAfter(JoinAfter(%q)) = %q", refs, got)
		}
	}
}

func TestChangeValueLabel_after(t *testing.T) {
	tests := []struct {
		name, value string
		english     bool
		want        string
	}{
		{"Danish", "3, row:7", false, "ID 3, række 7"},
		{"English", "3, row:7", true, "ID 3, row 7"},
		{"none", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChangeValueLabel("after", tt.value, tt.english); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if got := FieldLabel("after", false); got != "forudgående opgaver" {
		t.Errorf("FieldLabel(after) = %q", got)
	}
	for _, code := range []string{"bad_dependency", "unknown_dependency", "self_dependency"} {
		if got := ProblemLabel(code, false); got == code {
			t.Errorf("no words for %s", code)
		}
	}
}
