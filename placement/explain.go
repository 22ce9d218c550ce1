package placement

import (
	"fmt"
	"math"
	"strings"
)

// ScorePart is one term of a proposal's score.
type ScorePart struct {
	Name  string  // "preference" or the criterion's column
	Score float64 // its share of the score
}

// Breakdown splits a result's score into its terms: the preferences, then
// each criterion. The terms add up to r.Score.
func (p *Problem) Breakdown(r *Result) []ScorePart {
	n := p.norm()
	pw := p.PreferenceWeight
	if pw == 0 {
		pw = 10
	}
	last := float64(max(len(p.Waves)-1, 1))
	parts := []ScorePart{{Name: "preference"}}
	for _, c := range p.Criteria {
		parts = append(parts, ScorePart{Name: c.Name})
	}
	for i, pl := range r.Placements {
		m := p.Municipalities[i]
		if m.Preferred > 0 {
			parts[0].Score += pw * math.Abs(float64(pl.Wave-(m.Preferred-1)))
		}
		pos := float64(pl.Wave) / last
		for j, c := range p.Criteria {
			v := n[c.Name][m.Name]
			if c.Early {
				parts[j+1].Score += c.Weight * v * pos
			} else {
				parts[j+1].Score += c.Weight * v * (1 - pos)
			}
		}
	}
	return parts
}

// Explain says in words what a proposal's score weighs and how much better
// it is than the first guess, Danish or English.
func (p *Problem) Explain(r *Result, english bool) []string {
	l := func(da, en string) string {
		if english {
			return en
		}
		return da
	}
	pw := p.PreferenceWeight
	if pw == 0 {
		pw = 10
	}
	met, wanted := 0, 0
	for i, pl := range r.Placements {
		if m := p.Municipalities[i]; m.Preferred > 0 {
			wanted++
			if m.Preferred-1 == pl.Wave {
				met++
			}
		}
	}
	parts := p.Breakdown(r)
	var out []string
	out = append(out, fmt.Sprintf(l("Forslagets score er %.1f (lavere er bedre). Den lægger sammen:", "The proposal scores %.1f (lower is better). It adds up:"), r.Score))
	out = append(out, fmt.Sprintf(l("- ønsker: %g point for hver bølge en kommune kommer fra sin ønskede bølge; %d af %d ønsker er opfyldt: %.1f",
		"- preferences: %g points for each wave a municipality is placed away from the wave it asked for; %d of %d wishes met: %.1f"), pw, met, wanted, parts[0].Score))
	for j, c := range p.Criteria {
		dir := l("sent", "late")
		if c.Early {
			dir = l("tidligt", "early")
		}
		out = append(out, fmt.Sprintf(l("- %s (vægt %g; høje værdier skal %s): vægten × kommunens værdi (0 for den laveste, 1 for den højeste) × afstanden fra den ende af bølgeplanen den hører til: %.1f",
			"- %s (weight %g; high values go %s): the weight × the municipality's value (0 for the lowest, 1 for the highest) × how far it is from its end of the wave plan: %.1f"),
			c.Name, c.Weight, dir, parts[j+1].Score))
	}
	out = append(out, l("Hårde krav (tidligste og seneste bølge, kontraktudløb, kapacitet, afhængigheder) er altid opfyldt; de indgår ikke i scoren.",
		"Hard constraints (earliest and latest wave, contract end, capacity, dependencies) are always met; they are not part of the score."))
	switch gain := r.Greedy - r.Score; {
	case r.Greedy <= 0 || gain <= 1e-9:
		out = append(out, fmt.Sprintf(l("Første bud (de mest bundne kommuner først, hver i den billigste bølge med plads) scorede også %.1f: det kunne ikke forbedres.",
			"The first guess (the most constrained municipalities first, each into the cheapest wave with room) also scored %.1f: it could not be improved."), r.Greedy))
	default:
		out = append(out, fmt.Sprintf(l("Første bud (de mest bundne kommuner først, hver i den billigste bølge med plads) scorede %.1f; flytninger og byt gjorde det %.1f bedre (%.0f%%).",
			"The first guess (the most constrained municipalities first, each into the cheapest wave with room) scored %.1f; moves and swaps made it %.1f better (%.0f%%)."),
			r.Greedy, gain, 100*gain/r.Greedy))
	}
	return out
}

// ExplainText is Explain as one text.
func (p *Problem) ExplainText(r *Result, english bool) string {
	return strings.Join(p.Explain(r, english), "\n") + "\n"
}
