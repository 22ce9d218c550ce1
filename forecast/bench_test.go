package forecast

import (
	"fmt"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
)

// BenchmarkForPlan_national forecasts 600 plans of 200 tasks (120,000
// tasks), each with the conversion chain of the standard plan among them.
func BenchmarkForPlan_national(b *testing.B) {
	cal := workdays.New()
	std := stdChain()
	goLive := date(2027, 3, 1)
	plans := make([][]*store.PlanTask, 600)
	id := int64(0)
	for p := range plans {
		for i := 0; i < 200; i++ {
			id++
			title := fmt.Sprintf("Opgave %d", i)
			if i < len(std) {
				title = std[i].Title
			}
			start := cal.Add(date(2026, 9, 1), i%120)
			st := model.NotStarted
			if i%3 == 0 {
				st = model.Done
			} else if i%3 == 1 {
				st = model.InProgress
			}
			plans[p] = append(plans[p], ptask(id, title, start, cal.Add(start, 5+i%10), st))
		}
	}
	opts := Options{Today: date(2026, 11, 25), Calendar: cal}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for _, ts := range plans {
			if _, err := ForPlan(PlanInput{Tasks: ts, Standard: std, GoLive: goLive}, opts); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkForPlan_ownDependencies forecasts 600 plans of 200 tasks whose
// sheets carry their own dependency column: each task follows the one
// above it, half by ID and half by row number.
func BenchmarkForPlan_ownDependencies(b *testing.B) {
	cal := workdays.New()
	goLive := date(2027, 3, 1)
	plans := make([][]*store.PlanTask, 600)
	id := int64(0)
	for p := range plans {
		for i := 0; i < 200; i++ {
			id++
			start := cal.Add(date(2026, 9, 1), i%120)
			st := model.NotStarted
			if i%3 == 0 {
				st = model.Done
			}
			t := ptask(id, fmt.Sprintf("Opgave %d", i), start, cal.Add(start, 5+i%10), st)
			t.Task.Task.ID, t.Pos = fmt.Sprint(i+1), model.Pos{Sheet: "Plan", Row: i + 2}
			switch {
			case i == 0:
			case i%2 == 0:
				t.After = []string{fmt.Sprint(i)}
			default:
				t.After = []string{model.RowRef(i + 1)}
			}
			plans[p] = append(plans[p], t)
		}
	}
	opts := Options{Today: date(2026, 11, 25), Calendar: cal}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for _, ts := range plans {
			if _, err := ForPlan(PlanInput{Tasks: ts, GoLive: goLive}, opts); err != nil {
				b.Fatal(err)
			}
		}
	}
}
