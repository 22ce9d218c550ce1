package municipality_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/udrul/udrul/municipality"
)

func TestNames(t *testing.T) {
	if got := len(municipality.Names); got != 98 {
		t.Fatalf("len(Names) = %d, want 98", got)
	}
	seen := map[string]bool{}
	for _, n := range municipality.Names {
		if seen[n] {
			t.Errorf("%s listed twice", n)
		}
		seen[n] = true
	}
}

// TestSpellings_neverConfused proves that no spelling of one municipality
// (every transliteration, with and without a genitive s) is a spelling of
// another.
func TestSpellings_neverConfused(t *testing.T) {
	owner := map[string]string{}
	for _, n := range municipality.Names {
		for _, s := range municipality.Spellings(n) {
			for _, form := range []string{s, s + "s"} {
				if prev, ok := owner[form]; ok && prev != n {
					t.Errorf("%q spells both %s and %s", form, prev, n)
				}
				owner[form] = n
			}
		}
	}
	if len(owner) < 98*3 {
		t.Errorf("only %d spellings: transliterations missing?", len(owner))
	}
}

// TestFind_everySpellingInContext puts every spelling of every municipality
// into the places names are typed and checks that exactly that municipality
// is found, never another whose name it contains or resembles.
func TestFind_everySpellingInContext(t *testing.T) {
	contexts := []string{"%s", "KY_%s.xlsx", "kp-%s-rollout.xlsx", "plan_%s_SAPA.xlsx", "KSD %s.csv", "%s Kommune – SAPA implementeringsplan",
		"Implementeringsplan for %s kommune", "%ss Kommune", "KY-%s (2).xlsx", "2026_%s_v3"}
	n := 0
	for _, name := range municipality.Names {
		for _, sp := range municipality.Spellings(name) {
			for _, variant := range []string{sp, strings.ToUpper(sp), strings.ReplaceAll(sp, " ", "-"), strings.ReplaceAll(sp, " ", "_"), title(sp)} {
				for _, c := range contexts {
					text := fmt.Sprintf(c, variant)
					m, others, ok := municipality.Find(text)
					if !ok || m.Name != name {
						t.Errorf("Find(%q) = %q (others %v, ok %v), want %s", text, m.Name, others, ok, name)
					}
					n++
				}
			}
		}
	}
	t.Logf("%d texts checked", n)
}

func title(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r := []rune(w)
		words[i] = strings.ToUpper(string(r[0])) + string(r[1:])
	}
	return strings.Join(words, " ")
}

func TestFind(t *testing.T) {
	tests := []struct {
		text, want, as string
	}{
		{"kp-Hjoerring-rollout.xlsx", "Hjørring", "Hjoerring"},
		{"KP_Hjorring.xlsx", "Hjørring", "Hjorring"},
		{"plan_Laesoe_SAPA.xlsx", "Læsø", "Laesoe"},
		{"KSD_Hoeje-Taastrup.csv", "Høje-Taastrup", "Hoeje-Taastrup"},
		{"KSD Hoeje Taastrup.csv", "Høje-Taastrup", "Hoeje Taastrup"},
		{"ky_hoje_taastrup", "Høje-Taastrup", "hoje_taastrup"},
		{"Aeroe KY", "Ærø", "Aeroe"},
		{"AERO-KY", "Ærø", "AERO"},
		{"Roedovre", "Rødovre", "Roedovre"},
		{"Taarnby plan", "Tårnby", "Taarnby"},
		{"Tarnby plan", "Tårnby", "Tarnby"},
		{"Morsoe", "Morsø", "Morsoe"},
		{"Naestved KSD", "Næstved", "Naestved"},
		{"Soenderborg", "Sønderborg", "Soenderborg"},
		{"Aabenraa", "Aabenraa", "Aabenraa"},
		{"Åbenrå", "Aabenraa", "Åbenrå"},
		{"Faaborg-Midtfyn", "Faaborg-Midtfyn", "Faaborg-Midtfyn"},
		{"Aalborg", "Aalborg", "Aalborg"},
		{"Århus", "Aarhus", "Århus"},
		{"Lyngby-Taarbæk SAPA rollout plan.xlsx", "Lyngby-Taarbæk", "Lyngby-Taarbæk"},
		{"Lyngby Taarbaek", "Lyngby-Taarbæk", "Lyngby Taarbaek"},
		{"Københavns Kommune", "København", "Københavns"},
		{"Kobenhavn", "København", "Kobenhavn"},
		{"Sorø", "Sorø", "Sorø"},
		{"Soroe_KY", "Sorø", "Soroe"},
		{"Frederikssund", "Frederikssund", "Frederikssund"},
		{"Frederiksberg", "Frederiksberg", "Frederiksberg"},
		{"Frederikshavn", "Frederikshavn", "Frederikshavn"},
		{"Horsholm", "Hørsholm", "Horsholm"},
		{"Herning", "Herning", "Herning"},
		{"Nordfyn KY", "Nordfyns", "Nordfyn"},
		{"Hjörring", "Hjørring", "Hjörring"},
		{"KY_Aarhus2026.xlsx", "Aarhus", "Aarhus"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			m, others, ok := municipality.Find(tt.text)
			if !ok || m.Name != tt.want || m.Text != tt.as {
				t.Errorf("Find(%q) = %+v, %v, %v; want %s written %q", tt.text, m, others, ok, tt.want, tt.as)
			}
		})
	}
}

func TestFind_none(t *testing.T) {
	for _, text := range []string{
		"", "plan.xlsx", "Sor", "Sorøvej", "Vejlefjord", "Herningvej", "Oversigt", "Aarhusianere",
		"Esbjergvej", "Skiveren", "Fredericiavej", "Lyngby", "Taastrup",
	} {
		t.Run(text, func(t *testing.T) {
			if m, _, ok := municipality.Find(text); ok {
				t.Errorf("Find(%q) = %+v, want nothing", text, m)
			}
		})
	}
}

func TestFind_twoMunicipalitiesNameNone(t *testing.T) {
	m, others, ok := municipality.Find("Aarhus og Odder KY.xlsx")
	if ok || len(others) != 2 || others[0] != "Aarhus" || others[1] != "Odder" {
		t.Errorf("Find = %+v, %v, %v; want none, naming Aarhus and Odder", m, others, ok)
	}
	// The same municipality twice is one.
	if m, _, ok := municipality.Find("Aarhus/KY_Aarhus.xlsx"); !ok || m.Name != "Aarhus" {
		t.Errorf("Find = %+v, %v", m, ok)
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Aarhus", "Aarhus"}, {"aarhus kommune", "Aarhus"}, {"Københavns Kommune", "København"}, {"HOEJE-TAASTRUP", "Høje-Taastrup"},
		{"Lyngby Taarbaek Kommune", "Lyngby-Taarbæk"}, {"  Sorø ", "Sorø"}, {"Kommune Vejle", "Vejle"},
	}
	for _, tt := range tests {
		if got, err := municipality.Canonical(tt.in); err != nil || got != tt.want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "Aarhuus", "Region Midtjylland", "Lyngby", "Aarhus Odder"} {
		if got, err := municipality.Canonical(bad); !errors.Is(err, municipality.ErrUnknown) {
			t.Errorf("Canonical(%q) = %q, %v; want ErrUnknown", bad, got, err)
		}
	}
}

func TestNewMatcher_aliases(t *testing.T) {
	m, err := municipality.NewMatcher(map[string]string{"Kbh": "København", "LTK": "lyngby-taarbaek"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := m.Canonical("kbh"); err != nil || got != "København" {
		t.Errorf("Canonical(kbh) = %q, %v", got, err)
	}
	if got, _, ok := m.Find("KY_LTK_plan.xlsx"); !ok || got.Name != "Lyngby-Taarbæk" || got.Text != "LTK" {
		t.Errorf("Find = %+v, %v", got, ok)
	}
	if _, err := municipality.Canonical("Kbh"); err == nil {
		t.Error("an alias leaked into the default matcher")
	}
	for name, aliases := range map[string]map[string]string{
		"unknown target":       {"Kbh": "Kjøbenhavn"},
		"empty target":         {"Kbh": ""},
		"spells another":       {"Odder": "Aarhus"},
		"empty alias":          {" - ": "Aarhus"},
		"transliterated clash": {"Hoersholm": "Herning"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := municipality.NewMatcher(aliases); err == nil {
				t.Errorf("NewMatcher(%v) accepted", aliases)
			}
		})
	}
}

func BenchmarkFind(b *testing.B) {
	for b.Loop() {
		municipality.Find("kp-Hjoerring-rollout-plan_final_v3.xlsx")
	}
}

// FuzzFind: any text is searched without a panic, and whatever is found is
// one of the 98, written in the text.
func FuzzFind(f *testing.F) {
	for _, s := range []string{"kp-Hjoerring-rollout.xlsx", "plan_Laesoe_SAPA.xlsx", "Københavns Kommune", "Aarhus og Odder", "ÆRØ", "\xff\xfe", "s", "-_ \u00a0"} {
		f.Add(s)
	}
	known := map[string]bool{}
	for _, n := range municipality.Names {
		known[n] = true
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, m := range municipality.Default.FindAll(text) {
			if !known[m.Name] {
				t.Fatalf("FindAll(%q) found %q", text, m.Name)
			}
			if !strings.Contains(text, m.Text) || m.Text == "" {
				t.Fatalf("FindAll(%q): %q is not in the text", text, m.Text)
			}
		}
		if m, _, ok := municipality.Find(text); ok {
			if _, err := municipality.Canonical(m.Text); err != nil {
				t.Fatalf("Find(%q) = %+v, but Canonical(%q) fails: %v", text, m, m.Text, err)
			}
		}
	})
}
