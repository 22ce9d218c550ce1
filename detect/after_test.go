package detect

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/xuri/excelize/v2"
)

// syncSheet writes rows into an xlsx, reads and parses it, and stores it as
// the syncer does; it returns the stored plan and tasks.
func syncSheet(t *testing.T, rows [][]any) (*model.Plan, store.Plan, []store.PlanTask) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	f := excelize.NewFile()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "KY_Aarhus.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	g, err := grid.ReadFile(path, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	read, err := parse.New(parse.Options{Lang: parse.English}).Parse(g)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run, err := db.BeginRun(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src, err := db.EnsureSource(ctx, "share", "files", dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reconcile.Apply(ctx, db, reconcile.Input{RunID: run, SourceID: src, Doc: store.Document{Key: path}, Version: "1", Hash: "h1",
		Location: path, Municipality: "Aarhus", Solution: "KY", Wave: "1", Plan: read, Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}}); err != nil {
		t.Fatal(err)
	}
	plans, err := db.ListPlans(ctx)
	if err != nil || len(plans) != 1 {
		t.Fatalf("plans %v, %v", plans, err)
	}
	tasks, err := db.ListTasks(ctx, store.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return read, plans[0], tasks
}

// TestEvaluate_sheetDependencies: a sheet's own dependency column, read,
// stored and forecast end to end. A column that loops is a
// dependency_cycle finding (not a hang); the same plan without the loop is
// forecast from the sheet's order: cleansing ends Tue 2 June 2026; the
// trial follows (3, 4, 8 June: Grundlovsdag is a holiday), the validation
// after it (9, 10, 11 June): one working day after a go-live on 10 June,
// so red, with the trial 2 working days late (planned to end 3 June).
func TestEvaluate_sheetDependencies(t *testing.T) {
	header := []any{"ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status", "Forudgående"}
	rows := func(first string) [][]any {
		return [][]any{header,
			{"1", "Datavask", "Kommune", "Kommune", "18-05-2026", "02-06-2026", "I gang", first},
			{"2", "Prøvekonvertering", "Leverandør", "Leverandør", "01-06-2026", "03-06-2026", "Ikke startet", "1FS+2d"},
			{"3", "Validering", "Kommune", "Kommune", "04-06-2026", "09-06-2026", "Ikke startet", "2"},
		}
	}
	goLive := d("2026-06-10")
	eval := func(p store.Plan, tasks []store.PlanTask) Result {
		return Evaluate(Input{AsOf: d("2026-05-26"), Plans: []store.Plan{p}, Tasks: tasks,
			GoLive: func(string, string) model.Date { return goLive }}, rules())
	}
	find := func(res Result, kind string) *model.Finding {
		for i, f := range res.Findings {
			if f.Kind == kind {
				return &res.Findings[i]
			}
		}
		return nil
	}

	t.Run("a loop is a finding", func(t *testing.T) {
		read, p, tasks := syncSheet(t, rows("3"))
		if read.Errors() != 0 {
			t.Errorf("issues %+v, want none: a loop is not a reading problem", read.Issues)
		}
		res := eval(p, tasks)
		f := find(res, KindDependencyCycle)
		if f == nil {
			t.Fatalf("no dependency_cycle finding in %+v", res.Findings)
		}
		for _, want := range []string{"Datavask", "Prøvekonvertering", "Validering", "(fix the plan's predecessors column)"} {
			if !strings.Contains(f.Message, want) {
				t.Errorf("message %q does not name %q", f.Message, want)
			}
		}
		if find(res, KindGoLiveAtRisk) != nil {
			t.Error("a go_live_at_risk finding from a plan that cannot be forecast")
		}
	})
	t.Run("the sheet's order drives the forecast", func(t *testing.T) {
		_, p, tasks := syncSheet(t, rows(""))
		res := eval(p, tasks)
		fc := res.Forecasts[p.ID]
		if fc == nil {
			t.Fatal("no forecast")
		}
		if got, want := fc.Ready, d("2026-06-11"); got != want {
			t.Errorf("ready %s, want %s", got, want)
		}
		f := find(res, KindGoLiveAtRisk)
		if f == nil || f.Level != model.LevelRed {
			t.Fatalf("finding %+v, want a red go_live_at_risk", f)
		}
		if want := "Datavask → Prøvekonvertering (2 working days late) → Validering: ready 1 working days after the go-live 2026-06-10"; !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks %q", f.Message, want)
		}
	})
}
