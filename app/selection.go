package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Municipality is the municipality a command's --municipality names, as
// plans are stored under it: any spelling of one of the 98 ("Århus",
// "københavns kommune") or a configured alias. A name that is none of
// them is an error, never an empty answer that reads as "nothing there".
func (e *Env) Municipality(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	m, err := e.Cfg.MunicipalityMatcher().Canonical(s)
	if err != nil {
		return "", fmt.Errorf("%s", e.L(
			fmt.Sprintf("--municipality %q er ikke en af de 98 kommuner eller et navn i municipalities.aliases: ret stavemåden (se 'udrul plans')", s),
			fmt.Sprintf("--municipality %q is not one of the 98 municipalities nor a name in municipalities.aliases: correct the spelling (see 'udrul plans')", s)))
	}
	return m, nil
}

// Solution is the solution a command's --solution names, spelled as its
// plans are (any case): a solution of some plan, or one of the configured
// solutions (which may have no plan yet). Another is an error, never an
// empty answer.
func (e *Env) Solution(ctx context.Context, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	plans, err := e.DB.ListPlans(ctx)
	if err != nil {
		return "", err
	}
	for _, p := range plans {
		if strings.EqualFold(p.Solution, s) {
			return p.Solution, nil
		}
	}
	known := e.Cfg.KnownSolutions() // as config check knows them: solutions (or the built-in ones), waves, sources, templates
	if i := slices.IndexFunc(known, func(c string) bool { return strings.EqualFold(c, s) }); i >= 0 {
		return known[i], nil
	}
	return "", fmt.Errorf("%s", e.L(
		fmt.Sprintf("--solution %q: ingen plan har den løsning, og konfigurationen kender den ikke (solutions, waves, kilderne): ret stavemåden (se 'udrul plans')", s),
		fmt.Sprintf("--solution %q: no plan has that solution and the configuration does not know it (solutions, waves, sources): correct the spelling (see 'udrul plans')", s)))
}

// Wave is the wave a command's --wave names: a wave of some plan, or one
// in the configuration's waves. Another is an error, never an empty answer.
func (e *Env) Wave(ctx context.Context, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	plans, err := e.DB.ListPlans(ctx)
	if err != nil {
		return "", err
	}
	for _, p := range plans {
		if p.Wave == s {
			return s, nil
		}
	}
	for _, sw := range e.Cfg.Waves {
		if _, ok := sw.Waves[s]; ok {
			return s, nil
		}
	}
	return "", fmt.Errorf("%s", e.L(
		fmt.Sprintf("--wave %q: ingen plan er i den bølge, og den er ikke i waves: ret den (se 'udrul plans')", s),
		fmt.Sprintf("--wave %q: no plan is in that wave and it is not in waves: correct it (see 'udrul plans')", s)))
}
