package main

import (
	"fmt"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/parse"
)

// How `udrul check` says where a plan's municipality and solution were
// recognised.

var foundWords = map[parse.Lang]map[string]string{
	parse.Danish: {"municipality": "Kommune", "solution": "Løsning", model.FromLine: "linjen i %s", model.FromTitle: "titlen i %s",
		model.FromFile: "filnavnet", "as": "skrevet %q", "none": "ikke fundet (skriv \"Kommune: …\" og \"Løsning: …\" over tabellen)"},
	parse.English: {"municipality": "Municipality", "solution": "Solution", model.FromLine: "the line in %s", model.FromTitle: "the title in %s",
		model.FromFile: "the file name", "as": "written %q", "none": "not found (write \"Kommune: …\" and \"Løsning: …\" above the table)"},
}

// writeFound writes, under a file's line, what the plan was recognised as
// and where: "  Kommune: Hjørring (filnavnet, skrevet "Hjoerring")".
func writeFound(b *strings.Builder, md model.Metadata, lang parse.Lang) {
	words := foundWords[lang]
	for _, part := range []struct {
		key, value string
		from       model.Origin
	}{{"municipality", md.Municipality, md.MunicipalityFrom}, {"solution", md.Solution, md.SolutionFrom}} {
		if part.value == "" {
			fmt.Fprintf(b, "  %s: %s\n", words[part.key], words["none"])
			continue
		}
		where := words[part.from.Kind]
		if strings.Contains(where, "%s") {
			where = fmt.Sprintf(where, part.from.Pos.Sheet+"!"+part.from.Pos.Cell)
		}
		fmt.Fprintf(b, "  %s: %s (%s, %s)\n", words[part.key], part.value, where, fmt.Sprintf(words["as"], part.from.Text))
	}
}
