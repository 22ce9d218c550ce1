package forecast

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
)

// StdTask is a task of the solution's standard plan, with its place in the
// chain: the titles it follows, its offset from go-live and duration in
// working days, and whether its step must be finished before go-live.
type StdTask struct {
	Step         string
	Title        string
	After        []string
	Offset       int
	Duration     int
	BeforeGoLive bool
}

// PlanInput is one stored plan to forecast.
type PlanInput struct {
	Tasks    []*store.PlanTask // current tasks
	Standard []StdTask         // the solution's standard plan, nil when none
	GoLive   model.Date
	// BeforeGoLiveStep reports whether a step of the plan must be finished
	// before go-live, for tasks that are not in the standard plan.
	BeforeGoLiveStep func(step string) bool
	// Norm, when set, is NormTitle remembered (a caller forecasting many
	// plans sees the same titles again and again); it must give what
	// NormTitle gives.
	Norm func(title string) string
}

// ForPlan builds the forecast tasks of a stored plan and forecasts it.
// Its tasks follow the standard plan's order where their titles match a
// standard task (compared without case and extra spaces); a standard task
// the plan lacks, whose successor in the plan has not started, is assumed
// with the standard duration (Assumed). Tasks outside the standard plan are
// placed by their own dates. A task must precede go-live when its standard
// step says so, or, outside the standard plan, when its step is one of the
// configured steps or it is planned to end before the go-live.
//
// A task that carries its own dependencies (model.Task.After, from the
// sheet's dependency column) follows those instead of the standard chain:
// a task ID names the plan's tasks with that ID (all of them, should the
// plan repeat it), a model.RowRef the task on that row of the same sheet.
// A reference to no task is ignored (the sheet's reading reports it); when
// none of a task's references names a task, the standard chain applies.
func ForPlan(in PlanInput, opts Options) (*Result, error) {
	cal := opts.Calendar
	if cal == nil {
		cal = workdays.New()
		opts.Calendar = cal
	}
	normTitle := in.Norm
	if normTitle == nil {
		normTitle = NormTitle
	}
	std := make(map[string]*StdTask, len(in.Standard))
	for i := range in.Standard {
		std[normTitle(in.Standard[i].Title)] = &in.Standard[i]
	}
	present := map[string]string{} // normalised standard title → task key
	tasks := make([]Task, 0, len(in.Tasks)+4)
	norm := make([]string, 0, len(in.Tasks)+4) // normalised titles of tasks, when standard
	for _, t := range in.Tasks {
		key := strconv.FormatInt(t.ID, 10)
		ft := Task{Key: key, Title: t.Title, Start: t.Start, End: t.End, BaselineEnd: t.BaselineEnd, Status: t.Status}
		n := ""
		if len(std) > 0 {
			n = normTitle(t.Title)
		}
		if st, ok := std[n]; ok && n != "" {
			if _, dup := present[n]; !dup {
				present[n] = key
			}
			ft.BeforeGoLive, ft.Duration = st.BeforeGoLive, st.Duration
		} else {
			// Planned to end before go-live: by its baseline when known, so
			// that a task slipping past the go-live still counts.
			planned := t.End
			if !t.BaselineEnd.IsZero() {
				planned = t.BaselineEnd
			}
			ft.BeforeGoLive = (in.BeforeGoLiveStep != nil && in.BeforeGoLiveStep(t.Step)) ||
				!in.GoLive.IsZero() && !planned.IsZero() && planned.Before(in.GoLive)
			n = ""
		}
		tasks = append(tasks, ft)
		norm = append(norm, n)
	}
	keys := make([]string, len(tasks))
	for i := range keys {
		keys[i] = tasks[i].Key
	}
	own := ownAfter(in.Tasks, keys)
	// Standard tasks the plan lacks, needed before a successor that has
	// not started.
	waiting := map[string]bool{} // normalised titles of standard tasks that wait for a missing one
	for i, t := range in.Tasks {
		if own[i] != nil {
			continue
		}
		if st, ok := std[norm[i]]; ok && norm[i] != "" && notStarted(t.Status) {
			for _, a := range st.After {
				waiting[normTitle(a)] = true
			}
		}
	}
	for _, st := range in.Standard {
		n := normTitle(st.Title)
		if _, ok := present[n]; ok || !waiting[n] || in.GoLive.IsZero() {
			continue
		}
		key := "std:" + st.Title
		start := cal.Add(in.GoLive, st.Offset)
		tasks = append(tasks, Task{Key: key, Title: st.Title, Start: start, End: cal.Add(start, max(st.Duration-1, 0)),
			Status: model.NotStarted, BeforeGoLive: st.BeforeGoLive, Assumed: true})
		norm = append(norm, n)
		present[n] = key
	}
	// The order: each matched task follows the tasks its standard task
	// follows, where the plan has them (or they are assumed).
	for i := range tasks {
		if i < len(own) && own[i] != nil {
			tasks[i].After = own[i]
			continue
		}
		st, ok := std[norm[i]]
		if !ok || norm[i] == "" || present[norm[i]] != tasks[i].Key {
			continue
		}
		for _, a := range st.After {
			if k, ok := present[normTitle(a)]; ok {
				tasks[i].After = append(tasks[i].After, k)
			}
		}
	}
	return Plan(tasks, in.GoLive, opts)
}

// ownAfter resolves the tasks' own dependencies to forecast keys: for each
// task, the keys of the tasks it names, or nil when it names none. keys
// holds the forecast key of each task.
func ownAfter(ts []*store.PlanTask, keys []string) [][]string {
	var byID map[string][]string
	var byRow map[model.Pos]string
	own := make([][]string, len(ts))
	for i, t := range ts {
		if len(t.After) == 0 {
			continue
		}
		if byID == nil {
			byID, byRow = make(map[string][]string, len(ts)), make(map[model.Pos]string, len(ts))
			for j, u := range ts {
				if u.Task.Task.ID != "" {
					byID[u.Task.Task.ID] = append(byID[u.Task.Task.ID], keys[j])
				}
				byRow[model.Pos{Sheet: u.Pos.Sheet, Row: u.Pos.Row}] = keys[j]
			}
		}
		add := func(k string) {
			if k != keys[i] && !slices.Contains(own[i], k) {
				own[i] = append(own[i], k)
			}
		}
		for _, ref := range t.After {
			if n, ok := model.ParseRowRef(ref); ok {
				if k, ok := byRow[model.Pos{Sheet: t.Pos.Sheet, Row: n}]; ok {
					add(k)
				}
				continue
			}
			for _, k := range byID[ref] {
				add(k)
			}
		}
	}
	return own
}

func notStarted(s model.Status) bool {
	return s != model.Done && s != model.Cancelled && s != model.InProgress
}

// NormTitle is how titles are compared with the standard plan's: s
// lowercased, its white space collapsed, in one pass.
func NormTitle(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Explain says, in Danish or English, what drives a plan's readiness:
// "Datavask i kommunen (10 arbejdsdage forsinket) → Prøvekonvertering 1 → …: klar
// 4 arbejdsdage efter idriftsættelse 2027-01-18".
func (r *Result) Explain(cal *workdays.Calendar, english bool) string {
	var parts []string
	for i, f := range r.Chain {
		s := f.Title
		// A delay is named where it arises: on the first task, and on a
		// later one only when it adds to what it inherited.
		if i > 0 && f.Delay <= r.Chain[i-1].Delay {
			f.Delay = 0
		}
		switch {
		case f.Assumed && english:
			s += " (not in the plan: standard duration assumed)"
		case f.Assumed:
			s += " (mangler i planen: standardvarighed antaget)"
		case f.Delay > 0 && english:
			s += fmt.Sprintf(" (%d working days late)", f.Delay)
		case f.Delay > 0:
			s += fmt.Sprintf(" (%d arbejdsdage forsinket)", f.Delay)
		}
		parts = append(parts, s)
	}
	chain := strings.Join(parts, " → ")
	if r.GoLive.IsZero() {
		if english {
			return fmt.Sprintf("%s: ready %s", chain, r.Ready)
		}
		return fmt.Sprintf("%s: klar %s", chain, r.Ready)
	}
	switch late := cal.Between(r.GoLive, r.Ready); {
	case late > 0 && english:
		return fmt.Sprintf("%s: ready %d working days after the go-live %s", chain, late, r.GoLive)
	case late > 0:
		return fmt.Sprintf("%s: klar %d arbejdsdage efter idriftsættelse %s", chain, late, r.GoLive)
	case english:
		return fmt.Sprintf("%s: ready %s, %d working days before the go-live %s", chain, r.Ready, r.Slack, r.GoLive)
	default:
		return fmt.Sprintf("%s: klar %s, %d arbejdsdage før idriftsættelse %s", chain, r.Ready, r.Slack, r.GoLive)
	}
}
