package detect

import (
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

func conversionStandard(string) []StdTask {
	return []StdTask{
		{Step: "Trin 2", Title: "Datavask i kommunen", Offset: -58, Duration: 21, BeforeGoLive: true},
		{Step: "Trin 2", Title: "Prøvekonvertering 1", After: []string{"Datavask i kommunen"}, Offset: -37, Duration: 6, BeforeGoLive: true},
		{Step: "Trin 2", Title: "Validering af prøvekonvertering", After: []string{"Prøvekonvertering 1"}, Offset: -31, Duration: 9, BeforeGoLive: true},
		{Step: "Trin 2", Title: "Endelig konvertering", After: []string{"Validering af prøvekonvertering"}, Offset: -3, Duration: 3, BeforeGoLive: true},
		{Step: "Trin 4", Title: "Uddannelse af brugere", Offset: -40, Duration: 10, BeforeGoLive: true},
	}
}

// TestEvaluate_goLiveAtRisk: a slip on the conversion chain puts the plan
// at risk (red, naming the chain); the same slip in training, off the
// chain and with room, does not; a plan on its own dates is not at risk.
func TestEvaluate_goLiveAtRisk(t *testing.T) {
	goLive := d("2027-01-18")
	build := func(cleansingEnd, trainingEnd string) (store.Plan, []store.PlanTask) {
		p := plan("Aarhus", "KY")
		return p, []store.PlanTask{
			task(p, "title=Datavask i kommunen", "step=Trin 2", "status=in_progress", "start=2026-11-16", "end="+cleansingEnd, "bend=2026-12-04"),
			task(p, "title=Prøvekonvertering 1", "step=Trin 2", "status=not_started", "start=2026-12-07", "end=2026-12-11"),
			task(p, "title=Validering af prøvekonvertering", "step=Trin 2", "status=not_started", "start=2026-12-14", "end=2026-12-18"),
			task(p, "title=Endelig konvertering", "step=Trin 2", "status=not_started", "start=2027-01-13", "end=2027-01-15"),
			task(p, "title=Uddannelse af brugere", "step=Trin 3", "status=not_started", "start=2026-12-01", "end="+trainingEnd),
		}
	}
	tests := []struct {
		name              string
		cleansing, train  string
		wantLevel         string
		wantInMessage     string
		wantForecastReady string
	}{
		{"on plan", "2026-12-04", "2026-12-11", "", "", "2027-01-15"},
		{"training slips 20 days, off the chain", "2026-12-04", "2027-01-08", "", "", "2027-01-15"},
		// Cleansing to 8 Jan (23 working days after its baseline 4 Dec: 5 + 5
		// + 4 + 4 + 5 across Christmas and New Year); trial 11–15 Jan;
		// validation 18–22 Jan; final conversion (3 days) 25–27 Jan: seven
		// working days after the go-live.
		{"cleansing slips into January", "2027-01-08", "2026-12-11", model.LevelRed,
			"Datavask i kommunen (23 working days late) → Prøvekonvertering 1 → Validering af prøvekonvertering → Endelig konvertering: ready 7 working days after the go-live 2027-01-18", "2027-01-27"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, tasks := build(tt.cleansing, tt.train)
			in := Input{AsOf: d("2026-11-25"), Plans: []store.Plan{p}, Tasks: tasks, Standard: conversionStandard,
				GoLive: func(sol, wave string) model.Date { return goLive }}
			res := Evaluate(in, rules())
			var got *model.Finding
			for i, f := range res.Findings {
				if f.Kind == KindGoLiveAtRisk {
					got = &res.Findings[i]
				}
			}
			if fc := res.Forecasts[p.ID]; fc == nil || fc.Ready.String() != tt.wantForecastReady {
				t.Errorf("forecast = %+v, want ready %s", fc, tt.wantForecastReady)
			}
			if tt.wantLevel == "" {
				if got != nil {
					t.Fatalf("unexpected finding: %s %s", got.Level, got.Message)
				}
				return
			}
			if got == nil {
				t.Fatal("no go_live_at_risk finding")
			}
			if got.Level != tt.wantLevel || !strings.Contains(got.Message, tt.wantInMessage) {
				t.Errorf("got %s %q, want %s containing %q", got.Level, got.Message, tt.wantLevel, tt.wantInMessage)
			}
			if res.PlanStatus[p.ID] != model.LevelRed {
				t.Errorf("plan status %s, want red", res.PlanStatus[p.ID])
			}
		})
	}
}
