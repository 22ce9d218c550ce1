package model

import (
	"strings"
	"testing"
)

// TestHeldReason: a held plan's finding speaks one language, not Danish
// with the guard's English reason in it.
func TestHeldReason(t *testing.T) {
	for _, tt := range []struct {
		name, reason string
		english      bool
		want         string
	}{
		{"emptied, danish", "the sheet has no tasks any more (it had 12): held until it recovers or is accepted", false, "arket har ingen opgaver længere (det havde 12)"},
		{"shrunk, danish", "9 of 12 tasks disappeared at once: held until the sheet recovers or is accepted", false, "9 af 12 opgaver forsvandt på én gang"},
		{"english as stored", "9 of 12 tasks disappeared at once: held until the sheet recovers or is accepted", true, "9 of 12 tasks disappeared at once"},
		{"emptied, with the command", "the sheet has no tasks any more (it had 12): nothing was applied; if it was emptied on purpose: udrul sync --accept Aarhus/KY", false,
			"arket har ingen opgaver længere (det havde 12): intet er opdateret; er det tømt med vilje: udrul sync --accept Aarhus/KY"},
		{"shrunk, with the command", "13 of 25 tasks disappeared at once: nothing was applied; if they were deleted on purpose: udrul sync --accept Aarhus/KY", false,
			"13 af 25 opgaver forsvandt på én gang: intet er opdateret; er de slettet med vilje: udrul sync --accept Aarhus/KY"},
		{"cut off", "the last 10 of 25 tasks are gone at once (from “Datavask i kommunen” on): is KY_Aarhus.xlsx cut off (a save or export interrupted, or the bottom rows deleted by mistake)? Nothing was applied; if they were deleted on purpose: udrul sync --accept Aarhus/KY", false,
			"de sidste 10 af 25 opgaver forsvandt på én gang (fra “Datavask i kommunen” og frem): er KY_Aarhus.xlsx blevet afkortet (en gemning eller eksport, der blev afbrudt, eller de nederste rækker slettet ved en fejl)? Intet er opdateret; er de slettet med vilje: udrul sync --accept Aarhus/KY"},
		{"retitled by ID", "25 of 25 tasks changed title at once (ID 1: “Kick-off: møde (1)” → “Tilslutning? Ja”): is another plan saved over KY_Aarhus.xlsx, or were its IDs renumbered? Nothing was applied; if the change is intended: udrul sync --accept Aarhus/KY", false,
			"25 af 25 opgaver skiftede titel på én gang (ID 1: “Kick-off: møde (1)” → “Tilslutning? Ja”): er en anden plan gemt over KY_Aarhus.xlsx, eller er dens ID'er blevet omnummereret? Intet er opdateret; er ændringen tilsigtet: udrul sync --accept Aarhus/KY"},
		{"retitled rows", "20 of 25 tasks changed title at once (“Kick-off” → “Tilslutning”): is another plan saved over KY Aarhus (2).csv? Nothing was applied; if the change is intended: udrul sync --accept Høje-Taastrup/KY", false,
			"20 af 25 opgaver skiftede titel på én gang (“Kick-off” → “Tilslutning”): er en anden plan gemt over KY Aarhus (2).csv? Intet er opdateret; er ændringen tilsigtet: udrul sync --accept Høje-Taastrup/KY"},
		{"line naming another municipality", "the sheet says “Kommune: Odense” (at Plan!B2), but it is read as the plan Aarhus/KY: is another plan saved over KY_Aarhus.xlsx? Nothing was applied; correct the sheet or the file name, or apply this read once: udrul sync --accept Aarhus/KY", false,
			"arket siger “Kommune: Odense” (i Plan!B2), men det læses som planen Aarhus/KY: er en anden plan gemt over KY_Aarhus.xlsx? Intet er opdateret; ret arket eller filnavnet, eller indlæs denne udgave alligevel én gang: udrul sync --accept Aarhus/KY"},
		{"line without a cell", "the sheet says “Løsning: KSD”, but it is read as the plan Aarhus/KY: is another plan saved over KY_Aarhus.csv? Nothing was applied; correct the sheet or the file name, or apply this read once: udrul sync --accept Aarhus/KY", false,
			"arket siger “Løsning: KSD”, men det læses som planen Aarhus/KY: er en anden plan gemt over KY_Aarhus.csv? Intet er opdateret; ret arket eller filnavnet, eller indlæs denne udgave alligevel én gang: udrul sync --accept Aarhus/KY"},
		{"title naming another solution", "the sheet's title names “KSD” (at Implementeringsplan!A1), but it is read as the plan Aarhus/KY: is another plan saved over KY_Aarhus.xlsx? Nothing was applied; correct the sheet or the file name, or apply this read once: udrul sync --accept Aarhus/KY", false,
			"arkets titel nævner “KSD” (i Implementeringsplan!A1), men det læses som planen Aarhus/KY: er en anden plan gemt over KY_Aarhus.xlsx? Intet er opdateret; ret arket eller filnavnet, eller indlæs denne udgave alligevel én gang: udrul sync --accept Aarhus/KY"},
		{"its folder unreadable", "its folder cannot be read: udrul må ikke læse mappen /srv/planer/vejle: giv brugeren, udrul kører som, læseadgang; the plan is not updated until the folder can be read again; if the folder was removed on purpose: udrul sync --accept-empty share/vejle", false,
			"dens mappe kan ikke læses: udrul må ikke læse mappen /srv/planer/vejle: giv brugeren, udrul kører som, læseadgang; planen opdateres ikke, før mappen kan læses igen; er mappen fjernet med vilje: udrul sync --accept-empty share/vejle"},
		{"its folder emptied", "its folder /srv/planer/vejle lists no plans now (it had 2): is its drive mounted, and is the folder still in its place? The plan is not updated nor marked gone; if the folder's plans were removed on purpose: udrul sync --accept-empty share/vejle", false,
			"dens mappe /srv/planer/vejle viser ingen planer nu (den havde 2): er drevet monteret, og er mappen stadig det rigtige sted? Planen opdateres ikke og markeres ikke som væk; er mappens planer fjernet med vilje: udrul sync --accept-empty share/vejle"},
		{"its source failed", "its source share failed: kilden viser ingen planer nu (den havde 3): er drevet monteret, og er /srv/planer stadig det rigtige sted? Intet er markeret som væk; er planerne fjernet med vilje: udrul sync --accept-empty share", false,
			"dens kilde share fejler: kilden viser ingen planer nu (den havde 3)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := HeldReason(tt.reason, tt.english)
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("heldReason = %q, want it to start %q", got, tt.want)
			}
			for _, english := range []string{"held", "tasks", "applied", "sheet", "saved over", "the plan"} {
				if !tt.english && strings.Contains(got, english) {
					t.Errorf("Danish reason has English %q in it: %q", english, got)
				}
			}
		})
	}
}

// TestKindLabel_everyKind: every kind the rules make has words in both
// languages (a code shown as it is would be a code in the report).
func TestKindLabel_everyKind(t *testing.T) {
	for kind, w := range kindLabels {
		if w[0] == "" || w[1] == "" || w[0] == kind {
			t.Errorf("kind %s has no words: %v", kind, w)
		}
	}
}
