// Package placement proposes which municipalities go live in which wave of a
// solution: every hard constraint satisfied (earliest and latest wave, the
// end of the current contract, each wave's capacity, dependencies on other
// solutions), and the best score on the weighted criteria and preferences,
// found by a deterministic search. When no assignment exists it says which
// constraints conflict, for which municipalities.
package placement

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/udrul/udrul/model"
)

// Wave is a wave that can be chosen, in order.
type Wave struct {
	Name     string
	GoLive   model.Date
	Capacity int     // municipalities; 0: no limit
	MaxSize  float64 // total size; 0: no limit
}

// Criterion weighs a numeric column: Early puts high values in early waves,
// otherwise in late ones.
type Criterion struct {
	Name   string
	Weight float64
	Early  bool
}

// Municipality is one municipality's facts for the solution.
type Municipality struct {
	Name      string
	Size      float64
	Preferred int // index+1 of the preferred wave; 0: none
	Earliest  int // index+1; 0: none
	Latest    int // index+1; 0: none
	// ContractEnd: the wave must go live on or before it (zero: none).
	ContractEnd model.Date
	// After: the wave must go live after this date (a dependency on
	// another solution's go-live); AfterWhy says which.
	After    model.Date
	AfterWhy string
	Values   map[string]float64 // criterion values
	Remarks  string
	// Pinned, when set (index+1), is a wave the municipality must get (an
	// accepted request in the hearing).
	Pinned int
}

// Problem is a placement problem.
type Problem struct {
	Waves          []Wave
	Municipalities []Municipality
	Criteria       []Criterion
	// PreferenceWeight is the cost of each wave away from the preferred
	// one (default 10).
	PreferenceWeight float64
	// English: reasons and refusals in English; else Danish.
	English bool
}

// Placement is a municipality's proposed wave and why.
type Placement struct {
	Municipality string
	Wave         int      // index into Problem.Waves
	Reasons      []string // in the problem's language
	// Preference is how the preference was met, a code: "no preference",
	// "met" or "not met: +N waves" (the proposal workbook words it).
	Preference string
}

// Result is a proposal.
type Result struct {
	Placements []Placement // in the municipalities' order
	Score      float64     // lower is better
	Greedy     float64     // the score of the greedy start, for comparison
	Load       []Load      // per wave
}

// Load is a wave's load against its capacity.
type Load struct {
	Count int
	Size  float64
}

// Conflict is a set of constraints that cannot all hold.
type Conflict struct {
	Municipalities []string
	Constraints    []string
}

// InfeasibleError says why no assignment exists.
type InfeasibleError struct {
	Conflicts []Conflict
	English   bool
}

func (e *InfeasibleError) Error() string {
	var b strings.Builder
	b.WriteString(tr(e.English, "ingen bølgeplan opfylder alle krav:", "no wave plan satisfies every constraint:"))
	for _, c := range e.Conflicts {
		fmt.Fprintf(&b, "\n  %s: %s", strings.Join(c.Municipalities, ", "), strings.Join(c.Constraints, "; "))
	}
	return b.String()
}

// allowed returns the waves a municipality may take and, for an empty set,
// the constraints that emptied it.
func (p *Problem) allowed(m Municipality) ([]int, []string) {
	var out []int
	for w, wave := range p.Waves {
		if m.Pinned > 0 && w != m.Pinned-1 {
			continue
		}
		if m.Earliest > 0 && w < m.Earliest-1 || m.Latest > 0 && w > m.Latest-1 {
			continue
		}
		if !m.ContractEnd.IsZero() && !wave.GoLive.IsZero() && wave.GoLive.After(m.ContractEnd) {
			continue
		}
		if !m.After.IsZero() && !wave.GoLive.IsZero() && !wave.GoLive.After(m.After) {
			continue
		}
		out = append(out, w)
	}
	if len(out) > 0 {
		return out, nil
	}
	en := p.English
	var why []string
	if m.Pinned > 0 {
		why = append(why, tr(en, "ønsket bølge %s", "requested wave %s", p.Waves[m.Pinned-1].Name))
	}
	if m.Earliest > 0 {
		why = append(why, tr(en, "tidligst bølge %s", "earliest wave %s", p.Waves[m.Earliest-1].Name))
	}
	if m.Latest > 0 {
		why = append(why, tr(en, "senest bølge %s", "latest wave %s", p.Waves[m.Latest-1].Name))
	}
	if !m.ContractEnd.IsZero() {
		why = append(why, tr(en, "kontrakten udløber %s", "contract ends %s", m.ContractEnd))
	}
	if !m.After.IsZero() {
		why = append(why, tr(en, "efter %s (%s)", "after %s (%s)", m.After, m.AfterWhy))
	}
	return nil, why
}

// norm scales criterion values to 0..1 over the municipalities.
func (p *Problem) norm() map[string]map[string]float64 {
	out := map[string]map[string]float64{}
	for _, c := range p.Criteria {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, m := range p.Municipalities {
			if v, ok := m.Values[c.Name]; ok {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		out[c.Name] = map[string]float64{}
		for _, m := range p.Municipalities {
			v, ok := m.Values[c.Name]
			if !ok || hi <= lo {
				continue
			}
			out[c.Name][m.Name] = (v - lo) / (hi - lo)
		}
	}
	return out
}

// cost of placing municipality i in wave w.
func (p *Problem) cost(i, w int, n map[string]map[string]float64) float64 {
	m := p.Municipalities[i]
	pw := p.PreferenceWeight
	if pw == 0 {
		pw = 10
	}
	c := 0.0
	if m.Preferred > 0 {
		c += pw * math.Abs(float64(w-(m.Preferred-1)))
	}
	last := float64(max(len(p.Waves)-1, 1))
	for _, cr := range p.Criteria {
		v := n[cr.Name][m.Name]
		pos := float64(w) / last
		if cr.Early {
			c += cr.Weight * v * pos
		} else {
			c += cr.Weight * v * (1 - pos)
		}
	}
	return c
}

type state struct {
	p     *Problem
	n     map[string]map[string]float64
	wave  []int
	count []int
	size  []float64
	allow [][]int
}

func (s *state) fits(i, w int) bool {
	wv := s.p.Waves[w]
	m := s.p.Municipalities[i]
	return (wv.Capacity == 0 || s.count[w] < wv.Capacity) && (wv.MaxSize == 0 || s.size[w]+m.Size <= wv.MaxSize+1e-9)
}

func (s *state) put(i, w int) {
	s.wave[i] = w
	s.count[w]++
	s.size[w] += s.p.Municipalities[i].Size
}

func (s *state) take(i int) {
	w := s.wave[i]
	s.count[w]--
	s.size[w] -= s.p.Municipalities[i].Size
	s.wave[i] = -1
}

func (s *state) score() float64 {
	t := 0.0
	for i, w := range s.wave {
		t += s.p.cost(i, w, s.n)
	}
	return t
}

// Solve finds the assignment: a greedy start (most constrained first, each
// into its cheapest wave with room), then moves and swaps that lower the
// score until none does. The same input gives the same plan.
func Solve(p *Problem) (*Result, error) {
	if len(p.Waves) == 0 {
		return nil, errors.New(tr(p.English, "der er ingen bølger at placere kommunerne i", "no waves to place municipalities in"))
	}
	s := &state{p: p, n: p.norm(), wave: make([]int, len(p.Municipalities)), count: make([]int, len(p.Waves)), size: make([]float64, len(p.Waves))}
	var conflicts []Conflict
	for i, m := range p.Municipalities {
		a, why := p.allowed(m)
		if len(a) == 0 {
			conflicts = append(conflicts, Conflict{Municipalities: []string{m.Name}, Constraints: why})
		}
		s.allow = append(s.allow, a)
		s.wave[i] = -1
	}
	if len(conflicts) > 0 {
		return nil, &InfeasibleError{English: p.English, Conflicts: conflicts}
	}
	order := make([]int, len(p.Municipalities))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ma, mb := p.Municipalities[order[a]], p.Municipalities[order[b]]
		if len(s.allow[order[a]]) != len(s.allow[order[b]]) {
			return len(s.allow[order[a]]) < len(s.allow[order[b]])
		}
		if ma.Size != mb.Size {
			return ma.Size > mb.Size
		}
		return ma.Name < mb.Name
	})
	var stuck []int
	for _, i := range order {
		best, bestCost := -1, math.Inf(1)
		for _, w := range s.allow[i] {
			if c := p.cost(i, w, s.n); s.fits(i, w) && c < bestCost {
				best, bestCost = w, c
			}
		}
		if best < 0 && !s.repair(i) {
			stuck = append(stuck, i)
			continue
		}
		if best >= 0 {
			s.put(i, best)
		}
	}
	if len(stuck) > 0 {
		return nil, s.capacityConflict(stuck)
	}
	greedy := s.score()
	s.improve()
	res := &Result{Score: s.score(), Greedy: greedy}
	for w := range p.Waves {
		res.Load = append(res.Load, Load{Count: s.count[w], Size: s.size[w]})
	}
	for i, m := range p.Municipalities {
		res.Placements = append(res.Placements, s.explain(i, m))
	}
	return res, nil
}

// repair places i by moving one placed municipality to another wave it may
// take that has room.
func (s *state) repair(i int) bool {
	for _, w := range s.allow[i] {
		for j := range s.wave {
			if s.wave[j] != w {
				continue
			}
			for _, w2 := range s.allow[j] {
				if w2 == w {
					continue
				}
				s.take(j)
				if s.fits(j, w2) && s.fits(i, w) {
					s.put(j, w2)
					s.put(i, w)
					return true
				}
				s.put(j, w)
			}
		}
	}
	return false
}

func (s *state) capacityConflict(stuck []int) error {
	var names []string
	waves := map[int]bool{}
	for _, i := range stuck {
		names = append(names, s.p.Municipalities[i].Name)
		for _, w := range s.allow[i] {
			waves[w] = true
		}
	}
	var cons []string
	ws := make([]int, 0, len(waves))
	for w := range waves {
		ws = append(ws, w)
	}
	sort.Ints(ws)
	for _, w := range ws {
		wv := s.p.Waves[w]
		en := s.p.English
		c := tr(en, "bølge %s er fuld (%d af %d kommuner", "wave %s is full (%d of %d municipalities", wv.Name, s.count[w], wv.Capacity)
		if wv.MaxSize > 0 {
			c += tr(en, ", størrelse %.0f af %.0f", ", size %.0f of %.0f", s.size[w], wv.MaxSize)
		}
		cons = append(cons, c+")")
	}
	return &InfeasibleError{English: s.p.English, Conflicts: []Conflict{{Municipalities: names,
		Constraints: append(cons, tr(s.p.English, "de eneste bølger, de kan komme i", "the only waves they may take"))}}}
}

// improve applies the best improving move or swap until none is left.
func (s *state) improve() {
	for iter := 0; iter < 10000; iter++ {
		bestGain, bi, bj, bw := 1e-9, -1, -1, -1
		for i := range s.wave {
			cur := s.p.cost(i, s.wave[i], s.n)
			for _, w := range s.allow[i] {
				if w == s.wave[i] {
					continue
				}
				old := s.wave[i]
				s.take(i)
				ok := s.fits(i, w)
				s.put(i, old)
				if ok {
					if g := cur - s.p.cost(i, w, s.n); g > bestGain {
						bestGain, bi, bj, bw = g, i, -1, w
					}
				}
			}
			for j := i + 1; j < len(s.wave); j++ {
				wi, wj := s.wave[i], s.wave[j]
				if wi == wj || !contains(s.allow[i], wj) || !contains(s.allow[j], wi) {
					continue
				}
				g := cur + s.p.cost(j, wj, s.n) - s.p.cost(i, wj, s.n) - s.p.cost(j, wi, s.n)
				if g <= bestGain {
					continue
				}
				s.take(i)
				s.take(j)
				ok := s.fits(i, wj)
				if ok {
					s.put(i, wj)
					ok = s.fits(j, wi)
					s.take(i)
				}
				s.put(i, wi)
				s.put(j, wj)
				if ok {
					bestGain, bi, bj, bw = g, i, j, -1
				}
			}
		}
		switch {
		case bi < 0:
			return
		case bj < 0:
			s.take(bi)
			s.put(bi, bw)
		default:
			wi, wj := s.wave[bi], s.wave[bj]
			s.take(bi)
			s.take(bj)
			s.put(bi, wj)
			s.put(bj, wi)
		}
	}
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *state) explain(i int, m Municipality) Placement {
	w := s.wave[i]
	p := s.p
	en := p.English
	pl := Placement{Municipality: m.Name, Wave: w}
	if m.Pinned > 0 {
		pl.Reasons = append(pl.Reasons, tr(en, "ønsket i høringen", "asked for in the hearing"))
	}
	contract := tr(en, "kontrakten udløber %s", "contract ends %s", m.ContractEnd)
	after := tr(en, "efter %s", "after %s", m.AfterWhy)
	if len(s.allow[i]) == 1 {
		var why []string
		if m.Earliest > 0 {
			why = append(why, tr(en, "tidligst bølge %s", "earliest wave %s", p.Waves[m.Earliest-1].Name))
		}
		if m.Latest > 0 {
			why = append(why, tr(en, "senest bølge %s", "latest wave %s", p.Waves[m.Latest-1].Name))
		}
		if !m.ContractEnd.IsZero() {
			why = append(why, contract)
		}
		if !m.After.IsZero() {
			why = append(why, after)
		}
		pl.Reasons = append(pl.Reasons, tr(en, "eneste mulige bølge (%s)", "the only possible wave (%s)", strings.Join(why, ", ")))
	} else {
		if !m.ContractEnd.IsZero() {
			pl.Reasons = append(pl.Reasons, contract)
		}
		if !m.After.IsZero() {
			pl.Reasons = append(pl.Reasons, after)
		}
	}
	for _, cr := range p.Criteria {
		if v, ok := m.Values[cr.Name]; ok && cr.Weight > 0 {
			n := s.n[cr.Name][m.Name]
			level := tr(en, "middel", "medium")
			switch {
			case n >= 0.67:
				level = tr(en, "høj", "high")
			case n <= 0.33:
				level = tr(en, "lav", "low")
			}
			dir := tr(en, "sent", "late")
			if cr.Early {
				dir = tr(en, "tidligt", "early")
			}
			pl.Reasons = append(pl.Reasons, tr(en, "%s %g (%s; høje værdier placeres %s)", "%s %g (%s; high values go %s)", cr.Name, v, level, dir))
		}
	}
	switch {
	case m.Preferred == 0:
		pl.Preference = "no preference"
	case m.Preferred-1 == w:
		pl.Preference = "met"
	default:
		d := w - (m.Preferred - 1)
		pl.Preference = fmt.Sprintf("not met: %+d waves", d)
		if !contains(s.allow[i], m.Preferred-1) {
			pl.Reasons = append(pl.Reasons, tr(en, "den ønskede bølge er ikke mulig", "the wave asked for is not possible"))
		} else if !s.fitsAfterLeaving(i, m.Preferred-1) {
			pl.Reasons = append(pl.Reasons, tr(en, "den ønskede bølge er fuld", "the wave asked for is full"))
		}
	}
	return pl
}

func (s *state) fitsAfterLeaving(i, w int) bool {
	old := s.wave[i]
	s.take(i)
	ok := s.fits(i, w)
	s.put(i, old)
	return ok
}

// tr picks the Danish or English form of a message and fills it.
func tr(english bool, da, en string, args ...any) string {
	f := da
	if english {
		f = en
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// lang is the grid readers' language code.
func lang(english bool) string {
	if english {
		return "en"
	}
	return "da"
}

// waveNames lists the waves' names, for messages.
func waveNames(waves []Wave) string {
	names := make([]string, len(waves))
	for i, w := range waves {
		names[i] = w.Name
	}
	return strings.Join(names, ", ")
}
