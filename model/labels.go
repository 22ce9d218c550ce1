package model

import (
	"fmt"
	"strings"
)

// The words people read for udrul's canonical codes, Danish and English:
// the one place the reports, the status page, the digests and the commands
// take them from. A code without a word is shown as it is.

var statusLabels = map[Status][2]string{
	NotStarted: {"Ikke startet", "Not started"},
	InProgress: {"I gang", "In progress"},
	Done:       {"Færdig", "Done"},
	Cancelled:  {"Annulleret", "Cancelled"},
	Unknown:    {"Ukendt", "Unknown"},
	OnHold:     {"På hold", "On hold"},
}

var levelLabels = map[string][2]string{
	LevelRed:   {"Rød", "Red"},
	LevelAmber: {"Gul", "Amber"},
	LevelGreen: {"Grøn", "Green"},
	LevelInfo:  {"Info", "Info"},
}

var kindLabels = map[string][2]string{
	"overdue":          {"Forsinket", "Overdue"},
	"not_started":      {"Ikke startet til tiden", "Not started on time"},
	"due_soon":         {"Frist nærmer sig", "Due soon"},
	"slipped":          {"Skredet mod baseline", "Slipped against baseline"},
	"slipped_week":     {"Skredet denne uge", "Slipped this week"},
	"start_after_end":  {"Start efter slut", "Start after end"},
	"missing_dates":    {"Mangler datoer", "Missing dates"},
	"missing_party":    {"Mangler ansvarlig eller udfører", "Missing responsible or performer"},
	"unknown_status":   {"Ukendt status", "Unknown status"},
	"done_in_future":   {"Færdig med fremtidig start", "Done with a future start"},
	"step_order":       {"Trin i forkert rækkefølge", "Steps out of order"},
	"after_go_live":    {"Slutter efter idriftsættelse", "Ends after go-live"},
	"stale_plan":       {"Planen er ikke opdateret", "Stale plan"},
	"not_synced":       {"Ikke læst", "Not synced"},
	"held":             {"Holdt tilbage", "Held"},
	"missing_standard": {"Mangler standardopgave", "Missing standard task"},
	"no_tasks":         {"Planen har ingen opgaver", "The plan holds no tasks"},
	"load":             {"Høj belastning", "High load"},
	"go_live_clash":    {"Idriftsættelser for tæt", "Go-lives too close"},
	"go_live_at_risk":  {"Idriftsættelsen er i fare", "Go-live at risk"},
	"dependency_cycle": {"Afhængigheder i ring", "Dependency cycle"},
	"conflict":         {"Flere filer til samme plan", "Several files for one plan"},
	"health_disagrees": {"Ejeren siger grøn, datoerne rød", "Owner says green, dates say red"},
}

var issueLabels = map[string][2]string{
	"bad_date":              {"Ulæselig dato", "Unreadable date"},
	"municipality_mismatch": {"Kommune og filnavn er uenige", "Municipality and file name disagree"},
	"start_after_end":       {"Start efter slut", "Start after end"},
	"missing_responsible":   {"Mangler ansvarlig", "Missing responsible"},
	"missing_performer":     {"Mangler udfører", "Missing performer"},
	"missing_date":          {"Mangler dato", "Missing date"},
	"unknown_status":        {"Ukendt status", "Unknown status"},
	"no_title":              {"Mangler opgavetekst", "Missing task text"},
	"duplicate_id":          {"ID bruges flere gange", "Duplicate ID"},
	"missing_column":        {"Mangler kolonne", "Missing column"},
	"invalid_text":          {"Ulæselig tekst", "Unreadable text"},
	"beyond_limits":         {"Uden for grænserne", "Beyond the limits"},
	"mixed_encoding":        {"Blandet tegnsæt", "Mixed encoding"},
	"merged_hidden":         {"Skjult værdi i flettet celle", "Value hidden in a merged cell"},
	"merged_rows":           {"Værdi flettet over flere rækker", "Value merged over several rows"},
	"step_status":           {"Status på en trinrække", "Status on a step row"},
	"bad_dependency":        {"Ulæselig afhængighed", "Unreadable dependency"},
	"unknown_dependency":    {"Afhængighed til ukendt opgave", "Dependency on an unknown task"},
	"self_dependency":       {"Opgaven afhænger af sig selv", "Task depends on itself"},
	"duplicate_column":      {"Kolonnen findes to gange", "Column given twice"},
	"unread_column":         {"Ændret dato læses ikke", "Revised date not read"},
	"side_table":            {"Tabel ved siden af læses ikke", "Table beside not read"},
	"example_row":           {"Eksempelrække", "Example row"},
	"copy_sheet":            {"Kopi af planens ark", "Copy of the plan's sheet"},
	"repeated_sheet":        {"Opgaverne står i to ark", "Tasks on two sheets"},
	"status_conflict":       {"Færdig-kolonne og status er uenige", "Done column and status disagree"},
	"struck_task":           {"Overstreget opgave læses som aktiv", "Struck-through task read as live"},
	"dropped_title":         {"Opgaveteksten siger udgået", "Task text says dropped"},
	"dropped_note":          {"Bemærkningen siger udgået", "Remark says dropped"},
	"percent_scale":         {"Status 1: færdig eller 1 %?", "Status 1: done or 1 %?"},
	"far_year":              {"Tocifret år langt fra planen", "Two-digit year far from the plan"},
	"no_value":              {"Formel uden værdi", "Formula without its value"},
}

var stateLabels = map[string][2]string{
	"ok":       {"OK", "OK"},
	"failing":  {"Kan ikke læses", "Failing"},
	"gone":     {"Forsvundet", "Gone"},
	"held":     {"Holdt tilbage", "Held"},
	"new":      {"Ikke læst endnu", "Not read yet"},
	"conflict": {"Konflikt: flere filer", "Conflict: several files"},
	"running":  {"I gang", "Running"},
}

var fieldLabels = map[string][2]string{
	"added": {"tilføjet", "added"}, "removed": {"fjernet", "removed"}, "restored": {"genindsat", "restored"},
	"status": {"status", "status"}, "start": {"startdato", "start date"}, "end": {"slutdato", "end date"},
	"title": {"titel", "title"}, "step": {"trin", "step"}, "responsible": {"ansvarlig", "responsible"},
	"performer": {"udfører", "performer"}, "id": {"ID", "ID"}, "notes": {"bemærkning", "remark"},
	"raw_status": {"statustekst", "status as written"}, "baseline": {"baseline", "baseline"},
	"start_text": {"start som skrevet", "start as written"}, "end_text": {"slut som skrevet", "end as written"},
	"health": {"ejerens vurdering", "owner's assessment"},
	"after":  {"forudgående opgaver", "predecessors"},
}

func label(m map[string][2]string, code string, english bool) string {
	w, ok := m[code]
	if !ok {
		return code
	}
	if english {
		return w[1]
	}
	return w[0]
}

// StatusLabel is a task status as a word: "I gang", "In progress".
func StatusLabel(s Status, english bool) string {
	w, ok := statusLabels[s]
	if !ok {
		return string(s)
	}
	if english {
		return w[1]
	}
	return w[0]
}

// LevelLabel is a red/amber/green/info level as a word: "Gul", "Amber".
func LevelLabel(level string, english bool) string { return label(levelLabels, level, english) }

// KindLabel is a finding's kind as words: "Frist nærmer sig", "Due soon".
func KindLabel(kind string, english bool) string { return label(kindLabels, kind, english) }

// ProblemLabel is a sheet problem's code (or a finding's kind) as words:
// "Ulæselig dato", "Unreadable date".
func ProblemLabel(code string, english bool) string {
	if _, ok := issueLabels[code]; ok {
		return label(issueLabels, code, english)
	}
	return KindLabel(code, english)
}

// StateLabel is a plan's or source's state as a word: "Fejler", "Failing".
func StateLabel(state string, english bool) string { return label(stateLabels, state, english) }

// SourceStateLabel names a source's state as people read it, given its
// last error: a source that failed only because files of it are read by
// another source too (SharedFilesOnly) was read, and is said as such, not
// as one that cannot be read.
func SourceStateLabel(state, lastError string, english bool) string {
	if state == "failing" && SharedFilesOnly(lastError) {
		if english {
			return "A file read by several sources"
		}
		return "En fil læses af flere kilder"
	}
	return StateLabel(state, english)
}

// FieldLabel names a task field in a change: "slutdato", "end date".
func FieldLabel(field string, english bool) string { return label(fieldLabels, field, english) }

// ChangeValueLabel is a changed field's old or new value as people read
// it: a status as its word, a date as the language writes it (01-06-2026 in
// Danish), anything else as it is.
func ChangeValueLabel(field, value string, english bool) string {
	switch field {
	case "status":
		if value != "" {
			return StatusLabel(Status(value), english)
		}
	case "start", "end", "baseline":
		if d, err := ParseISODate(value); err == nil && !d.IsZero() && !english {
			return fmt.Sprintf("%02d-%02d-%d", d.Day, d.Month, d.Year)
		}
	case "after":
		return AfterLabel(SplitAfter(value), english)
	}
	return value
}

// AfterLabel shows a task's dependencies as people read them: "ID 3,
// række 7" ("ID 3, row 7").
func AfterLabel(refs []string, english bool) string {
	parts := make([]string, len(refs))
	for i, r := range refs {
		switch n, ok := ParseRowRef(r); {
		case ok && english:
			parts[i] = fmt.Sprintf("row %d", n)
		case ok:
			parts[i] = fmt.Sprintf("række %d", n)
		default:
			parts[i] = "ID " + r
		}
	}
	return strings.Join(parts, ", ")
}
