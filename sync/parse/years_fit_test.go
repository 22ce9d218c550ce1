package parse_test

import (
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// TestParse_yearNearestThePlan: a plan running November 2026 to January
// 2027 with "uge 5" and "primo februar" reads them in 2027 — the year
// nearest the plan's dates — never ten months before the plan starts, and
// a year that is not certain is said on the cell.
func TestParse_yearNearestThePlan(t *testing.T) {
	text := func(s ...string) []grid.Cell {
		var out []grid.Cell
		for _, v := range s {
			out = append(out, grid.Cell{Kind: grid.Text, Text: v})
		}
		return out
	}
	g := &grid.Grid{File: "KY_Aarhus.csv", Sheets: []grid.Sheet{{Name: "Plan", Rows: [][]grid.Cell{
		text("Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato"),
		text("A", "Kommune", "Kommune", "02-11-2026", "15-01-2027"),
		text("B", "Kommune", "Kommune", "uge 5", "uge 6"),
		text("C", "Kommune", "Kommune", "primo februar", "ultimo februar"),
		text("D", "Kommune", "Kommune", "01-06-2026", "uge 1"),
	}}}}
	plan, err := parse.New(parse.Options{}).Parse(g)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{"B": {"2027-02-01", "2027-02-12"}, "C": {"2027-02-01", "2027-02-28"}, "D": {"2026-06-01", "2027-01-08"}}
	for _, task := range plan.Tasks {
		if w, ok := want[task.Title]; ok && (task.Start.String() != w[0] || task.End.String() != w[1]) {
			t.Errorf("%s: %s – %s, want %s – %s", task.Title, task.Start, task.End, w[0], w[1])
		}
	}
	warned := 0
	for _, is := range plan.Issues {
		if is.Code == "year_assumed" && strings.Contains(is.Message, "2027") {
			warned++
		}
		if is.Code == "start_after_end" {
			t.Errorf("start after end: %s", is.Message)
		}
	}
	if warned == 0 {
		t.Error("no cell says which year was taken for dates outside the plan's span")
	}
}
