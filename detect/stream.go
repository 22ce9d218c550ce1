package detect

import (
	"context"
	"fmt"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// Group is one municipality's part of a streamed evaluation: its plans and
// current tasks, and the rules' result over them, with the findings'
// first-seen dates set as Run sets them.
type Group struct {
	Municipality string
	Input        Input // the municipality's plans and tasks
	Result
	Opened []model.Finding // new since the previous evaluation
}

// Summary is what a streamed evaluation keeps of the whole portfolio: the
// status of every plan and municipality, the findings resolved, and counts.
type Summary struct {
	AsOf            model.Date
	PlanStatus      map[int64]string
	MunicipalStatus map[string]string
	Resolved        []model.Finding // gone since the previous evaluation
	Findings        int             // findings found
	Opened          int
	// Changed counts the open findings found again saying something else
	// (the only ones, with the opened and resolved, that are written).
	Changed int
	// Persisted says whether the lifecycle was saved (see Evaluation).
	Persisted bool
}

// Stream evaluates the rules as Run does, a municipality at a time: the
// store's plans are read, then each municipality's tasks (plan by plan),
// evaluated together (the load across solutions and the go-live clashes
// are a municipality's), their findings' lifecycle applied, and fn called
// with the group; what is held at a time is one municipality's tasks and
// findings, not the portfolio's. The findings, their first-seen dates and
// the opened and resolved findings are Run's, in the same order (grouped).
// in gives the as-of date, GoLive and Standard; its Plans, Tasks and
// WeekChanges are read from the store. loc is the time zone of the
// last-week window. record is Run's: the lifecycle is saved only for a
// recorded evaluation not before the latest one, in one transaction that
// holds the store's write lock while the evaluation runs.
func Stream(ctx context.Context, db *store.DB, in Input, loc *time.Location, r Rules, record bool, fn func(*Group) error) (*Summary, error) {
	sum := &Summary{AsOf: in.AsOf, PlanStatus: map[int64]string{}, MunicipalStatus: map[string]string{}}
	latest, err := db.LatestEvaluation(ctx)
	if err != nil {
		return nil, err
	}
	sum.Persisted = record && !in.AsOf.Before(latest)
	// The lifecycle's transaction takes the write lock first: no sync
	// changes the plans while they are read.
	lc, err := db.BeginFindings(ctx, in.AsOf, sum.Persisted)
	if err != nil {
		return nil, fmt.Errorf("save findings: %w", err)
	}
	defer lc.Close()
	plans, err := db.ListPlans(ctx)
	if err != nil {
		return nil, fmt.Errorf("load plans: %w", err)
	}
	changes, err := db.ChangesSince(ctx, in.AsOf.AddDays(-7).In(loc))
	if err != nil {
		return nil, fmt.Errorf("load changes: %w", err)
	}
	// The next municipality's tasks are read (through the store's own
	// connections: the lifecycle's transaction holds the write lock, so
	// nothing changes them) while this one is evaluated; at most two
	// municipalities' tasks wait.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	loaded := make(chan loadedGroup, 1)
	go func() {
		defer close(loaded)
		for from := 0; from < len(plans); {
			to := from + 1
			for to < len(plans) && plans[to].Municipality == plans[from].Municipality {
				to++
			}
			tasks, err := db.PlansTasks(ctx, plans[from:to:to])
			select {
			case loaded <- loadedGroup{plans[from:to:to], tasks, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
			from = to
		}
	}()
	for lg := range loaded {
		if lg.err != nil {
			return nil, fmt.Errorf("load tasks: %w", lg.err)
		}
		g := &Group{Municipality: lg.plans[0].Municipality}
		g.Input = Input{AsOf: in.AsOf, Plans: lg.plans, Tasks: lg.tasks, WeekChanges: changes, GoLive: in.GoLive, Standard: in.Standard}
		g.Result = Evaluate(g.Input, r)
		isNew, err := lc.Apply(ctx, g.Municipality, g.Findings)
		if err != nil {
			return nil, fmt.Errorf("save findings: %w", err)
		}
		for i := range g.Findings {
			f := &g.Findings[i]
			f.LastSeen = in.AsOf
			if f.FirstSeen.After(in.AsOf) { // a preview of an earlier date
				f.FirstSeen = in.AsOf
			}
			if isNew[i] {
				g.Opened = append(g.Opened, *f)
			}
		}
		for id, st := range g.PlanStatus {
			sum.PlanStatus[id] = st
		}
		for m, st := range g.MunicipalStatus {
			sum.MunicipalStatus[m] = st
		}
		sum.Findings += len(g.Findings)
		if err := fn(g); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if sum.Resolved, err = lc.Finish(ctx); err != nil {
		return nil, fmt.Errorf("save findings: %w", err)
	}
	sum.Opened, sum.Changed = lc.Opened, lc.Changed
	return sum, nil
}

// loadedGroup is a municipality's plans with their tasks read.
type loadedGroup struct {
	plans []store.Plan
	tasks []store.PlanTask
	err   error
}
