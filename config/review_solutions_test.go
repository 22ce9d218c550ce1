package config

import (
	"strings"
	"testing"
)

// TestReview_contactOfAPlansOwnSolution: a plan whose sheet says
// "Løsning: MitID" has the solution MitID (parse keeps an unknown
// solution line as written); a contact for it worked before 3a3e128..main
// and must still be accepted.
func TestReview_contactOfAPlansOwnSolution(t *testing.T) {
	for _, yml := range []string{
		"alerts:\n  contacts:\n    \"Aarhus/MitID\": [pl@aarhus.dk]\n",
		"alerts:\n  coordinators:\n    - {email: k@x.dk, solutions: [MitID]}\n",
	} {
		if _, err := Parse(strings.NewReader(yml), "udrul.yaml"); err != nil {
			t.Errorf("%q refused: %v", yml, err)
		}
	}
}
