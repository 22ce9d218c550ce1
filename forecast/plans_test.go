package forecast

import (
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
)

func stdChain() []StdTask {
	return []StdTask{
		{Step: "Trin 2", Title: "Udtræk af data fra eksisterende system", Offset: -67, Duration: 9, BeforeGoLive: true},
		{Step: "Trin 2", Title: "Datavask i kommunen", After: []string{"Udtræk af data fra eksisterende system"}, Offset: -58, Duration: 21, BeforeGoLive: true},
		{Step: "Trin 2", Title: "Prøvekonvertering 1", After: []string{"Datavask i kommunen"}, Offset: -37, Duration: 6, BeforeGoLive: true},
		{Step: "Trin 2", Title: "Validering af prøvekonvertering", After: []string{"Prøvekonvertering 1"}, Offset: -31, Duration: 9, BeforeGoLive: true},
		{Step: "Trin 2", Title: "Endelig konvertering", After: []string{"Validering af prøvekonvertering"}, Offset: -3, Duration: 3, BeforeGoLive: true},
		{Step: "Trin 4", Title: "Hypercare efter idriftsættelse", After: []string{"Endelig konvertering"}, Offset: 0, Duration: 22},
	}
}

func ptask(id int64, title string, start, end model.Date, st model.Status) *store.PlanTask {
	t := &store.PlanTask{}
	t.ID, t.Title, t.Start, t.End, t.Status, t.Step = id, title, start, end, st, "Trin 2"
	return t
}

// TestForPlan_chainFromStandard: a plan without a dependency column gets
// the standard chain by title (case and spaces aside); a 10-day slip in
// data cleansing pushes the go-live, and the explanation names the chain.
func TestForPlan_chainFromStandard(t *testing.T) {
	cal := workdays.New()
	goLive := date(2027, 1, 18)
	cleansing := ptask(1, "datavask  i Kommunen", date(2026, 11, 16), date(2026, 12, 18), model.InProgress)
	cleansing.BaselineEnd = date(2026, 12, 4)
	tasks := []*store.PlanTask{
		ptask(5, "Udtræk af data fra eksisterende system", date(2026, 11, 2), date(2026, 11, 13), model.Done),
		cleansing,
		ptask(2, "Prøvekonvertering 1", date(2026, 12, 7), date(2026, 12, 11), model.NotStarted),
		ptask(3, "Validering af prøvekonvertering", date(2026, 12, 14), date(2026, 12, 18), model.NotStarted),
		ptask(4, "Endelig konvertering", date(2027, 1, 13), date(2027, 1, 15), model.NotStarted),
		ptask(6, "Kaffe til styregruppen", date(2026, 12, 1), date(2026, 12, 2), model.NotStarted),
	}
	r, err := ForPlan(PlanInput{Tasks: tasks, Standard: stdChain(), GoLive: goLive}, Options{Today: date(2026, 11, 25), Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	// Cleansing ends 18 Dec; trial 21–29 Dec (21,22,23,24,28,29... 5 days:
	// 21, 22, 23, 24, 28); validation 29 Dec – 4 Jan (29, 30, 31, 4, 5);
	// final conversion from 13 Jan (its own start): 13–15 Jan.
	if want := date(2027, 1, 15); r.Ready != want {
		t.Errorf("ready %s, want %s", r.Ready, want)
	}
	// Cleansing slips 20 working days more: the validation then ends after
	// the final conversion's own start, and the chain drives.
	cleansing.End = cal.Add(date(2026, 12, 18), 20)
	r, err = ForPlan(PlanInput{Tasks: tasks, Standard: stdChain(), GoLive: goLive}, Options{Today: date(2026, 11, 25), Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(r.Chain); got != "1,2,3,4" {
		t.Fatalf("chain %s, want 1,2,3,4", got)
	}
	if r.Slack >= 0 {
		t.Errorf("slack %d, want negative", r.Slack)
	}
	msg := r.Explain(cal, false)
	for _, want := range []string{"datavask  i Kommunen (", "arbejdsdage forsinket) → Prøvekonvertering 1 → Validering af prøvekonvertering → Endelig konvertering: klar ", "arbejdsdage efter idriftsættelse 2027-01-18"} {
		if !strings.Contains(msg, want) {
			t.Errorf("explanation %q lacks %q", msg, want)
		}
	}
}

// TestForPlan_missingStandardTask: the plan lacks the trial conversion;
// the chain assumes it with the standard duration and says so.
func TestForPlan_missingStandardTask(t *testing.T) {
	cal := workdays.New()
	tasks := []*store.PlanTask{
		ptask(1, "Datavask i kommunen", date(2026, 11, 16), date(2027, 1, 8), model.InProgress),
		ptask(3, "Validering af prøvekonvertering", date(2026, 12, 14), date(2026, 12, 18), model.NotStarted),
		ptask(4, "Endelig konvertering", date(2027, 1, 13), date(2027, 1, 15), model.NotStarted),
	}
	r, err := ForPlan(PlanInput{Tasks: tasks, Standard: stdChain(), GoLive: date(2027, 1, 18)}, Options{Today: date(2026, 11, 25), Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(r.Chain); got != "1,std:Prøvekonvertering 1,3,4" {
		t.Fatalf("chain %s", got)
	}
	// Cleansing ends 8 Jan; trial (6 days) 11–18 Jan; validation (5 days)
	// 19–25 Jan; final conversion (3 days) 26–28 Jan.
	if want := date(2027, 1, 28); r.Ready != want {
		t.Errorf("ready %s, want %s", r.Ready, want)
	}
	if msg := r.Explain(cal, true); !strings.Contains(msg, "Prøvekonvertering 1 (not in the plan: standard duration assumed)") {
		t.Errorf("explanation: %s", msg)
	}
	// The extraction is missing too, but its successor (cleansing) has
	// started: nothing is assumed for it.
	for _, f := range r.Tasks {
		if f.Key == "std:Udtræk af data fra eksisterende system" {
			t.Error("assumed a task whose successor has started")
		}
	}
}
