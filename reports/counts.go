package reports

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// The progress chart's weeks: 12 back and 12 ahead of the as-of week.
const (
	weeksBack     = 12
	weeksAhead    = 12
	progressWeeks = weeksBack + 1 + weeksAhead
)

// weekEnds returns the Sundays ending the progress chart's weeks.
func weekEnds(asOf model.Date) [progressWeeks]model.Date {
	weekday := int(asOf.Weekday()+6) % 7 // Monday 0
	sunday := asOf.AddDays(6 - weekday)
	var out [progressWeeks]model.Date
	for k := range out {
		out[k] = sunday.AddDays(7 * (k - weeksBack))
	}
	return out
}

// TaskCounts are one plan's task figures: what the sheets other than the
// task list show of its tasks.
type TaskCounts struct {
	Tasks    int
	ByStatus map[model.Status]int
	// Due counts the tasks with an end date on or before the as-of date.
	Due int
	// EndWeek[k] counts the tasks whose end date falls in the progress
	// chart's week k (the first also counts every earlier one, later ones
	// are not counted): the chart's planned share is their running sum.
	EndWeek [progressWeeks]int
	// Sum fingerprints the tasks as the task list shows them, so that a
	// list streamed afterwards is checked to hold the tasks counted.
	Sum uint64
}

func (c *TaskCounts) done() int { return c.ByStatus[model.Done] + c.ByStatus[model.Cancelled] }

// counter adds tasks to their plans' counts.
type counter struct {
	asOf   model.Date
	ends   [progressWeeks]model.Date
	counts map[int64]*TaskCounts
	h      maphash.Hash
}

// seed makes the fingerprints of one process comparable with each other.
var seed = maphash.MakeSeed()

func newCounter(asOf model.Date) *counter {
	c := &counter{asOf: asOf, ends: weekEnds(asOf), counts: map[int64]*TaskCounts{}}
	c.h.SetSeed(seed)
	return c
}

func (c *counter) add(t *store.PlanTask) {
	pc := c.counts[t.PlanID]
	if pc == nil {
		pc = &TaskCounts{ByStatus: map[model.Status]int{}}
		c.counts[t.PlanID] = pc
	}
	pc.Tasks++
	pc.ByStatus[t.Status]++
	if !t.End.IsZero() {
		if !t.End.After(c.asOf) {
			pc.Due++
		}
		k := 0
		if off := c.ends[0].DaysUntil(t.End); off > 0 {
			k = (off + 6) / 7
		}
		if k < progressWeeks {
			pc.EndWeek[k]++
		}
	}
	pc.Sum += fingerprint(&c.h, t)
}

// fingerprint hashes what the task list shows of t.
func fingerprint(h *maphash.Hash, t *store.PlanTask) uint64 {
	h.Reset()
	var b [8 * 12]byte
	for i, n := range []int64{t.ID, t.PlanID, int64(t.Pos.Row), dateNum(t.Start), dateNum(t.End), dateNum(t.BaselineEnd)} {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(n))
	}
	h.Write(b[:48])
	for _, s := range []string{t.Step, t.Task.Task.ID, t.Title, t.Responsible, t.Performer, t.StartAs.Text, t.EndAs.Text,
		string(t.Status), t.RawStatus, t.Health, t.Pos.Sheet} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	return h.Sum64()
}

func dateNum(d model.Date) int64 { return int64(d.Year)<<16 | int64(d.Month)<<8 | int64(d.Day) }

// Summarizer counts tasks a group at a time, for a caller that evaluates
// the portfolio a municipality at a time (detect.Stream): each group's
// findings and tasks are added while they are at hand, and Finish sets
// Data's Counts and FindingTasks as Summarize does.
type Summarizer struct {
	c     *counter
	sums  *FindingSums
	found map[int64]*store.PlanTask // nil: not kept
}

// NewSummarizer returns a Summarizer for asOf; with keep set, it keeps a
// copy of the tasks the findings name (for Write; a report written with
// Begin makes its findings' rows as the groups are added, and needs none).
func NewSummarizer(asOf model.Date, keep bool) *Summarizer {
	s := &Summarizer{c: newCounter(asOf), sums: NewFindingSums()}
	if keep {
		s.found = map[int64]*store.PlanTask{}
	}
	return s
}

// Add counts tasks and findings, and keeps a copy of the tasks findings
// name (a finding names a task of its own group) when asked to.
func (s *Summarizer) Add(findings []model.Finding, tasks []store.PlanTask) {
	s.sums.Add(findings)
	if s.found == nil {
		for i := range tasks {
			s.c.add(&tasks[i])
		}
		return
	}
	want := make(map[int64]bool, len(findings))
	for _, f := range findings {
		if f.TaskID != 0 {
			want[f.TaskID] = true
		}
	}
	for i := range tasks {
		t := &tasks[i]
		s.c.add(t)
		if want[t.ID] {
			cp := *t
			s.found[t.ID] = &cp
		}
	}
}

// Finish sets d's Counts, FindingSums and FindingTasks (when kept).
func (s *Summarizer) Finish(d *Data) {
	d.Counts, d.FindingSums, d.FindingTasks = s.c.counts, s.sums, s.found
}

// Summarize sets Counts and FindingTasks from the tasks each yields (the
// tasks a caller that streams them has at hand before it lets them go),
// for AsOf and Findings, which are set before.
func (d *Data) Summarize(each func(fn func(*store.PlanTask) error) error) error {
	c := newCounter(d.AsOf)
	want := d.findingTaskIDs()
	found := map[int64]*store.PlanTask{}
	err := each(func(t *store.PlanTask) error {
		c.add(t)
		if want[t.ID] {
			cp := *t
			found[t.ID] = &cp
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("count the tasks: %w", err)
	}
	d.Counts, d.FindingTasks = c.counts, found
	return nil
}

func (d *Data) findingTaskIDs() map[int64]bool {
	want := map[int64]bool{}
	for _, f := range d.Findings {
		if f.TaskID != 0 {
			want[f.TaskID] = true
		}
	}
	return want
}

// eachSlice iterates over tasks.
func eachSlice(tasks []store.PlanTask) func(fn func(*store.PlanTask) error) error {
	return func(fn func(*store.PlanTask) error) error {
		for i := range tasks {
			if err := fn(&tasks[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// counts returns Counts, or counts Tasks.
func (d *Data) counts() map[int64]*TaskCounts {
	if d.Counts != nil || d.Tasks == nil {
		return d.Counts
	}
	c := newCounter(d.AsOf)
	for i := range d.Tasks {
		c.add(&d.Tasks[i])
	}
	return c.counts
}

// tasks returns the iterator over the tasks: Tasks, or EachTask.
func (d *Data) tasks() func(fn func(*store.PlanTask) error) error {
	if d.Tasks != nil || d.EachTask == nil {
		return eachSlice(d.Tasks)
	}
	return func(fn func(*store.PlanTask) error) error { return d.EachTask(d.Plans, fn) }
}

// prepared returns d with Counts and FindingTasks set, and whether the
// task list must be checked against Counts (when they were not counted
// from the very tasks it lists). A caller that counts the tasks itself
// sets both (Summarize, Summarizer).
func (d *Data) prepared() (*Data, bool, error) {
	if d.Counts != nil {
		if d.FindingTasks == nil {
			return nil, false, errors.New("the report's task figures are without the findings' tasks")
		}
		return d, true, nil
	}
	out := *d
	if err := out.Summarize(d.tasks()); err != nil {
		return nil, false, err
	}
	return &out, d.Tasks == nil, nil
}
