package config

import (
	"strings"
	"testing"
)

// TestParse_contactsUnderThePlansSpelling: a contact key spelling the
// municipality another way ("Århus/KY", "aarhus kommune") is kept under the
// name plans have, so that its addresses hear about the plan.
func TestParse_contactsUnderThePlansSpelling(t *testing.T) {
	for _, tt := range []struct{ key, want string }{
		{"Århus/KY", "Aarhus/KY"},
		{"aarhus kommune", "Aarhus"},
		{"Aarhus/KY", "Aarhus/KY"},
	} {
		t.Run(tt.key, func(t *testing.T) {
			c, err := Parse(strings.NewReader("alerts:\n  contacts:\n    \""+tt.key+"\": [pl@aarhus.dk]\n"), "udrul.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Alerts.Contacts[tt.want]; len(got) != 1 || got[0] != "pl@aarhus.dk" {
				t.Errorf("contacts[%q] = %v, want [pl@aarhus.dk] (all: %v)", tt.want, got, c.Alerts.Contacts)
			}
		})
	}
}
