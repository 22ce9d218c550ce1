package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
// that is none of them, nor any read plan's, is warned of by config check
// (ContactWarnings): a misspelt one would match no plan, and its recipients
// would hear nothing.
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

// validateAlertSolutions refuses an alerts.contacts key with nothing after
// its / ("Aarhus/"): it certainly names no plan. A solution in alerts that
// the configuration does not know is not refused here (a plan may have a
// solution no list names: its own "Løsning:" line, a file name's
// {solution}); config check warns of it (ContactWarnings).
func (c *Config) validateAlertSolutions(add adder) {
	for _, key := range sortedKeys(c.Alerts.Contacts) {
		if mun, sol, ok := strings.Cut(key, "/"); ok && strings.TrimSpace(sol) == "" {
			add("alerts.contacts."+key, "nævner ingen løsning efter /, så ingen plan passer: skriv %[1]s/KY for planen, eller %[1]s for alle kommunens planer",
				"names no solution after the /, so no plan would match: write %[1]s/KY for the plan, or %[1]s for all of the municipality's plans", strings.TrimSpace(mun))
		}
	}
}

// ContactWarnings says what in alerts will likely reach no one, given the
// plans read so far (plans, from the database; none before a first sync):
//   - a solution in alerts (a contact's "Aarhus/KY", a coordinator's or
//     webhook's solutions) that neither the configuration knows
//     (KnownSolutions) nor any of the plans has, with the one most likely
//     meant; a plan's own solution ("Løsning: MitID") is not warned of
//     once such a plan has been read;
//   - once plans have been read, an alerts.contacts key (of a known
//     solution, or a municipality alone) that no plan is: its addresses
//     hear nothing until such a plan is read.
//
// Each names the key as the file writes it, with its line.
func (c *Config) ContactWarnings(plans []Identity) []*FieldError { return c.contactWarnings(plans, "") }

// ContactWarningsUnread is ContactWarnings when the database's plans could
// not be read (why, in plain words in the configuration's language): a
// solution the configuration does not know is warned of as with no plans,
// saying that the plans could not be read, never that there are none.
func (c *Config) ContactWarningsUnread(why string) []*FieldError { return c.contactWarnings(nil, why) }

func (c *Config) contactWarnings(plans []Identity, unread string) []*FieldError {
	var out []*FieldError
	add := c.fieldAdder(&out)
	known := c.KnownSolutions()
	candidates := append(append([]string(nil), known...), solutionsOf(plans)...)
	has := func(list []string, s string) bool {
		return slices.ContainsFunc(list, func(k string) bool { return strings.EqualFold(k, s) })
	}
	planHas := func(s string) bool {
		return slices.ContainsFunc(plans, func(p Identity) bool { return strings.EqualFold(p.Solution, s) })
	}
	en := c.ProblemsEnglish()
	// unknown warns of sol under key when no one knows it, and says
	// whether it did.
	unknown := func(key, sol string) bool {
		sol = strings.TrimSpace(sol)
		if sol == "" || has(known, sol) || planHas(sol) {
			return false
		}
		hint := "."
		if s := suggest.Closest(sol, candidates); s != "" {
			hint = tr(en, "; mente du %s?", "; did you mean %s?", s)
		}
		fix := tr(en, "skriv den under solutions sammen med de af de indbyggede, I bruger, så forsvinder advarslen", "list it under solutions with those of the built-in ones you use, and this warning goes")
		if len(c.Solutions) > 0 {
			fix = tr(en, "tilføj den under solutions, så forsvinder advarslen", "add it under solutions, and this warning goes")
		}
		switch {
		case unread != "":
			add(key, "løsningen %q kender konfigurationen ikke (den kender %s), og planerne i databasen kunne ikke læses (%s), så den er ikke holdt op imod dem: har ingen plan den løsning, sendes der intet herfra%s Ret stavningen, eller, har planerne virkelig den løsning, %s",
				"the configuration does not know the solution %q (it knows %s), and the plans in the database could not be read (%s), so it was not checked against them: if no plan has that solution, nothing is sent from here%s Correct the spelling, or, if plans really have that solution, %s",
				sol, strings.Join(known, ", "), unread, hint, fix)
		case len(plans) == 0:
			add(key, "løsningen %q kender konfigurationen ikke (den kender %s), og databasen har endnu ingen planer at holde den op imod: har ingen plan den løsning, sendes der intet herfra%s Ret stavningen, eller, har planerne virkelig den løsning, %s",
				"the configuration does not know the solution %q (it knows %s), and the database holds no plans yet to check it against: if no plan has that solution, nothing is sent from here%s Correct the spelling, or, if plans really have that solution, %s",
				sol, strings.Join(known, ", "), hint, fix)
		default:
			add(key, "løsningen %q kender konfigurationen ikke (den kender %s), og ingen plan i databasen har den (den har %d, med løsningerne %s), så der sendes intet herfra, før sådan en plan er læst%s Ret stavningen, eller, har planerne virkelig den løsning, %s",
				"the configuration does not know the solution %q (it knows %s), and no plan in the database has it (it holds %d, of the solutions %s): nothing is sent from here until such a plan is read%s Correct the spelling, or, if plans really have that solution, %s",
				sol, strings.Join(known, ", "), len(plans), strings.Join(solutionsOf(plans), ", "), hint, fix)
		}
		return true
	}
	contacts := c.writtenContacts()
	for _, written := range sortedKeys(contacts) {
		key, name := "alerts.contacts."+written, contacts[written]
		mun, sol, hasSol := strings.Cut(name, "/")
		if hasSol && unknown(key, sol) || len(plans) == 0 {
			continue
		}
		if slices.ContainsFunc(plans, func(p Identity) bool {
			return strings.EqualFold(name, p.Municipality+"/"+p.Solution) || strings.EqualFold(name, p.Municipality)
		}) {
			continue
		}
		if hasSol {
			add(key, "ingen plan i databasen er %s/%s (den har %d, med løsningerne %s), så adresserne får intet, før sådan en plan er læst: tjek kommunen og løsningen",
				"no plan in the database is %s/%s (it holds %d, of the solutions %s): the addresses get nothing until such a plan is read; check the municipality and the solution",
				mun, sol, len(plans), strings.Join(solutionsOf(plans), ", "))
		} else {
			add(key, "ingen plan i databasen er for %s (den har %d), så adresserne får intet, før sådan en plan er læst",
				"no plan in the database is of %s (it holds %d): the addresses get nothing until such a plan is read", name, len(plans))
		}
	}
	for i, co := range c.Alerts.Coordinators {
		for j, s := range co.Solutions {
			unknown(fmt.Sprintf("alerts.coordinators[%d].solutions[%d]", i, j), s)
		}
	}
	for i, w := range c.Alerts.Webhooks {
		for j, s := range w.Solutions {
			unknown(fmt.Sprintf("alerts.webhooks[%d].solutions[%d]", i, j), s)
		}
	}
	byLine(out)
	return out
}

// writtenContacts maps the alerts.contacts keys as the file writes them
// to the names plans have ("Århus/KY" → "Aarhus/KY"), as Validate found
// them; for a Config it has not seen, each key to itself.
func (c *Config) writtenContacts() map[string]string {
	if c.contactKeys != nil {
		return c.contactKeys
	}
	m := map[string]string{}
	for k := range c.Alerts.Contacts {
		m[k] = k
	}
	return m
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
