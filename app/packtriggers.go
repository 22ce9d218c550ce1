package app

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/udrul/udrul/internal/lang"
	"github.com/udrul/udrul/store"
)

// PackTriggerNotices say, in the language, what opening the database found
// of udrul's triggers on the tasks (store.PackTriggers): made are the
// triggers made again (said once: the next open finds them), warn the
// triggers left alone that keep the packed tasks from being read, and why
// missing ones could not be made. The daemon logs them (made at INFO,
// warn at WARN); a command prints them on stderr.
func PackTriggerNotices(p store.PackTriggers, dbPath string, english bool) (made, warn []string) {
	if len(p.Made) > 0 {
		made = append(made, lang.Pickf(english,
			"databasen %s manglede udruls trigger(e) %s på opgaverne: de er lavet igen, og de pakkede opgaver er slettet (næste synkronisering pakker dem igen)",
			"the database %s lacked udrul's trigger(s) %s on the tasks: they were made again, and the packed tasks were deleted (the next sync packs them again)",
			dbPath, strings.Join(p.Made, ", ")))
	}
	if p.Err != nil && len(p.Missing) > 0 {
		warn = append(warn, lang.Pickf(english,
			"databasen %s mangler udruls trigger(e) %s på opgaverne, og udrul må ikke skrive i den: opgaverne læses række for række (korrekt, men langsommere), til udrul kører som en bruger, der må skrive i databasen (udrul sync laver dem så igen)",
			"the database %s lacks udrul's trigger(s) %s on the tasks, and udrul may not write to it: the tasks are read row by row (correct, but slower) until udrul runs as a user who may write to the database (udrul sync then makes them again)",
			dbPath, strings.Join(p.Missing, ", ")))
	}
	for _, k := range p.Kept {
		warn = append(warn, KeptTriggerWords(k, dbPath, english))
	}
	return made, warn
}

// KeptTriggerWords says of a trigger udrul left alone what it is and what
// to do, in the language.
func KeptTriggerWords(k store.KeptTrigger, dbPath string, english bool) string {
	what := lang.Pickf(english, "databasen %s har en trigger %q på opgaverne, som udrul ikke laver",
		"the database %s holds a trigger %q on the tasks that udrul does not make", dbPath, k.Name)
	if k.Changed {
		what = lang.Pickf(english, "databasens (%s) trigger %q er ikke defineret som udruls egen",
			"the database's (%s) trigger %q is not defined as udrul's own", dbPath, k.Name)
	}
	drop := ""
	if printable(k.Name) {
		drop = " (DROP TRIGGER " + quoteIdent(k.Name) + ";)"
	}
	if k.Changed {
		return what + lang.Pickf(english,
			"; udrul lader den være, men læser derfor opgaverne række for række (korrekt, men langsommere): fjern den%s, så laver udrul sin egen igen, næste gang databasen åbnes",
			"; udrul leaves it alone, but reads the tasks row by row because of it (correct, but slower): drop it%s and udrul makes its own again the next time it opens the database",
			drop)
	}
	return what + lang.Pickf(english,
		"; udrul lader den være, men læser derfor opgaverne række for række (korrekt, men langsommere), da den kan ændre dem uden om udrul: fjern den%s, så læser udrul dem hurtigt igen",
		"; udrul leaves it alone, but reads the tasks row by row because of it (correct, but slower), as it may change them behind udrul's back: drop it%s and udrul reads them quickly again",
		drop)
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// printable reports whether s can be shown as it is (no control or
// invisible characters): else only its %q form is.
func printable(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) < 0 && strconv.CanBackquote(s)
}

// packTriggerLines are PackTriggerNotices as lines for stderr.
func packTriggerLines(p store.PackTriggers, dbPath string, english bool) []string {
	made, warn := PackTriggerNotices(p, dbPath, english)
	var out []string
	for _, m := range made {
		out = append(out, "udrul: "+m)
	}
	for _, w := range warn {
		out = append(out, fmt.Sprintf("udrul: %s: %s", lang.Pick(english, "advarsel", "warning"), w))
	}
	return out
}
