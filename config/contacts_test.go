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

// TestParse_contactSolutionsKnown: a contact's solution the configuration
// knows is neither refused nor warned of: a built-in code in any case, or
// one that the wave table, a source, placement or a standard plan in the
// templates folder names.
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
			c, err := Parse(strings.NewReader(tt.yaml+"alerts:\n  contacts:\n    \""+tt.key+"\": [pl@aarhus.dk]\n"), filepath.Join(dir, "udrul.yaml"))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if w := c.ContactWarnings(nil); len(w) != 0 {
				t.Errorf("warnings %v, want none", w)
			}
		})
	}
	// The same key without the configuration that names the solution.
	c, err := Parse(strings.NewReader("alerts:\n  contacts:\n    Aarhus/Ydelsesrefusion: [pl@aarhus.dk]\n"), filepath.Join(dir, "udrul.yaml"))
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	if w := c.ContactWarnings(nil); len(w) != 1 {
		t.Errorf("warnings %v, want one of a solution nothing names", w)
	}
}

// TestParse_alertSolutionsOfPlans: a solution in alerts that no list of
// the configuration names is not refused (a plan may have it: its own
// "Løsning: MitID" line, a file name's {solution}), so a configuration that
// worked keeps working; what is certainly wrong still is refused.
func TestParse_alertSolutionsOfPlans(t *testing.T) {
	for _, tt := range []struct {
		name, yaml string
		refused    []string // nil: accepted
	}{
		{"a contact of a plan's own solution", "alerts:\n  contacts:\n    \"Aarhus/MitID\": [pl@aarhus.dk]\n", nil},
		{"a contact of a misspelt solution", "alerts:\n  contacts:\n    Aarhus/KYY: [pl@aarhus.dk]\n", nil},
		{"a contact of a solution beside those configured", "solutions: [KY, SAPA]\nalerts:\n  contacts:\n    Aarhus/KSD: [pl@aarhus.dk]\n", nil},
		{"a contact of another spelling and a plan's own solution", "alerts:\n  contacts:\n    Århus/MitID: [pl@aarhus.dk]\n", nil},
		{"a coordinator of a plan's own solution", "alerts:\n  coordinators:\n    - {email: k@x.dk, solutions: [MitID]}\n", nil},
		{"a webhook of a plan's own solution", "alerts:\n  webhooks:\n    - {url: https://example.org/hook, solutions: [KY, MitID]}\n", nil},
		{"a contact of nothing after the slash", "alerts:\n  contacts:\n    Aarhus/: [pl@aarhus.dk]\n",
			[]string{"udrul.yaml:4: alerts.contacts.Aarhus/:", "names no solution after the /", "write Aarhus/KY"}},
		{"a contact of a misspelt municipality and a plan's own solution", "alerts:\n  contacts:\n    Arhus/MitID: [pl@aarhus.dk]\n",
			[]string{"udrul.yaml:4: alerts.contacts.Arhus/MitID:", `"Arhus" is not one of the 98`, "did you mean Aarhus?"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader("language: en\n"+tt.yaml), "udrul.yaml")
			if tt.refused == nil {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted, want refused with %q", tt.refused)
			}
			for _, w := range tt.refused {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q, want %q", err, w)
				}
			}
		})
	}
}

// TestConfig_ContactWarnings: config check's warnings of alerts that will
// likely reach no one, in the file's order, each at the key and line the
// file has: a solution that neither the configuration nor a plan in the
// database has, with the one meant (none when a plan has it, in any case);
// a contact key that no plan in the database is (nothing before plans are
// read).
func TestConfig_ContactWarnings(t *testing.T) {
	aarhusKY := Identity{Municipality: "Aarhus", Solution: "KY"}
	vejleSAPA := Identity{Municipality: "Vejle", Solution: "SAPA"}
	aarhusMitID := Identity{Municipality: "Aarhus", Solution: "MitID"}
	for _, tt := range []struct {
		name, yaml string
		plans      []Identity
		want       []string
	}{
		{"contacts no plan is", "alerts:\n  contacts:\n    Aarhus/KY: [a@aarhus.dk]\n    Vejle/KSD: [v@vejle.dk]\n    Odense: [o@odense.dk]\n",
			[]Identity{aarhusKY, vejleSAPA}, []string{
				"udrul.yaml:5: alerts.contacts.Vejle/KSD: no plan in the database is Vejle/KSD (it holds 2, of the solutions KY, SAPA): the addresses get nothing until such a plan is read; check the municipality and the solution",
				"udrul.yaml:6: alerts.contacts.Odense: no plan in the database is of Odense (it holds 2): the addresses get nothing until such a plan is read",
			}},
		{"contacts before plans are read", "alerts:\n  contacts:\n    Vejle/KSD: [v@vejle.dk]\n    Odense: [o@odense.dk]\n", nil, nil},
		{"a plan's own solution before plans are read", "alerts:\n  contacts:\n    Aarhus/MitID: [a@aarhus.dk]\n", nil, []string{
			`udrul.yaml:4: alerts.contacts.Aarhus/MitID: the configuration does not know the solution "MitID" (it knows KY, KSD, SAPA, KP, FLIS, SBSIP, Støttesystemerne, Serviceplatformen), and the database holds no plans yet to check it against: if no plan has that solution, nothing is sent from here. Correct the spelling, or, if plans really have that solution, list it under solutions with those of the built-in ones you use, and this warning goes`,
		}},
		{"a plan's own solution that a plan has", "alerts:\n  contacts:\n    Aarhus/MitID: [a@aarhus.dk]\n  coordinators:\n    - {email: k@x.dk, solutions: [mitid]}\n  webhooks:\n    - {url: https://example.org/hook, solutions: [MITID]}\n",
			[]Identity{aarhusKY, aarhusMitID}, nil},
		{"a plan's own solution of another municipality's plan", "alerts:\n  contacts:\n    Vejle/MitID: [v@vejle.dk]\n", []Identity{aarhusMitID}, []string{
			"udrul.yaml:4: alerts.contacts.Vejle/MitID: no plan in the database is Vejle/MitID (it holds 1, of the solutions MitID)",
		}},
		{"a misspelt solution no plan has", "solutions: [KY, SAPA]\nalerts:\n  contacts:\n    Århus/KYY: [a@aarhus.dk]\n", []Identity{aarhusKY, vejleSAPA}, []string{
			`udrul.yaml:5: alerts.contacts.Århus/KYY: the configuration does not know the solution "KYY" (it knows KY, SAPA), and no plan in the database has it (it holds 2, of the solutions KY, SAPA): nothing is sent from here until such a plan is read; did you mean KY? Correct the spelling, or, if plans really have that solution, add it under solutions, and this warning goes`,
		}},
		{"a solution meant that only a plan has", "alerts:\n  coordinators:\n    - {email: k@x.dk, solutions: [MitIDD]}\n", []Identity{aarhusMitID}, []string{
			`udrul.yaml:4: alerts.coordinators[0].solutions[0]: the configuration does not know the solution "MitIDD"`, "did you mean MitID?",
		}},
		{"misspelt solutions of a coordinator and a webhook", "alerts:\n  webhooks:\n    - url: https://example.org/hook\n      solutions: [Ksdd]\n  coordinators:\n    - email: k@kombit.dk\n      solutions: [KY, SAPPA]\n", nil, []string{
			`udrul.yaml:5: alerts.webhooks[0].solutions[0]: the configuration does not know the solution "Ksdd"`, "did you mean KSD?",
			`udrul.yaml:8: alerts.coordinators[0].solutions[1]: the configuration does not know the solution "SAPPA"`, "did you mean SAPA?",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(strings.NewReader("language: en\n"+tt.yaml), "udrul.yaml")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range c.ContactWarnings(tt.plans) {
				got = append(got, w.Error())
			}
			all := strings.Join(got, "\n")
			pos := 0
			for _, w := range tt.want {
				i := strings.Index(all[pos:], w)
				if i < 0 {
					t.Fatalf("warnings:\n%s\nwant, in this order, %q", all, tt.want)
				}
				pos += i + len(w)
			}
			if len(got) != strings.Count(strings.Join(tt.want, "\n"), "udrul.yaml:") {
				t.Errorf("%d warnings:\n%s\nwant %d", len(got), all, strings.Count(strings.Join(tt.want, "\n"), "udrul.yaml:"))
			}
		})
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
