package parse

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/udrul/udrul/model"
)

// Municipalities are the 98 Danish municipalities, as they name themselves.
var Municipalities = []string{
	"Albertslund", "Allerød", "Assens", "Ballerup", "Billund", "Bornholm", "Brøndby", "Brønderslev",
	"Dragør", "Egedal", "Esbjerg", "Fanø", "Favrskov", "Faxe", "Fredensborg", "Fredericia",
	"Frederiksberg", "Frederikshavn", "Frederikssund", "Furesø", "Faaborg-Midtfyn", "Gentofte",
	"Gladsaxe", "Glostrup", "Greve", "Gribskov", "Guldborgsund", "Haderslev", "Halsnæs", "Hedensted",
	"Helsingør", "Herlev", "Herning", "Hillerød", "Hjørring", "Holbæk", "Holstebro", "Horsens",
	"Hvidovre", "Høje-Taastrup", "Hørsholm", "Ikast-Brande", "Ishøj", "Jammerbugt", "Kalundborg",
	"Kerteminde", "Kolding", "København", "Køge", "Langeland", "Lejre", "Lemvig", "Lolland",
	"Lyngby-Taarbæk", "Læsø", "Mariagerfjord", "Middelfart", "Morsø", "Norddjurs", "Nordfyns",
	"Nyborg", "Næstved", "Odder", "Odense", "Odsherred", "Randers", "Rebild", "Ringkøbing-Skjern",
	"Ringsted", "Roskilde", "Rudersdal", "Rødovre", "Samsø", "Silkeborg", "Skanderborg", "Skive",
	"Slagelse", "Solrød", "Sorø", "Stevns", "Struer", "Svendborg", "Syddjurs", "Sønderborg",
	"Thisted", "Tønder", "Tårnby", "Vallensbæk", "Varde", "Vejen", "Vejle", "Vesthimmerlands",
	"Viborg", "Vordingborg", "Ærø", "Aabenraa", "Aalborg", "Aarhus",
}

var kommuneSuffix = regexp.MustCompile(`(?i)\s+kommune$`)

func trimKommune(s string) string {
	return strings.TrimSpace(kommuneSuffix.ReplaceAllString(CollapseSpace(s), ""))
}

// fillMetadata completes what the plan's key/value lines did not say from
// its title lines ("Esbjerg Kommune – SAPA implementeringsplan") and then
// from its file name ("KY_Aarhus_plan.xlsx").
func (p *Parser) fillMetadata(plan *model.Plan, titles []string) {
	md := &plan.Metadata
	name := strings.TrimSuffix(filepath.Base(plan.File), filepath.Ext(plan.File))
	for _, text := range append(titles, name) {
		if md.Municipality == "" {
			md.Municipality = findMunicipality(text)
		}
		if md.Solution == "" {
			md.Solution = p.findSolution(text)
		}
	}
}

// findMunicipality returns the longest municipality name found as a whole
// word in text.
func findMunicipality(text string) string {
	lower := strings.ToLower(text)
	best := ""
	for _, m := range Municipalities {
		if len(m) > len(best) && containsWord(lower, strings.ToLower(m)) {
			best = m
		}
	}
	return best
}

func (p *Parser) findSolution(text string) string {
	best := ""
	for _, s := range p.solutions {
		if len(s) > len(best) && containsWord(text, s) {
			best = s
		}
	}
	return best
}

// containsWord reports whether word occurs in text between non-letters.
func containsWord(text, word string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		if !letterBefore(text, start) && !letterAt(text, end) {
			return true
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
