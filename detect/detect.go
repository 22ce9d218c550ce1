// Package detect evaluates the rules over the store for an as-of date:
// overdue, not started, due soon and slipped tasks; inconsistent, stale and
// held plans; missing standard tasks; load peaks across solutions; and a
// red/amber/green status per plan and per municipality.
package detect

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/udrul/udrul/forecast"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
)

// Kinds of finding.
const (
	KindOverdue         = "overdue"
	KindNotStarted      = "not_started"
	KindDueSoon         = "due_soon"
	KindSlipped         = "slipped"      // against the baseline
	KindSlippedWeek     = "slipped_week" // in the last seven days
	KindStartAfterEnd   = "start_after_end"
	KindMissingDates    = "missing_dates"
	KindMissingParty    = "missing_party"
	KindUnknownStatus   = "unknown_status"
	KindDoneFuture      = "done_in_future"
	KindStepOrder       = "step_order"
	KindAfterGoLive     = "after_go_live"
	KindStalePlan       = "stale_plan"
	KindNotSynced       = "not_synced"
	KindHeld            = "held"
	KindMissingStandard = "missing_standard"
	KindLoad            = "load"
	KindGoLiveClash     = "go_live_clash"
	// KindHealthDisagrees: the owner's traffic light says green where the
	// dates say red (a task, or the whole plan).
	KindHealthDisagrees = "health_disagrees"
	// KindNoTasks: a plan read without error holds not one task (its
	// sheet has a header row and nothing under it).
	KindNoTasks = "no_tasks"
)

// Rules are the thresholds of the rules.
type Rules struct {
	DueSoonDays       int
	RedOverdueDays    int
	StaleDays         int // calendar days without a change
	SyncStaleDays     int // calendar days without a successful read
	LoadTasksPerWeek  int
	GoLiveGapDays     int
	BeforeGoLiveSteps []string
	GoLiveTask        *regexp.Regexp
	Calendar          *workdays.Calendar
	English           bool
	// ForecastAmberDays is the slack (working days) below which a plan's
	// go-live is at risk (amber); 5 when 0. ForecastOverdueShare is the
	// share of its duration an overdue task in progress still takes.
	ForecastAmberDays    int
	ForecastOverdueShare float64
}

// StdTask is a task of a solution's standard plan, with its place in the
// chain the go-live forecast walks.
type StdTask struct {
	Step, Title      string
	After            []string
	Offset, Duration int
	BeforeGoLive     bool
}

// Input is what the rules look at.
type Input struct {
	AsOf  model.Date
	Plans []store.Plan
	Tasks []store.PlanTask // current (not removed) tasks
	// WeekChanges are the changes of the last seven days, by task.
	WeekChanges map[int64][]store.Change
	// GoLive returns a wave's go-live date (zero when unknown).
	GoLive func(solution, wave string) model.Date
	// Standard returns a solution's standard tasks (nil when none).
	Standard func(solution string) []StdTask
}

// Result is an evaluation.
type Result struct {
	Findings        []model.Finding
	PlanStatus      map[int64]string  // plan ID → red, amber, green
	MunicipalStatus map[string]string // municipality → red, amber, green
	// Forecasts holds each forecast plan's readiness for its go-live.
	Forecasts map[int64]*forecast.Result
}

type evaluator struct {
	in        Input
	r         Rules
	out       []model.Finding
	forecasts map[int64]*forecast.Result
	// goLiveTitles remembers which titles name the go-live; norms, the
	// titles normalised (titles repeat across plans).
	goLiveTitles map[string]bool
	norms        map[string]string
	// fnorms are the titles normalised as the forecast compares them.
	fnorms map[string]string
	// beforeSteps remembers which steps come before the go-live; goLives,
	// each plan's go-live.
	beforeSteps map[string]bool
	goLives     map[int64]model.Date
	// have is missingStandard's set of a plan's normalised titles.
	have map[string]bool
}

// cache keeps what the rules work out once per title or step (whether a
// title names the go-live, a title normalised, whether a step comes before
// the go-live) from one evaluation to the next with the same Rules: a
// streamed evaluation's municipalities share most titles. Not for
// concurrent use; it starts again when it grows large.
type cache struct {
	goLiveTitles  map[string]bool
	norms, fnorms map[string]string
	beforeSteps   map[string]bool
	// tasks reads the tasks with statements prepared once per worker.
	tasks *store.TaskReader
}

// plansTasks reads plans' tasks from rd (the same Reader every time).
func (c *cache) plansTasks(ctx context.Context, rd store.Reader, plans []store.Plan) ([]store.PlanTask, error) {
	if c.tasks == nil {
		tr, err := rd.TaskReader(ctx)
		if err != nil {
			return nil, err
		}
		c.tasks = tr
	}
	return c.tasks.PlansTasks(ctx, plans)
}

// close closes what the cache holds open.
func (c *cache) close() {
	if c.tasks != nil {
		c.tasks.Close()
		c.tasks = nil
	}
}

// cacheMax is the number of titles a cache keeps before it starts again.
const cacheMax = 1 << 16

func (c *cache) use(e *evaluator) {
	if c.norms == nil || len(c.norms)+len(c.fnorms)+len(c.goLiveTitles) > cacheMax {
		c.goLiveTitles, c.norms, c.fnorms, c.beforeSteps = map[string]bool{}, map[string]string{}, map[string]string{}, map[string]bool{}
	}
	e.goLiveTitles, e.norms, e.fnorms, e.beforeSteps = c.goLiveTitles, c.norms, c.fnorms, c.beforeSteps
}

// Evaluate applies the rules.
func Evaluate(in Input, r Rules) Result { return evaluate(in, r, nil) }

// evaluate is Evaluate with a cache (nil: none).
func evaluate(in Input, r Rules, c *cache) Result {
	e := &evaluator{in: in, r: r, out: make([]model.Finding, 0, len(in.Tasks))}
	if c != nil {
		c.use(e)
	}
	byPlan := map[int64][]*store.PlanTask{}
	for i := range in.Tasks {
		t := &in.Tasks[i]
		byPlan[t.PlanID] = append(byPlan[t.PlanID], t)
	}
	for _, p := range in.Plans {
		tasks := byPlan[p.ID]
		e.planState(p)
		if p.State == store.PlanGone {
			continue
		}
		if len(tasks) == 0 {
			// Nothing to judge: every standard task "missing" and a
			// forecast made of assumed tasks alone would say less than
			// one finding that the plan is empty (a held, failing or
			// conflicting plan has its own).
			if p.State == store.PlanOK {
				e.add(p, nil, KindNoTasks, model.LevelAmber, 0, e.msg("planen har ingen opgaver: arket har en overskriftsrække, men ingen opgaver under den; udfyld planens opgaver",
					"the plan holds no tasks: its sheet has a header row but not one task under it; fill in the plan's tasks"))
			}
			continue
		}
		for _, t := range tasks {
			e.task(p, t)
		}
		e.stepOrder(p, tasks)
		e.missingStandard(p, tasks)
		e.forecastPlan(p, tasks)
	}
	e.load(byPlan)
	status := e.planStatus()
	for _, p := range in.Plans {
		if p.Health == model.HealthGreen && status[p.ID] == model.LevelRed {
			e.add(p, nil, KindHealthDisagrees, model.LevelAmber, 0, e.msg("ejeren vurderer planen grøn, men udrul finder den rød",
				"the owner rates the plan green, but udrul finds it red"))
		}
	}
	// By municipality first: a streamed evaluation, a municipality at a
	// time, gives the same findings in the same order.
	// Their indexes are sorted, not the findings: moving the large
	// findings about was most of the sorting.
	order := make([]int32, len(e.out))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(i, j int32) int {
		a, b := &e.out[i], &e.out[j]
		if c := strings.Compare(a.Municipality, b.Municipality); c != 0 {
			return c
		}
		if c := strings.Compare(a.Solution, b.Solution); c != 0 {
			return c
		}
		return cmp.Compare(b.Days, a.Days)
	})
	// The findings put in that order where they are (a copy was a tenth
	// of what an evaluation allocates), a cycle of the permutation at a
	// time: out[k] is then what out[order[k]] was.
	for start := range order {
		if order[start] < 0 {
			continue
		}
		moving := e.out[start]
		for k := start; ; {
			from := int(order[k])
			order[k] = -1
			if from == start {
				e.out[k] = moving
				break
			}
			e.out[k] = e.out[from]
			k = from
		}
	}
	// A finding is its key: the same key twice (two rules' paths to one
	// finding) is one finding, the first, as it is saved and counted.
	seen := make(map[string]struct{}, len(e.out))
	kept := e.out[:0]
	for i := range e.out {
		if _, ok := seen[e.out[i].Key]; ok {
			continue
		}
		seen[e.out[i].Key] = struct{}{}
		kept = append(kept, e.out[i])
	}
	clear(e.out[len(kept):])
	e.out = kept
	return Result{Findings: e.out, PlanStatus: status, MunicipalStatus: e.municipalStatus(), Forecasts: e.forecasts}
}

// isGoLiveTask reports whether a task's title names the go-live; titles
// repeat across a municipality's plans, so each is matched once.
func (e *evaluator) isGoLiveTask(title string) bool {
	if e.r.GoLiveTask == nil {
		return false
	}
	if m, ok := e.goLiveTitles[title]; ok {
		return m
	}
	if e.goLiveTitles == nil {
		e.goLiveTitles = map[string]bool{}
	}
	m := e.r.GoLiveTask.MatchString(title)
	e.goLiveTitles[title] = m
	return m
}

func (e *evaluator) msg(da, en string, args ...any) string {
	format := da
	if e.r.English {
		format = en
	}
	if s, ok := sprintf(format, args); ok {
		return s
	}
	return fmt.Sprintf(format, args...)
}

// sprintf is fmt.Sprintf for the common messages, without fmt's machinery
// (a tenth of the rules' time): a format with only %s, %q, %d and %%
// verbs, and strings (%s, %q), ints (%d) and dates (%s) for them. ok is false for any other, which
// fmt.Sprintf then formats.
func sprintf(format string, args []any) (string, bool) {
	n := len(format)
	for _, a := range args {
		if s, ok := a.(string); ok {
			n += len(s)
		} else {
			n += 10
		}
	}
	b := make([]byte, 0, n)
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i+1 == len(format) {
			return "", false
		}
		i++
		verb := format[i]
		if verb == '%' {
			b = append(b, '%')
			continue
		}
		if next == len(args) {
			return "", false
		}
		a := args[next]
		next++
		switch v := a.(type) {
		case string:
			switch verb {
			case 's':
				b = append(b, v...)
			case 'q':
				b = strconv.AppendQuote(b, v) // as fmt quotes, without flags
			default:
				return "", false
			}
		case model.Date:
			if verb != 's' {
				return "", false
			}
			b = appendDate(b, v)
		case int:
			if verb != 'd' {
				return "", false
			}
			b = strconv.AppendInt(b, int64(v), 10)
		default:
			return "", false
		}
	}
	if next != len(args) {
		return "", false
	}
	return string(b), true
}

// workdays is a number of working days in words: "1 arbejdsdag", "3
// arbejdsdage" ("1 working day", "3 working days").
func (e *evaluator) workdays(n int) string {
	switch {
	case n == 1 && e.r.English:
		return "1 working day"
	case e.r.English:
		return strconv.Itoa(n) + " working days"
	case n == 1:
		return "1 arbejdsdag"
	}
	return strconv.Itoa(n) + " arbejdsdage"
}

// appendDate appends d.String(): YYYY-MM-DD, or nothing for the zero date.
func appendDate(b []byte, d model.Date) []byte {
	if d.IsZero() {
		return b
	}
	if d.Year < 0 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 99 {
		return append(b, d.String()...)
	}
	y, m := d.Year, int(d.Month)
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
}

// dateString is d.String(), without fmt.
func dateString(d model.Date) string {
	var b [10]byte
	return string(appendDate(b[:0], d))
}

// asWritten is model.AsWritten, without fmt: the date, and the text it
// was written as when that says something else.
func asWritten(d model.Date, w model.Written) string {
	if w.Text == "" || d.IsZero() {
		return dateString(d)
	}
	b := make([]byte, 0, 14+len(w.Text)+4)
	b = append(appendDate(b, d), " ("...)
	return string(append(strconv.AppendQuote(b, w.Text), ')'))
}

// goLiveGap says two solutions go live gap working days apart, in
// words: "med kun 1 arbejdsdags mellemrum", "på samme dag".
func (e *evaluator) goLiveGap(solA string, a model.Date, solB string, b model.Date, gap int) string {
	switch {
	case gap == 0:
		return e.msg("%s (%s) og %s (%s) går i drift samme dag", "%s (%s) and %s (%s) go live on the same day", solA, a, solB, b)
	case gap == 1:
		return e.msg("%s (%s) og %s (%s) går i drift med kun 1 arbejdsdags mellemrum", "%s (%s) and %s (%s) go live only 1 working day apart", solA, a, solB, b)
	}
	return e.msg("%s (%s) og %s (%s) går i drift med kun %d arbejdsdages mellemrum", "%s (%s) and %s (%s) go live only %d working days apart", solA, a, solB, b, gap)
}

func (e *evaluator) add(p store.Plan, t *store.PlanTask, kind, level string, days int, message string) *model.Finding {
	f := model.Finding{Kind: kind, Level: level, PlanID: p.ID, Municipality: p.Municipality, Solution: p.Solution, Wave: p.Wave, Days: days, Message: message}
	// kind|plan or kind|plan|task
	key := make([]byte, 0, len(kind)+24)
	key = strconv.AppendInt(append(append(key, kind...), '|'), p.ID, 10)
	if t != nil {
		f.TaskID, f.Step, f.Title = t.ID, t.Step, t.Title
		key = strconv.AppendInt(append(key, '|'), t.ID, 10)
	}
	f.Key = string(key)
	e.out = append(e.out, f)
	return &e.out[len(e.out)-1]
}

func open(t *store.PlanTask) bool { return t.Status != model.Done && t.Status != model.Cancelled }

func (e *evaluator) task(p store.Plan, t *store.PlanTask) {
	from := len(e.out)
	defer e.healthDisagrees(p, t, from)
	cal, asOf := e.r.Calendar, e.in.AsOf
	goLiveTask := e.isGoLiveTask(t.Title)
	// Overdue, not started, due soon.
	if open(t) && !t.End.IsZero() && t.End.Before(asOf) {
		days := cal.Between(t.End, asOf)
		if days > 0 {
			level := model.LevelAmber
			if days > e.r.RedOverdueDays || goLiveTask {
				level = model.LevelRed
			}
			e.add(p, t, KindOverdue, level, days, e.msg("%s forsinket (slutdato %s)", "%s overdue (end date %s)", e.workdays(days), asWritten(t.End, t.EndAs)))
		}
	}
	if t.Status == model.NotStarted && !t.Start.IsZero() && t.Start.Before(asOf) {
		if days := cal.Between(t.Start, asOf); days > 0 {
			e.add(p, t, KindNotStarted, model.LevelAmber, days, e.msg("skulle være startet for %s siden (startdato %s)", "should have started %s ago (start date %s)", e.workdays(days), asWritten(t.Start, t.StartAs)))
		}
	}
	if open(t) && !t.End.IsZero() && !t.End.Before(asOf) {
		if days := cal.Between(asOf, t.End); days <= e.r.DueSoonDays {
			e.add(p, t, KindDueSoon, model.LevelInfo, days, e.msg("slutter om %s (%s)", "ends in %s (%s)", e.workdays(days), asWritten(t.End, t.EndAs)))
		}
	}
	// Slipped against the baseline, and in the last week.
	slip := func(kind string, old, now model.Date, field string) {
		if old.IsZero() || now.IsZero() || !now.After(old) {
			return
		}
		days := cal.Between(old, now)
		if days <= 0 {
			return
		}
		level := model.LevelAmber
		if goLiveTask {
			level = model.LevelRed
		}
		var f *model.Finding
		if kind == KindSlipped {
			f = e.add(p, t, kind, level, days, e.msg("%s skredet %s i forhold til baseline (%s → %s)", "%s slipped %s against the baseline (%s → %s)", e.field(field), e.workdays(days), old, now))
		} else {
			f = e.add(p, t, kind, level, days, e.msg("%s skredet %s i den seneste uge (%s → %s)", "%s slipped %s in the last week (%s → %s)", e.field(field), e.workdays(days), old, now))
		}
		f.Old, f.New = dateString(old), dateString(now)
	}
	if t.End.After(t.BaselineEnd) && !t.BaselineEnd.IsZero() {
		slip(KindSlipped, t.BaselineEnd, t.End, "end")
	} else {
		slip(KindSlipped, t.BaselineStart, t.Start, "start")
	}
	if old, ok := firstOld(e.in.WeekChanges[t.ID], "end"); ok {
		slip(KindSlippedWeek, old, t.End, "end")
	}
	// Inconsistencies.
	switch {
	case !t.Start.IsZero() && !t.End.IsZero() && t.Start.After(t.End):
		e.add(p, t, KindStartAfterEnd, model.LevelAmber, 0, e.msg("startdato %s ligger efter slutdato %s", "start date %s is after end date %s", t.Start, t.End))
	case t.Start.IsZero() || t.End.IsZero():
		if t.Status != model.Cancelled {
			e.add(p, t, KindMissingDates, model.LevelAmber, 0, e.msg("mangler start- eller slutdato", "has no start or end date"))
		}
	}
	if t.Responsible == "" || t.Performer == "" {
		e.add(p, t, KindMissingParty, model.LevelInfo, 0, e.msg("mangler ansvarlig eller udfører", "has no responsible party or performer"))
	}
	if t.Status == model.Unknown && t.Health == "" { // a traffic light alone is not an unknown status
		e.add(p, t, KindUnknownStatus, model.LevelInfo, 0, e.msg("ukendt status %q", "unknown status %q", t.RawStatus))
	}
	if t.Status == model.Done && t.Start.After(asOf) {
		e.add(p, t, KindDoneFuture, model.LevelAmber, 0, e.msg("markeret færdig, men starter først %s", "marked done but starts only on %s", t.Start))
	}
	if e.in.GoLive != nil && !t.End.IsZero() && e.beforeGoLive(t.Step) {
		if gl := e.goLive(p); !gl.IsZero() && t.End.After(gl) {
			days := cal.Between(gl, t.End)
			e.add(p, t, KindAfterGoLive, model.LevelRed, days, e.msg("slutter %s, %s efter bølgens idriftsættelse %s", "ends %s, %s after the wave's go-live %s", asWritten(t.End, t.EndAs), e.workdays(days), gl))
		}
	}
}

// healthDisagrees adds a finding when the owner calls a task green and
// the rules found it red (the findings from index from on are the task's).
func (e *evaluator) healthDisagrees(p store.Plan, t *store.PlanTask, from int) {
	if t.Health != model.HealthGreen {
		return
	}
	var why []string
	for _, f := range e.out[from:] {
		if f.Level == model.LevelRed {
			why = append(why, f.Message)
		}
	}
	if len(why) == 0 {
		return
	}
	e.add(p, t, KindHealthDisagrees, model.LevelAmber, 0, e.msg("ejeren vurderer opgaven grøn, men datoerne siger rød: %s",
		"the owner rates the task green, but the dates say red: %s", strings.Join(why, "; ")))
}

func (e *evaluator) field(f string) string {
	switch {
	case f == "end" && e.r.English:
		return "end date"
	case f == "start" && e.r.English:
		return "start date"
	case f == "end":
		return "slutdato"
	case f == "start":
		return "startdato"
	}
	return ""
}

// firstOld is a field's value before its first change in the window.
func firstOld(changes []store.Change, field string) (model.Date, bool) {
	for _, c := range changes {
		if c.Field == field {
			d, err := model.ParseISODate(c.Old)
			return d, err == nil && !d.IsZero()
		}
	}
	return model.Date{}, false
}

func (e *evaluator) beforeGoLive(step string) bool {
	if b, ok := e.beforeSteps[step]; ok {
		return b
	}
	b := false
	for _, s := range e.r.BeforeGoLiveSteps {
		if strings.HasPrefix(strings.ToLower(step), strings.ToLower(s)) {
			b = true
			break
		}
	}
	if e.beforeSteps == nil {
		e.beforeSteps = map[string]bool{}
	}
	e.beforeSteps[step] = b
	return b
}

// goLive is the go-live of p's wave (zero when unknown), asked once per
// plan.
func (e *evaluator) goLive(p store.Plan) model.Date {
	if e.in.GoLive == nil {
		return model.Date{}
	}
	if gl, ok := e.goLives[p.ID]; ok {
		return gl
	}
	if e.goLives == nil {
		e.goLives = map[int64]model.Date{}
	}
	gl := e.in.GoLive(p.Solution, p.Wave)
	e.goLives[p.ID] = gl
	return gl
}

func (e *evaluator) planState(p store.Plan) {
	asOf := e.in.AsOf
	switch p.State {
	case store.PlanHeld:
		e.add(p, nil, KindHeld, model.LevelRed, 0, e.msg("holdt tilbage: %s", "held: %s", model.HeldReason(p.StateReason, e.r.English)))
		return
	case store.PlanFailing:
		e.add(p, nil, KindNotSynced, model.LevelRed, 0, e.msg("kan ikke læses: %s", "cannot be read: %s", p.StateReason))
		return
	case store.PlanGone:
		e.add(p, nil, KindNotSynced, model.LevelAmber, 0, e.msg("findes ikke længere i kilden: %s", "no longer in its source: %s", p.StateReason))
		return
	case store.PlanConflict:
		if words, ok := model.SharedFile(p.StateReason, e.r.English); ok {
			e.add(p, nil, KindNotSynced, model.LevelRed, 0, e.msg("opdateres ikke: %s", "not updated: %s", words))
			return
		}
		e.add(p, nil, KindNotSynced, model.LevelRed, 0, e.msg("opdateres ikke: flere filer gør krav på planen: %s", "not updated: several files claim the plan: %s",
			strings.Join(p.Claimants, ", ")))
		return
	}
	if !p.LastOKAt.IsZero() {
		if days := model.DateOf(p.LastOKAt).DaysUntil(asOf); days > e.r.SyncStaleDays {
			e.add(p, nil, KindNotSynced, model.LevelRed, days, e.msg("ikke læst med succes i %d dage", "not read successfully for %d days", days))
		}
	}
	last := p.LastChangeAt
	if last.IsZero() {
		last = p.CreatedAt
	}
	if !last.IsZero() {
		if days := model.DateOf(last).DaysUntil(asOf); days > e.r.StaleDays {
			e.add(p, nil, KindStalePlan, model.LevelAmber, days, e.msg("planen er ikke ændret i %d dage", "the plan has not changed for %d days", days))
		}
	}
}

// stepOrder finds a later step that finishes before an earlier step starts.
func (e *evaluator) stepOrder(p store.Plan, tasks []*store.PlanTask) {
	type span struct {
		step       string
		start, end model.Date
	}
	var spans []*span
	idx := map[string]*span{}
	for _, t := range tasks {
		s, ok := idx[t.Step]
		if !ok {
			s = &span{step: t.Step}
			idx[t.Step] = s
			spans = append(spans, s)
		}
		if !t.Start.IsZero() && (s.start.IsZero() || t.Start.Before(s.start)) {
			s.start = t.Start
		}
		if !t.End.IsZero() && t.End.After(s.end) {
			s.end = t.End
		}
	}
	for i := 0; i < len(spans); i++ {
		for j := i + 1; j < len(spans); j++ {
			a, b := spans[i], spans[j]
			if a.start.IsZero() || b.end.IsZero() || !b.end.Before(a.start) {
				continue
			}
			f := e.add(p, nil, KindStepOrder, model.LevelAmber, 0, e.msg("%s slutter (%s) før %s starter (%s)", "%s ends (%s) before %s starts (%s)", b.step, b.end, a.step, a.start))
			f.Key = fmt.Sprintf("%s|%d|%s|%s", KindStepOrder, p.ID, a.step, b.step)
			f.Step = b.step
		}
	}
}

func normTitle(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// norm is normTitle, remembered.
func (e *evaluator) norm(s string) string {
	if n, ok := e.norms[s]; ok {
		return n
	}
	if e.norms == nil {
		e.norms = map[string]string{}
	}
	n := normTitle(s)
	e.norms[s] = n
	return n
}

// fnorm is forecast.NormTitle, remembered: the forecast normalised every
// title of every plan (a tenth of the rules' time).
func (e *evaluator) fnorm(s string) string {
	if n, ok := e.fnorms[s]; ok {
		return n
	}
	if e.fnorms == nil {
		e.fnorms = map[string]string{}
	}
	n := forecast.NormTitle(s)
	e.fnorms[s] = n
	return n
}

func (e *evaluator) missingStandard(p store.Plan, tasks []*store.PlanTask) {
	if e.in.Standard == nil {
		return
	}
	std := e.in.Standard(p.Solution)
	if len(std) == 0 {
		return
	}
	if e.have == nil {
		e.have = make(map[string]bool, len(tasks)+len(std))
	}
	have := e.have // cleared, not made again, for each plan: growing it was most of this rule's time
	clear(have)
	for _, t := range tasks {
		have[e.norm(t.Title)] = true
	}
	for _, s := range std {
		if have[e.norm(s.Title)] {
			continue
		}
		// A title the standard plan has twice (in two steps) is one
		// finding: its key is the title's.
		have[e.norm(s.Title)] = true
		f := e.add(p, nil, KindMissingStandard, model.LevelInfo, 0, e.msg("standardopgaven %q (%s) mangler i planen", "the standard task %q (%s) is missing from the plan", s.Title, s.Step))
		f.Key = KindMissingStandard + "|" + strconv.FormatInt(p.ID, 10) + "|" + e.norm(s.Title)
		f.Step, f.Title = s.Step, s.Title
	}
}

// load finds weeks in which a municipality runs too many tasks across its
// solutions, and go-live dates of two solutions too close together.
func (e *evaluator) load(byPlan map[int64][]*store.PlanTask) {
	type week struct{ y, w int }
	perMun := map[string]map[week]int{}
	goLives := map[string][]struct {
		plan store.Plan
		date model.Date
	}{}
	for _, p := range e.in.Plans {
		if p.State == store.PlanGone {
			continue
		}
		var gl model.Date
		gl = e.goLive(p)
		for _, t := range byPlan[p.ID] {
			if gl.IsZero() && !t.End.IsZero() && e.isGoLiveTask(t.Title) {
				gl = t.End
			}
			if !open(t) || t.Start.IsZero() || t.End.IsZero() || t.End.Before(t.Start) || t.Start.DaysUntil(t.End) > 366 {
				continue
			}
			if perMun[p.Municipality] == nil {
				perMun[p.Municipality] = map[week]int{}
			}
			// Seven days on is always the next ISO week: each step is a
			// week of its own, and the end's week may be one more.
			counts := perMun[p.Municipality]
			var last week
			for d := t.Start; !d.After(t.End); d = d.AddDays(7) {
				y, w := d.Time().ISOWeek()
				last = week{y, w}
				counts[last]++
			}
			if y, w := t.End.Time().ISOWeek(); (week{y, w}) != last {
				counts[week{y, w}]++
			}
		}
		if !gl.IsZero() {
			goLives[p.Municipality] = append(goLives[p.Municipality], struct {
				plan store.Plan
				date model.Date
			}{p, gl})
		}
	}
	muns := make([]string, 0, len(perMun))
	for m := range perMun {
		muns = append(muns, m)
	}
	sort.Strings(muns)
	for _, m := range muns {
		var peak week
		n := 0
		for wk, c := range perMun[m] {
			if c > n || (c == n && (wk.y < peak.y || (wk.y == peak.y && wk.w < peak.w))) {
				peak, n = wk, c
			}
		}
		if n > e.r.LoadTasksPerWeek {
			f := model.Finding{Kind: KindLoad, Level: model.LevelAmber, Municipality: m, Days: n,
				Key:     fmt.Sprintf("%s|%s|%d-W%02d", KindLoad, m, peak.y, peak.w),
				Message: e.msg("%d opgaver kører i uge %d %d på tværs af løsninger (grænse %d)", "%d tasks run in week %d of %d across solutions (limit %d)", n, peak.w, peak.y, e.r.LoadTasksPerWeek)}
			e.out = append(e.out, f)
		}
	}
	for _, m := range sortedKeys(goLives) {
		gls := goLives[m]
		for i := 0; i < len(gls); i++ {
			for j := i + 1; j < len(gls); j++ {
				a, b := gls[i], gls[j]
				gap := e.r.Calendar.Between(a.date, b.date)
				if gap < 0 {
					gap = -gap
				}
				if gap < e.r.GoLiveGapDays {
					f := model.Finding{Kind: KindGoLiveClash, Level: model.LevelAmber, Municipality: m, Days: gap,
						Key:     fmt.Sprintf("%s|%s|%s|%s", KindGoLiveClash, m, a.plan.Solution, b.plan.Solution),
						Message: e.goLiveGap(a.plan.Solution, a.date, b.plan.Solution, b.date, gap)}
					e.out = append(e.out, f)
				}
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// planStatus: red with any red finding, amber with any amber one, else
// green.
func (e *evaluator) planStatus() map[int64]string {
	out := map[int64]string{}
	for _, p := range e.in.Plans {
		out[p.ID] = model.LevelGreen
	}
	for _, f := range e.out {
		if f.PlanID == 0 || f.Level == model.LevelInfo {
			continue
		}
		// Data problems alone do not colour a plan amber; lateness does.
		switch f.Kind {
		case KindMissingDates, KindMissingParty, KindUnknownStatus, KindStartAfterEnd, KindMissingStandard, KindHealthDisagrees:
			continue
		}
		out[f.PlanID] = model.Worse(out[f.PlanID], f.Level)
	}
	return out
}

func (e *evaluator) municipalStatus() map[string]string {
	out := map[string]string{}
	status := e.planStatus()
	for _, p := range e.in.Plans {
		out[p.Municipality] = model.Worse(out[p.Municipality], status[p.ID])
	}
	for _, f := range e.out {
		if f.PlanID == 0 && f.Municipality != "" && f.Level != model.LevelInfo {
			out[f.Municipality] = model.Worse(out[f.Municipality], f.Level)
		}
	}
	return out
}
