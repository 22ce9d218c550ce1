package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/forecast"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/store"
)

// wavesFixture is the small portfolio with its waves' dates and a clash.
func wavesFixture() *reports.Data {
	d := fixture()
	d.Waves = []reports.Wave{
		{Solution: "KY", Wave: "1", GoLive: date("2027-01-11"), Milestones: map[string]model.Date{"Prøvekonvertering": date("2026-11-20"), "Kick-off": date("2026-09-01")}},
		{Solution: "KY", Wave: "2", GoLive: date("2027-04-12")},
		{Solution: "KSD", Wave: "3", GoLive: date("2027-06-01")},
	}
	d.Findings = append(d.Findings, model.Finding{Key: "go_live_clash|Aarhus|KSD|KY", Kind: "go_live_clash", Level: model.LevelAmber, Municipality: "Aarhus",
		Days: 4, Message: "KY (2027-01-11) og KSD (2027-01-15) går i drift med kun 4 arbejdsdages mellemrum"})
	for i, done := range []float64{0.2, 0.3, 0.45} {
		d.History = append(d.History, reports.Snapshot{AsOf: date("2026-11-04").AddDays(7 * i), Headline: reports.Headline{Plans: 3, Tasks: 4, Done: done}})
	}
	return d
}

func TestServer_waves(t *testing.T) {
	ts := newServer(t, wavesFixture(), nil, false)
	code, _, body := get(t, ts, "/waves", nil)
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	for _, want := range []string{"<h1>Bølger</h1>", `<a href="/waves" class="active">Bølger</a>`, `<svg class="timeline"`,
		"Bølge 1 · idriftsættelse 2027-01-11", "Kick-off 2026-09-01 · Prøvekonvertering 2026-11-20", "<title>Idriftsættelse 2027-01-11</title>",
		`<a class="red" href="/plan/Aarhus/KY">Aarhus</a></td><td class="num">1 / 2</td>`, "2 af 2 opgaver skulle være færdige nu; 1 af dem er færdige",
		`<a class="amber" href="/plan/Vejle/KY">Vejle</a></td><td class="num">0 / 0</td>`,
		"Bølge 3 · idriftsættelse 2027-06-01", "Ingen planer i bølgen endnu.",
		"Idriftsættelser for tæt på hinanden", "går i drift med kun 4 arbejdsdages mellemrum"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// KSD before KY, wave 1 before wave 2.
	if i, j, k := strings.Index(body, "<h2>KSD</h2>"), strings.Index(body, "<h2>KY</h2>"), strings.Index(body, "Bølge 2 ·"); !(i >= 0 && i < j && strings.Index(body, "Bølge 1 ·") < k) {
		t.Errorf("order: KSD at %d, KY at %d, wave 2 at %d", i, j, k)
	}

	code, _, body = get(t, ts, "/api/waves", nil)
	if code != 200 {
		t.Fatalf("API status %d: %s", code, body)
	}
	var got struct {
		AsOf  string `json:"as_of"`
		Waves []struct {
			Solution       string `json:"solution"`
			Wave           string `json:"wave"`
			GoLive         string `json:"go_live"`
			Milestones     []struct{ Name, Date string }
			Municipalities []struct {
				Municipality string `json:"municipality"`
				Level        string `json:"level"`
				Tasks        int    `json:"tasks"`
				Due          int    `json:"due_by_now"`
				DueDone      int    `json:"due_done"`
				Done         int    `json:"done"`
				Overdue      int    `json:"overdue"`
			} `json:"municipalities"`
		} `json:"waves"`
		Clashes []struct {
			Municipality string `json:"municipality"`
			Days         int    `json:"working_days_apart"`
		} `json:"clashes"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, w := range got.Waves {
		keys = append(keys, w.Solution+"/"+w.Wave)
	}
	if got, want := strings.Join(keys, " "), "KSD/2 KSD/3 KY/1 KY/2"; got != want {
		t.Errorf("waves %q, want %q", got, want)
	}
	ky1 := got.Waves[2]
	if ky1.GoLive != "2027-01-11" || len(ky1.Milestones) != 2 || ky1.Milestones[0].Name != "Kick-off" || len(ky1.Municipalities) != 1 {
		t.Fatalf("KY wave 1: %+v", ky1)
	}
	m := ky1.Municipalities[0]
	if m.Municipality != "Aarhus" || m.Level != "red" || m.Tasks != 2 || m.Due != 2 || m.DueDone != 1 || m.Done != 1 || m.Overdue != 1 {
		t.Errorf("Aarhus in KY wave 1: %+v", m)
	}
	if len(got.Clashes) != 1 || got.Clashes[0].Municipality != "Aarhus" || got.Clashes[0].Days != 4 {
		t.Errorf("clashes: %+v", got.Clashes)
	}
}

// TestServer_wavesAccess: a municipality's people see their own plans and
// clashes only.
func TestServer_wavesAccess(t *testing.T) {
	acc := &Access{Header: "X-Forwarded-Email", Proxies: proxyLoopback, Rules: testRules}
	ts := newServer(t, wavesFixture(), acc, true)
	_, _, body := get(t, ts, "/waves", map[string]string{"X-Forwarded-Email": "pl@vejle.dk"})
	if strings.Contains(body, "Aarhus") || !strings.Contains(body, "Vejle") || !strings.Contains(body, "<h1>Waves</h1>") {
		t.Errorf("Vejle's waves page shows Aarhus or not Vejle:\n%s", body)
	}
	_, _, body = get(t, ts, "/api/waves", map[string]string{"X-Forwarded-Email": "pl@vejle.dk"})
	if strings.Contains(body, "Aarhus") {
		t.Errorf("Vejle's waves API shows Aarhus:\n%s", body)
	}
}

// TestServer_forecast: the plan page and API show the plan's forecast
// readiness against its go-live, computed by package forecast.
func TestServer_forecast(t *testing.T) {
	d := fixture()
	var tasks []*store.PlanTask
	for i := range d.Tasks {
		if d.Tasks[i].PlanID == 1 {
			tasks = append(tasks, &d.Tasks[i])
		}
	}
	fc, err := forecast.ForPlan(forecast.PlanInput{Tasks: tasks, GoLive: date("2026-11-24"), BeforeGoLiveStep: func(string) bool { return true }},
		forecast.Options{Today: d.AsOf, Calendar: d.Calendar})
	if err != nil || fc.Ready.IsZero() || fc.Slack >= 0 {
		t.Fatalf("forecast: %v %+v (want a late plan: its task overdue since 2026-11-13)", err, fc)
	}
	d.Forecasts = map[int64]*forecast.Result{1: fc}
	s := &Server{Load: func(context.Context) (*reports.Data, error) { return d, nil }, Location: time.UTC}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	want := fmt.Sprintf("Prognose: klar %s, %d arbejdsdage efter idriftsættelse 2026-11-24", fc.Ready, -fc.Slack)
	if _, _, body := get(t, ts, "/plan/Aarhus/KY", nil); !strings.Contains(body, want) {
		t.Errorf("plan page lacks %q", want)
	}
	if _, _, body := get(t, ts, "/plan/Aarhus/KSD", nil); strings.Contains(body, "Prognose") {
		t.Errorf("a plan without a forecast shows one")
	}
	_, _, body := get(t, ts, "/api/plans/Aarhus/KY", nil)
	var got struct {
		Forecast struct {
			Ready  string `json:"ready"`
			GoLive string `json:"go_live"`
			Slack  int    `json:"slack_working_days"`
			Why    string `json:"explanation"`
		} `json:"forecast"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Forecast.Ready != fc.Ready.String() || got.Forecast.GoLive != "2026-11-24" || got.Forecast.Slack != fc.Slack || got.Forecast.Why == "" {
		t.Errorf("API forecast %+v, want ready %s slack %d", got.Forecast, fc.Ready, fc.Slack)
	}
}
