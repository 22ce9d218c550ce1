package parse_test

import (
	"fmt"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
)

// TestParser_Parse_ganttFill reads generated Gantt timelines drawn by fill
// colour alone (bars, and traffic lights as coloured cells), across a new
// year, exactly.
func TestParser_Parse_ganttFill(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			p := plangen.Generate(plangen.Spec{Seed: seed, Layout: plangen.GanttFill, Municipality: "Hjørring", Solution: "KP", Wave: 2,
				Start: model.NewDate(2026, 9, 7), Defects: seed%2 == 0})
			plan := readPlan(t, p)
			compareTasks(t, plan.Tasks, p.Tasks)
			got := map[plangen.ExpectedIssue]bool{}
			for _, is := range plan.Issues {
				got[plangen.ExpectedIssue{Sheet: is.Pos.Sheet, Cell: is.Pos.Cell, Code: is.Code}] = true
			}
			for _, w := range p.Issues {
				if !got[w] {
					t.Errorf("missing issue %+v; got %+v", w, plan.Issues)
				}
			}
		})
	}
}

// TestParser_Parse_plannersAcrossNewYear reads the planners' layouts of a
// plan that starts in the autumn and goes live after new year.
func TestParser_Parse_plannersAcrossNewYear(t *testing.T) {
	for _, layout := range []plangen.Layout{plangen.WeekDates, plangen.GanttMarks} {
		for seed := uint64(1); seed <= 6; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", layout, seed), func(t *testing.T) {
				p := plangen.Generate(plangen.Spec{Seed: seed, Layout: layout, Municipality: "Læsø", Solution: "SAPA", Wave: 1,
					Start: model.NewDate(2026, 8, 31).AddDays(int(seed) * 9), Defects: seed%2 == 1})
				plan := readPlan(t, p)
				compareTasks(t, plan.Tasks, p.Tasks)
				years := map[int]bool{}
				for _, task := range plan.Tasks {
					years[task.End.Year] = true
				}
				if len(years) < 2 {
					t.Errorf("the plan does not cross a new year: %v", years)
				}
			})
		}
	}
}
