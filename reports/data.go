// Package reports writes the consolidated Excel report: an overview with
// headline figures and charts, the municipality × solution matrix in
// red/amber/green, waves against their milestones, overdue and slipped
// tasks, data problems with their cells, changes since the last report,
// every task, and the sources. Danish labels by default, English by choice.
package reports

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/udrul/udrul/forecast"
	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
)

// Data is everything a report shows, gathered from the store and the
// findings.
type Data struct {
	AsOf    model.Date
	English bool
	Plans   []store.Plan
	// Tasks are the current tasks, by municipality, solution, sheet and
	// row. A caller that streams them leaves Tasks nil and sets EachTask,
	// Counts and FindingTasks instead (see Summarize), so that the
	// portfolio's tasks are never all held while the report is written.
	Tasks []store.PlanTask
	// EachTask calls fn with every task of plans, in the order of Tasks;
	// the task is valid only during the call. It is used when Tasks is nil
	// (with Plans, or an extract's plans).
	EachTask func(plans []store.Plan, fn func(*store.PlanTask) error) error
	// Counts are each plan's task figures, by plan ID (from Tasks when
	// nil).
	Counts map[int64]*TaskCounts
	// FindingTasks are the tasks the findings name, by task ID (from Tasks
	// when nil).
	FindingTasks map[int64]*store.PlanTask
	Findings     []model.Finding // open findings for AsOf
	// FindingSums are the findings' figures (from Findings when nil): a
	// caller that writes a report with Begin need not keep the findings.
	FindingSums *FindingSums
	Resolved    []model.Finding // resolved in the reporting period
	// PlanStatus and MunicipalStatus are red, amber or green.
	PlanStatus      map[int64]string
	MunicipalStatus map[string]string
	Issues          map[int64][]model.Issue // the sheet problems of each plan
	Sources         []store.Source
	Changes         []store.RunChange // since the previous report
	ChangesSince    time.Time         // when that was, for the sheet's title
	Waves           []Wave
	// History holds earlier headline figures (weekly), oldest first.
	History  []Snapshot
	Calendar *workdays.Calendar
	// RedOverdueDays is the rule's threshold, for the colours.
	RedOverdueDays int
	// Location is the time zone times are shown in (UTC when nil).
	Location *time.Location
	// Municipality names the municipality of an extract ("" for the
	// national report).
	Municipality string
	// Forecasts holds each forecast plan's readiness for its go-live, by
	// plan ID (plans whose go-live is ahead).
	Forecasts map[int64]*forecast.Result
	// PublicURL is the web view's address; when set, plans link to their
	// page there.
	PublicURL string
}

// Wave is a wave of a solution with its milestones.
type Wave struct {
	Solution   string
	Wave       string
	GoLive     model.Date
	Milestones map[string]model.Date
}

// Headline is the overview's figures.
type Headline struct {
	Plans          int     `json:"plans"`
	Tasks          int     `json:"tasks"`
	Done           float64 `json:"done"` // share of tasks done or cancelled
	Overdue        int     `json:"overdue"`
	SlippedWeek    int     `json:"slipped_week"`
	DataProblems   int     `json:"data_problems"`
	FailingSources int     `json:"failing_sources"`
	RedPlans       int     `json:"red_plans"`
	// Slack is each forecast plan's slack before its go-live in working
	// days ("Aarhus/KY" → -4), kept so next week's report shows the change.
	Slack map[string]int `json:"slack,omitempty"`
}

// Snapshot is the headline of an earlier date.
type Snapshot struct {
	AsOf model.Date
	Headline
}

// Headline computes the figures of the data: the tasks' from Counts, or
// from Tasks (a caller that streams the tasks sets Counts: Summarize).
func (d *Data) Headline() Headline {
	h := Headline{Plans: len(d.Plans)}
	done := 0
	for _, c := range d.counts() {
		h.Tasks += c.Tasks
		done += c.done()
	}
	if h.Tasks > 0 {
		h.Done = float64(done) / float64(h.Tasks)
	}
	fs := d.findingSums()
	h.Overdue, h.SlippedWeek = fs.Overdue, fs.SlippedWeek
	for _, is := range d.Issues {
		h.DataProblems += len(is)
	}
	for _, s := range d.Sources {
		if s.State == "failing" {
			h.FailingSources++
		}
	}
	for _, st := range d.PlanStatus {
		if st == model.LevelRed {
			h.RedPlans++
		}
	}
	for i := range d.Plans {
		if f := d.Forecasts[d.Plans[i].ID]; f != nil {
			if h.Slack == nil {
				h.Slack = map[string]int{}
			}
			h.Slack[d.Plans[i].Key()] = f.Slack
		}
	}
	return h
}

// ForMunicipality returns the data restricted to one municipality's plans.
func (d *Data) ForMunicipality(m string) *Data {
	out := *d
	keep := map[int64]bool{}
	out.Plans = nil
	for _, p := range d.Plans {
		if strings.EqualFold(p.Municipality, m) {
			out.Plans = append(out.Plans, p)
			keep[p.ID] = true
		}
	}
	if d.Tasks != nil {
		out.Tasks = nil
		for _, t := range d.Tasks {
			if keep[t.PlanID] {
				out.Tasks = append(out.Tasks, t)
			}
		}
	}
	if d.Counts != nil {
		out.Counts = map[int64]*TaskCounts{}
		for id, c := range d.Counts {
			if keep[id] {
				out.Counts[id] = c
			}
		}
	}
	filter := func(fs []model.Finding) []model.Finding {
		var r []model.Finding
		for _, f := range fs {
			if keep[f.PlanID] || (f.PlanID == 0 && strings.EqualFold(f.Municipality, m)) {
				r = append(r, f)
			}
		}
		return r
	}
	out.Findings, out.Resolved = filter(d.Findings), filter(d.Resolved)
	out.FindingSums = nil // the municipality's, from its findings
	out.Changes = nil
	for _, c := range d.Changes {
		if mun, _, _ := strings.Cut(c.Plan, "/"); strings.EqualFold(mun, m) {
			out.Changes = append(out.Changes, c)
		}
	}
	out.MunicipalStatus = map[string]string{}
	for k, v := range d.MunicipalStatus {
		if strings.EqualFold(k, m) {
			out.MunicipalStatus[k] = v
		}
	}
	// Its own plans' colours, sheet problems and sources: the extract's
	// figures are the municipality's, never the nation's.
	out.PlanStatus = map[int64]string{}
	for id, st := range d.PlanStatus {
		if keep[id] {
			out.PlanStatus[id] = st
		}
	}
	out.Issues = map[int64][]model.Issue{}
	for id, is := range d.Issues {
		if keep[id] {
			out.Issues[id] = is
		}
	}
	sources := map[int64]bool{}
	for _, p := range out.Plans {
		sources[p.SourceID] = true
	}
	out.Sources = nil
	for _, s := range d.Sources {
		if sources[s.ID] {
			out.Sources = append(out.Sources, s)
		}
	}
	waves := map[[2]string]bool{}
	for _, p := range out.Plans {
		waves[[2]string{p.Solution, p.Wave}] = true
	}
	out.Waves = nil
	for _, w := range d.Waves {
		if waves[[2]string{w.Solution, w.Wave}] {
			out.Waves = append(out.Waves, w)
		}
	}
	out.Municipality = m
	if len(out.Plans) > 0 {
		out.Municipality = out.Plans[0].Municipality
	}
	out.History = nil // the portfolio's history is not the municipality's
	return &out
}

// Municipalities lists the municipalities with plans, sorted.
func (d *Data) Municipalities() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range d.Plans {
		if !seen[p.Municipality] {
			seen[p.Municipality] = true
			out = append(out, p.Municipality)
		}
	}
	sort.Strings(out)
	return out
}

// FileName is the default report name: udrul-rapport-2026-W48.xlsx, with
// the municipality for an extract (udrul-rapport-2026-W48-Aarhus.xlsx).
// The municipality comes from a sheet, so it never becomes a path: see
// safeout.NamePart.
func FileName(asOf model.Date, municipality string) string {
	y, w := asOf.Time().ISOWeek()
	name := fmt.Sprintf("udrul-rapport-%d-W%02d", y, w)
	if municipality != "" {
		name += "-" + safeout.NamePart(municipality)
	}
	return name + ".xlsx"
}

// FindingSums are what the sheets other than the findings' lists show of
// the findings: counts, and each plan's go-live risk.
type FindingSums struct {
	Overdue     int
	SlippedWeek int
	// OverdueByPlan counts the overdue tasks of each plan, by plan ID.
	OverdueByPlan map[int64]int
	// GoLiveRisk is the level of each plan's go-live at risk, by plan ID.
	GoLiveRisk map[int64]string
}

// NewFindingSums returns empty sums.
func NewFindingSums() *FindingSums {
	return &FindingSums{OverdueByPlan: map[int64]int{}, GoLiveRisk: map[int64]string{}}
}

// Add adds findings, in their order.
func (s *FindingSums) Add(findings []model.Finding) {
	for i := range findings {
		f := &findings[i]
		switch f.Kind {
		case "overdue":
			s.Overdue++
			s.OverdueByPlan[f.PlanID]++
		case "slipped_week":
			s.SlippedWeek++
		case "go_live_at_risk":
			s.GoLiveRisk[f.PlanID] = f.Level
		}
	}
}

// findingSums returns FindingSums, or sums Findings.
func (d *Data) findingSums() *FindingSums {
	if d.FindingSums != nil {
		return d.FindingSums
	}
	s := NewFindingSums()
	s.Add(d.Findings)
	return s
}
