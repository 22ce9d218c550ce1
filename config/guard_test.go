package config

import (
	"strings"
	"testing"
)

// TestParse_shrinkGuard: the guard's keys, their defaults, what turns a
// check off, and the errors naming the key and its line.
func TestParse_shrinkGuard(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       ShrinkGuard
		err        string
	}{
		{"defaults", "", ShrinkGuard{MaxLoss: 0.5, MinTasks: 4, MaxRetitled: 0.5, MaxTailLoss: 0.2}, ""},
		{"set", "shrink_guard:\n  max_retitled: 0.3\n  max_tail_loss: 0.1\n", ShrinkGuard{MaxLoss: 0.5, MinTasks: 4, MaxRetitled: 0.3, MaxTailLoss: 0.1}, ""},
		{"turned off", "shrink_guard:\n  max_retitled: 1\n  max_tail_loss: 1\n", ShrinkGuard{MaxLoss: 0.5, MinTasks: 4, MaxRetitled: 1, MaxTailLoss: 1}, ""},
		{"zero", "language: en\nshrink_guard:\n  max_tail_loss: 0\n", ShrinkGuard{}, "udrul.yaml:3: shrink_guard.max_tail_loss: must be a share above 0 and at most 1"},
		{"above one", "language: en\nshrink_guard:\n  min_tasks: 3\n  max_retitled: 1.5\n", ShrinkGuard{}, "udrul.yaml:4: shrink_guard.max_retitled: must be a share above 0 and at most 1"},
		{"a percentage", "language: en\nshrink_guard:\n  max_retitled: 50%\n", ShrinkGuard{}, `udrul.yaml:3: shrink_guard.max_retitled: "50%" is not a share between 0 and 1, such as 0.5`},
		{"misspelt", "language: en\nshrink_guard:\n  max_retitle: 0.5\n", ShrinkGuard{}, "udrul.yaml:3:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(strings.NewReader(tt.yaml), "udrul.yaml")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.ShrinkGuard != tt.want {
				t.Errorf("shrink_guard = %+v, want %+v", c.ShrinkGuard, tt.want)
			}
		})
	}
}

// TestStarter_shrinkGuard: the starter configuration spells out the
// guard's keys with their defaults.
func TestStarter_shrinkGuard(t *testing.T) {
	for _, w := range []string{"max_loss: 0.5", "max_tail_loss: 0.2", "max_retitled: 0.5", "min_tasks: 4"} {
		if !strings.Contains(string(Starter()), w) {
			t.Errorf("starter lacks %q", w)
		}
	}
}
