package model

import (
	"fmt"
	"regexp"
)

// heldReasons are the reasons the guard holds a plan for, as the store keeps
// them (in English), with their Danish words. Each pattern's groups are
// the reason's figures and names, in the order the Danish text takes them.
var heldReasons = []struct {
	re *regexp.Regexp
	da string
	at int // the group that is a cell ("Plan!B3"), written " (i Plan!B3)"; 0: none
}{
	{regexp.MustCompile(`^the sheet has no tasks any more \(it had (\d+)\): nothing was applied; if it was emptied on purpose: (udrul sync --accept .+)$`),
		"arket har ingen opgaver længere (det havde %s): intet er opdateret; er det tømt med vilje: %s", 0},
	{regexp.MustCompile(`^(\d+) of (\d+) tasks disappeared at once: nothing was applied; if they were deleted on purpose: (udrul sync --accept .+)$`),
		"%s af %s opgaver forsvandt på én gang: intet er opdateret; er de slettet med vilje: %s", 0},
	{regexp.MustCompile(`^the last (\d+) of (\d+) tasks are gone at once \(from (.+) on\): is (.+) cut off \(a save or export interrupted, or the bottom rows deleted by mistake\)\? Nothing was applied; if they were deleted on purpose: (udrul sync --accept .+)$`),
		"de sidste %s af %s opgaver forsvandt på én gang (fra %s og frem): er %s blevet afkortet (en gemning eller eksport, der blev afbrudt, eller de nederste rækker slettet ved en fejl)? Intet er opdateret; er de slettet med vilje: %s", 0},
	{regexp.MustCompile(`^(\d+) of (\d+) tasks changed title at once \((.+)\): is another plan saved over (.+), or were its IDs renumbered\? Nothing was applied; if the change is intended: (udrul sync --accept .+)$`),
		"%s af %s opgaver skiftede titel på én gang (%s): er en anden plan gemt over %s, eller er dens ID'er blevet omnummereret? Intet er opdateret; er ændringen tilsigtet: %s", 0},
	{regexp.MustCompile(`^(\d+) of (\d+) tasks changed title at once \((.+)\): is another plan saved over (.+)\? Nothing was applied; if the change is intended: (udrul sync --accept .+)$`),
		"%s af %s opgaver skiftede titel på én gang (%s): er en anden plan gemt over %s? Intet er opdateret; er ændringen tilsigtet: %s", 0},
	{regexp.MustCompile(`^the sheet says (.+?)(?: \(at (.+)\))?, but it is read as the plan (.+): is another plan saved over (.+)\? Nothing was applied; correct the sheet or the file name, or apply this read once: (udrul sync --accept .+)$`),
		"arket siger %s%s, men det læses som planen %s: er en anden plan gemt over %s? Intet er opdateret; ret arket eller filnavnet, eller indlæs denne udgave alligevel én gang: %s", 1},
	{regexp.MustCompile(`^the sheet's title names (.+?)(?: \(at (.+)\))?, but it is read as the plan (.+): is another plan saved over (.+)\? Nothing was applied; correct the sheet or the file name, or apply this read once: (udrul sync --accept .+)$`),
		"arkets titel nævner %s%s, men det læses som planen %s: er en anden plan gemt over %s? Intet er opdateret; ret arket eller filnavnet, eller indlæs denne udgave alligevel én gang: %s", 1},
	// A plan whose folder is held by the sync (sync/syncer's holdPlans).
	{regexp.MustCompile(`^its folder cannot be read: (.+); the plan is not updated until the folder can be read again; if the folder was removed on purpose: (udrul sync --accept-empty .+)$`),
		"dens mappe kan ikke læses: %s; planen opdateres ikke, før mappen kan læses igen; er mappen fjernet med vilje: %s", 0},
	{regexp.MustCompile(`^its folder (.+) lists no plans now \(it had (\d+)\): is its drive mounted, and is the folder still in its place\? The plan is not updated nor marked gone; if the folder's plans were removed on purpose: (udrul sync --accept-empty .+)$`),
		"dens mappe %s viser ingen planer nu (den havde %s): er drevet monteret, og er mappen stadig det rigtige sted? Planen opdateres ikke og markeres ikke som væk; er mappens planer fjernet med vilje: %s", 0},
	{regexp.MustCompile(`^its source (.+?) failed: (.+)$`), "dens kilde %s fejler: %s", 0},
	// As reasons were written before the accept command was part of them.
	{regexp.MustCompile(`^the sheet has no tasks any more \(it had (\d+)\)`),
		"arket har ingen opgaver længere (det havde %s): holdes tilbage, til arket er i orden igen eller ændringen godkendes", 0},
	{regexp.MustCompile(`^(\d+) of (\d+) tasks disappeared at once`),
		"%s af %s opgaver forsvandt på én gang: holdes tilbage, til arket er i orden igen eller ændringen godkendes", 0},
}

// HeldReason says why a plan is held in the given language: the guard
// writes its reasons in English, as the store keeps them. Every reason
// ends with what to do: fix the sheet, or the command that applies it.
func HeldReason(reason string, english bool) string {
	if english {
		return reason
	}
	for _, h := range heldReasons {
		m := h.re.FindStringSubmatch(reason)
		if m == nil {
			continue
		}
		args := make([]any, 0, len(m)-1)
		for i, g := range m[1:] {
			if h.at > 0 && i == h.at && g != "" {
				g = " (i " + g + ")"
			}
			args = append(args, g)
		}
		return fmt.Sprintf(h.da, args...)
	}
	return reason
}
