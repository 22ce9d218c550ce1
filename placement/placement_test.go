package placement

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
)

func d(s string) model.Date { v, _ := model.ParseISODate(s); return v }

func waves(n, capacity int) []Wave {
	var out []Wave
	for i := range n {
		out = append(out, Wave{Name: fmt.Sprint(i + 1), GoLive: d("2027-03-01").AddDays(90 * i), Capacity: capacity})
	}
	return out
}

func waveOf(r *Result, name string) int {
	for _, p := range r.Placements {
		if p.Municipality == name {
			return p.Wave + 1
		}
	}
	return 0
}

func TestSolve_capacitiesAndPreferences(t *testing.T) {
	p := &Problem{Waves: waves(3, 2), Municipalities: []Municipality{
		{Name: "A", Preferred: 1, Size: 10}, {Name: "B", Preferred: 1, Size: 20}, {Name: "C", Preferred: 1, Size: 30},
		{Name: "D", Preferred: 3}, {Name: "E"}, {Name: "F", Preferred: 2},
	}, Criteria: []Criterion{{Name: "size", Weight: 5}}}
	for i := range p.Municipalities {
		p.Municipalities[i].Values = map[string]float64{"size": p.Municipalities[i].Size}
	}
	r, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range r.Load {
		if l.Count > 2 {
			t.Errorf("load %+v over capacity", r.Load)
		}
	}
	if waveOf(r, "D") != 3 || waveOf(r, "F") != 2 {
		t.Errorf("D in %d, F in %d: preferences met where room allows", waveOf(r, "D"), waveOf(r, "F"))
	}
	// Only two of A, B, C fit wave 1; the big one goes late (high size goes late).
	if waveOf(r, "C") == 1 {
		t.Errorf("C (largest) placed in wave 1: %+v", r.Placements)
	}
	if r.Score > r.Greedy+1e-9 {
		t.Errorf("search (%v) worse than greedy (%v)", r.Score, r.Greedy)
	}
}

func TestSolve_contractForcesWave(t *testing.T) {
	p := &Problem{Waves: waves(3, 0), Municipalities: []Municipality{
		{Name: "A", Preferred: 3, ContractEnd: d("2027-04-15")}, // only wave 1 goes live before
		{Name: "B", Preferred: 3},
	}}
	r, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if waveOf(r, "A") != 1 || waveOf(r, "B") != 3 {
		t.Errorf("A in %d, B in %d", waveOf(r, "A"), waveOf(r, "B"))
	}
	if !strings.Contains(strings.Join(r.Placements[0].Reasons, ";"), "kontrakten udløber 2027-04-15") || !strings.HasPrefix(r.Placements[0].Preference, "not met") {
		t.Errorf("reasons = %+v", r.Placements[0])
	}
}

func TestSolve_dependencyMoves(t *testing.T) {
	// A goes live on KY in the second wave's month: KSD must come after.
	p := &Problem{Waves: waves(4, 0), Municipalities: []Municipality{
		{Name: "A", Preferred: 1, After: d("2027-05-30"), AfterWhy: "KY go-live 2027-05-30"},
	}}
	r, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if waveOf(r, "A") != 3 {
		t.Errorf("A in wave %d, want 3 (the first after 2027-05-30)", waveOf(r, "A"))
	}
}

// TestSolve_infeasible: why no plan exists, said in the problem's
// language (Danish by default), with no English in the Danish one.
func TestSolve_infeasible(t *testing.T) {
	for _, tt := range []struct {
		english              bool
		constraints, full    string
		notInDanish1, notIn2 string
	}{
		{false, "A: tidligst bølge 3; kontrakten udløber 2027-04-01", "bølge 1 er fuld (1 af 1 kommuner); de eneste bølger, de kan komme i", "earliest", "is full"},
		{true, "A: earliest wave 3; contract ends 2027-04-01", "wave 1 is full (1 of 1 municipalities); the only waves they may take", "", ""},
	} {
		t.Run(lang(tt.english), func(t *testing.T) {
			p := &Problem{English: tt.english, Waves: waves(3, 1), Municipalities: []Municipality{
				{Name: "A", Earliest: 3, ContractEnd: d("2027-04-01")},
				{Name: "B", Latest: 1}, {Name: "C", Latest: 1},
			}}
			_, err := Solve(p)
			var ie *InfeasibleError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.constraints) {
				t.Fatalf("err = %v\nwant …%s…", err, tt.constraints)
			}
			p.Municipalities[0] = Municipality{Name: "A"}
			_, err = Solve(p)
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.full) || !strings.Contains(err.Error(), "C") {
				t.Fatalf("capacity err = %v\nwant …%s…", err, tt.full)
			}
			if !tt.english && (strings.Contains(err.Error(), "no wave plan") || strings.Contains(err.Error(), tt.notIn2)) {
				t.Errorf("English in the Danish refusal: %v", err)
			}
		})
	}
}

// TestExplain_reasonsInEachLanguage: a placement's reasons follow the
// problem's language.
func TestExplain_reasonsInEachLanguage(t *testing.T) {
	for _, tt := range []struct {
		english bool
		want    string
	}{
		{false, "eneste mulige bølge (senest bølge 1, kontrakten udløber 2027-04-01); Sager 9 (høj; høje værdier placeres sent)"},
		{true, "the only possible wave (latest wave 1, contract ends 2027-04-01); Sager 9 (high; high values go late)"},
	} {
		t.Run(lang(tt.english), func(t *testing.T) {
			p := &Problem{English: tt.english, Waves: waves(2, 0), Criteria: []Criterion{{Name: "Sager", Weight: 1}}, Municipalities: []Municipality{
				{Name: "A", Latest: 1, ContractEnd: d("2027-04-01"), Values: map[string]float64{"Sager": 9}},
				{Name: "B", Values: map[string]float64{"Sager": 1}},
			}}
			r, err := Solve(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(r.Placements[0].Reasons, "; "); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestSolve_deterministic(t *testing.T) {
	p := bigProblem(1)
	r1, err1 := Solve(p)
	r2, err2 := Solve(bigProblem(1))
	if err1 != nil || err2 != nil || !reflect.DeepEqual(r1, r2) {
		t.Errorf("two runs differ (%v, %v)", err1, err2)
	}
}

// bigProblem is 98 municipalities, 6 waves, with sizes, preferences, limits,
// contracts and dependencies.
func bigProblem(seed uint64) *Problem {
	rng := rand.New(rand.NewPCG(seed, 7))
	p := &Problem{Waves: waves(6, 20), Criteria: []Criterion{{Name: "cases", Weight: 8}, {Name: "readiness", Weight: 6, Early: true}}}
	for i := range p.Waves {
		p.Waves[i].MaxSize = 3_400_000
	}
	for i := range 98 {
		m := Municipality{Name: fmt.Sprintf("K%02d", i), Size: float64(20_000 + rng.IntN(300_000)), Values: map[string]float64{"readiness": float64(rng.IntN(5))}}
		m.Values["cases"] = m.Size / 100
		if rng.IntN(3) > 0 {
			m.Preferred = 1 + rng.IntN(6)
		}
		if rng.IntN(8) == 0 {
			m.Earliest = 2 + rng.IntN(2)
		}
		if rng.IntN(10) == 0 {
			m.ContractEnd = p.Waves[3+rng.IntN(3)].GoLive.AddDays(5)
		}
		if rng.IntN(4) == 0 {
			m.After, m.AfterWhy = p.Waves[rng.IntN(3)].GoLive, "KY go-live"
		}
		p.Municipalities = append(p.Municipalities, m)
	}
	return p
}

// BenchmarkSolve_98x6x3 plans three solutions for 98 municipalities in 6
// waves, each solution after the previous one's go-live per municipality.
func BenchmarkSolve_98x6x3(b *testing.B) {
	var score, greedy float64
	for b.Loop() {
		score, greedy = 0, 0
		var prev *Result
		var prevWaves []Wave
		for sol := range 3 {
			p := bigProblem(uint64(sol + 1))
			for i := range p.Waves {
				p.Waves[i].GoLive = p.Waves[i].GoLive.AddDays(120 * sol)
			}
			if prev != nil {
				for i := range p.Municipalities {
					m := &p.Municipalities[i]
					m.After, m.AfterWhy, m.ContractEnd, m.Latest = prevWaves[prev.Placements[i].Wave].GoLive, fmt.Sprintf("solution %d's go-live", sol), model.Date{}, 0
				}
			}
			r, err := Solve(p)
			if err != nil {
				b.Fatal(err)
			}
			score, greedy = score+r.Score, greedy+r.Greedy
			prev, prevWaves = r, p.Waves
		}
	}
	b.ReportMetric(score, "score")
	b.ReportMetric(greedy, "greedy-score")
}
