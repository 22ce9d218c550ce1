package detect

import (
	"errors"

	"github.com/udrul/udrul/forecast"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// KindGoLiveAtRisk is a plan whose forecast readiness leaves too little
// slack before its wave's go-live.
const KindGoLiveAtRisk = "go_live_at_risk"

// KindDependencyCycle is a plan whose tasks' dependencies form a cycle: no
// forecast can be made until it is fixed.
const KindDependencyCycle = "dependency_cycle"

// forecastPlan forecasts a plan's readiness for its go-live and raises
// go_live_at_risk: red when it will be ready after the go-live, amber when
// the slack is below the threshold and smaller than the plan itself gives
// (a plan laid out with little room is not at risk while it keeps to it),
// and amber, not red, when only a standard task the plan lacks (assumed
// with its standard dates) makes it late.
// Plans whose go-live has passed, or is unknown, are not forecast.
func (e *evaluator) forecastPlan(p store.Plan, tasks []*store.PlanTask) {
	if e.in.GoLive == nil {
		return
	}
	goLive := e.goLive(p)
	if goLive.IsZero() || goLive.Before(e.in.AsOf) {
		return
	}
	var std []forecast.StdTask
	if e.in.Standard != nil {
		for _, st := range e.in.Standard(p.Solution) {
			std = append(std, forecast.StdTask{Step: st.Step, Title: st.Title, After: st.After, Offset: st.Offset,
				Duration: st.Duration, BeforeGoLive: st.BeforeGoLive})
		}
	}
	r, err := forecast.ForPlan(forecast.PlanInput{Tasks: tasks, Standard: std, GoLive: goLive, BeforeGoLiveStep: e.beforeGoLive, Norm: e.fnorm},
		forecast.Options{Today: e.in.AsOf, Calendar: e.r.Calendar, OverdueShare: e.r.ForecastOverdueShare})
	var cycle *forecast.CycleError
	if errors.As(err, &cycle) {
		hint := ""
		for _, t := range tasks {
			if len(t.After) > 0 {
				// The sheet's own column is where the loop can be mended.
				hint = e.msg(" (ret kolonnen med forudgående opgaver i planen)", " (fix the plan's predecessors column)")
				break
			}
		}
		e.add(p, nil, KindDependencyCycle, model.LevelAmber, 0, e.msg("Opgavernes afhængigheder går i ring, så der kan ikke laves en prognose: %s%s",
			"The tasks' dependencies form a cycle, so no forecast can be made: %s%s", joinArrow(cycle.Titles), hint))
		return
	}
	if err != nil || r.Ready.IsZero() {
		return
	}
	if e.forecasts == nil {
		e.forecasts = map[int64]*forecast.Result{}
	}
	e.forecasts[p.ID] = r
	threshold := e.r.ForecastAmberDays
	if threshold <= 0 {
		threshold = 5
	}
	assumed := false
	for _, f := range r.Chain {
		assumed = assumed || f.Assumed
	}
	level := ""
	switch {
	case r.Slack < 0 && !assumed:
		level = model.LevelRed
	case r.Slack < 0:
		// Late only through a task the plan lacks, placed by the standard
		// plan's dates: a warning until the plan says otherwise.
		level = model.LevelAmber
	case r.Slack < threshold && (!r.PlannedKnown || r.Slack < r.PlannedSlack):
		level = model.LevelAmber
	default:
		return
	}
	f := e.add(p, nil, KindGoLiveAtRisk, level, -r.Slack, r.Explain(e.r.Calendar, e.r.English))
	f.Old, f.New = goLive.String(), r.Ready.String()
}

func joinArrow(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " → "
		}
		out += x
	}
	return out
}
