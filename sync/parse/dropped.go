package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
)

// dropped says on the title cell when a task row looks dropped while its
// status keeps it live: its text struck through (the title cell, or most
// of the row's filled cells) unless its status says done, or its title
// saying so ("SLETTET – …", "UDGÅET: …", "… (slettet)", "AFLYST"); or on
// the remark, when the remark says so ("Udgået", "Udgår: dækkes af KY").
// The task is read as its status says: a strike may as well mean done, and
// a word in the title is no status; the warning says what to do.
func (sp *sheetParser) dropped(r, idx int, t *model.Task) {
	if t.Status == model.Cancelled {
		return
	}
	if t.Status == model.Done {
		if n := len(sp.st.ones); n > 0 && sp.st.ones[n-1].task == idx && sp.struck(r) {
			// A status 1 that may yet read as 1 % (resolveScale says it then).
			sp.st.ones[n-1].struck = true
		}
	} else if sp.struck(r) {
		sp.addIssue(sp.pos(r, RoleTitle), CodeStruckTask, t.Title, sp.statusShown(t))
		return
	}
	if w, ok := cancelWord(t.Title); ok {
		sp.addIssue(sp.pos(r, RoleTitle), CodeDroppedTitle, t.Title, w, sp.statusShown(t))
	} else if cancelNote(t.Notes) {
		sp.addIssue(sp.pos(r, RoleNotes), CodeDroppedNote, t.Title, t.Notes, sp.statusShown(t))
	}
}

// cancelNote reports whether a remark says its task was deleted or
// cancelled: the cancel word alone ("Udgået", "UDGÅET 12/3") or first
// before a separator ("Udgår: dækkes af KY", "Aflyst, se mail"). A remark
// that only mentions such a word ("Slettede sager tjekkes") says nothing.
func cancelNote(note string) bool {
	i := firstLetter(note)
	if i < 0 {
		return false
	}
	w, rest := cancelAt(note, i)
	if w == "" {
		return false
	}
	after := strings.TrimLeft(rest, " \u00a0\t")
	return strings.IndexFunc(after, unicode.IsLetter) < 0 || strings.ContainsRune(":-–—!/|.,;", firstRune(after))
}

// struck reports whether row r's title cell, or most of its filled cells,
// are struck through.
func (sp *sheetParser) struck(r int) bool {
	if sp.cell(r, RoleTitle).Struck() {
		return true
	}
	row := sp.w.row(r)
	n, struck := 0, 0
	for _, c := range row {
		if c.Kind == grid.Empty {
			continue
		}
		n++
		if c.Struck() {
			struck++
		}
	}
	return struck > 0 && 2*struck > n
}

// statusShown is the task's status as written, for a message.
func (sp *sheetParser) statusShown(t *model.Task) string {
	if t.RawStatus == "" {
		return sp.p.lang.word("status_empty")
	}
	return `"` + t.RawStatus + `"`
}

// isCancelWord reports whether w (lower case) is a word with which a title
// says its task was deleted or cancelled. (A switch: no hashing, a title's
// words are asked of every task.)
func isCancelWord(w []byte) bool {
	switch string(w) {
	case "slettet", "udgået", "udgaaet", "udgaet", "udgår", "udgaar",
		"aflyst", "annulleret", "bortfaldet", "bortfalder", "droppet",
		"deleted", "cancelled", "canceled", "dropped", "obsolete":
		return true
	}
	return false
}

// isNotWord reports whether w (lower case), before "relevant", makes a
// cancel word ("ikke relevant").
func isNotWord(w []byte) bool {
	switch string(w) {
	case "ikke", "ej", "not":
		return true
	}
	return false
}

// cancelWord returns the word with which a title says its task was deleted
// or cancelled, as written: the whole title ("AFLYST"), its first word
// before a separator ("SLETTET – Konvertering", "Udgået: Test") or in
// capitals before the rest ("UDGÅET Konvertering"), its last word after a
// separator ("Konvertering – udgået"), or a word in brackets ("(slettet)
// Test", "Test [udgår]"). A word that is part of the task's text
// ("Slettede sager konverteres", "Aflyst møde genindkaldes") is none.
func cancelWord(title string) (string, bool) {
	// The first word and what stands around it.
	i := firstLetter(title)
	if i < 0 {
		return "", false
	}
	w, rest := cancelAt(title, i)
	if w != "" {
		before := title[:i]
		after := strings.TrimLeft(rest, " \u00a0\t")
		switch {
		case strings.TrimFunc(after, notLetter) == "":
			return w, true // the whole title, or the word in brackets before nothing
		case strings.ContainsAny(before, "([") && (after[0] == ')' || after[0] == ']'):
			return w, true // "(slettet) Konvertering"
		case strings.ContainsRune(":-–—!/|.", firstRune(after)):
			return w, true // "SLETTET – Konvertering"
		case strings.ToUpper(w) == w && strings.ToUpper(after) != after:
			return w, true // "UDGÅET Konvertering" (not a title all in capitals)
		}
	}
	// A word in brackets anywhere: "Konvertering (udgået)", "[slettet]".
	for j := 0; j < len(title); j++ {
		if title[j] != '(' && title[j] != '[' {
			continue
		}
		k := j + 1
		for k < len(title) && (title[k] == ' ' || title[k] == '\t') {
			k++
		}
		if w, rest := cancelAt(title, k); w != "" {
			// Only figures or signs before the bracket closes: "(udgået
			// 12/3)", not "(udgår hvis …)".
			if end := strings.IndexAny(rest, ")]"); end >= 0 && strings.IndexFunc(rest[:end], unicode.IsLetter) < 0 {
				return w, true
			}
		}
	}
	// The last word after a separator: "Konvertering – UDGÅET".
	end := len(title)
	if c := title[end-1]; c >= utf8.RuneSelf || c|0x20 < 'a' || c|0x20 > 'z' {
		k := strings.LastIndexFunc(title, unicode.IsLetter)
		_, size := utf8.DecodeRuneInString(title[k:])
		end = k + size
	}
	if start := wordStart(title, end); start > 0 {
		if w, _ := cancelAt(title, start); w != "" {
			before := strings.TrimRight(title[:start], " \u00a0\t")
			if before != "" && (strings.HasSuffix(before, ":") || strings.HasSuffix(before, "–") || strings.HasSuffix(before, "—") ||
				(strings.HasSuffix(before, "-") && len(before) < start)) {
				return w, true
			}
		}
	}
	return "", false
}

// cancelAt returns the cancel word starting at byte i of s (with "ikke"
// before "relevant"), as written, and what follows it; "" when the word
// there is none.
func cancelAt(s string, i int) (word, rest string) {
	j := wordEnd(s, i)
	w := s[i:j]
	if w == "" || len(w) > 12 {
		return "", ""
	}
	var buf [16]byte
	lw := lowerInto(buf[:0], w)
	if isNotWord(lw) {
		k := j
		for k < len(s) && s[k] == ' ' {
			k++
		}
		e := wordEnd(s, k)
		if k > j && strings.EqualFold(s[k:e], "relevant") {
			return s[i:e], s[e:]
		}
		return "", ""
	}
	if !isCancelWord(lw) {
		return "", ""
	}
	return w, s[j:]
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// wordEnd returns the end of the letters from byte i of s (ASCII told
// without decoding).
func wordEnd(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if c|0x20 < 'a' || c|0x20 > 'z' {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			return i
		}
		i += size
	}
	return len(s)
}

// wordStart returns the start of the letters that end at byte end of s
// (ASCII told without decoding).
func wordStart(s string, end int) int {
	for end > 0 {
		if c := s[end-1]; c < utf8.RuneSelf {
			if c|0x20 < 'a' || c|0x20 > 'z' {
				return end
			}
			end--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s[:end])
		if !unicode.IsLetter(r) {
			return end
		}
		end -= size
	}
	return 0
}

// firstLetter returns the byte index of s's first letter, or -1.
func firstLetter(s string) int {
	if s != "" && s[0]|0x20 >= 'a' && s[0]|0x20 <= 'z' {
		return 0
	}
	return strings.IndexFunc(s, unicode.IsLetter)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// lowerInto appends w in lower case to b without allocating (b has room),
// or returns nil when w holds a letter no cancel word has (beyond ASCII,
// only å and Å).
func lowerInto(b []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c |= 0x20
		case c >= 0x80:
			if c != 0xc3 || i+1 == len(w) || (w[i+1] != 0x85 && w[i+1] != 0xa5) {
				return nil
			}
			b = append(b, 0xc3)
			c = 0xa5 // å
			i++
		}
		b = append(b, c)
	}
	return b
}
