package placement

import (
	"math"
	"strings"
	"testing"
)

// TestProblem_Explain: the score is explained term by term, the terms add
// up to it, and the gain over the first guess is said.
func TestProblem_Explain(t *testing.T) {
	p := &Problem{Waves: waves(3, 2), Municipalities: []Municipality{
		{Name: "A", Preferred: 1, Size: 10}, {Name: "B", Preferred: 1, Size: 20}, {Name: "C", Preferred: 1, Size: 30},
		{Name: "D", Preferred: 3}, {Name: "E"}, {Name: "F", Preferred: 2},
	}, Criteria: []Criterion{{Name: "Sager", Weight: 5}}}
	for i := range p.Municipalities {
		p.Municipalities[i].Values = map[string]float64{"Sager": p.Municipalities[i].Size}
	}
	r, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, part := range p.Breakdown(r) {
		sum += part.Score
	}
	if math.Abs(sum-r.Score) > 1e-6 {
		t.Errorf("the terms add up to %v, the score is %v", sum, r.Score)
	}
	for _, tt := range []struct {
		name    string
		english bool
		want    []string
	}{
		{"danish", false, []string{"lavere er bedre", "ønsker:", "af 5 ønsker er opfyldt", "Sager (vægt 5; høje værdier skal sent)", "Første bud"}},
		{"english", true, []string{"lower is better", "preferences:", "of 5 wishes met", "Sager (weight 5; high values go late)", "The first guess"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := p.ExplainText(r, tt.english)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("explanation lacks %q:\n%s", w, text)
				}
			}
		})
	}
}
