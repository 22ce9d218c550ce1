// Package reconcile applies a freshly read plan to the store: it matches the
// sheet's tasks to the stored ones, records every changed field, marks tasks
// that left the sheet as removed (and restores them if they come back), and
// holds back a read that lost most of the plan. Each plan is applied in one
// transaction.
package reconcile

import (
	"context"
	"fmt"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// Guard holds back reads that lose most of a plan.
type Guard struct {
	MaxLoss  float64 // share of active tasks that may disappear at once
	MinTasks int     // plans smaller than this are guarded only against losing all
}

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

	active := 0
	for _, t := range old {
		if !t.Removed() {
			active++
		}
	}
	lost := 0
	for _, i := range unmatchedOld {
		if !old[i].Removed() {
			lost++
		}
	}
	if why := in.Guard.check(active, lost, len(in.Plan.Tasks)); why != "" && !in.Accept {
		out.Held, out.HeldWhy = true, why
		// The applied content stays what it was; the held content is
		// remembered so that it is not re-read until it changes or is
		// accepted.
		doc := in.Doc
		doc.SourceID, doc.PlanID, doc.Version, doc.HeldHash, doc.LastError = in.SourceID, plan.ID, in.Version, in.Hash, ""
		if err := tx.SaveDocument(doc); err != nil {
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
	plan.Wave, plan.SourceID, plan.Location = in.Wave, in.SourceID, in.Location
	plan.State, plan.StateReason = store.PlanOK, ""
	plan.Metadata = in.Plan.Metadata.Extra
	plan.Health = in.Plan.Metadata.Health
	out.Unchanged = out.Changes() == 0 && !out.Created
	if err := tx.PlanRead(plan, !out.Unchanged); err != nil {
		return out, err
	}
	doc := in.Doc
	doc.SourceID, doc.PlanID, doc.Version, doc.ContentHash, doc.HeldHash, doc.LastError = in.SourceID, plan.ID, in.Version, in.Hash, "", ""
	return out, tx.SaveDocument(doc)
}

// check returns why a read must be held, or "".
func (g Guard) check(active, lost, now int) string {
	switch {
	case active == 0:
		return ""
	case now == 0:
		return fmt.Sprintf("the sheet has no tasks any more (it had %d): held until it recovers or is accepted", active)
	case active >= g.MinTasks && float64(lost) > g.MaxLoss*float64(active):
		return fmt.Sprintf("%d of %d tasks disappeared at once: held until the sheet recovers or is accepted", lost, active)
	}
	return ""
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
//  4. by sheet row, step and dates (a renamed task).
//
// Active stored tasks are preferred over removed ones. It returns the pairs
// in the read's order and the stored tasks left unmatched.
func Match(old []store.Task, tasks []model.Task) ([]Pair, []int) {
	used := make([]bool, len(old))
	match := make([]int, len(tasks))
	for i := range match {
		match[i] = -1
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
	pass := func(key func(model.Task) string, unique bool) {
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
			for n, i := range idx[k] {
				if !used[i] {
					used[i], match[j] = true, i
					idx[k] = idx[k][n+1:]
					break
				}
			}
		}
	}
	pass(func(t model.Task) string { return t.ID }, true)
	pass(func(t model.Task) string { return norm(t.Step) + "\x00" + norm(t.Title) }, false)
	pass(func(t model.Task) string { return norm(t.Title) }, true)
	pass(func(t model.Task) string {
		if t.Start.IsZero() && t.End.IsZero() {
			return ""
		}
		return fmt.Sprintf("%s\x00%d\x00%s\x00%s\x00%s", t.Pos.Sheet, t.Pos.Row, norm(t.Step), t.Start, t.End)
	}, true)
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
