package model

import (
	"strings"
	"testing"
)

// TestHeldReason: a held plan's finding speaks one language, not Danish
// with the guard's English reason in it.
func TestHeldReason(t *testing.T) {
	for _, tt := range []struct {
		name, reason string
		english      bool
		want         string
	}{
		{"emptied, danish", "the sheet has no tasks any more (it had 12): held until it recovers or is accepted", false, "arket har ingen opgaver længere (det havde 12)"},
		{"shrunk, danish", "9 of 12 tasks disappeared at once: held until the sheet recovers or is accepted", false, "9 af 12 opgaver forsvandt på én gang"},
		{"english as stored", "9 of 12 tasks disappeared at once: held until the sheet recovers or is accepted", true, "9 of 12 tasks disappeared at once"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := HeldReason(tt.reason, tt.english)
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("heldReason = %q, want it to start %q", got, tt.want)
			}
			if !tt.english && strings.Contains(got, "held") {
				t.Errorf("Danish reason has English in it: %q", got)
			}
		})
	}
}

// TestKindLabel_everyKind: every kind the rules make has words in both
// languages (a code shown as it is would be a code in the report).
func TestKindLabel_everyKind(t *testing.T) {
	for kind, w := range kindLabels {
		if w[0] == "" || w[1] == "" || w[0] == kind {
			t.Errorf("kind %s has no words: %v", kind, w)
		}
	}
}
