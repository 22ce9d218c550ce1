// Package forecast answers "will the go-live hold?" for one plan: from its
// tasks' dates, statuses and the order they must follow (the standard plan's
// chain, or the sheet's own dependency column), it computes when each task
// will finish, in Danish working days, and so when the plan will be ready
// for go-live, the slack against the wave's go-live date, and the chain of
// tasks that drives it.
//
// The rules, for a plan evaluated on a day "today":
//   - a done task is finished (on its end date, or today if that is later
//     than today: it cannot finish in the future);
//   - a cancelled task is left out, and so are the links through it;
//   - an in-progress task finishes on its end date, or, when that has
//     passed, no earlier than today plus a share of its planned duration;
//   - any other task (not started, on hold, unknown) cannot start before its
//     own start date, nor before today, nor before the working day after its
//     predecessors finish; it then takes its planned duration.
//
// Durations count working days from start to end, both included.
package forecast

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/workdays"
)

// Task is one task of the plan as the forecast sees it.
type Task struct {
	// Key identifies the task within the plan (the store's task ID, a row
	// number, or the standard title for an assumed task).
	Key   string
	Title string
	Start model.Date
	End   model.Date
	// BaselineEnd, when set, is the end date agreed at the baseline: a
	// task's delay is counted from it (else from End).
	BaselineEnd model.Date
	// Duration, when set, is the planned working days to use when the
	// task's own dates do not give them (the standard plan's duration).
	Duration int
	// Status is the canonical status; statuses the forecast does not know
	// are treated as not started.
	Status model.Status
	// After holds the keys of the tasks this one follows.
	After []string
	// BeforeGoLive is set for the tasks that must be finished before the
	// go-live (the steps the standard plan marks so, or the plan's own
	// rule); readiness is the last of their finishes.
	BeforeGoLive bool
	// Assumed marks a task the standard chain needs but the plan lacks: its
	// dates come from the standard plan's duration, and messages say so.
	Assumed bool
}

// Options tunes the forecast.
type Options struct {
	Today    model.Date
	Calendar *workdays.Calendar
	// OverdueShare is the share of its planned duration that an overdue
	// in-progress task is still expected to take from today (0.25 when 0).
	OverdueShare float64
}

// Finish is the forecast of one task.
type Finish struct {
	Key    string
	Title  string
	Start  model.Date // forecast start (zero for done tasks)
	Finish model.Date // forecast finish
	// Delay is the working days between the task's planned end (its
	// baseline end when known) and its forecast finish (positive: later).
	Delay int
	// By is the key of the predecessor that decided the start, when a
	// predecessor did (else "").
	By      string
	Assumed bool
}

// Result is a plan's forecast.
type Result struct {
	// Ready is when the last task that must precede go-live finishes; zero
	// when no such task has a date.
	Ready model.Date
	// GoLive is the go-live the slack is measured against.
	GoLive model.Date
	// Slack is the working days from Ready to GoLive: positive while ready
	// before go-live, 0 when ready on the day, negative when ready after it
	// (-4: four working days late). Meaningful when both dates are known.
	Slack int
	// PlannedSlack is the slack the plan's own dates give (no forecast);
	// PlannedKnown is false when no task that must precede go-live has an
	// end date, and PlannedSlack means nothing then.
	PlannedSlack int
	PlannedKnown bool
	// Chain is the driving chain, first task first: the task that decides
	// Ready and, back through each start decided by a predecessor, the
	// tasks that pushed it.
	Chain []Finish
	// Tasks holds every task's forecast, in input order (cancelled tasks
	// left out).
	Tasks []Finish
}

// ErrCycle is returned (wrapped, naming the tasks) when the dependencies
// form a cycle; nothing is forecast then.
var ErrCycle = errors.New("the tasks' dependencies form a cycle")

// CycleError names the tasks of a dependency cycle.
type CycleError struct {
	Keys, Titles []string
}

func (e *CycleError) Error() string {
	return fmt.Sprintf("%v: %s", ErrCycle, strings.Join(e.Titles, " → "))
}

func (e *CycleError) Unwrap() error { return ErrCycle }

// Plan forecasts a plan. goLive may be zero (no slack then).
func Plan(tasks []Task, goLive model.Date, opts Options) (*Result, error) {
	cal := opts.Calendar
	if cal == nil {
		cal = workdays.New()
	}
	share := opts.OverdueShare
	if share <= 0 {
		share = 0.25
	}
	today := opts.Today
	index := make(map[string]int, len(tasks))
	for i, t := range tasks {
		if _, dup := index[t.Key]; dup {
			return nil, fmt.Errorf("task key %q appears twice", t.Key)
		}
		index[t.Key] = i
	}
	order, err := topoOrder(tasks, index)
	if err != nil {
		return nil, err
	}
	finish := make([]Finish, len(tasks))
	known := make([]bool, len(tasks)) // has a forecast finish
	for _, i := range order {
		t := tasks[i]
		f := Finish{Key: t.Key, Title: t.Title, Assumed: t.Assumed}
		if t.Status == model.Cancelled {
			// Dropped, but not a shortcut: its successors still wait for
			// what it waited for.
			for _, p := range t.After {
				if j, ok := index[p]; ok && known[j] && (!known[i] || finish[j].Finish.After(f.Finish)) {
					f.Finish, f.By = finish[j].Finish, throughBy(finish[j], p, tasks[j])
					known[i] = true
				}
			}
			finish[i] = f
			continue
		}
		dur := duration(cal, t.Start, t.End)
		if (t.Start.IsZero() || t.End.IsZero()) && t.Duration > 0 {
			dur = t.Duration
		}
		switch t.Status {
		case model.Done:
			f.Finish = t.End
			if f.Finish.IsZero() || f.Finish.After(today) {
				f.Finish = today
			}
		case model.InProgress:
			f.Finish = t.End
			if f.Finish.IsZero() || f.Finish.Before(today) {
				f.Finish = cal.Add(nextWorkday(cal, today), int(math.Ceil(share*float64(dur)))-1)
				if !t.End.IsZero() && f.Finish.Before(t.End) {
					f.Finish = t.End
				}
			}
		default:
			start := t.Start
			if start.IsZero() && !t.End.IsZero() {
				start = cal.Add(t.End, -(dur - 1))
			}
			if start.IsZero() || start.Before(today) {
				start = today
			}
			for _, p := range t.After {
				j, ok := index[p]
				if !ok || !known[j] {
					continue
				}
				if after := cal.Add(finish[j].Finish, 1); !after.Before(start) {
					start, f.By = after, throughBy(finish[j], p, tasks[j])
				}
			}
			if start.IsZero() {
				finish[i] = f
				continue
			}
			start = nextWorkday(cal, start)
			f.Start = start
			f.Finish = cal.Add(start, dur-1)
		}
		if planned := t.BaselineEnd; !planned.IsZero() {
			f.Delay = cal.Between(planned, f.Finish)
		} else if !t.End.IsZero() {
			f.Delay = cal.Between(t.End, f.Finish)
		}
		finish[i], known[i] = f, true
	}
	r := &Result{GoLive: goLive, Tasks: finish}
	readyAt, plannedReady := -1, model.Date{}
	for i, t := range tasks {
		if t.Status == model.Cancelled {
			if len(r.Tasks) == len(finish) { // the others, without the cancelled (finish is read below)
				r.Tasks = append(make([]Finish, 0, len(finish)-1), finish[:i]...)
			}
			continue
		}
		if len(r.Tasks) < len(finish) {
			r.Tasks = append(r.Tasks, finish[i])
		}
		if !t.BeforeGoLive || !known[i] {
			continue
		}
		if readyAt < 0 || finish[i].Finish.After(finish[readyAt].Finish) ||
			finish[i].Finish == finish[readyAt].Finish && finish[i].Delay > finish[readyAt].Delay {
			readyAt = i
		}
		if t.End.After(plannedReady) {
			plannedReady = t.End
		}
	}
	if readyAt < 0 {
		return r, nil
	}
	r.Ready = finish[readyAt].Finish
	if !goLive.IsZero() {
		r.Slack = cal.Between(r.Ready, goLive)
		if !plannedReady.IsZero() {
			r.PlannedSlack, r.PlannedKnown = cal.Between(plannedReady, goLive), true
		}
	}
	for i := readyAt; ; {
		r.Chain = append(r.Chain, finish[i])
		j, ok := index[finish[i].By]
		if finish[i].By == "" || !ok {
			break
		}
		i = j
	}
	for a, b := 0, len(r.Chain)-1; a < b; a, b = a+1, b-1 {
		r.Chain[a], r.Chain[b] = r.Chain[b], r.Chain[a]
	}
	return r, nil
}

// throughBy names the predecessor that decided a start: p itself, or, for
// a cancelled p, the task p waited for.
func throughBy(f Finish, p string, t Task) string {
	if t.Status == model.Cancelled {
		return f.By
	}
	return p
}

// duration is the planned working days from start to end, both included;
// 1 when the dates do not say.
func duration(cal *workdays.Calendar, start, end model.Date) int {
	if start.IsZero() || end.IsZero() || end.Before(start) {
		return 1
	}
	n := cal.Between(start, end)
	if cal.IsWorkday(start) {
		n++
	}
	return max(n, 1)
}

// nextWorkday is d, or the first working day after it.
func nextWorkday(cal *workdays.Calendar, d model.Date) model.Date {
	for !cal.IsWorkday(d) {
		d = d.AddDays(1)
	}
	return d
}

// topoOrder orders the tasks so that every task comes after the tasks it
// follows; dependencies on unknown keys are ignored. A cycle is an error
// naming its tasks.
func topoOrder(tasks []Task, index map[string]int) ([]int, error) {
	const (
		white = iota
		grey
		black
	)
	color := make([]uint8, len(tasks))
	order := make([]int, 0, len(tasks))
	var stack []int
	var visit func(i int) error
	visit = func(i int) error {
		switch color[i] {
		case black:
			return nil
		case grey:
			// The cycle is the stack from i's first appearance.
			k := len(stack) - 1
			for k >= 0 && stack[k] != i {
				k--
			}
			ce := &CycleError{}
			for _, j := range stack[k:] {
				ce.Keys = append(ce.Keys, tasks[j].Key)
				ce.Titles = append(ce.Titles, tasks[j].Title)
			}
			ce.Titles = append(ce.Titles, tasks[i].Title)
			return ce
		}
		color[i] = grey
		stack = append(stack, i)
		for _, p := range tasks[i].After {
			if j, ok := index[p]; ok {
				if err := visit(j); err != nil {
					return err
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
		order = append(order, i)
		return nil
	}
	// Visit in input order so that the result is deterministic.
	for i := range tasks {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return order, nil
}
