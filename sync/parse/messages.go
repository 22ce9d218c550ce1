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
	CodeAmbiguousDate      = "ambiguous_date"
	CodeDateOrder          = "date_order"
	CodeDateUncertain      = "date_uncertain"
	CodeDateNumber         = "date_number"
	CodeGanttOrder         = "gantt_order"
	CodeMergedRows         = "merged_rows"
	CodeStepStatus         = "step_status"
	CodeGanttDoubtful      = "gantt_doubtful"
	// CodeNoTasks: a task table was found, but not one task under it.
	CodeNoTasks = "no_tasks"
	// CodeDuplicateColumn: a second column of a role already read ("Status"
	// twice); only the first is read.
	CodeDuplicateColumn = "duplicate_column"
	// CodeUnreadColumn: a revised date column ("Ny slutdato") beside the
	// date column read; it is not read.
	CodeUnreadColumn = "unread_column"
	// CodeSideTable: a second task table beside the one read, in the same
	// header row; its rows are not read.
	CodeSideTable = "side_table"
	// CodeExampleRow: a template's example row ("Eks.", "Eksempel: ..."),
	// not read as a task.
	CodeExampleRow = "example_row"
	// CodeCopySheet: a sheet named as a copy ("Plan (2)") that repeats
	// another's tasks; it is not read.
	CodeCopySheet = "copy_sheet"
	// CodeRepeatedSheet: two sheets with mostly the same tasks, neither
	// named as a copy; both are read.
	CodeRepeatedSheet = "repeated_sheet"
	// CodeStatusConflict: a done column that disagrees with the status
	// column on the same row; read as done.
	CodeStatusConflict = "status_conflict"
	// CodeNoValue: a formula saved without the value it gives (by a
	// program that does not calculate); the field is not known.
	CodeNoValue = "no_value"
	// CodeStruckTask: a task row struck through (crossed out instead of
	// deleted) whose status keeps it live; read as its status says.
	CodeStruckTask = "struck_task"
	// CodeDroppedTitle: a task whose title says it was deleted or
	// cancelled ("UDGÅET: …") whose status keeps it live; read as its
	// status says.
	CodeDroppedTitle = "dropped_title"
	// CodeDroppedNote: a task whose remark says it was deleted or
	// cancelled ("Udgået", "Udgår: dækkes af KY") whose status keeps it
	// live; read as its status says.
	CodeDroppedNote = "dropped_note"
	// CodePercentScale: a status 1 in a column holding both fractions
	// (0.5) and whole percents (50): done or 1 %? Not read.
	CodePercentScale = "percent_scale"
	// CodeFarYear: a date with a two-digit year that lands more than ten
	// years from the plan's other dates ("15-03-89" in a plan of 2026);
	// not read.
	CodeFarYear = "far_year"
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
	CodeAmbiguousDate:      model.SevError,
	CodeDateOrder:          model.SevWarning,
	CodeMergedRows:         model.SevWarning,
	CodeStepStatus:         model.SevWarning,
	CodeDateUncertain:      model.SevWarning,
	CodeDateNumber:         model.SevWarning,
	CodeGanttOrder:         model.SevWarning,
	CodeGanttDoubtful:      model.SevError,
	CodeNoTasks:            model.SevWarning,
	CodeDuplicateColumn:    model.SevWarning,
	CodeUnreadColumn:       model.SevWarning,
	CodeSideTable:          model.SevError,
	CodeExampleRow:         model.SevWarning,
	CodeCopySheet:          model.SevWarning,
	CodeRepeatedSheet:      model.SevError,
	CodeStatusConflict:     model.SevWarning,
	CodeNoValue:            model.SevError,
	CodeStruckTask:         model.SevWarning,
	CodeDroppedTitle:       model.SevWarning,
	CodeDroppedNote:        model.SevWarning,
	CodePercentScale:       model.SevWarning,
	CodeFarYear:            model.SevError,
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
	CodeMergedRows: {"%[1]s ligger i det flettede område %[2]s, som Excel viser som %[3]q over alle dets rækker; den er læst som %[3]q — ophæv fletningen og skriv værdien i hver række",
		"%[1]s lies in the merged range %[2]s, which Excel shows as %[3]q over all its rows; it is read as %[3]q — unmerge the range and write the value in each row"},
	CodeStepStatus: {"trinrækken %[1]q har status %[2]q, men status læses pr. opgave: den er ikke læst for opgaverne nedenfor, der har deres egen status (tom = ikke startet) — skriv status i hver opgaves række",
		"the step row %[1]q has the status %[2]q, but status is read per task: it is not read for the tasks below, which keep their own (empty = not started) — write the status in each task's row"},
	CodeUnknownStatus: {"status %q er ukendt (brug Ikke startet, I gang, Færdig eller Annulleret)", "status %q is not known (use Not started, In progress, Done or Cancelled)"},
	CodeNoTitle:       {"rækken har %s men ingen opgavetekst", "the row has %s but no task title"},
	CodeDuplicateID:   {"ID %q er brugt før, i %s", "ID %q is used before, in %s"},
	CodeMissingColumn: {"tabellen har ingen kolonne for %s", "the table has no column for %s"},
	CodeNumberTitle:   {"rækken har tallet %q som opgavetekst; det er ikke en opgave og er ikke læst (skriv opgavens navn)", "the row has the number %q as its task title; it is not a task and was not read (write the task's name)"},
	CodeUnknownHealth: {"trafiklyset %q er ukendt (brug Grøn, Gul eller Rød)", "traffic light %q is not known (use Green, Amber or Red)"},
	CodeNameMismatch: {"planen siger %s, men filnavnet %q nævner %s: er det en kopi af en anden kommunes plan? Ret kommunelinjen eller filnavnet",
		"the plan says %s, but the file name %q names %s: is it a copy of another municipality's plan? Correct the municipality line or the file name"},
	CodeYearAssumed:       {"%q har intet år; læst som år %d (%s) — skriv året for at være sikker", "%q has no year; read as %d (%s) — write the year to be sure"},
	CodeGanttGap:          {"opgaven %q har et hul i tidslinjen (%s); læst som én periode fra første til sidste markering", "task %q has a gap in its timeline (%s); read as one span from the first to the last mark"},
	CodeGanttNoMarks:      {"opgaven %q har ingen markering i tidslinjen", "task %q has no marked period in the timeline"},
	CodeBadDependency:     {"%q i kolonnen for forudgående opgaver kan ikke læses som %s; den er ikke brugt (skriv fx 3; 5 eller 12FS+2d)", "%q in the predecessors column is not readable as %s; it is not used (write e.g. 3; 5 or 12FS+2d)"},
	CodeUnknownDependency: {"opgaven %q afhænger af %s, men planen har ingen opgave med det; prognosen ser bort fra den", "task %q depends on %s, but the plan has no such task; the forecast ignores it"},
	CodeSelfDependency:    {"opgaven %q afhænger af sig selv (%s); det er ikke brugt", "task %q depends on itself (%s); it is not used"},
	CodeAmbiguousDate:     {"%s %q kan læses på flere måder og er ikke læst: %s", "%s %q can be read more than one way and was not read: %s"},
	CodeDateOrder:         {"%s", "%s"},
	CodeDateUncertain: {"%s %q er læst som %s, men kan også være %s; skriv året med fire cifre for at være sikker (%s)",
		"%s %q was read as %s, but could also be %s; write the year with four digits to be sure (%s)"},
	CodeDateNumber: {"%s er tallet %s, læst som dag.måned: %d. %s. Et tal mister et sidste nul (1.10 bliver 1.1 = 1. januar): skriv datoen som tekst eller som dato (fx 01-10-2026)",
		"%s holds the number %s, read as day.month: %d %s. A number loses a trailing zero (1.10 becomes 1.1 = 1 January): write the date as text or as a date (e.g. 01-10-2026)"},
	CodeGanttOrder:    {"%s", "%s"},
	CodeGanttDoubtful: {"%s", "%s"},
	CodeDuplicateColumn: {"kolonnen %[1]s (%[2]q) er også en kolonne for %[3]s, men læses ikke: %[3]s læses kun fra kolonnen %[4]s (%[5]q) — slet eller omdøb den ene, så planen siger én ting",
		"column %[1]s (%[2]q) is also a %[3]s column, but is not read: the %[3]s is read only from column %[4]s (%[5]q) — delete or rename one of them, so that the plan says one thing"},
	CodeUnreadColumn: {"kolonnen %[1]s (%[2]q) ligner en ændret %[3]s, men læses ikke: %[3]s læses fra kolonnen %[4]s (%[5]q) — skriv den gældende dato dér",
		"column %[1]s (%[2]q) looks like a revised %[3]s, but is not read: the %[3]s is read from column %[4]s (%[5]q) — write the date that holds there"},
	CodeSideTable: {"kolonnerne fra %[1]s (%[2]q) er en opgavetabel mere ved siden af den første; dens opgaver læses ikke — flyt dem under den første tabel eller til et ark for sig",
		"the columns from %[1]s (%[2]q) are another task table beside the first; its tasks are not read — move them below the first table or to a sheet of their own"},
	CodeExampleRow: {"rækken %q er et eksempel og læses ikke som en opgave — slet den, når planen er udfyldt",
		"the row %q is an example and is not read as a task — delete it once the plan is filled in"},
	CodeCopySheet: {"arket %[1]q er navngivet som en kopi og gentager %[3]d af sine %[4]d opgaver fra arket %[2]q; det læses ikke — skjul eller slet kopien, så planen er ét ark",
		"the sheet %[1]q is named as a copy and repeats %[3]d of its %[4]d tasks from the sheet %[2]q; it is not read — hide or delete the copy, so that the plan is one sheet"},
	CodeRepeatedSheet: {"arket %[1]q gentager %[2]d af sine %[3]d opgaver fra arket %[4]q, og navnene siger ikke hvilket der er en kopi: begge er læst, så opgaverne tælles to gange — skjul eller slet det ark, der ikke er planen",
		"the sheet %[1]q repeats %[2]d of its %[3]d tasks from the sheet %[4]q, and their names do not say which is a copy: both are read, so the tasks count twice — hide or delete the sheet that is not the plan"},
	CodeStatusConflict: {"færdig-kolonnen siger %[1]q, men status i %[2]s siger %[3]q: de er uenige; opgaven er læst som færdig — ret den ene, så de siger det samme",
		"the done column says %[1]q, but the status in %[2]s says %[3]q: they disagree; the task is read as done — correct one so that they agree"},
	CodeNoValue: {"cellens formel er gemt uden den værdi, den giver (af et program, der ikke regner formler ud), så opgavens %s kendes ikke — åbn filen i Excel eller LibreOffice, og gem den igen",
		"the cell's formula was saved without the value it gives (by a program that does not calculate formulas), so the task's %s is not known — open the file in Excel or LibreOffice and save it again"},
	CodeStruckTask: {"opgaven %[1]q er overstreget, men læses som en aktiv opgave (status %[2]s), der kan tælle som forsinket — er den udgået, så slet rækken eller skriv status Udgået; er den færdig, så skriv status Færdig",
		"task %[1]q is struck through, but is read as a live task (status %[2]s) that may count as overdue — if it was dropped, delete the row or set its status to Udgået (cancelled); if it is done, set its status to Færdig (done)"},
	CodeDroppedTitle: {"opgavens tekst %[1]q siger %[2]q, men den læses som en aktiv opgave (status %[3]s), der kan tælle som forsinket — slet rækken, eller skriv status Udgået",
		"the task's text %[1]q says %[2]q, but it is read as a live task (status %[3]s) that may count as overdue — delete the row, or set its status to Udgået (cancelled)"},
	CodeDroppedNote: {"opgaven %[1]q har bemærkningen %[2]q, men læses som en aktiv opgave (status %[3]s), der kan tælle som forsinket — slet rækken, eller skriv status Udgået",
		"task %[1]q has the remark %[2]q, but is read as a live task (status %[3]s) that may count as overdue — delete the row, or set its status to Udgået (cancelled)"},
	CodePercentScale: {"status i %[1]s er 1, som kan være færdig (1 = 100 %%) eller 1 %%: kolonnen har både brøker (%[2]s i %[3]s) og hele procenter (%[4]s i %[5]s); status er ikke læst — skriv 1%% eller 100%%",
		"the status in %[1]s is 1, which may be done (1 = 100 %%) or 1 %%: the column holds both fractions (%[2]s in %[3]s) and whole percents (%[4]s in %[5]s); the status is not read — write 1%% or 100%%"},
	CodeFarYear: {"%[1]s %[2]q har et tocifret år og læses som %[3]s, %[4]d år fra planens øvrige datoer (%[5]s–%[6]s); datoen er ikke læst — skriv året med fire cifre",
		"%[1]s %[2]q has a two-digit year and reads as %[3]s, %[4]d years from the plan's other dates (%[5]s–%[6]s); the date is not read — write the year with four digits"},
	CodeNoTasks: {"planen har ingen opgaver: overskriftsrækken er fundet her, men ingen opgaverækker under den — skriv planens opgaver under overskriften",
		"the plan holds no tasks: its header row is here, but not one task row under it — write the plan's tasks under the header"},
}

// roleWords are the words keys naming each role in messages.
var roleWords = [numRoles]string{"", "role_id", "role_title", "responsible", "performer", "start", "end", "role_status", "role_step", "role_notes", "role_done", "role_health", "role_after"}

var words = map[string][2]string{
	"role_id":     {"ID", "ID"},
	"role_title":  {"opgavetekst", "task title"},
	"role_status": {"status", "status"},
	"role_step":   {"trin", "step"},
	"role_notes":  {"bemærkninger", "remarks"},
	"role_done":   {"færdig-markering", "done mark"},
	"role_health": {"trafiklys", "traffic light"},
	"role_after":  {"forudgående opgaver", "predecessors"},
	"timeline":    {"tidslinje", "timeline"},

	"start":         {"startdato", "start date"},
	"end":           {"slutdato", "end date"},
	"Start":         {"Startdato", "Start date"},
	"End":           {"Slutdato", "End date"},
	"dates":         {"datoer", "dates"},
	"status_empty":  {"tom = ikke startet", "empty = not started"},
	"values":        {"indhold", "values"},
	"responsible":   {"ansvarlig", "responsible party"},
	"performer":     {"udfører", "performer"},
	"golive":        {"året for bølgens idriftsættelse", "the year of the wave's go-live"},
	"thisyear":      {"indeværende år; planen har ingen datoer med år", "the current year; the plan has no dates with a year"},
	"nearest":       {"det år der ligger nærmest planens øvrige datoer; ingen af dem passer ind mellem dem", "the year nearest the plan's other dates; none fits between them"},
	"sibling_start": {"året der lægger den efter opgavens startdato %s i samme række", "the year that puts it after the task's start date %s in the same row"},
	"sibling_end":   {"året der lægger den før opgavens slutdato %s i samme række", "the year that puts it before the task's end date %s in the same row"},
	"ambiguous":     {"planens datoer spænder over flere år, så året kan ikke afgøres sikkert", "the plan's dates span several years, so the year cannot be told for sure"},
	"refID":         {"opgave-ID'er (tabellen har en ID-kolonne)", "task IDs (the table has an ID column)"},
	"refRow":        {"rækkenumre (tabellen har ingen ID-kolonne)", "row numbers (the table has no ID column)"},
	"idRef":         {"ID %s", "ID %s"},
	"rowRef":        {"række %d", "row %d"},

	"amb_weekrange": {"uge %[1]d til uge %[2]d året efter, eller uge %[1]d i %[3]d? Skriv uge %[1]d %[3]d for én uge; et interval over nytår skrives med startåret (uge %[1]d-%[2]d %[3]d)",
		"week %[1]d to week %[2]d of the next year, or week %[1]d of %[3]d? Write uge %[1]d %[3]d for one week; a range over a new year is written with its first year (uge %[1]d-%[2]d %[3]d)"},
	"amb_weekday": {"uge %[1]d i %[2]d, eller en dag og en måned? Skriv uge %[1]d/%02[3]d eller %[1]d/%[2]d for en uge, 15/8 for en dag",
		"week %[1]d of %[2]d, or a day and a month? Write uge %[1]d/%02[3]d or %[1]d/%[2]d for a week, 15/8 for a day"},
	"amb_weekpair": {"uge %[1]d i %[3]d, eller uge %[1]d og uge %[2]d? Skriv uge %[1]d/%02[2]d eller uge %[1]d %[3]d for en uge, uge %[1]d-%[2]d for et interval",
		"week %[1]d of %[3]d, or weeks %[1]d and %[2]d? Write uge %[1]d/%02[2]d or uge %[1]d %[3]d for a week, uge %[1]d-%[2]d for a range"},
	"amb_weekslash": {"uge %[1]d i %[3]d, eller uge %[1]d og %[2]d? Skriv uge %[1]d '%02[2]d eller uge %[1]d %[3]d for én uge, uge %[1]d-%[2]d for et interval",
		"week %[1]d of %[3]d, or weeks %[1]d and %[2]d? Write uge %[1]d '%02[2]d or uge %[1]d %[3]d for one week, uge %[1]d-%[2]d for a range"},
	"amb_weekmonth": {"uge %[1]d i %[2]d, eller %[3]s %[2]d? Skriv uge %[1]d %[2]d for ugen, %[3]s %[2]d for måneden",
		"week %[1]d of %[2]d, or %[3]s %[2]d? Write uge %[1]d %[2]d for the week, %[3]s %[2]d for the month"},
	"amb_order": {"dag først er det %s, måned først %s, og %s; skriv %s for den første eller %s for den anden",
		"day first it is %s, month first %s, and %s; write %s for the first or %s for the second"},
	"order_mixed": {"kolonnen har både datoer der kun kan læses med dagen først (%q i %s) og datoer der kun kan læses med måneden først (%q i %s)",
		"the column has both dates that can only be day first (%q in %s) and dates that can only be month first (%q in %s)"},
	"order_file_mixed": {"filen har både datoer der kun kan læses med dagen først (%q i %s) og datoer der kun kan læses med måneden først (%q i %s)",
		"the file has both dates that can only be day first (%q in %s) and dates that can only be month first (%q in %s)"},
	"order_month_col": {"kolonnen %s (%q) læses med måneden først (11/05/2026 = 5. november 2026): %s; skriv datoerne som 05-11-2026 eller 2026-11-05 for at være sikker",
		"column %s (%q) is read month first (11/05/2026 = 5 November 2026): %s; write the dates as 05-11-2026 or 2026-11-05 to be sure"},
	"month_typo": {"den kan kun være en dato med måneden først (%s), men kolonnens øvrige datoer står ikke sådan: er den skrevet forkert? Skriv %s, hvis det er ment",
		"it can only be a date month first (%s), but the column's other dates are not written that way: is it a typo? Write %s if that is meant"},
	"amb_daymonth": {"dag først er det %s, måned først %s, og kolonnen %s (%q) læses med måneden først; skriv datoen med året som 03-12-2026 eller 2026-12-03",
		"day first it is %s, month first %s, and column %s (%q) is read month first; write the date with its year as 03-12-2026 or 2026-12-03"},
	"amb_daymonth_mixed": {"dag først er det %s, måned først %s, og kolonnen %s (%q) har datoer skrevet på begge måder; skriv datoen med året som 03-12-2026 eller 2026-12-03",
		"day first it is %s, month first %s, and column %s (%q) has dates written both ways; write the date with its year as 03-12-2026 or 2026-12-03"},
	"day_typo": {"den kan kun være en dato med dagen først (%s), men filen er en engelsk eksport (%q), og kolonnens øvrige datoer kan læses med måneden først: er den skrevet forkert? Skriv %s, hvis det er ment",
		"it can only be a date day first (%s), but the file is an English export (%q) and the column's other dates read month first: is it a typo? Write %s if that is meant"},
	"why_english_typo": {"filen er en engelsk eksport (%q) med / i datoerne, som amerikanske datoer skrives; kolonnens få datoer der kun kan læses med dagen først (%q i %s) er for få til at vende den og er ikke læst",
		"the file is an English export (%q) with / in its dates, as US dates are written; the column's few dates that can only be day first (%q in %s) are too few to turn it and are not read"},
	"order_day_col": {"kolonnen %s (%q) læses med dagen først (11/05/2026 = 11. maj 2026): %s, selv om filen er en engelsk eksport (%q); skriv datoerne som 11-05-2026 eller 2026-05-11 for at være sikker",
		"column %s (%q) is read day first (11/05/2026 = 11 May 2026): %s, although the file is an English export (%q); write the dates as 11-05-2026 or 2026-05-11 to be sure"},
	"why_col": {"%q i %s kan kun læses sådan", "%q in %s can only be read that way"},
	"why_file": {"kolonnen har ingen entydig dato, men filens andre datoer kan kun læses sådan (%q i %s)",
		"no date in the column tells, but the file's other dates can only be read that way (%q in %s)"},
	"why_english": {"kolonnen har ingen entydig dato, og filen er en engelsk eksport (%q) med / i datoerne, som amerikanske datoer skrives",
		"no date in the column tells, and the file is an English export (%q) with / in its dates, as US dates are written"},
	"order_mixed_col": {"kolonnen %s (%q) har både datoer der kun kan læses med dagen først (%q i %s) og datoer der kun kan læses med måneden først (%q i %s); de entydige er læst, hver på sin eneste måde, de tvetydige er ikke læst",
		"column %s (%q) has both dates that can only be day first (%q in %s) and dates that can only be month first (%q in %s); those are read their only way, the ambiguous ones are not read"},
	"gantt_order": {"tidslinjens kolonner står ikke i rækkefølge her (%s efter %s); kolonnen læses som det, den viser: %s",
		"the timeline's columns are out of order here (%s after %s); the column is read as what it shows: %s"},
	"gantt_doubtful_head": {"tidslinjens kolonne %s står efter %s, og det kan ikke afgøres hvilket år den hører til (%s); markeringer der begynder eller slutter i den er ikke læst — skriv året over kolonnen eller i overskriften (%s)",
		"the timeline's column %s comes after %s, and which year it belongs to cannot be told (%s); bars that begin or end in it are not read — write the year above the column or in the header (%s)"},
	"sameOrNext": {"samme år eller året efter", "the same year or the next"},
	"gantt_doubtful_task": {"opgaven %q %s i kolonnen %s (%s), hvis år ikke kan afgøres (se %s); datoen er ikke læst",
		"task %q %s in column %s (%s), whose year cannot be told (see %s); the date is not read"},
	"begins": {"begynder", "begins"},
	"ends":   {"slutter", "ends"},
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
