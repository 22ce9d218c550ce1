package parse

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/municipality"
)

// Municipalities are the 98 Danish municipalities (municipality.Names).
var Municipalities = municipality.Names

var kommuneSuffix = regexp.MustCompile(`(?i)\s+kommune$`)

func trimKommune(s string) string {
	return strings.TrimSpace(kommuneSuffix.ReplaceAllString(CollapseSpace(s), ""))
}

// fillMetadata names the municipality and solution in the spelling udrul
// uses, and says where each was found: the plan's key/value lines first
// ("Kommune: Hoeje-Taastrup"), then its title lines ("Esbjerg Kommune –
// SAPA implementeringsplan"), then its file name ("kp-Hjoerring.xlsx"). A
// title or name that names two municipalities names none. A key/value line
// naming no known municipality is kept as written: identifying the plan
// refuses it.
func (p *Parser) fillMetadata(plan *model.Plan, lines map[lineKey]model.Pos, titles []titleLine) {
	md := &plan.Metadata
	if md.Municipality != "" {
		written := md.Municipality
		if name, err := municipality.Canonical(written); err == nil {
			md.Municipality = name
		}
		md.MunicipalityFrom = model.Origin{Kind: model.FromLine, Pos: lines[lineKey{true, written}], Text: written}
	}
	if md.Solution != "" {
		written := md.Solution
		md.Solution = p.canonicalSolution(written)
		md.SolutionFrom = model.Origin{Kind: model.FromLine, Pos: lines[lineKey{false, written}], Text: written}
	}
	for _, title := range titles {
		if md.Municipality == "" {
			if m, _, ok := municipality.Find(title.text); ok {
				md.Municipality = m.Name
				md.MunicipalityFrom = model.Origin{Kind: model.FromTitle, Pos: title.pos, Text: m.Text}
			}
		}
		if md.Solution == "" {
			if s, as := p.findSolution(title.text); s != "" {
				md.Solution = s
				md.SolutionFrom = model.Origin{Kind: model.FromTitle, Pos: title.pos, Text: as}
			}
		}
	}
	name := strings.TrimSuffix(filepath.Base(plan.File), filepath.Ext(plan.File))
	if m, _, ok := municipality.Find(name); ok {
		switch {
		case md.Municipality == "":
			md.Municipality = m.Name
			md.MunicipalityFrom = model.Origin{Kind: model.FromFile, Text: m.Text}
		case m.Name != md.Municipality:
			// The sheet and its file name disagree: a copy of another
			// municipality's plan saved under this name, or the other way
			// round. The sheet's own line wins, but never silently.
			plan.Issues = append(plan.Issues, p.lang.issue(md.MunicipalityFrom.Pos, CodeNameMismatch, md.Municipality, filepath.Base(plan.File), m.Name))
		}
	}
	if md.Solution == "" {
		if s, as := p.findSolution(name); s != "" {
			md.Solution = s
			md.SolutionFrom = model.Origin{Kind: model.FromFile, Text: as}
		}
	}
}

// canonicalSolution returns the known solution code s spells in any case,
// or s as written.
func (p *Parser) canonicalSolution(s string) string {
	for _, known := range p.solutions {
		if strings.EqualFold(strings.TrimSpace(s), known) {
			return known
		}
	}
	return strings.TrimSpace(s)
}

// findSolution returns the longest solution code found as a whole word in
// text, in any case ("kp-Hjoerring", "Ksd"), and how it was written.
func (p *Parser) findSolution(text string) (code, as string) {
	lower := strings.ToLower(text)
	for _, s := range p.solutions {
		ls := strings.ToLower(s)
		if len(s) <= len(code) {
			continue
		}
		if i := wordIndex(lower, ls); i >= 0 {
			code, as = s, s
			if len(lower) == len(text) {
				as = text[i : i+len(ls)]
			}
		}
	}
	return code, as
}

// wordIndex returns where word occurs in text between non-letters, or -1.
func wordIndex(text, word string) int {
	for i := 0; ; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return -1
		}
		start, end := i+j, i+j+len(word)
		if !letterBefore(text, start) && !letterAt(text, end) {
			return start
		}
		i = start + 1
	}
}

func letterBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	r := []rune(s[:i])
	return isLetter(r[len(r)-1])
}

func letterAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	return isLetter([]rune(s[i:])[0])
}

func isLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 && r != '\u2013' && r != '\u2014' && r != '\u00a0'
}

// healthKeys are the keys of a plan's own traffic light in its key/value
// lines ("Trafiklys: Grøn", "Samlet vurdering: Gul", "Status: Rød").
var healthKeys = map[string]bool{
	"trafiklys": true, "vurdering": true, "samlet vurdering": true, "rag": true, "rag status": true,
	"sundhed": true, "health": true, "status": true, "samlet status": true, "projektstatus": true,
	"overall status": true, "traffic light": true,
}

// planHealth returns the traffic light a key/value line gives the whole
// plan, if it is one: a health key with a traffic-light word as its value.
func planHealth(key, value string) (string, bool) {
	if !healthKeys[NormalizeKey(key)] {
		return "", false
	}
	h := Health(value)
	return h, h != ""
}
