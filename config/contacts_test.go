package config

import (
	"os"
	"path/filepath"
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

// TestParse_contactSolutionsKnown: a contact's solution is accepted when
// the configuration knows it: a built-in code in any case, or one that the
// wave table, a source, placement or a standard plan in the templates
// folder names.
func TestParse_contactSolutionsKnown(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "skabeloner"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "skabeloner", "ydelse.yaml"), []byte("name: Ydelse\nsolutions: [Ydelsesrefusion]\nsteps: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, yaml, key string }{
		{"built-in in any case", "", "Aarhus/ksd"},
		{"a wave table's", "waves:\n  Fordeling:\n    municipalities: {Aarhus: \"1\"}\n", "Aarhus/Fordeling"},
		{"a source's", "sources:\n  - {name: s, kind: files, path: x, solution: Borgerblik}\n", "Aarhus/Borgerblik"},
		{"placement's", "placement:\n  dependencies:\n    - {solution: Ydelse2, after: KY}\n", "Aarhus/Ydelse2"},
		{"a standard plan's", "templates: skabeloner\n", "Aarhus/Ydelsesrefusion"},
		{"a municipality alone", "solutions: [KY]\n", "Aarhus"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.yaml+"alerts:\n  contacts:\n    \""+tt.key+"\": [pl@aarhus.dk]\n"), filepath.Join(dir, "udrul.yaml"))
			if err != nil {
				t.Errorf("refused: %v", err)
			}
		})
	}
	// The same key without the configuration that names the solution.
	if _, err := Parse(strings.NewReader("alerts:\n  contacts:\n    Aarhus/Ydelsesrefusion: [pl@aarhus.dk]\n"), filepath.Join(dir, "udrul.yaml")); err == nil {
		t.Error("a solution nothing names was accepted")
	}
}

// TestConfig_ContactWarnings: a contact key that no plan in the database
// has is warned about, with the solutions the plans do have, in the file's
// order; with no plans read yet nothing is said.
func TestConfig_ContactWarnings(t *testing.T) {
	c, err := Parse(strings.NewReader("language: en\nalerts:\n  contacts:\n    Aarhus/KY: [a@aarhus.dk]\n    Vejle/KSD: [v@vejle.dk]\n    Odense: [o@odense.dk]\n"), "udrul.yaml")
	if err != nil {
		t.Fatal(err)
	}
	plans := []Identity{{Municipality: "Aarhus", Solution: "KY"}, {Municipality: "Vejle", Solution: "SAPA"}}
	var got []string
	for _, w := range c.ContactWarnings(plans) {
		got = append(got, w.Error())
	}
	want := []string{
		"udrul.yaml:5: alerts.contacts.Vejle/KSD: no plan in the database is Vejle/KSD (it holds 2, of the solutions KY, SAPA): the addresses get nothing until such a plan is read; check the municipality and the solution",
		"udrul.yaml:6: alerts.contacts.Odense: no plan in the database is of Odense (it holds 2): the addresses get nothing until such a plan is read",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\ngot  %q\nwant %q", got, want)
	}
	if w := c.ContactWarnings(nil); len(w) != 0 {
		t.Errorf("warnings with no plans read: %v", w)
	}
}

// TestParse_noSettings: a file of comments only (every line commented out)
// or an empty document is the defaults; it emptied every default and was
// refused with a dozen problems naming no file.
func TestParse_noSettings(t *testing.T) {
	for _, file := range []string{"# database: x.db\n# language: en\n", "---\n", "null\n", "---\n# all commented out\n...\n"} {
		t.Run(strings.TrimSpace(file), func(t *testing.T) {
			c, err := Parse(strings.NewReader(file), "udrul.yaml")
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if got, want := c.Database, Default().Database; got != want || c.Limits != Default().Limits {
				t.Errorf("database %q, limits %+v; want the defaults %q, %+v", got, c.Limits, want, Default().Limits)
			}
		})
	}
}
