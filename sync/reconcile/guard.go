package reconcile

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/municipality"
	"github.com/udrul/udrul/store"
)

// Guard holds back reads that look like an accident rather than an edit:
// a sheet emptied, cut off at the end or stripped of most of its tasks,
// another plan saved over the file (most titles changed at once), or a
// sheet whose own Kommune/Løsning line names another plan than the one it
// is read into. A held read changes nothing; `udrul sync --accept` applies
// it.
type Guard struct {
	MaxLoss  float64 // share of active tasks that may disappear at once
	MinTasks int     // plans smaller than this are guarded only against losing all
	// MaxRetitled is the share of active tasks whose titles may change
	// beyond small edits at once (a row overwritten with another task
	// counts too); more looks like another plan saved over the file. 0:
	// not checked.
	MaxRetitled float64
	// MaxTailLoss is the share of active tasks that may disappear from the
	// end of the plan (the last rows, nothing after them) at once; more
	// looks like a file cut off. 0: not checked.
	MaxTailLoss float64
}

// review returns why a read must be held, or "": the sheet emptied, its
// own line naming another plan, most titles changed, its end cut off, or
// most tasks lost. pairs and unmatchedOld are Match's answer for the read.
func (g Guard) review(in Input, old []store.Task, pairs []Pair, unmatchedOld []int) string {
	key := in.Municipality + "/" + in.Solution
	file := fileName(in)
	tasks := in.Plan.Tasks
	active := 0
	for _, t := range old {
		if !t.Removed() {
			active++
		}
	}
	if why := lineMismatch(in, key, file); why != "" {
		return why
	}
	if active == 0 {
		return ""
	}
	if len(tasks) == 0 {
		return fmt.Sprintf("the sheet has no tasks any more (it had %d): nothing was applied; if it was emptied on purpose: %s", active, acceptCommand(key))
	}
	lost := map[int]bool{}
	for _, i := range unmatchedOld {
		if !old[i].Removed() {
			lost[i] = true
		}
	}
	guarded := active >= g.MinTasks
	if guarded && g.MaxRetitled > 0 {
		if n, example, byID := retitled(old, tasks, pairs, lost); float64(n) > g.MaxRetitled*float64(active) {
			question := fmt.Sprintf("is another plan saved over %s?", file)
			if byID {
				question = fmt.Sprintf("is another plan saved over %s, or were its IDs renumbered?", file)
			}
			return fmt.Sprintf("%d of %d tasks changed title at once (%s): %s Nothing was applied; if the change is intended: %s",
				n, active, example, question, acceptCommand(key))
		}
	}
	if guarded && g.MaxTailLoss > 0 && len(lost) >= 2 && float64(len(lost)) > g.MaxTailLoss*float64(active) {
		if first, ok := cutOff(old, tasks, pairs, lost); ok {
			return fmt.Sprintf("the last %d of %d tasks are gone at once (from %s on): is %s cut off (a save or export interrupted, or the bottom rows deleted by mistake)? Nothing was applied; if they were deleted on purpose: %s",
				len(lost), active, quoteTitle(first.Title), file, acceptCommand(key))
		}
	}
	if guarded && float64(len(lost)) > g.MaxLoss*float64(active) {
		return fmt.Sprintf("%d of %d tasks disappeared at once: nothing was applied; if they were deleted on purpose: %s", len(lost), active, acceptCommand(key))
	}
	return ""
}

// acceptCommand is the command that applies a held plan.
func acceptCommand(key string) string {
	return "udrul sync --accept " + safeout.ShellArg(key)
}

// fileName is the name of the file read, for people.
func fileName(in Input) string {
	if in.Doc.Name != "" {
		return in.Doc.Name
	}
	if in.Location != "" && !strings.Contains(in.Location, "://") {
		return path.Base(strings.ReplaceAll(in.Location, "\\", "/"))
	}
	return "the file"
}

// quoteTitle quotes a title for a message, cut to 60 letters.
func quoteTitle(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		s = string([]rune(s)[:59]) + "…"
	}
	return "“" + s + "”"
}

// lineMismatch returns why a read whose own Kommune or Løsning line, or
// its title, names another plan than the one it is read into (from the
// source's settings or the file name) must be held, or "". A name the
// parser could not make one of the 98 municipalities (an alias, a
// misspelling) is left to identification, and a solution written as a
// name rather than a code is not compared.
func lineMismatch(in Input, key, file string) string {
	md := in.Plan.Metadata
	if said(md.MunicipalityFrom) && md.Municipality != "" {
		if name, err := municipality.Canonical(md.Municipality); err == nil && name != in.Municipality {
			return lineReason("Kommune", md.MunicipalityFrom, key, file)
		}
	}
	if said(md.SolutionFrom) && looksLikeCode(md.Solution) && !strings.EqualFold(md.Solution, in.Solution) {
		return lineReason("Løsning", md.SolutionFrom, key, file)
	}
	return ""
}

// said reports whether a name was read from the sheet itself: a line or a
// title (not the file name).
func said(o model.Origin) bool { return o.Kind == model.FromLine || o.Kind == model.FromTitle }

func lineReason(word string, o model.Origin, key, file string) string {
	at := ""
	if o.Pos.Sheet != "" && o.Pos.Cell != "" {
		at = fmt.Sprintf(" (at %s!%s)", o.Pos.Sheet, o.Pos.Cell)
	}
	says := "the sheet says " + quoteTitle(word+": "+strings.TrimSpace(o.Text))
	if o.Kind == model.FromTitle {
		says = "the sheet's title names " + quoteTitle(strings.TrimSpace(o.Text))
	}
	return fmt.Sprintf("%s%s, but it is read as the plan %s: is another plan saved over %s? Nothing was applied; correct the sheet or the file name, or apply this read once: %s",
		says, at, key, file, acceptCommand(key))
}

// looksLikeCode reports whether a solution as written on its line is a
// code (KY, KSD, SAPA) rather than a name ("Kommunernes Ydelsessystem").
func looksLikeCode(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 8 {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
			return false
		}
	}
	return true
}

// retitled counts the active stored tasks whose title changed beyond small
// edits: paired with a task of another title, or lost while a new task of
// another title took their place (rows overwritten: as many as both lost
// and added tasks, not counting a lost task whose title came back as a new
// task, such as a task of a renamed step whose title is not unique). It
// returns an example for people and whether the example was paired by ID.
func retitled(old []store.Task, tasks []model.Task, pairs []Pair, lost map[int]bool) (n int, example string, byID bool) {
	var added []int
	for _, p := range pairs {
		nt := &tasks[p.New]
		if p.Old < 0 {
			added = append(added, p.New)
			continue
		}
		ot := &old[p.Old]
		if ot.Removed() || SimilarTitle(ot.Title, nt.Title) {
			continue
		}
		if n == 0 {
			example = quoteTitle(ot.Title) + " → " + quoteTitle(nt.Title)
			if ot.Task.ID != "" && ot.Task.ID == nt.ID {
				example, byID = "ID "+nt.ID+": "+example, true
			}
		}
		n++
	}
	if len(lost) == 0 || len(added) == 0 {
		return n, example, byID
	}
	// Lost tasks whose titles came back, and the new tasks that brought
	// them, are not overwritten rows.
	gone := map[string][]int{}
	for i := range old {
		if lost[i] {
			k := foldTitle(old[i].Title)
			gone[k] = append(gone[k], i)
		}
	}
	back := map[int]bool{}
	var fresh []int
	for _, j := range added {
		k := foldTitle(tasks[j].Title)
		if is := gone[k]; len(is) > 0 {
			back[is[0]], gone[k] = true, is[1:]
			continue
		}
		fresh = append(fresh, j)
	}
	// Titles only retyped and moved where Match cannot pair them (no ID,
	// another row) are not another plan's either; compared pairwise while
	// that stays cheap.
	if rest := len(lost) - len(back); rest*len(fresh) <= 100_000 {
		var left []int
		for i := range lost {
			if !back[i] {
				left = append(left, i)
			}
		}
		sort.Ints(left)
		kept := fresh[:0:0]
		for _, j := range fresh {
			found := false
			for _, i := range left {
				if !back[i] && SimilarTitle(old[i].Title, tasks[j].Title) {
					back[i], found = true, true
					break
				}
			}
			if !found {
				kept = append(kept, j)
			}
		}
		fresh = kept
	}
	replaced := min(len(lost)-len(back), len(fresh))
	if n == 0 && replaced > 0 {
		for i := range old {
			if lost[i] && !back[i] {
				example = quoteTitle(old[i].Title) + " → " + quoteTitle(tasks[fresh[0]].Title)
				break
			}
		}
	}
	return n + replaced, example, byID
}

// cutOff reports whether the lost tasks are the end of the plan: the last
// ones in sheet order (sheets in the order the read has them, a sheet gone
// entirely counted last), with at most one new task after the last task
// kept (the row the cut went through). It returns the first lost task.
func cutOff(old []store.Task, tasks []model.Task, pairs []Pair, lost map[int]bool) (store.Task, bool) {
	rank := map[string]int{}
	for _, t := range tasks {
		if _, ok := rank[t.Pos.Sheet]; !ok {
			rank[t.Pos.Sheet] = len(rank)
		}
	}
	var order []int
	for i, t := range old {
		if t.Removed() {
			continue
		}
		if _, ok := rank[t.Pos.Sheet]; !ok {
			rank[t.Pos.Sheet] = len(rank)
		}
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := old[order[a]].Pos, old[order[b]].Pos
		if rank[x.Sheet] != rank[y.Sheet] {
			return rank[x.Sheet] < rank[y.Sheet]
		}
		return x.Row < y.Row
	})
	tail := order[len(order)-len(lost):]
	for _, i := range tail {
		if !lost[i] {
			return store.Task{}, false
		}
	}
	trailingNew := 0
	for k := len(pairs) - 1; k >= 0 && pairs[k].Old < 0; k-- {
		trailingNew++
	}
	if trailingNew > 1 {
		return store.Task{}, false // the end was rewritten, not cut
	}
	return old[tail[0]], true
}

// SimilarTitle reports whether title b is title a with small edits: case,
// spacing, punctuation, æ/ø/å written as ae/oe/aa (or a/o), words joined or
// split, a typo, or most words kept (as SameTitle, either way: a title
// shortened or lengthened).
func SimilarTitle(a, b string) bool {
	if a == b {
		return true
	}
	fa, fb := foldTitle(a), foldTitle(b)
	if fa == fb || equalNoSpace(fa, fb) {
		return true
	}
	wa, wb := foldedWords(fa), foldedWords(fb)
	if sameWords(wa, wb) || sameWords(wb, wa) {
		return true
	}
	if len(fa) > 80 || len(fb) > 80 {
		return false
	}
	ra, rb := []rune(fa), []rune(fb)
	return withinEdits(ra, rb, max(1, min(len(ra), len(rb))/5))
}

// equalNoSpace reports whether a and b are equal but for spaces.
func equalNoSpace(a, b string) bool {
	i, j := 0, 0
	for {
		for i < len(a) && a[i] == ' ' {
			i++
		}
		for j < len(b) && b[j] == ' ' {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] {
			return false
		}
		i, j = i+1, j+1
	}
}

// foldedSmallWords are smallWords as foldTitle writes them.
var foldedSmallWords = func() map[string]bool {
	m := map[string]bool{}
	for w := range smallWords {
		m[foldTitle(w)] = true
	}
	return m
}()

// maxTitleWords bounds the words compared of a title: titles are a few
// words, and a sheet of paragraph-long titles must not make the guard
// quadratic in their length.
const maxTitleWords = 32

// foldedWords are the first maxTitleWords words of a folded title, small
// words aside.
func foldedWords(s string) []string {
	out := strings.Fields(s)
	n := 0
	for _, w := range out {
		if n == maxTitleWords {
			break
		}
		if !foldedSmallWords[w] {
			out[n] = w
			n++
		}
	}
	return out[:n]
}

// sameWords is SameTitle's rule on words: more than half of wa are in wb,
// and they make at least a third of wb.
func sameWords(wa, wb []string) bool {
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	matched := 0
	for _, x := range wa {
		for _, y := range wb {
			if wordLike(x, y) {
				matched++
				break
			}
		}
	}
	return matched*2 > len(wa) && matched*3 >= len(wb)
}

// folder folds the transliterations of æ, ø, å (after foldTitle's letters).
var folder = strings.NewReplacer("aa", "a", "ae", "a", "oe", "o")

// foldTitle writes a title in lower case with æ, ø, å and their
// transliterations folded to a, o, a, accents dropped, and every run of
// other characters than letters and digits as one space.
func foldTitle(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = unicode.ToLower(r)
		switch r {
		case 'æ', 'å', 'á', 'à', 'ä', 'â':
			r = 'a'
		case 'ø', 'ó', 'ò', 'ö', 'ô':
			r = 'o'
		case 'é', 'è', 'ë', 'ê':
			r = 'e'
		case 'ü', 'ú', 'ù', 'û':
			r = 'u'
		case 'í', 'ì', 'ï', 'î':
			r = 'i'
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return folder.Replace(b.String())
}

// withinEdits reports whether a and b differ by at most k inserted,
// deleted or replaced letters (a banded edit distance: O(len·k)).
func withinEdits(a, b []rune, k int) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > k {
		return false
	}
	const far = 1 << 30
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
		if j > k {
			prev[j] = far
		}
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-k), min(len(b), i+k)
		for j := range cur {
			cur[j] = far
		}
		if i <= k {
			cur[0] = i
		}
		best := far
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
			cur[j] = v
			best = min(best, v)
		}
		if best > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)] <= k
}
