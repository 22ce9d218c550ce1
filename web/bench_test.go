package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
)

// national is a portfolio of 600 plans (98 municipalities × up to 7
// solutions) with 200 tasks each, 120,000 tasks, and findings and sheet
// problems in the proportions the demo shows.
func national() *reports.Data {
	d := &reports.Data{AsOf: date("2026-11-25"), PlanStatus: map[int64]string{}, MunicipalStatus: map[string]string{},
		Issues: map[int64][]model.Issue{}, Calendar: workdays.New()}
	sols := []string{"KY", "KSD", "SAPA", "KP", "KSP", "FLIS", "SBSYS"}
	levels := []string{model.LevelGreen, model.LevelAmber, model.LevelRed}
	id := int64(0)
	for i := 0; i < 600; i++ {
		mun := fmt.Sprintf("Kommune %02d", i/7)
		p := store.Plan{ID: int64(i + 1), Municipality: mun, Solution: sols[i%7], Wave: fmt.Sprint(1 + i%4), State: store.PlanOK, SourceName: "share"}
		d.Plans = append(d.Plans, p)
		d.PlanStatus[p.ID] = levels[i%3]
		d.MunicipalStatus[mun] = model.LevelRed
		for j := 0; j < 200; j++ {
			id++
			t := store.PlanTask{}
			t.ID, t.PlanID, t.Step, t.Title = id, p.ID, fmt.Sprintf("Trin %d", j/40), fmt.Sprintf("Opgave %d", j)
			t.Status = []model.Status{model.Done, model.InProgress, model.NotStarted}[j%3]
			t.End = date("2026-09-01").AddDays(j)
			t.BaselineEnd = t.End.AddDays(-(j % 5))
			d.Tasks = append(d.Tasks, t)
			if j%20 == 0 {
				d.Findings = append(d.Findings, model.Finding{Kind: "overdue", Level: model.LevelAmber, PlanID: p.ID, TaskID: id,
					Municipality: mun, Solution: p.Solution, Wave: p.Wave, Title: t.Title, Days: j % 30})
			}
		}
		d.Issues[p.ID] = []model.Issue{{Pos: model.Pos{Sheet: "Plan", Row: 9, Cell: "F9"}, Severity: model.SevWarning, Message: "Mangler ansvarlig"}}
	}
	for i := range d.Tasks {
		d.Tasks[i].Plan = &d.Plans[d.Tasks[i].PlanID-1]
	}
	for i, sol := range sols {
		for w := 1; w <= 4; w++ {
			goLive := date("2027-01-04").AddDays(7*i + 56*w)
			d.Waves = append(d.Waves, reports.Wave{Solution: sol, Wave: fmt.Sprint(w), GoLive: goLive,
				Milestones: map[string]model.Date{"Kick-off": goLive.AddDays(-180), "Prøvekonvertering": goLive.AddDays(-60), "Generalprøve": goLive.AddDays(-14)}})
		}
	}
	for m := 0; m < 86; m += 3 {
		d.Findings = append(d.Findings, model.Finding{Kind: "go_live_clash", Level: model.LevelAmber, Municipality: fmt.Sprintf("Kommune %02d", m), Days: 5,
			Message: "KY og KSD går i drift med kun 5 arbejdsdages mellemrum"})
	}
	return d
}

// BenchmarkPages answers each page for the national portfolio from the
// snapshot (loaded once, as after a sync).
func BenchmarkPages(b *testing.B) {
	d := national()
	s := &Server{Load: func(context.Context) (*reports.Data, error) { return d, nil }, Location: time.UTC}
	if err := s.Refresh(context.Background()); err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	for _, path := range []string{"/", "/plan/Kommune%2042/KY", "/task/60000", "/list/data", "/list/overdue", "/list/slipped", "/sources", "/waves",
		"/api/overview", "/api/waves", "/api/plans/Kommune%2042/KY", "/api/list/overdue?format=csv"} {
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != 200 {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
		})
	}
}
