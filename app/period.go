package app

import (
	"context"
	"sort"

	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/model"
)

// PeriodStart is the first day of the reporting period that ends with asOf:
// the day after the previous weekly report written for an earlier date, or,
// without one, the day six days before asOf (a week).
func (e *Env) PeriodStart(ctx context.Context, asOf model.Date) (model.Date, error) {
	prev, _, err := e.DB.PreviousReport(ctx, asOf)
	if err != nil {
		return model.Date{}, err
	}
	if prev.IsZero() {
		return asOf.AddDays(-6), nil
	}
	return prev.AddDays(1), nil
}

// ResolvedSince lists the findings resolved from since up to the
// evaluation's date: those the store has resolved in that period and those
// the evaluation resolves (a preview's are not stored), without the ones
// open again.
func (e *Env) ResolvedSince(ctx context.Context, ev *detect.Evaluation, since model.Date) ([]model.Finding, error) {
	stored, err := e.DB.ResolvedFindings(ctx, since)
	if err != nil {
		return nil, err
	}
	return resolvedSince(stored, ev, since), nil
}

// resolvedSince is ResolvedSince with the store's findings resolved since
// since read.
func resolvedSince(stored []model.Finding, ev *detect.Evaluation, since model.Date) []model.Finding {
	open := map[string]bool{}
	for _, f := range ev.Findings {
		open[f.Key] = true
	}
	seen := map[string]bool{}
	var out []model.Finding
	for _, list := range [][]model.Finding{stored, ev.Resolved} {
		for _, f := range list {
			if open[f.Key] || seen[f.Key] || f.ResolvedAt.After(ev.AsOf) || (!f.ResolvedAt.IsZero() && f.ResolvedAt.Before(since)) {
				continue
			}
			seen[f.Key] = true
			if f.ResolvedAt.IsZero() {
				f.ResolvedAt = ev.AsOf
			}
			out = append(out, f)
		}
	}
	// In one order whether the evaluation's resolved findings were read
	// with the store's or come after them.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		switch {
		case a.Municipality != b.Municipality:
			return a.Municipality < b.Municipality
		case a.Solution != b.Solution:
			return a.Solution < b.Solution
		case a.Kind != b.Kind:
			return a.Kind < b.Kind
		case a.PlanID != b.PlanID:
			return a.PlanID < b.PlanID
		case a.TaskID != b.TaskID:
			return a.TaskID < b.TaskID
		}
		return a.Key < b.Key
	})
	return out
}
