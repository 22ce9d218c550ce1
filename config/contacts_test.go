package config

import (
	"strings"
	"testing"
)

// TestValidate_tildeIsSaid: a path starting with ~ (which no shell
// expanded) is warned about in words that say so.
func TestValidate_tildeIsSaid(t *testing.T) {
	c, err := Parse(strings.NewReader("language: en\nsources:\n  - {name: s, kind: files, path: ~/udrul-no-such-plans}\n"), "udrul.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, w := range c.UsageWarnings(map[string]bool{".xlsx": true}) {
		all = append(all, w.Error())
	}
	if got := strings.Join(all, "\n"); !strings.Contains(got, "does not expand ~") {
		t.Errorf("warnings %q, want one saying ~ is not expanded", got)
	}
}

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
