package detect

import (
	"testing"

	"github.com/udrul/udrul/model"
)

// TestKinds_labelled: every kind --kind accepts has words in the reports.
func TestKinds_labelled(t *testing.T) {
	for _, k := range Kinds {
		if model.KindLabel(k, false) == k || model.KindLabel(k, true) == k {
			t.Errorf("kind %s has no label", k)
		}
	}
}
