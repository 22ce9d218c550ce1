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
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
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
	// Rematched says the plan's tasks changed between Prepare and Apply
	// (another writer): the read was matched again inside the transaction.
	Rematched bool
}

// Changes is the number of tasks added, changed, removed or restored.
func (o Outcome) Changes() int { return o.Added + o.Changed + o.Removed + o.Restored }

// Apply reconciles one plan read into the store, in one transaction. The
// stored tasks are read and matched before the write lock is taken (see
// Prepare).
func Apply(ctx context.Context, db *store.DB, in Input) (Outcome, error) {
	p, err := Prepare(ctx, db, in)
	if err != nil {
		return Outcome{}, err
	}
	return p.Apply(ctx, db)
}

// Prepared is a read matched against the plan's stored tasks as they were
// committed when it was prepared, outside the write lock, so that other
// writers wait only for the writes.
type Prepared struct {
	in    Input
	found bool
	plan  store.Plan // as found: its ID and revision
	old   []store.Task
	pairs []Pair
	rest  []int
}

// Prepare reads the plan's stored tasks and matches the read to them,
// without taking the write lock. It may run beside other work; Apply
// checks that the plan did not change meanwhile.
func Prepare(ctx context.Context, db *store.DB, in Input) (*Prepared, error) {
	p := &Prepared{in: in}
	var err error
	// The revision is read before the tasks: a writer committing between
	// the two moves it, and Apply matches again.
	if p.plan, p.found, err = db.FindPlan(ctx, in.Municipality, in.Solution); err != nil {
		return nil, fmt.Errorf("reconcile %s/%s: %w", in.Municipality, in.Solution, err)
	}
	if p.found {
		if p.old, err = db.PlanTasks(ctx, p.plan.ID); err != nil {
			return nil, fmt.Errorf("reconcile %s/%s: read tasks: %w", in.Municipality, in.Solution, err)
		}
	}
	p.pairs, p.rest = Match(p.old, in.Plan.Tasks)
	return p, nil
}

// An Updater runs write transactions: a *store.DB, or a *store.Writer
// for a series of them (a sync's plans).
type Updater interface {
	Update(ctx context.Context, fn func(*store.Tx) error) error
}

// Apply writes the prepared read in one write transaction. Holding the
// lock, it checks that the plan's tasks are still those it was matched
// to (the plan's revision), and matches again if they are not.
func (p *Prepared) Apply(ctx context.Context, db Updater) (Outcome, error) {
	var out Outcome
	err := db.Update(ctx, func(tx *store.Tx) error {
		var err error
		out, err = p.apply(tx)
		return err
	})
	if err != nil {
		return Outcome{}, fmt.Errorf("reconcile %s/%s: %w", p.in.Municipality, p.in.Solution, err)
	}
	return out, nil
}

// curTasks are the slices apply gathers a plan's current tasks in.
var curTasks = sync.Pool{New: func() any { return new([]store.Task) }}

func (p *Prepared) apply(tx *store.Tx) (Outcome, error) {
	in := p.in
	out := Outcome{PlanKey: in.Municipality + "/" + in.Solution}
	plan, found, err := tx.FindPlan(in.Municipality, in.Solution)
	if err != nil {
		return out, err
	}
	again := found != p.found || (found && (plan.ID != p.plan.ID || plan.Revision != p.plan.Revision))
	// Another writer changed the plan since it was matched.
	out.Rematched = again
	if found && !again {
		// The tasks matched were read before the lock, and the sync packs
		// what it read with what it writes: a plan without its packed
		// value had its tasks changed by something that moves no
		// revision (a hand edit deletes the value), or was not packed
		// (an upgraded database): its tasks are read again.
		has, err := tx.HasPacked(plan.ID)
		if err != nil {
			return out, err
		}
		again = !has
	}
	if again {
		p.old = nil
		if found {
			if p.old, err = tx.PlanTasks(plan.ID); err != nil {
				return out, err
			}
		}
		p.found, p.plan = found, plan
		p.pairs, p.rest = Match(p.old, in.Plan.Tasks)
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

	old, pairs, unmatchedOld := p.old, p.pairs, p.rest
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

	// cur is the plan's tasks as written, packed at the end (in a slice
	// the writer uses plan after plan: 52 MB of a first sync's allocations
	// made each plan's anew).
	curBuf := curTasks.Get().(*[]store.Task)
	cur := slices.Grow((*curBuf)[:0], len(pairs))
	defer func() {
		clear(cur) // what it held is let go
		*curBuf = cur[:0]
		curTasks.Put(curBuf)
	}()
	for _, pr := range pairs {
		nt := in.Plan.Tasks[pr.New]
		if pr.Old < 0 {
			id, err := tx.InsertTask(plan.ID, in.RunID, nt)
			if err != nil {
				return out, err
			}
			cur = append(cur, store.Task{ID: id, PlanID: plan.ID, Task: nt, BaselineStart: nt.Start, BaselineEnd: nt.End,
				CreatedRun: in.RunID, UpdatedRun: in.RunID})
			out.Added++
			continue
		}
		ot := old[pr.Old]
		changes := Diff(ot.Task, nt)
		if ot.Removed() {
			changes = append(changes, FieldChange{"restored", "", ""})
			out.Restored++
		} else if len(changes) > 0 {
			out.Changed++
		}
		moved := ot.Pos != nt.Pos
		if len(changes) == 0 && !moved {
			cur = append(cur, ot)
			continue
		}
		if err := tx.UpdatePlanTask(plan.ID, ot.ID, in.RunID, nt); err != nil {
			return out, err
		}
		cur = append(cur, updated(ot, nt, in.RunID))
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
		if err := tx.RemovePlanTask(plan.ID, t.ID, in.RunID); err != nil {
			return out, err
		}
		if err := tx.AddChange(t.ID, in.RunID, "removed", t.Title, ""); err != nil {
			return out, err
		}
		out.Removed++
	}
	if err := tx.PackPlan(plan.ID, cur); err != nil {
		return out, err
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

// updated is a stored task as UpdatePlanTask leaves it given the new read
// nt: nt's fields, in the sheet again, updated by run, and a baseline date
// that was not known filled.
func updated(ot store.Task, nt model.Task, run int64) store.Task {
	t := ot
	t.Task = nt
	t.UpdatedRun = run
	t.RemovedAt = time.Time{}
	if t.BaselineStart.IsZero() {
		t.BaselineStart = nt.Start
	}
	if t.BaselineEnd.IsZero() {
		t.BaselineEnd = nt.End
	}
	return t
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
	if a.Start != b.Start {
		add("start", a.Start.String(), b.Start.String())
	}
	if a.End != b.End {
		add("end", a.End.String(), b.End.String())
	}
	add("start_text", a.StartAs.Text, b.StartAs.Text)
	add("end_text", a.EndAs.Text, b.EndAs.Text)
	add("status", string(a.Status), string(b.Status))
	if a.Status == b.Status {
		add("raw_status", a.RawStatus, b.RawStatus)
	}
	add("notes", a.Notes, b.Notes)
	add("health", a.Health, b.Health)
	if len(a.After) > 0 || len(b.After) > 0 {
		add("after", model.JoinAfter(a.After), model.JoinAfter(b.After))
	}
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
	pairs := make([]Pair, len(tasks))
	if len(old) == 0 {
		// A new plan: nothing to match.
		for j := range tasks {
			pairs[j] = Pair{New: j, Old: -1}
		}
		return pairs, nil
	}
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
	compatible := func(i int, t *model.Task) bool {
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
	// The normalised step and title of every task, computed once.
	oldNorm, newNorm := make([]normed, len(old)), make([]normed, len(tasks))
	for i := range old {
		oldNorm[i] = normed{norm(old[i].Step), norm(old[i].Title)}
	}
	for j := range tasks {
		newNorm[j] = normed{norm(tasks[j].Step), norm(tasks[j].Title)}
	}
	newKeys := make([]string, len(tasks))
	// pass pairs the tasks left by their keys; key(t, n) is "" for a task
	// the pass cannot pair.
	pass := func(key func(t *model.Task, n normed) string, unique bool, same func(a, b model.Task) bool) {
		idx := map[string][]int{}
		for _, i := range order {
			if used[i] {
				continue
			}
			if k := key(&old[i].Task, oldNorm[i]); k != "" {
				idx[k] = append(idx[k], i)
			}
		}
		if len(idx) == 0 {
			return
		}
		newCount := map[string]int{}
		for j := range tasks {
			newKeys[j] = ""
			if match[j] < 0 {
				newKeys[j] = key(&tasks[j], newNorm[j])
				if unique {
					newCount[newKeys[j]]++
				}
			}
		}
		for j := range tasks {
			if match[j] >= 0 {
				continue
			}
			k := newKeys[j]
			if k == "" || (unique && (newCount[k] > 1 || len(idx[k]) > 1)) {
				continue
			}
			for _, i := range idx[k] {
				if !used[i] && compatible(i, &tasks[j]) && (same == nil || same(old[i].Task, tasks[j])) {
					used[i], match[j] = true, i
					break
				}
			}
		}
	}
	pass(func(t *model.Task, _ normed) string { return t.ID }, true, nil)
	pass(func(_ *model.Task, n normed) string { return n.step + "\x00" + n.title }, false, nil)
	pass(func(_ *model.Task, n normed) string { return n.title }, true, nil)
	pass(func(t *model.Task, n normed) string {
		if t.Start.IsZero() && t.End.IsZero() {
			return ""
		}
		return t.Pos.Sheet + "\x00" + strconv.Itoa(t.Pos.Row) + "\x00" + n.step + "\x00" + dateKey(t.Start) + "\x00" + dateKey(t.End)
	}, true, renamedInPlace)
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

// normed is a task's step and title normalised for matching.
type normed struct{ step, title string }

// dateKey is a date in a match key: distinct dates, distinct keys.
func dateKey(d model.Date) string {
	if d.IsZero() {
		return ""
	}
	return strconv.Itoa(d.Year) + "-" + strconv.Itoa(int(d.Month)) + "-" + strconv.Itoa(d.Day)
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
	return sameWords(titleWords(a), titleWords(b))
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
