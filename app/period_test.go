package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/model"
)

func openTemp(t *testing.T) *Env {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "udrul.yaml")
	os.WriteFile(cfg, []byte("database: udrul.db\n"), 0o644)
	e, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func TestEnv_PeriodStart(t *testing.T) {
	ctx := context.Background()
	e := openTemp(t)
	asOf := model.NewDate(2026, 11, 30)
	if got, want := must(e.PeriodStart(ctx, asOf)), asOf.AddDays(-6); got != want {
		t.Errorf("without a report: %s, want %s (a week)", got, want)
	}
	e.DB.RecordReport(ctx, model.NewDate(2026, 11, 20), "a.xlsx")
	e.DB.RecordReport(ctx, asOf, "b.xlsx") // the period's own report
	if got, want := must(e.PeriodStart(ctx, asOf)), model.NewDate(2026, 11, 21); got != want {
		t.Errorf("after a report for 20 November: %s, want %s", got, want)
	}
}

func TestEnv_ResolvedSince(t *testing.T) {
	ctx := context.Background()
	e := openTemp(t)
	a := model.Finding{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Municipality: "Aarhus"}
	b := model.Finding{Key: "overdue|1|2", Kind: "overdue", Level: model.LevelAmber, Municipality: "Aarhus"}
	c := model.Finding{Key: "overdue|1|3", Kind: "overdue", Level: model.LevelAmber, Municipality: "Aarhus"}
	if _, _, _, err := e.DB.SaveFindings(ctx, model.NewDate(2026, 11, 2), []model.Finding{a, b, c}); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := e.DB.SaveFindings(ctx, model.NewDate(2026, 11, 9), []model.Finding{a, c}); err != nil { // b resolved
		t.Fatal(err)
	}
	// A preview for 16 November that resolves c too (not stored).
	ev := &detect.Evaluation{AsOf: model.NewDate(2026, 11, 16), Result: detect.Result{Findings: []model.Finding{a}},
		Resolved: []model.Finding{{Key: c.Key, Kind: "overdue", ResolvedAt: model.NewDate(2026, 11, 16)}}}
	for _, tt := range []struct {
		name  string
		since model.Date
		want  int
	}{
		{"whole month", model.NewDate(2026, 11, 1), 2},
		{"after b", model.NewDate(2026, 11, 10), 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.ResolvedSince(ctx, ev, tt.since)
			if err != nil || len(got) != tt.want {
				t.Errorf("resolved since %s = %d (%v), want %d", tt.since, len(got), err, tt.want)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
