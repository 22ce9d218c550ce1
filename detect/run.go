package detect

import (
	"context"
	"fmt"
	"time"

	"github.com/udrul/udrul/forecast"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// Evaluation is a Result with its findings' lifecycle from the store.
type Evaluation struct {
	Result
	Input    Input // what was evaluated: the plans and tasks
	AsOf     model.Date
	Opened   []model.Finding // new since the previous evaluation
	Resolved []model.Finding // gone since the previous evaluation
	// Persisted says whether the lifecycle was saved: only a recorded
	// evaluation (today's) for a date not before the latest one is; any
	// other is a preview that leaves the store as it was.
	Persisted bool
	// Reevaluated counts the municipalities Collect evaluated again
	// because a sync changed their plans meanwhile (see Summary).
	Reevaluated int
}

// LoadInput reads plans, current tasks and the last week's changes.
func LoadInput(ctx context.Context, db *store.DB, asOf model.Date, loc *time.Location) (Input, error) {
	plans, err := db.ListPlans(ctx)
	if err != nil {
		return Input{}, fmt.Errorf("load plans: %w", err)
	}
	tasks, err := db.ListTasks(ctx, store.TaskFilter{})
	if err != nil {
		return Input{}, fmt.Errorf("load tasks: %w", err)
	}
	weekAgo := asOf.AddDays(-7).In(loc)
	changes, err := db.ChangesSince(ctx, weekAgo)
	if err != nil {
		return Input{}, fmt.Errorf("load changes: %w", err)
	}
	return Input{AsOf: asOf, Plans: plans, Tasks: tasks, WeekChanges: changes}, nil
}

// Run evaluates the rules on in. With record set (an evaluation for today),
// it records the findings' lifecycle, unless asOf is before the latest
// evaluation; otherwise it is a preview: the first-seen dates, the opened and
// the resolved findings are what recording would give, and the store is left
// as it was.
func Run(ctx context.Context, db *store.DB, in Input, r Rules, record bool) (*Evaluation, error) {
	res := Evaluate(in, r)
	ev := &Evaluation{Result: res, Input: in, AsOf: in.AsOf}
	rec, err := db.RecordFindings(ctx, in.AsOf, res.Findings, record)
	if err != nil {
		return nil, fmt.Errorf("save findings: %w", err)
	}
	ev.Persisted = rec.Persisted
	opened, resolved, first := rec.Opened, rec.Resolved, rec.FirstSeen
	ev.Opened, ev.Resolved = opened, resolved
	for i := range ev.Findings {
		f := &ev.Findings[i]
		f.FirstSeen, f.LastSeen = first[f.Key], in.AsOf
		if f.FirstSeen.After(in.AsOf) { // a preview of an earlier date
			f.FirstSeen = in.AsOf
		}
	}
	return ev, nil
}

// IsNew reports whether f was first seen on or after since.
func IsNew(f model.Finding, since model.Date) bool {
	return !f.FirstSeen.IsZero() && !f.FirstSeen.Before(since)
}

// Kinds lists every kind of finding, for validating filters.
var Kinds = []string{KindOverdue, KindNotStarted, KindDueSoon, KindSlipped, KindSlippedWeek, KindStartAfterEnd, KindMissingDates,
	KindMissingParty, KindUnknownStatus, KindDoneFuture, KindStepOrder, KindAfterGoLive, KindStalePlan, KindNotSynced, KindHeld,
	KindMissingStandard, KindNoTasks, KindLoad, KindGoLiveClash, KindGoLiveAtRisk, KindDependencyCycle}

// Collect is Run over the store as Stream reads and writes it: the
// municipalities evaluated a few at a time on every core, each one's
// lifecycle recorded only if its plans did not change since they were read
// (else evaluated again, holding the write lock), and gathered into one
// Evaluation, Run's. Run saves what it evaluated from tasks read before;
// a sync meanwhile would have it save the findings of tasks that are no
// more. in gives the as-of date, GoLive and Standard (its Plans, Tasks and
// WeekChanges are read from the store); loc is the time zone of the
// last-week window.
func Collect(ctx context.Context, db *store.DB, in Input, loc *time.Location, r Rules, record bool) (*Evaluation, error) {
	ev := &Evaluation{AsOf: in.AsOf, Input: Input{AsOf: in.AsOf, GoLive: in.GoLive, Standard: in.Standard}}
	ev.Findings = []model.Finding{}
	sum, err := Stream(ctx, db, in, loc, r, record, func(g *Group) error {
		if ev.Input.WeekChanges == nil {
			ev.Input.WeekChanges = g.Input.WeekChanges
		}
		ev.Input.Plans = append(ev.Input.Plans, g.Input.Plans...)
		ev.Input.Tasks = append(ev.Input.Tasks, g.Input.Tasks...)
		ev.Findings = append(ev.Findings, g.Findings...)
		ev.Opened = append(ev.Opened, g.Opened()...)
		for id, fc := range g.Forecasts {
			if ev.Forecasts == nil {
				ev.Forecasts = map[int64]*forecast.Result{}
			}
			ev.Forecasts[id] = fc
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ev.PlanStatus, ev.MunicipalStatus = sum.PlanStatus, sum.MunicipalStatus
	ev.Resolved, ev.Persisted, ev.Reevaluated = sum.Resolved, sum.Persisted, sum.Reevaluated
	return ev, nil
}
