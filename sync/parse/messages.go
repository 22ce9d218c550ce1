package parse

import (
	"fmt"

	"github.com/udrul/udrul/model"
)

// Issue codes, stable across versions: reports, alerts and scripts use them.
const (
	CodeBadDate            = "bad_date"
	CodeStartAfterEnd      = "start_after_end"
	CodeMissingResponsible = "missing_responsible"
	CodeMissingPerformer   = "missing_performer"
	CodeMissingDate        = "missing_date"
	CodeUnknownStatus      = "unknown_status"
	CodeNoTitle            = "no_title"
	CodeDuplicateID        = "duplicate_id"
	CodeMissingColumn      = "missing_column"
)

// severities gives each code its severity: an error makes a value unusable
// or the plan ambiguous; a warning is worth fixing.
var severities = map[string]model.Severity{
	CodeBadDate:            model.SevError,
	CodeStartAfterEnd:      model.SevError,
	CodeNoTitle:            model.SevError,
	CodeDuplicateID:        model.SevError,
	CodeMissingResponsible: model.SevWarning,
	CodeMissingPerformer:   model.SevWarning,
	CodeMissingDate:        model.SevWarning,
	CodeUnknownStatus:      model.SevWarning,
	CodeMissingColumn:      model.SevWarning,
}

// Lang is the language of messages for people.
type Lang string

// The languages udrul speaks.
const (
	Danish  Lang = "da"
	English Lang = "en"
)

// ParseLang accepts "da" and "en".
func ParseLang(s string) (Lang, error) {
	switch Lang(s) {
	case Danish, English:
		return Lang(s), nil
	}
	return "", fmt.Errorf("unknown language %q (want da or en)", s)
}

var catalog = map[string][2]string{ // code → {da, en}; %s arguments in order
	CodeBadDate:            {"%s %q kan ikke læses som en dato (skriv fx 01-06-2026)", "%s %q is not a readable date (write e.g. 01-06-2026)"},
	CodeStartAfterEnd:      {"startdato %s ligger efter slutdato %s", "start date %s is after end date %s"},
	CodeMissingResponsible: {"opgaven %q har ingen ansvarlig", "task %q has no responsible party"},
	CodeMissingPerformer:   {"opgaven %q har ingen udfører", "task %q has no performer"},
	CodeMissingDate:        {"opgaven %q mangler %s", "task %q has no %s"},
	CodeUnknownStatus:      {"status %q er ukendt (brug Ikke startet, I gang, Færdig eller Annulleret)", "status %q is not known (use Not started, In progress, Done or Cancelled)"},
	CodeNoTitle:            {"rækken har %s men ingen opgavetekst", "the row has %s but no task title"},
	CodeDuplicateID:        {"ID %q er brugt før, i %s", "ID %q is used before, in %s"},
	CodeMissingColumn:      {"tabellen har ingen kolonne for %s", "the table has no column for %s"},
}

var words = map[string][2]string{
	"start":       {"startdato", "start date"},
	"end":         {"slutdato", "end date"},
	"Start":       {"Startdato", "Start date"},
	"End":         {"Slutdato", "End date"},
	"dates":       {"datoer", "dates"},
	"values":      {"indhold", "values"},
	"responsible": {"ansvarlig", "responsible party"},
	"performer":   {"udfører", "performer"},
}

func (l Lang) idx() int {
	if l == English {
		return 1
	}
	return 0
}

func (l Lang) word(w string) string { return words[w][l.idx()] }

func (l Lang) issue(pos model.Pos, code string, args ...any) model.Issue {
	return model.Issue{
		Pos:      pos,
		Severity: severities[code],
		Code:     code,
		Message:  fmt.Sprintf(catalog[code][l.idx()], args...),
	}
}
