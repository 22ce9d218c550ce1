package detect

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/templates"
	"github.com/udrul/udrul/workdays"
)

func d(s string) model.Date {
	v, err := model.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func rules() Rules {
	return Rules{DueSoonDays: 5, RedOverdueDays: 10, StaleDays: 28, SyncStaleDays: 2, LoadTasksPerWeek: 25, GoLiveGapDays: 20,
		BeforeGoLiveSteps: []string{"Trin 0", "Trin 1", "Trin 2", "Trin 3"}, GoLiveTask: regexp.MustCompile(`(?i)idriftsættelse`),
		Calendar: workdays.New(), English: true}
}

var nextID int64

func plan(mun, sol string) store.Plan {
	nextID++
	now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	return store.Plan{ID: nextID, Municipality: mun, Solution: sol, Wave: "1", State: store.PlanOK, LastOKAt: now, LastChangeAt: now, CreatedAt: now}
}

// task makes a task; opts set fields: "status=done", "start=…", "end=…",
// "bstart=…", "bend=…", "step=…", "resp=", "title=…".
func task(p store.Plan, opts ...string) store.PlanTask {
	nextID++
	t := store.PlanTask{Plan: &p, Task: store.Task{ID: nextID, PlanID: p.ID, Task: model.Task{
		Step: "Trin 1", Title: fmt.Sprintf("Opgave %d", nextID), Responsible: "Kommune", Performer: "Kommune", Status: model.InProgress,
		Start: d("2026-05-01"), End: d("2026-07-01")}}}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "status":
			t.Status = model.Status(v)
		case "start":
			t.Start, _ = model.ParseISODate(v)
		case "end":
			t.End, _ = model.ParseISODate(v)
		case "bstart":
			t.BaselineStart = d(v)
		case "bend":
			t.BaselineEnd = d(v)
		case "step":
			t.Step = v
		case "resp":
			t.Responsible = v
		case "title":
			t.Title = v
		case "health":
			t.Health = v
		case "endas":
			t.EndAs = model.Written{Text: v, Precision: model.Part}
		}
	}
	if t.BaselineStart.IsZero() {
		t.BaselineStart = t.Start
	}
	if t.BaselineEnd.IsZero() {
		t.BaselineEnd = t.End
	}
	return t
}

// kinds lists the findings as "kind:days:level" for one task or plan.
func kinds(res Result, taskID, planID int64) []string {
	var out []string
	for _, f := range res.Findings {
		if (taskID != 0 && f.TaskID == taskID) || (taskID == 0 && f.PlanID == planID && f.TaskID == 0) {
			out = append(out, fmt.Sprintf("%s:%d:%s", f.Kind, f.Days, f.Level))
		}
	}
	sort.Strings(out)
	return out
}

func TestEvaluate_taskRules(t *testing.T) {
	tests := []struct {
		name string
		asOf string
		task []string
		want string
	}{
		{"overdue over Grundlovsdag", "2026-06-08", []string{"end=2026-06-04"}, "overdue:1:amber"},
		{"overdue over a weekend", "2026-06-15", []string{"end=2026-06-12"}, "overdue:1:amber"},
		{"Store Bededag 2023 is a holiday", "2023-05-08", []string{"start=2023-04-01", "end=2023-05-04"}, "overdue:1:amber"},
		{"Store Bededag 2024 is a workday", "2024-04-29", []string{"start=2024-04-01", "end=2024-04-25"}, "overdue:2:amber"},
		{"more than 10 working days is red", "2026-06-22", []string{"end=2026-06-04"}, "overdue:11:red"},
		{"done on its deadline", "2026-06-04", []string{"end=2026-06-04", "status=done"}, ""},
		{"done after its deadline is not overdue", "2026-06-10", []string{"end=2026-06-04", "status=done"}, ""},
		{"cancelled and overdue", "2026-06-10", []string{"end=2026-06-04", "status=cancelled"}, ""},
		{"ends today: due soon", "2026-06-04", []string{"end=2026-06-04"}, "due_soon:0:info"},
		{"due within 5 working days", "2026-06-01", []string{"end=2026-06-08"}, "due_soon:4:info"},
		{"not started yet", "2026-05-06", []string{"status=not_started", "start=2026-05-01"}, "not_started:3:amber"},
		{"slipped against baseline", "2026-05-06", []string{"end=2026-06-08", "bend=2026-06-01"}, "slipped:4:amber"},
		{"go-live task slipped is red", "2026-05-06", []string{"title=Idriftsættelse", "step=Trin 4", "end=2026-06-08", "bend=2026-06-01"}, "slipped:4:red"},
		{"start after end", "2026-05-06", []string{"start=2026-06-10", "end=2026-06-08"}, "start_after_end:0:amber"},
		{"missing dates", "2026-05-06", []string{"end="}, "missing_dates:0:amber"},
		{"missing responsible", "2026-05-06", []string{"resp="}, "missing_party:0:info"},
		{"unknown status", "2026-05-06", []string{"status=unknown"}, "unknown_status:0:info"},
		{"done with a start in the future", "2026-04-20", []string{"status=done"}, "done_in_future:0:amber"},
		{"ends after go-live", "2026-05-06", []string{"step=Trin 3", "end=2026-09-08"}, "after_go_live:5:red"},
		{"after go-live is fine for Trin 4", "2026-05-06", []string{"step=Trin 4", "end=2026-09-08"}, ""},
		{"on hold and overdue", "2026-06-22", []string{"end=2026-06-04", "status=on_hold"}, "overdue:11:red"},
		{"owner says green, dates say red", "2026-06-22", []string{"end=2026-06-04", "health=green"}, "health_disagrees:0:amber overdue:11:red"},
		{"owner says green, dates say amber", "2026-06-08", []string{"end=2026-06-04", "health=green"}, "overdue:1:amber"},
		{"owner says red and it is red", "2026-06-22", []string{"end=2026-06-04", "health=red"}, "overdue:11:red"},
		{"a traffic light instead of a status is not an unknown status", "2026-05-06", []string{"status=unknown", "health=amber"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plan("Aarhus", "KY")
			tk := task(p, tt.task...)
			res := Evaluate(Input{AsOf: d(tt.asOf), Plans: []store.Plan{p}, Tasks: []store.PlanTask{tk},
				GoLive: func(sol, wave string) model.Date { return d("2026-09-01") }}, rules())
			if got := strings.Join(kinds(res, tk.ID, 0), " "); got != tt.want {
				t.Errorf("findings = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEvaluate_planHealthDisagrees(t *testing.T) {
	for _, tt := range []struct {
		health, end, want string
	}{
		{model.HealthGreen, "2026-06-04", "health_disagrees:0:amber"},
		{model.HealthGreen, "2026-06-20", ""},
		{model.HealthAmber, "2026-06-04", ""},
		{"", "2026-06-04", ""},
	} {
		t.Run(tt.health+" "+tt.end, func(t *testing.T) {
			p := plan("Aarhus", "KY")
			p.Health = tt.health
			p.LastOKAt = time.Date(2026, 6, 22, 8, 0, 0, 0, time.UTC)
			tk := task(p, "end="+tt.end)
			res := Evaluate(Input{AsOf: d("2026-06-22"), Plans: []store.Plan{p}, Tasks: []store.PlanTask{tk}}, rules())
			if got := strings.Join(kinds(res, 0, p.ID), " "); got != tt.want {
				t.Errorf("plan findings = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEvaluate_messageShowsDateAsWritten(t *testing.T) {
	p := plan("Aarhus", "KY")
	tk := task(p, "end=2026-05-31", "endas=ultimo maj")
	res := Evaluate(Input{AsOf: d("2026-06-22"), Plans: []store.Plan{p}, Tasks: []store.PlanTask{tk}}, rules())
	for _, f := range res.Findings {
		if f.Kind == KindOverdue {
			if want := `(end date 2026-05-31 ("ultimo maj"))`; !strings.Contains(f.Message, want) {
				t.Errorf("message %q does not contain %q", f.Message, want)
			}
			return
		}
	}
	t.Errorf("no overdue finding in %+v", res.Findings)
}

func TestEvaluate_slippedThisWeek(t *testing.T) {
	p := plan("Aarhus", "KY")
	tk := task(p, "end=2026-06-15", "bend=2026-06-15")
	res := Evaluate(Input{AsOf: d("2026-06-01"), Plans: []store.Plan{p}, Tasks: []store.PlanTask{tk},
		WeekChanges: map[int64][]store.Change{tk.ID: {{TaskID: tk.ID, Field: "status", Old: "x"}, {TaskID: tk.ID, Field: "end", Old: "2026-06-08", New: "2026-06-12"}, {TaskID: tk.ID, Field: "end", Old: "2026-06-12", New: "2026-06-15"}}},
	}, rules())
	got := kinds(res, tk.ID, 0)
	if strings.Join(got, " ") != "slipped_week:5:amber" {
		t.Errorf("findings = %v, want one week slip of 5 working days (8 → 15 June)", got)
	}
	for _, f := range res.Findings {
		if f.Kind == KindSlippedWeek && (f.Old != "2026-06-08" || f.New != "2026-06-15") {
			t.Errorf("slip = %s → %s", f.Old, f.New)
		}
	}
}

func TestEvaluate_planRules(t *testing.T) {
	asOf := d("2026-07-15")
	ok := plan("Aarhus", "KY")
	stale := plan("Odense", "KY")
	stale.LastChangeAt = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	notSynced := plan("Vejle", "KY")
	notSynced.LastOKAt = time.Date(2026, 7, 10, 0, 0, 0, 0, time.UTC)
	held := plan("Skive", "KY")
	held.State, held.StateReason = store.PlanHeld, "the sheet has no tasks any more"
	failing := plan("Sorø", "KY")
	failing.State, failing.StateReason = store.PlanFailing, "the file is damaged"
	order := plan("Køge", "KY")
	recent := time.Date(2026, 7, 14, 0, 0, 0, 0, time.UTC)
	for _, p := range []*store.Plan{&ok, &stale, &notSynced, &held, &failing, &order} {
		if p != &notSynced {
			p.LastOKAt = recent
		}
		if p != &stale {
			p.LastChangeAt = recent
		}
	}
	tasks := []store.PlanTask{
		task(ok, "start=2026-07-01", "end=2026-08-01"),
		task(stale, "start=2026-07-01", "end=2026-08-01"),
		task(notSynced, "start=2026-07-01", "end=2026-08-01"),
		task(order, "step=Trin 1", "start=2026-08-01", "end=2026-08-20"),
		task(order, "step=Trin 2", "start=2026-07-01", "end=2026-07-20"),
	}
	res := Evaluate(Input{AsOf: asOf, Plans: []store.Plan{ok, stale, notSynced, held, failing, order}, Tasks: tasks}, rules())
	for _, tt := range []struct {
		p    store.Plan
		want string
	}{
		{ok, ""}, {stale, "stale_plan:75:amber"}, {notSynced, "not_synced:5:red"}, {held, "held:0:red"}, {failing, "not_synced:0:red"},
		{order, "step_order:0:amber"},
	} {
		if got := strings.Join(kinds(res, 0, tt.p.ID), " "); got != tt.want {
			t.Errorf("%s: findings = %q, want %q", tt.p.Key(), got, tt.want)
		}
	}
	if res.PlanStatus[ok.ID] != model.LevelGreen || res.PlanStatus[held.ID] != model.LevelRed || res.PlanStatus[stale.ID] != model.LevelAmber {
		t.Errorf("plan status = %v", res.PlanStatus)
	}
}

// TestEvaluate_missingStandard checks a plan lacking two standard tasks
// against the built-in standard plan of templates/.
func TestEvaluate_missingStandard(t *testing.T) {
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	std, _ := set.For("KY")
	p := plan("Aarhus", "KY")
	var tasks []store.PlanTask
	var missing []string
	n := 0
	for _, st := range std.Steps {
		for _, tk := range st.Tasks {
			n++
			if n == 3 || n == 12 {
				missing = append(missing, tk.Title)
				continue
			}
			tasks = append(tasks, task(p, "title="+strings.ToUpper(tk.Title), "step="+st.Label, "status=done"))
		}
	}
	res := Evaluate(Input{AsOf: d("2026-06-01"), Plans: []store.Plan{p}, Tasks: tasks, Standard: func(sol string) []StdTask {
		var out []StdTask
		for _, st := range std.Steps {
			for _, tk := range st.Tasks {
				out = append(out, StdTask{Step: st.Label, Title: tk.Title})
			}
		}
		return out
	}}, rules())
	var got []string
	for _, f := range res.Findings {
		if f.Kind == KindMissingStandard {
			got = append(got, f.Title)
		}
	}
	if strings.Join(got, "|") != strings.Join(missing, "|") {
		t.Errorf("missing standard tasks = %q, want %q", got, missing)
	}
}

func TestEvaluate_load(t *testing.T) {
	ky, ksd := plan("Aarhus", "KY"), plan("Aarhus", "KSD")
	var tasks []store.PlanTask
	for i := range 30 {
		p := ky
		if i%2 == 1 {
			p = ksd
		}
		tasks = append(tasks, task(p, "start=2026-06-08", "end=2026-06-12"))
	}
	tasks = append(tasks, task(ky, "title=Idriftsættelse", "step=Trin 4", "start=2026-09-01", "end=2026-09-01"),
		task(ksd, "title=Idriftsættelse", "step=Trin 4", "start=2026-09-08", "end=2026-09-08"))
	res := Evaluate(Input{AsOf: d("2026-06-01"), Plans: []store.Plan{ky, ksd}, Tasks: tasks}, rules())
	var got []string
	for _, f := range res.Findings {
		if f.Kind == KindLoad || f.Kind == KindGoLiveClash {
			got = append(got, fmt.Sprintf("%s:%d", f.Kind, f.Days))
		}
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "go_live_clash:5 load:30" {
		t.Errorf("load findings = %v", got)
	}
	if res.MunicipalStatus["Aarhus"] != model.LevelAmber {
		t.Errorf("municipality status = %q, want amber", res.MunicipalStatus["Aarhus"])
	}
}

// TestEvaluate_goLiveGapWords: the go-live clash says its gap in words,
// singular for one working day, "the same day" for none.
func TestEvaluate_goLiveGapWords(t *testing.T) {
	for _, tc := range []struct {
		name, a, b string
		english    bool
		want       string
	}{
		{"same day", "2026-09-01", "2026-09-01", false, "KY (2026-09-01) og KSD (2026-09-01) går i drift samme dag"},
		{"one day", "2026-09-01", "2026-09-02", false, "KY (2026-09-01) og KSD (2026-09-02) går i drift med kun 1 arbejdsdags mellemrum"},
		{"one day across a weekend", "2026-09-04", "2026-09-07", true, "KY (2026-09-04) and KSD (2026-09-07) go live only 1 working day apart"},
		{"five days", "2026-09-01", "2026-09-08", false, "KY (2026-09-01) og KSD (2026-09-08) går i drift med kun 5 arbejdsdages mellemrum"},
		{"same day, English", "2026-09-01", "2026-09-01", true, "KY (2026-09-01) and KSD (2026-09-01) go live on the same day"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ky, ksd := plan("Aarhus", "KY"), plan("Aarhus", "KSD")
			tasks := []store.PlanTask{task(ky, "title=Idriftsættelse", "step=Trin 4", "start="+tc.a, "end="+tc.a),
				task(ksd, "title=Idriftsættelse", "step=Trin 4", "start="+tc.b, "end="+tc.b)}
			r := rules()
			r.English = tc.english
			res := Evaluate(Input{AsOf: d("2026-06-01"), Plans: []store.Plan{ky, ksd}, Tasks: tasks}, r)
			var got []string
			for _, f := range res.Findings {
				if f.Kind == KindGoLiveClash {
					got = append(got, f.Message)
				}
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("go-live clash = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestEvaluate_missingStandardOnce: a standard title in two steps, missing
// from the plan, is one finding (one key), not two of the same key that
// would be counted twice but saved once.
func TestEvaluate_missingStandardOnce(t *testing.T) {
	p := plan("Aarhus", "KY")
	tasks := []store.PlanTask{task(p, "title=Kickoff", "step=Trin 1", "status=done")}
	std := func(string) []StdTask {
		return []StdTask{{Step: "Trin 1", Title: "Kickoff"}, {Step: "Trin 1", Title: "Test"}, {Step: "Trin 3", Title: "test "}}
	}
	res := Evaluate(Input{AsOf: d("2026-06-01"), Plans: []store.Plan{p}, Tasks: tasks, Standard: std}, rules())
	keys := map[string]int{}
	for _, f := range res.Findings {
		keys[f.Key]++
		if keys[f.Key] > 1 {
			t.Errorf("finding %s twice", f.Key)
		}
	}
	if got := kinds(res, 0, p.ID); strings.Count(strings.Join(got, ","), KindMissingStandard) != 1 {
		t.Errorf("plan findings %v, want one %s", got, KindMissingStandard)
	}
}

// TestEvaluate_noTasks: a plan read without error but holding no task is
// one finding that says so, amber, not a finding for every standard task
// it "lacks" nor a forecast made of assumed tasks; a held plan without
// tasks is only held.
func TestEvaluate_noTasks(t *testing.T) {
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	std, _ := set.For("KY")
	standard := func(string) []StdTask {
		var out []StdTask
		for _, st := range std.Steps {
			for _, tk := range st.Tasks {
				out = append(out, StdTask{Step: st.Label, Title: tk.Title, Duration: 5})
			}
		}
		return out
	}
	if len(standard("KY")) < 2 {
		t.Fatalf("the built-in KY standard plan has %d tasks, want several", len(standard("KY")))
	}
	recent := time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC)
	empty := plan("Aarhus", "KY")
	held := plan("Skive", "KY")
	held.State, held.StateReason = store.PlanHeld, "the sheet has no tasks any more"
	full := plan("Odense", "KY")
	for _, p := range []*store.Plan{&empty, &held, &full} {
		p.LastOKAt, p.LastChangeAt = recent, recent
	}
	var tasks []store.PlanTask
	for _, s := range standard("KY") {
		tasks = append(tasks, task(full, "title="+s.Title, "step="+s.Step, "status=done", "start=2026-05-01", "end=2026-05-20"))
	}
	res := Evaluate(Input{AsOf: d("2026-06-01"), Plans: []store.Plan{empty, held, full}, Tasks: tasks, Standard: standard,
		GoLive: func(string, string) model.Date { return d("2026-09-01") }}, rules())
	for _, tt := range []struct {
		name        string
		p           store.Plan
		want, level string
	}{
		{"empty plan", empty, "no_tasks:0:amber", model.LevelAmber},
		{"held plan without tasks", held, "held:0:red", model.LevelRed},
		{"plan with its tasks", full, "", model.LevelGreen},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(kinds(res, 0, tt.p.ID), " "); got != tt.want {
				t.Errorf("findings = %q, want %q", got, tt.want)
			}
			if got := res.PlanStatus[tt.p.ID]; got != tt.level {
				t.Errorf("plan status = %s, want %s", got, tt.level)
			}
		})
	}
	for _, f := range res.Findings {
		if f.Kind == KindNoTasks && !strings.Contains(f.Message, "no tasks") {
			t.Errorf("message %q does not say the plan holds no tasks", f.Message)
		}
	}
}
