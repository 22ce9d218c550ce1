package lang

import "testing"

func TestPick(t *testing.T) {
	for _, tt := range []struct {
		name    string
		english bool
		args    []any
		want    string
	}{
		{"Danish", false, nil, "%d fil"},
		{"English", true, nil, "%d file"},
		{"Danish filled", false, []any{1}, "1 fil"},
		{"English filled", true, []any{2}, "2 file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Pickf(tt.english, "%d fil", "%d file", tt.args...)
			if tt.args == nil {
				if p := Pick(tt.english, "%d fil", "%d file"); p != got {
					t.Errorf("Pick = %q, Pickf without args = %q", p, got)
				}
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
