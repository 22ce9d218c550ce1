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
	CodeNumberTitle        = "number_title"
	CodeUnknownHealth      = "unknown_health"
	CodeYearAssumed        = "year_assumed"
	CodeGanttGap           = "gantt_gap"
	CodeGanttNoMarks       = "gantt_no_marks"
	CodeBadDependency      = "bad_dependency"
	CodeUnknownDependency  = "unknown_dependency"
	CodeSelfDependency     = "self_dependency"
	CodeNameMismatch       = "municipality_mismatch"
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
	CodeNumberTitle:        model.SevError,
	CodeUnknownHealth:      model.SevWarning,
	CodeYearAssumed:        model.SevWarning,
	CodeNameMismatch:       model.SevError,
	CodeGanttGap:           model.SevWarning,
	CodeGanttNoMarks:       model.SevWarning,
	CodeBadDependency:      model.SevError,
	CodeUnknownDependency:  model.SevError,
	CodeSelfDependency:     model.SevError,
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
	CodeBadDate:            {"%s %q kan ikke læses som en dato (skriv fx 01-06-2026, uge 34 2026, ultimo oktober 2026 eller Q3 2026)", "%s %q is not a readable date (write e.g. 01-06-2026, uge 34 2026, ultimo oktober 2026 or Q3 2026)"},
	CodeStartAfterEnd:      {"startdato %s ligger efter slutdato %s", "start date %s is after end date %s"},
	CodeMissingResponsible: {"opgaven %q har ingen ansvarlig", "task %q has no responsible party"},
	CodeMissingPerformer:   {"opgaven %q har ingen udfører", "task %q has no performer"},
	CodeMissingDate:        {"opgaven %q mangler %s", "task %q has no %s"},
	CodeUnknownStatus:      {"status %q er ukendt (brug Ikke startet, I gang, Færdig eller Annulleret)", "status %q is not known (use Not started, In progress, Done or Cancelled)"},
	CodeNoTitle:            {"rækken har %s men ingen opgavetekst", "the row has %s but no task title"},
	CodeDuplicateID:        {"ID %q er brugt før, i %s", "ID %q is used before, in %s"},
	CodeMissingColumn:      {"tabellen har ingen kolonne for %s", "the table has no column for %s"},
	CodeNumberTitle:        {"rækken har tallet %q som opgavetekst; det er ikke en opgave og er ikke læst (skriv opgavens navn)", "the row has the number %q as its task title; it is not a task and was not read (write the task's name)"},
	CodeUnknownHealth:      {"trafiklyset %q er ukendt (brug Grøn, Gul eller Rød)", "traffic light %q is not known (use Green, Amber or Red)"},
	CodeNameMismatch: {"planen siger %s, men filnavnet %q nævner %s: er det en kopi af en anden kommunes plan? Ret kommunelinjen eller filnavnet",
		"the plan says %s, but the file name %q names %s: is it a copy of another municipality's plan? Correct the municipality line or the file name"},
	CodeYearAssumed:       {"%q har intet år; læst som år %d (%s) — skriv året for at være sikker", "%q has no year; read as %d (%s) — write the year to be sure"},
	CodeGanttGap:          {"opgaven %q har et hul i tidslinjen (%s); læst som én periode fra første til sidste markering", "task %q has a gap in its timeline (%s); read as one span from the first to the last mark"},
	CodeGanttNoMarks:      {"opgaven %q har ingen markering i tidslinjen", "task %q has no marked period in the timeline"},
	CodeBadDependency:     {"%q i kolonnen for forudgående opgaver kan ikke læses som %s; den er ikke brugt (skriv fx 3; 5 eller 12FS+2d)", "%q in the predecessors column is not readable as %s; it is not used (write e.g. 3; 5 or 12FS+2d)"},
	CodeUnknownDependency: {"opgaven %q afhænger af %s, men planen har ingen opgave med det; prognosen ser bort fra den", "task %q depends on %s, but the plan has no such task; the forecast ignores it"},
	CodeSelfDependency:    {"opgaven %q afhænger af sig selv (%s); det er ikke brugt", "task %q depends on itself (%s); it is not used"},
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
	"golive":      {"året for bølgens idriftsættelse", "the year of the wave's go-live"},
	"thisyear":    {"indeværende år; planen har ingen datoer med år", "the current year; the plan has no dates with a year"},
	"nearest":     {"det år der ligger nærmest planens øvrige datoer; ingen af dem passer ind mellem dem", "the year nearest the plan's other dates; none fits between them"},
	"ambiguous":   {"planens datoer spænder over flere år, så året kan ikke afgøres sikkert", "the plan's dates span several years, so the year cannot be told for sure"},
	"refID":       {"opgave-ID'er (tabellen har en ID-kolonne)", "task IDs (the table has an ID column)"},
	"refRow":      {"rækkenumre (tabellen har ingen ID-kolonne)", "row numbers (the table has no ID column)"},
	"idRef":       {"ID %s", "ID %s"},
	"rowRef":      {"række %d", "row %d"},
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
