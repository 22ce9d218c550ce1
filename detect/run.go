package detect

import (
	"context"
	"fmt"
	"time"

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
	// Persisted says whether the lifecycle was saved (an evaluation for a
	// date before the latest one is not).
	Persisted bool
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

// Run evaluates the rules on in and records the findings' lifecycle,
// unless asOf is before the latest evaluation.
func Run(ctx context.Context, db *store.DB, in Input, r Rules) (*Evaluation, error) {
	res := Evaluate(in, r)
	ev := &Evaluation{Result: res, Input: in, AsOf: in.AsOf}
	latest, err := db.LatestEvaluation(ctx)
	if err != nil {
		return nil, err
	}
	if !in.AsOf.Before(latest) {
		var first map[string]model.Date
		ev.Opened, ev.Resolved, first, err = db.SaveFindings(ctx, in.AsOf, res.Findings)
		if err != nil {
			return nil, fmt.Errorf("save findings: %w", err)
		}
		ev.Persisted = true
		for i := range ev.Findings {
			ev.Findings[i].FirstSeen = first[ev.Findings[i].Key]
			ev.Findings[i].LastSeen = in.AsOf
		}
	}
	return ev, nil
}

// IsNew reports whether f was first seen within the last week of asOf.
func IsNew(f model.Finding, asOf model.Date) bool {
	return !f.FirstSeen.IsZero() && f.FirstSeen.After(asOf.AddDays(-7))
}
