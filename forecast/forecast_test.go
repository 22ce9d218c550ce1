package forecast

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
)

// chain is the conversion chain of a plan going live on Monday 2027-01-18,
// as planned: data cleansing (in progress), trial conversion, validation,
// final conversion.
func chain() []Task {
	return []Task{
		{Key: "A", Title: "Datavask i kommunen", Start: date(2026, 11, 16), End: date(2026, 12, 4), Status: model.InProgress, BeforeGoLive: true},
		{Key: "B", Title: "Prøvekonvertering 1", Start: date(2026, 12, 7), End: date(2026, 12, 11), Status: model.NotStarted, After: []string{"A"}, BeforeGoLive: true},
		{Key: "C", Title: "Validering af prøvekonvertering", Start: date(2026, 12, 14), End: date(2026, 12, 18), Status: model.NotStarted, After: []string{"B"}, BeforeGoLive: true},
		{Key: "D", Title: "Endelig konvertering", Start: date(2027, 1, 11), End: date(2027, 1, 15), Status: model.NotStarted, After: []string{"C"}, BeforeGoLive: true},
		{Key: "E", Title: "Uddannelse af brugere", Start: date(2026, 12, 1), End: date(2026, 12, 4), Status: model.NotStarted, BeforeGoLive: true},
		{Key: "F", Title: "Hypercare efter idriftsættelse", Start: date(2027, 1, 18), End: date(2027, 2, 12), Status: model.NotStarted, After: []string{"D"}},
	}
}

func date(y, m, day int) model.Date { return model.NewDate(y, time.Month(m), day) }

var goLive = date(2027, 1, 18)

func opts(today model.Date) Options { return Options{Today: today, Calendar: workdays.New()} }

func keys(fs []Finish) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Key)
	}
	return strings.Join(out, ",")
}

func TestPlan(t *testing.T) {
	today := date(2026, 11, 25)
	tests := []struct {
		name      string
		edit      func([]Task)
		today     model.Date
		wantReady model.Date
		wantSlack int
		wantChain string
	}{
		{"as planned", nil, today, date(2027, 1, 15), 1, "D"},
		{
			// Data cleansing now ends 2027-01-08: trial conversion 11–15 Jan,
			// validation 18–22 Jan, final conversion 25–29 Jan: ready nine
			// working days after the go-live.
			"slip on the chain", func(ts []Task) { ts[0].End = date(2027, 1, 8) }, today,
			date(2027, 1, 29), -9, "A,B,C,D",
		},
		{
			// Training slips two weeks; it has room: nothing moves.
			"slip off the chain", func(ts []Task) { ts[4].Start, ts[4].End = date(2026, 12, 8), date(2026, 12, 18) }, today,
			date(2027, 1, 15), 1, "D",
		},
		{
			// Overdue in progress (planned 2–20 Nov, 15 working days): a
			// quarter of it, 4 working days from today: Wed 25 Nov – Mon 30 Nov.
			"in progress and overdue", func(ts []Task) {
				ts[0].Start, ts[0].End = date(2026, 11, 2), date(2026, 11, 20)
				ts[3].Start, ts[3].End = date(2026, 12, 1), date(2026, 12, 1) // D right after C
				ts[2].Start, ts[2].End = date(2026, 12, 1), date(2026, 12, 1)
				ts[1].Start, ts[1].End = date(2026, 12, 1), date(2026, 12, 1)
				ts[4].End = date(2026, 12, 2)
			}, today,
			// A to 30 Nov, B 1 Dec, C 2 Dec, D 3 Dec.
			date(2026, 12, 3), 30, "A,B,C,D",
		},
		{
			// Done with an end date in the future: finished; the trial
			// conversion keeps its own start.
			"done with a late end date", func(ts []Task) { ts[0].Status, ts[0].End = model.Done, date(2026, 12, 31) }, today,
			date(2027, 1, 15), 1, "D",
		},
		{
			// A cancelled predecessor holds nothing up.
			"cancelled predecessor", func(ts []Task) {
				ts[0].Status, ts[0].End = model.Cancelled, date(2027, 3, 1)
			}, today,
			date(2027, 1, 15), 1, "D",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := chain()
			if tt.edit != nil {
				tt.edit(ts)
			}
			r, err := Plan(ts, goLive, opts(tt.today))
			if err != nil {
				t.Fatal(err)
			}
			if r.Ready != tt.wantReady || r.Slack != tt.wantSlack {
				t.Errorf("ready %s slack %d, want %s slack %d", r.Ready, r.Slack, tt.wantReady, tt.wantSlack)
			}
			if got := keys(r.Chain); got != tt.wantChain {
				t.Errorf("chain %s, want %s", got, tt.wantChain)
			}
		})
	}
}

// TestPlan_slipMovesByTheSlip: a slip of n working days on the driving
// chain moves readiness by exactly n working days.
func TestPlan_slipMovesByTheSlip(t *testing.T) {
	cal := workdays.New()
	base := chain()
	base[3].Start, base[3].End = date(2026, 12, 21), date(2026, 12, 24) // D right after C, across Christmas
	r0, err := Plan(base, goLive, opts(date(2026, 11, 25)))
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 25; n++ {
		ts := chain()
		ts[3].Start, ts[3].End = base[3].Start, base[3].End
		ts[0].End = cal.Add(base[0].End, n)
		r, err := Plan(ts, goLive, opts(date(2026, 11, 25)))
		if err != nil {
			t.Fatal(err)
		}
		if got := cal.Between(r0.Ready, r.Ready); got != n {
			t.Errorf("slip %d: readiness moved %d working days (%s → %s)", n, got, r0.Ready, r.Ready)
		}
		if r0.Slack-r.Slack != n {
			t.Errorf("slip %d: slack %d → %d", n, r0.Slack, r.Slack)
		}
	}
}

// TestPlan_holidays crosses Christmas and Grundlovsdag, computed by hand.
func TestPlan_holidays(t *testing.T) {
	t.Run("christmas", func(t *testing.T) {
		// B is planned 21–29 Dec 2026: 21, 22, 23, 24, 28, 29 = 6 working
		// days. A ends 22 Dec, so B starts 23 Dec: 23, 24, 28, 29, 30, 31.
		ts := []Task{
			{Key: "A", Title: "A", Start: date(2026, 12, 14), End: date(2026, 12, 22), Status: model.InProgress, BeforeGoLive: true},
			{Key: "B", Title: "B", Start: date(2026, 12, 21), End: date(2026, 12, 29), Status: model.NotStarted, After: []string{"A"}, BeforeGoLive: true},
		}
		r, err := Plan(ts, date(2027, 1, 4), opts(date(2026, 12, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if want := date(2026, 12, 31); r.Ready != want || r.Slack != 1 {
			t.Errorf("ready %s slack %d, want %s slack 1", r.Ready, r.Slack, want)
		}
	})
	t.Run("grundlovsdag", func(t *testing.T) {
		// B planned 3–9 June 2026 (Friday 5 June is Grundlovsdag): 3, 4, 8,
		// 9 = 4 days. A ends Thursday 4 June: B starts Monday 8 June and
		// ends Thursday 11 June.
		ts := []Task{
			{Key: "A", Title: "A", Start: date(2026, 6, 1), End: date(2026, 6, 4), Status: model.InProgress, BeforeGoLive: true},
			{Key: "B", Title: "B", Start: date(2026, 6, 2), End: date(2026, 6, 9), Status: model.NotStarted, After: []string{"A"}, BeforeGoLive: true},
		}
		ts[1].Start = date(2026, 6, 3)
		r, err := Plan(ts, date(2026, 6, 15), opts(date(2026, 6, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if want := date(2026, 6, 11); r.Ready != want {
			t.Errorf("ready %s, want %s", r.Ready, want)
		}
		// 12 and 15 June: two working days to the go-live.
		if r.Slack != 2 {
			t.Errorf("slack %d, want 2", r.Slack)
		}
	})
}

func TestPlan_cycle(t *testing.T) {
	ts := []Task{
		{Key: "1", Title: "Prøvekonvertering", After: []string{"3"}, BeforeGoLive: true},
		{Key: "2", Title: "Validering", After: []string{"1"}, BeforeGoLive: true},
		{Key: "3", Title: "Endelig konvertering", After: []string{"2"}, BeforeGoLive: true},
	}
	_, err := Plan(ts, goLive, opts(date(2026, 11, 25)))
	var ce *CycleError
	if !errors.As(err, &ce) || !errors.Is(err, ErrCycle) {
		t.Fatalf("err = %v, want a cycle", err)
	}
	if len(ce.Keys) != 3 || !strings.Contains(err.Error(), "Prøvekonvertering") {
		t.Errorf("cycle = %v (%v)", ce.Keys, err)
	}
}

func TestPlan_assumedTaskCarried(t *testing.T) {
	ts := chain()
	ts[1].Assumed = true
	ts[0].End = date(2027, 1, 8)
	r, err := Plan(ts, goLive, opts(date(2026, 11, 25)))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Chain[1].Assumed || r.Chain[0].Assumed {
		t.Errorf("assumed flags on the chain: %+v", r.Chain)
	}
}

// TestPlan_reviewCases: a cancelled task passes its chain on; a task with
// no dates takes its standard duration, not one day.
func TestPlan_reviewCases(t *testing.T) {
	today := date(2026, 11, 25)
	t.Run("cancelled in the middle", func(t *testing.T) {
		ts := []Task{
			{Key: "A", Title: "A", Start: date(2026, 12, 1), End: date(2027, 1, 14), Status: model.InProgress, BeforeGoLive: true},
			{Key: "B", Title: "B", Status: model.Cancelled, After: []string{"A"}, BeforeGoLive: true},
			{Key: "C", Title: "C", Start: date(2026, 12, 1), End: date(2026, 12, 4), Status: model.NotStarted, After: []string{"B"}, BeforeGoLive: true},
		}
		r, err := Plan(ts, date(2027, 1, 18), opts(today))
		if err != nil {
			t.Fatal(err)
		}
		// C (4 working days) waits for A through the cancelled B: 15–20 Jan.
		if want := date(2027, 1, 20); r.Ready != want || keys(r.Chain) != "A,C" {
			t.Errorf("ready %s chain %s, want %s chain A,C", r.Ready, keys(r.Chain), want)
		}
	})
	t.Run("no dates: the standard duration", func(t *testing.T) {
		ts := []Task{{Key: "A", Title: "A", Status: model.InProgress, Duration: 20, BeforeGoLive: true}}
		r, err := Plan(ts, date(2027, 1, 18), opts(today))
		if err != nil {
			t.Fatal(err)
		}
		// A quarter of 20 days from today: 25 Nov – 1 Dec.
		if want := date(2026, 12, 1); r.Ready != want || r.PlannedKnown {
			t.Errorf("ready %s (planned known %v), want %s, unknown", r.Ready, r.PlannedKnown, want)
		}
	})
}

// TestForPlan_slippedPastGoLive: a task outside the standard plan, planned
// before the go-live and slipped past it, still counts for readiness.
func TestForPlan_slippedPastGoLive(t *testing.T) {
	task := ptask(1, "Lokal opgave", date(2026, 12, 1), date(2027, 2, 19), model.InProgress)
	task.BaselineEnd = date(2027, 1, 5)
	r, err := ForPlan(PlanInput{Tasks: []*store.PlanTask{task}, GoLive: date(2027, 1, 18)}, Options{Today: date(2026, 11, 25), Calendar: workdays.New()})
	if err != nil {
		t.Fatal(err)
	}
	if r.Ready != date(2027, 2, 19) || r.Slack >= 0 {
		t.Errorf("ready %s slack %d, want 2027-02-19 and late", r.Ready, r.Slack)
	}
}

// TestPlan_tasksWithoutCancelled: Result.Tasks holds every task's forecast
// in input order, the cancelled ones left out wherever they are, and the
// chain is found as before.
func TestPlan_tasksWithoutCancelled(t *testing.T) {
	today := date(2026, 11, 25)
	for _, tc := range []struct {
		name      string
		cancelled []string
		want      string
	}{
		{"none", nil, "ABCDEF"},
		{"first", []string{"A"}, "BCDEF"},
		{"middle", []string{"C"}, "ABDEF"},
		{"last", []string{"F"}, "ABCDE"},
		{"several", []string{"A", "D", "F"}, "BCE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tasks := chain()
			for i := range tasks {
				for _, k := range tc.cancelled {
					if tasks[i].Key == k {
						tasks[i].Status = model.Cancelled
					}
				}
			}
			r, err := Plan(tasks, goLive, Options{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, f := range r.Tasks {
				got += f.Key
			}
			if got != tc.want {
				t.Errorf("Tasks = %s, want %s", got, tc.want)
			}
			if len(r.Chain) == 0 || r.Chain[len(r.Chain)-1].Finish != r.Ready {
				t.Errorf("chain %+v does not end at ready %s", r.Chain, r.Ready)
			}
		})
	}
}
