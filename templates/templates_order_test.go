package templates

import (
	"strings"
	"testing"
)

// TestStandard_orderRespected: in the built-in standard plan every task
// starts after the tasks it follows end (offsets in working days).
func TestStandard_orderRespected(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := s.For("KY")
	if !ok {
		t.Fatal("no standard plan")
	}
	byTitle := map[string]Task{}
	for _, st := range p.Steps {
		for _, task := range st.Tasks {
			byTitle[task.Title] = task
		}
	}
	chained := 0
	for _, task := range byTitle {
		for _, a := range task.After {
			prev := byTitle[a]
			if end := prev.Offset + prev.Duration - 1; task.Offset <= end {
				t.Errorf("%q starts at %d, but follows %q ending at %d", task.Title, task.Offset, a, end)
			}
			chained++
		}
	}
	if chained < 8 {
		t.Errorf("only %d dependencies in the standard plan", chained)
	}
}

func TestPlan_checkOrder(t *testing.T) {
	tests := []struct {
		name, da, en string
		tasks        []Task
	}{
		{"unknown", `opgaven "A" kommer efter "X", som ikke er i planen`, `task "A" follows "X", which is not in the plan`, []Task{{Title: "A", After: []string{"X"}}}},
		{"cycle", "opgavernes rækkefølge går i ring: ", "the tasks' order is a cycle: ", []Task{{Title: "A", After: []string{"C"}}, {Title: "B", After: []string{"A"}}, {Title: "C", After: []string{"B"}}}},
		{"twice", `opgaven "A" står der to gange`, `task "A" appears twice`, []Task{{Title: "A"}, {Title: "A"}}},
		{"fine", "", "", []Task{{Title: "A"}, {Title: "B", After: []string{"A"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Plan{Steps: []Step{{Label: "Trin 1", Tasks: tt.tasks}}}
			for _, l := range []struct {
				english bool
				want    string
			}{{false, tt.da}, {true, tt.en}} {
				err := p.checkOrder(l.english)
				if l.want == "" {
					if err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err == nil || !strings.Contains(err.Error(), l.want) {
					t.Errorf("err = %v, want %q", err, l.want)
				}
			}
		})
	}
}
