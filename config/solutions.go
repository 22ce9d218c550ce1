package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/udrul/udrul/internal/suggest"
	"github.com/udrul/udrul/sync/parse"
)

// KnownSolutions are the solutions the configuration knows, in the
// spelling it gives them: those under solutions (or, when that key is not
// set, the built-in codes KY, KSD, SAPA, …), the wave table's (waves), the
// sources' fixed solution, those of placement (capacity, dependencies) and
// of the standard plans in the templates folder. A solution named in
// alerts (a contact's "Aarhus/KY", a coordinator's or webhook's solutions)
// must be one of them: a misspelt one would match no plan, and its
// recipients would hear nothing.
func (c *Config) KnownSolutions() []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" || s == "*" || seen[strings.ToLower(s)] {
			return
		}
		seen[strings.ToLower(s)] = true
		out = append(out, s)
	}
	solutions := c.Solutions
	if len(solutions) == 0 {
		solutions = parse.DefaultSolutions
	}
	for _, s := range solutions {
		add(s)
	}
	for _, s := range sortedKeys(c.Waves) {
		add(s)
	}
	for _, s := range c.Sources {
		add(s.Solution)
	}
	for _, s := range sortedKeys(c.Placement.Capacity) {
		add(s)
	}
	for _, d := range c.Placement.Dependencies {
		add(d.Solution)
		add(d.After)
	}
	for _, s := range c.templateSolutions() {
		add(s)
	}
	return out
}

// templateSolutions are the solutions the standard plans in the templates
// folder name; a plan that cannot be read is reported where the templates
// are loaded, not here.
func (c *Config) templateSolutions() []string {
	dir := c.TemplatesDir()
	if dir == "" {
		return nil
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	sort.Strings(names)
	var out []string
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			continue
		}
		var p struct {
			Solutions []string `yaml:"solutions"`
		}
		if yaml.Unmarshal(data, &p) == nil {
			out = append(out, p.Solutions...)
		}
	}
	return out
}

// validateAlertSolutions refuses a solution in alerts that the
// configuration does not know (KnownSolutions), with the one it most
// likely meant.
func (c *Config) validateAlertSolutions(add adder) {
	known := c.KnownSolutions()
	isKnown := func(s string) bool {
		for _, k := range known {
			if strings.EqualFold(k, s) {
				return true
			}
		}
		return false
	}
	en := c.ProblemsEnglish()
	check := func(key, sol string) {
		sol = strings.TrimSpace(sol)
		if sol == "" || isKnown(sol) {
			return
		}
		hint := "."
		if s := suggest.Closest(sol, known); s != "" {
			hint = tr(en, "; mente du %s?", "; did you mean %s?", s)
		}
		fix := tr(en, "skriv den under solutions sammen med de af de indbyggede, I bruger", "list it under solutions with those of the built-in ones you use")
		if len(c.Solutions) > 0 {
			fix = tr(en, "tilføj den under solutions", "add it under solutions")
		}
		add(key, "løsningen %q kender konfigurationen ikke (den kender %s), så ingen plan passer, og der sendes intet herfra%s Ret stavningen, eller, har planerne virkelig den løsning, %s",
			"the configuration does not know the solution %q (it knows %s): no plan would match, and nothing would be sent from here%s Correct the spelling, or, if plans really have that solution, %s",
			sol, strings.Join(known, ", "), hint, fix)
	}
	for _, key := range sortedKeys(c.Alerts.Contacts) {
		mun, sol, ok := strings.Cut(key, "/")
		switch {
		case ok && strings.TrimSpace(sol) == "":
			add("alerts.contacts."+key, "nævner ingen løsning efter /, så ingen plan passer: skriv %[1]s/KY for planen, eller %[1]s for alle kommunens planer",
				"names no solution after the /, so no plan would match: write %[1]s/KY for the plan, or %[1]s for all of the municipality's plans", strings.TrimSpace(mun))
		case ok:
			check("alerts.contacts."+key, sol)
		}
	}
	for i, co := range c.Alerts.Coordinators {
		for j, s := range co.Solutions {
			check(fmt.Sprintf("alerts.coordinators[%d].solutions[%d]", i, j), s)
		}
	}
	for i, w := range c.Alerts.Webhooks {
		for j, s := range w.Solutions {
			check(fmt.Sprintf("alerts.webhooks[%d].solutions[%d]", i, j), s)
		}
	}
}

// ContactWarnings says which alerts.contacts keys name no plan of those
// read so far (plans, from the database; none: nothing is said): their
// addresses hear nothing until such a plan is read.
func (c *Config) ContactWarnings(plans []Identity) []*FieldError {
	var out []*FieldError
	if len(plans) == 0 {
		return nil
	}
	add := c.fieldAdder(&out)
	for _, key := range sortedKeys(c.Alerts.Contacts) {
		found := false
		for _, p := range plans {
			if strings.EqualFold(key, p.Municipality+"/"+p.Solution) || strings.EqualFold(key, p.Municipality) {
				found = true
				break
			}
		}
		if found {
			continue
		}
		if mun, sol, ok := strings.Cut(key, "/"); ok {
			add("alerts.contacts."+key, "ingen plan i databasen er %s/%s (den har %d, med løsningerne %s), så adresserne får intet, før sådan en plan er læst: tjek kommunen og løsningen",
				"no plan in the database is %s/%s (it holds %d, of the solutions %s): the addresses get nothing until such a plan is read; check the municipality and the solution",
				mun, sol, len(plans), strings.Join(solutionsOf(plans), ", "))
		} else {
			add("alerts.contacts."+key, "ingen plan i databasen er for %s (den har %d), så adresserne får intet, før sådan en plan er læst",
				"no plan in the database is of %s (it holds %d): the addresses get nothing until such a plan is read", key, len(plans))
		}
	}
	byLine(out)
	return out
}

// solutionsOf lists the plans' solutions, each once, sorted.
func solutionsOf(plans []Identity) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range plans {
		if !seen[p.Solution] {
			seen[p.Solution] = true
			out = append(out, p.Solution)
		}
	}
	sort.Strings(out)
	return out
}
