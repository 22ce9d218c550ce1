package app

import (
	"context"

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
	return out, nil
}
