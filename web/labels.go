package web

import "github.com/udrul/udrul/model"

// words are the pages' labels: Danish, English.
var words = map[string][2]string{
	"overview": {"Overblik", "Overview"}, "matrix": {"Kommuner og løsninger", "Municipalities and solutions"},
	"municipality": {"Kommune", "Municipality"}, "solution": {"Løsning", "Solution"}, "wave": {"Bølge", "Wave"},
	"plan": {"Plan", "Plan"}, "plans": {"Planer", "Plans"}, "task": {"Opgave", "Task"}, "tasks": {"Opgaver", "Tasks"},
	"overdueShort": {"forsinket", "overdue"}, "progress": {"Planlagt mod faktisk færdig", "Planned against actually done"},
	"changes": {"Ændringer siden sidste rapport", "Changes since the last report"}, "when": {"Tidspunkt", "When"},
	"field": {"Felt", "Field"}, "old": {"Før", "Before"}, "new": {"Efter", "After"}, "source": {"Kilde", "Source"},
	"lastRead": {"sidst læst", "last read"}, "lastOK": {"Sidst OK", "Last OK"}, "state": {"Tilstand", "State"},
	"findings": {"Fund", "Findings"}, "level": {"Niveau", "Level"}, "kind": {"Type", "Kind"}, "message": {"Besked", "Message"},
	"dataQuality": {"Datakvalitet", "Data quality"}, "where": {"Hvor", "Where"}, "responsible": {"Ansvarlig", "Responsible"},
	"performer": {"Udfører", "Performer"}, "start": {"Start", "Start"}, "end": {"Slut", "End"}, "baseline": {"Baseline slut", "Baseline end"},
	"slip": {"Skred (arb.dage)", "Slip (working days)"}, "status": {"Status", "Status"}, "history": {"Historik", "History"},
	"noHistory": {"Ingen ændringer siden opgaven blev læst første gang.", "No changes since the task was first read."},
	"all":       {"Alle", "All"}, "filter": {"Filtrér", "Filter"}, "sources": {"Kilder", "Sources"}, "error": {"Fejl", "Error"},
	"reason": {"Årsag", "Reason"}, "dataOf": {"data fra", "data of"}, "overdue": {"Forsinkede", "Overdue"},
	"slipped": {"Skred", "Slipped"}, "red": {"Rød", "Red"}, "amber": {"Gul", "Amber"}, "green": {"Grøn", "Green"},
	"infoLevel": {"Info", "Info"}, "error_sev": {"Fejl", "Error"}, "warning_sev": {"Advarsel", "Warning"},
	"figPlans": {"planer", "plans"}, "figTasks": {"opgaver", "tasks"}, "figDone": {"færdige", "done"},
	"figOverdue": {"forsinkede opgaver", "overdue tasks"}, "figSlipped": {"skredet denne uge", "slipped this week"},
	"figProblems": {"dataproblemer", "data problems"}, "figRed": {"røde planer", "red plans"}, "figFailing": {"fejlende kilder", "failing sources"},
	"waves": {"Bølger", "Waves"}, "goLive": {"idriftsættelse", "go-live"},
	"wavesNote": {"Pr. kommune: hvor mange af de opgaver, der skulle være færdige (slutdato til og med i dag), der er færdige. Data pr.", "Per municipality: how many of the tasks due by now (end on or before today) are done. Data as of"},
	"clashes":   {"Idriftsættelser for tæt på hinanden", "Go-lives too close together"}, "dueDone": {"Færdige af forfaldne", "Done of due"},
	"dueBar": {"Forfaldne (grå) og færdige af dem", "Due (grey) and done of them"}, "noPlans": {"Ingen planer i bølgen endnu.", "No plans in this wave yet."},
	"logout": {"log ud", "log out"}, "rows": {"rækker", "rows"}, "health": {"Egen vurdering", "Own assessment"},
	"outbox": {"Udbakke: beskeder der ikke er leveret", "Outbox: messages not yet delivered"}, "channel": {"Kanal", "Channel"},
	"recipient": {"Modtager", "Recipient"}, "subject": {"Emne", "Subject"}, "attempts": {"Forsøg", "Attempts"},
	"nextTry": {"Næste forsøg", "Next try"}, "lastError": {"Sidste fejl", "Last error"},
	"outboxEmpty": {"Udbakken er tom: alt er leveret.", "The outbox is empty: everything was delivered."},
}

// t is the pages' dictionary in one language.
type t map[string]string

var dictionaries = func() [2]t {
	var out [2]t
	for i := range out {
		out[i] = make(t, len(words))
		for k, v := range words {
			out[i][k] = v[i]
		}
	}
	return out
}()

// dictionary returns the labels in one language (shared: do not modify).
func dictionary(english bool) t {
	if english {
		return dictionaries[1]
	}
	return dictionaries[0]
}

// The words for statuses, kinds and states come from one place, the
// model's labels, shared with the reports, the digests and the commands.

func statusWord(s model.Status, english bool) string { return model.StatusLabel(s, english) }

func kindWord(kind string, english bool) string { return model.KindLabel(kind, english) }

func levelWord(level string, english bool) string {
	key := level
	switch level {
	case model.LevelRed, model.LevelAmber, model.LevelGreen:
	case model.LevelInfo:
		key = "infoLevel"
	default:
		return level
	}
	if english {
		return words[key][1]
	}
	return words[key][0]
}

// statusLevel colours a status: done green, cancelled none, the rest none.
func statusLevel(s model.Status) string {
	if s == model.Done {
		return model.LevelGreen
	}
	return ""
}

// stateWord names a plan's or source's state.
func stateWord(state string, english bool) string { return model.StateLabel(state, english) }

// fieldWord names a changed field of a task in the history.
func fieldWord(field string, english bool) string { return model.FieldLabel(field, english) }
