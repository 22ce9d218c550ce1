// Package reconcile applies a freshly read plan to the store: it matches the
// sheet's tasks to the stored ones, records every changed field, marks tasks
// that left the sheet as removed (and restores them if they come back), and
// holds back a read that looks like an accident rather than an edit (guard.go:
// a sheet emptied, cut off or stripped of most tasks, another plan saved over
// the file). Each plan is applied in one transaction.
package reconcile

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// Input is one read of one plan.
type Input struct {
	RunID    int64
	SourceID int64
	Doc      store.Document // the document as stored before this read (Key set even when new)
	Version  string         // the document's version now (size and time, or Drive's)
	Hash     string         // the hash of the content read now
	Location string         // where it was read, for people

	Municipality string
	Solution     string
	Wave         string
	Plan         *model.Plan

	Guard  Guard
	Accept bool // apply even if the guard would hold it
}

// Outcome says what a reconciliation did.
type Outcome struct {
	PlanID    int64
	PlanKey   string
	Created   bool // the plan is new
	Added     int
	Changed   int // tasks with at least one changed field
	Removed   int
	Restored  int
	Held      bool
	HeldWhy   string
	Unchanged bool // nothing at all changed
}

// Changes is the number of tasks added, changed, removed or restored.
func (o Outcome) Changes() int { return o.Added + o.Changed + o.Removed + o.Restored }

// Apply reconciles one plan read into the store, in one transaction.
func Apply(ctx context.Context, db *store.DB, in Input) (Outcome, error) {
	var out Outcome
	err := db.Update(ctx, func(tx *store.Tx) error {
		var err error
		out, err = apply(tx, in)
		return err
	})
	if err != nil {
		return Outcome{}, fmt.Errorf("reconcile %s/%s: %w", in.Municipality, in.Solution, err)
	}
	return out, nil
}

func apply(tx *store.Tx, in Input) (Outcome, error) {
	out := Outcome{PlanKey: in.Municipality + "/" + in.Solution}
	plan, found, err := tx.FindPlan(in.Municipality, in.Solution)
	if err != nil {
		return out, err
	}
	if !found {
		plan = store.Plan{Municipality: in.Municipality, Solution: in.Solution, Wave: in.Wave, SourceID: in.SourceID, Location: in.Location}
		if plan.ID, err = tx.CreatePlan(plan); err != nil {
			return out, err
		}
		out.Created = true
	}
	out.PlanID = plan.ID

	// The document used to hold another plan (its municipality or solution
	// changed): that plan keeps its tasks and is marked gone if nothing
	// else feeds it.
	if in.Doc.PlanID != 0 && in.Doc.PlanID != plan.ID {
		others, err := tx.OtherDocuments(in.Doc.PlanID, in.SourceID, in.Doc.Key)
		if err != nil {
			return out, err
		}
		if others == 0 {
			if err := tx.SetPlanState(in.Doc.PlanID, store.PlanGone, fmt.Sprintf("%s now holds the plan %s", in.Location, out.PlanKey)); err != nil {
				return out, err
			}
		}
	}

	old, err := tx.PlanTasks(plan.ID)
	if err != nil {
		return out, err
	}
	pairs, unmatchedOld := Match(old, in.Plan.Tasks)

	if why := in.Guard.review(in, old, pairs, unmatchedOld); why != "" && !in.Accept {
		out.Held, out.HeldWhy = true, why
		// The applied content stays what it was; the held content is
		// remembered so that it is not re-read until it changes or is
		// accepted.
		doc := in.Doc
		doc.SourceID, doc.PlanID, doc.Version, doc.HeldHash, doc.LastError, doc.Location = in.SourceID, plan.ID, in.Version, in.Hash, "", in.Location
		if _, err := tx.SaveDocument(doc); err != nil {
			return out, err
		}
		return out, tx.SetPlanState(plan.ID, store.PlanHeld, why)
	}

	for _, p := range pairs {
		nt := in.Plan.Tasks[p.New]
		if p.Old < 0 {
			if _, err := tx.InsertTask(plan.ID, in.RunID, nt); err != nil {
				return out, err
			}
			out.Added++
			continue
		}
		ot := old[p.Old]
		changes := Diff(ot.Task, nt)
		if ot.Removed() {
			changes = append(changes, FieldChange{"restored", "", ""})
			out.Restored++
		} else if len(changes) > 0 {
			out.Changed++
		}
		moved := ot.Pos != nt.Pos
		if len(changes) == 0 && !moved {
			continue
		}
		if err := tx.UpdateTask(ot.ID, in.RunID, nt); err != nil {
			return out, err
		}
		for _, c := range changes {
			if err := tx.AddChange(ot.ID, in.RunID, c.Field, c.Old, c.New); err != nil {
				return out, err
			}
		}
	}
	for _, i := range unmatchedOld {
		t := old[i]
		if t.Removed() {
			continue
		}
		if err := tx.RemoveTask(t.ID, in.RunID); err != nil {
			return out, err
		}
		if err := tx.AddChange(t.ID, in.RunID, "removed", t.Title, ""); err != nil {
			return out, err
		}
		out.Removed++
	}
	if err := tx.ReplaceIssues(plan.ID, in.Plan.Issues); err != nil {
		return out, err
	}
	doc := in.Doc
	doc.SourceID, doc.PlanID, doc.Version, doc.ContentHash, doc.HeldHash, doc.LastError, doc.Location = in.SourceID, plan.ID, in.Version, in.Hash, "", "", in.Location
	docID, err := tx.SaveDocument(doc)
	if err != nil {
		return out, err
	}
	// The plan follows the document it was read from.
	out.Unchanged = out.Changes() == 0 && !out.Created
	plan.Wave, plan.SourceID, plan.DocumentID, plan.Location = in.Wave, in.SourceID, docID, in.Location
	plan.State, plan.StateReason = store.PlanOK, ""
	plan.Metadata = in.Plan.Metadata.Extra
	plan.Health = in.Plan.Metadata.Health
	return out, tx.PlanRead(plan, !out.Unchanged)
}

// FieldChange is one changed field.
type FieldChange struct {
	Field, Old, New string
}

// Diff lists the fields that differ between a stored task and a new read.
// The position in the sheet is not a change.
func Diff(a, b model.Task) []FieldChange {
	var out []FieldChange
	add := func(field, x, y string) {
		if x != y {
			out = append(out, FieldChange{field, x, y})
		}
	}
	add("step", a.Step, b.Step)
	add("id", a.ID, b.ID)
	add("title", a.Title, b.Title)
	add("responsible", a.Responsible, b.Responsible)
	add("performer", a.Performer, b.Performer)
	add("start", a.Start.String(), b.Start.String())
	add("end", a.End.String(), b.End.String())
	add("start_text", a.StartAs.Text, b.StartAs.Text)
	add("end_text", a.EndAs.Text, b.EndAs.Text)
	add("status", string(a.Status), string(b.Status))
	if a.Status == b.Status {
		add("raw_status", a.RawStatus, b.RawStatus)
	}
	add("notes", a.Notes, b.Notes)
	add("health", a.Health, b.Health)
	add("after", model.JoinAfter(a.After), model.JoinAfter(b.After))
	return out
}

// Pair matches a new task (index into the read) with a stored one (index
// into the stored tasks, or -1 for a new task).
type Pair struct{ New, Old int }

func norm(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Match pairs the tasks of a new read with the stored tasks of the plan:
//  1. by the plan's own ID, where the ID is unique in both;
//  2. by step and title;
//  3. by title alone (a task moved to another step);
//  4. by sheet row, step and dates, when the title stayed recognisably the
//     same (most of its words) and the status did not go back from done to
//     not started: a task renamed in place. A row overwritten with an
//     unrelated task is one task removed and one added.
//
// A task whose ID is unique in the read is never paired with a stored task
// that had another unique ID: in a plan with IDs a new ID is a new task,
// and only the title of a task keeping its ID may change.
//
// Active stored tasks are preferred over removed ones. It returns the pairs
// in the read's order and the stored tasks left unmatched.
func Match(old []store.Task, tasks []model.Task) ([]Pair, []int) {
	used := make([]bool, len(old))
	match := make([]int, len(tasks))
	for i := range match {
		match[i] = -1
	}
	oldIDs, newIDs := map[string]int{}, map[string]int{}
	for _, t := range old {
		if t.Task.ID != "" {
			oldIDs[t.Task.ID]++
		}
	}
	for _, t := range tasks {
		if t.ID != "" {
			newIDs[t.ID]++
		}
	}
	// compatible reports whether stored task i may be new task j as far as
	// their IDs tell.
	compatible := func(i int, t model.Task) bool {
		a, b := old[i].Task.ID, t.ID
		return a == b || a == "" || b == "" || oldIDs[a] > 1 || newIDs[b] > 1
	}
	// Candidates in preference order: active before removed, then oldest.
	order := make([]int, 0, len(old))
	for i, t := range old {
		if !t.Removed() {
			order = append(order, i)
		}
	}
	for i, t := range old {
		if t.Removed() {
			order = append(order, i)
		}
	}
	pass := func(key func(model.Task) string, unique bool, same func(a, b model.Task) bool) {
		idx := map[string][]int{}
		for _, i := range order {
			if used[i] {
				continue
			}
			if k := key(old[i].Task); k != "" {
				idx[k] = append(idx[k], i)
			}
		}
		newCount := map[string]int{}
		if unique {
			for j, t := range tasks {
				if match[j] < 0 {
					newCount[key(t)]++
				}
			}
		}
		for j, t := range tasks {
			if match[j] >= 0 {
				continue
			}
			k := key(t)
			if k == "" || (unique && (newCount[k] > 1 || len(idx[k]) > 1)) {
				continue
			}
			for _, i := range idx[k] {
				if !used[i] && compatible(i, t) && (same == nil || same(old[i].Task, t)) {
					used[i], match[j] = true, i
					break
				}
			}
		}
	}
	pass(func(t model.Task) string { return t.ID }, true, nil)
	pass(func(t model.Task) string { return norm(t.Step) + "\x00" + norm(t.Title) }, false, nil)
	pass(func(t model.Task) string { return norm(t.Title) }, true, nil)
	pass(func(t model.Task) string {
		if t.Start.IsZero() && t.End.IsZero() {
			return ""
		}
		return fmt.Sprintf("%s\x00%d\x00%s\x00%s\x00%s", t.Pos.Sheet, t.Pos.Row, norm(t.Step), t.Start, t.End)
	}, true, renamedInPlace)
	pairs := make([]Pair, len(tasks))
	for j := range tasks {
		pairs[j] = Pair{New: j, Old: match[j]}
	}
	var rest []int
	for i := range old {
		if !used[i] {
			rest = append(rest, i)
		}
	}
	return pairs, rest
}

// renamedInPlace reports whether b, read where a was, is a plausible new
// title of the same task: the title stayed recognisably the same and the
// status did not go back from done to not started.
func renamedInPlace(a, b model.Task) bool {
	if a.Status == model.Done && b.Status == model.NotStarted {
		return false
	}
	return SameTitle(a.Title, b.Title)
}

// SameTitle reports whether title b is recognisably title a edited: more
// than half of a's words are still in b, and they make at least a third of
// b's words. Words match when equal, when one begins with the other (at
// least four letters: "uddannelse", "uddannelsen"), or when they differ by
// one letter (five letters or more: a typo). Small words (og, i, af, the,
// and) do not count.
func SameTitle(a, b string) bool {
	wa, wb := titleWords(a), titleWords(b)
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

var smallWords = map[string]bool{
	"og": true, "i": true, "af": true, "med": true, "til": true, "for": true, "på": true, "om": true, "en": true, "et": true,
	"fra": true, "ved": true, "samt": true, "der": true, "som": true, "de": true, "det": true, "den": true,
	"the": true, "and": true, "of": true, "to": true, "in": true, "on": true, "a": true, "an": true, "at": true, "with": true,
}

func titleWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if !smallWords[w] {
			out = append(out, w)
		}
		if len(out) == maxTitleWords { // a paragraph: its first words (guard.go)
			break
		}
	}
	return out
}

func wordLike(x, y string) bool {
	if x == y {
		return true
	}
	rx, ry := []rune(x), []rune(y)
	short := min(len(rx), len(ry))
	if short >= 4 && (strings.HasPrefix(x, y) || strings.HasPrefix(y, x)) {
		return true
	}
	return short >= 5 && oneEdit(rx, ry)
}

// oneEdit reports whether a and b differ by one inserted, deleted or
// replaced letter.
func oneEdit(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return string(a[i+1:]) == string(b[i+1:])
	}
	return string(a[i:]) == string(b[i+1:])
}
