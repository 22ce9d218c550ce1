package forecast

import (
	"errors"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
)

// own is a stored task with the plan's ID, its sheet row and its own
// dependencies.
func own(id int64, ext string, row int, title string, start, end model.Date, st model.Status, after ...string) *store.PlanTask {
	t := ptask(id, title, start, end, st)
	t.Task.Task.ID, t.Pos = ext, model.Pos{Sheet: "Plan", Row: row}
	t.After = after
	return t
}

// TestForPlan_ownDependencies: hand-computed in Danish working days, with
// Grundlovsdag (Friday 5 June 2026) in the way. Cleansing finishes Tue 2
// June; the trial (3 days) starts Wed 3 June: 3, 4, 8 June (5 June is a
// holiday); the validation (3 days) after it: 9, 10, 11 June.
func TestForPlan_ownDependencies(t *testing.T) {
	today, goLive := date(2026, 5, 26), date(2026, 6, 22)
	cleansing := func(after ...string) *store.PlanTask {
		return own(1, "A", 2, "Datavask i kommunen", date(2026, 5, 18), date(2026, 6, 2), model.InProgress, after...)
	}
	trial := func(after ...string) *store.PlanTask {
		return own(2, "B", 3, "Prøvekonvertering 1", date(2026, 6, 1), date(2026, 6, 3), model.NotStarted, after...)
	}
	validation := func(after ...string) *store.PlanTask {
		return own(3, "C", 4, "Validering af prøvekonvertering", date(2026, 6, 4), date(2026, 6, 9), model.NotStarted, after...)
	}
	tests := []struct {
		name     string
		tasks    []*store.PlanTask
		standard []StdTask
		finishes map[string]model.Date // forecast key → finish
		chain    string
	}{
		{
			name:     "by ID",
			tasks:    []*store.PlanTask{cleansing(), trial("A"), validation("B")},
			finishes: map[string]model.Date{"2": date(2026, 6, 8), "3": date(2026, 6, 11)},
			chain:    "1,2,3",
		},
		{
			name:     "by row number",
			tasks:    []*store.PlanTask{cleansing(), trial("row:2"), validation("row:3", "row:9")},
			finishes: map[string]model.Date{"2": date(2026, 6, 8), "3": date(2026, 6, 11)},
			chain:    "1,2,3",
		},
		{
			// The standard plan puts the validation after the trial (9–11
			// June); the sheet says after the cleansing, so it keeps its
			// own start, 4 June: 4, 8, 9 June.
			name:     "the sheet's own order instead of the standard chain",
			tasks:    []*store.PlanTask{cleansing(), trial(), validation("A")},
			standard: stdChain(),
			finishes: map[string]model.Date{"2": date(2026, 6, 8), "3": date(2026, 6, 9)},
		},
		{
			name:     "references to no task: the standard chain applies",
			tasks:    []*store.PlanTask{cleansing(), trial(), validation("Z", "row:40")},
			standard: stdChain(),
			finishes: map[string]model.Date{"2": date(2026, 6, 8), "3": date(2026, 6, 11)},
			chain:    "1,2,3",
		},
		{
			name:     "a row on another sheet is not this sheet's row",
			tasks:    []*store.PlanTask{cleansing(), trial(), func() *store.PlanTask { v := validation("row:3"); v.Pos.Sheet = "Trin 2"; return v }()},
			finishes: map[string]model.Date{"3": date(2026, 6, 9)}, // by its own dates
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ForPlan(PlanInput{Tasks: tt.tasks, Standard: tt.standard, GoLive: goLive}, Options{Today: today, Calendar: workdays.New()})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]model.Date{}
			for _, f := range r.Tasks {
				got[f.Key] = f.Finish
			}
			for k, want := range tt.finishes {
				if got[k] != want {
					t.Errorf("task %s finishes %s, want %s", k, got[k], want)
				}
			}
			if tt.chain != "" {
				if got := keys(r.Chain); got != tt.chain {
					t.Errorf("chain %s, want %s", got, tt.chain)
				}
			}
		})
	}
}

// TestForPlan_ownDependencyCycle: a sheet whose column loops gives a
// CycleError naming the tasks, not a hang.
func TestForPlan_ownDependencyCycle(t *testing.T) {
	tasks := []*store.PlanTask{
		own(1, "1", 2, "Datavask", date(2026, 5, 18), date(2026, 6, 2), model.NotStarted, "3"),
		own(2, "2", 3, "Prøvekonvertering", date(2026, 6, 1), date(2026, 6, 3), model.NotStarted, "1"),
		own(3, "3", 4, "Validering", date(2026, 6, 4), date(2026, 6, 9), model.NotStarted, "2"),
	}
	_, err := ForPlan(PlanInput{Tasks: tasks, GoLive: date(2026, 6, 22)}, Options{Today: date(2026, 5, 26), Calendar: workdays.New()})
	var cycle *CycleError
	if !errors.As(err, &cycle) {
		t.Fatalf("err = %v, want a CycleError", err)
	}
	if got := cycle.Titles; len(got) != 4 || got[0] != got[3] {
		t.Errorf("cycle names %q, want the three tasks and back to the first", got)
	}
}
