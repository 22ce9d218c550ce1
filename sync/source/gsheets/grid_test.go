package gsheets

import (
	"testing"

	"github.com/udrul/udrul/sync/grid"
)

func TestTimeHeading(t *testing.T) {
	for _, tt := range []struct {
		cell grid.Cell
		want bool
	}{
		{grid.Cell{Kind: grid.Text, Text: "Uge 34"}, true},
		{grid.Cell{Kind: grid.Text, Text: "u35"}, true},
		{grid.Cell{Kind: grid.Text, Text: "34/2026"}, true},
		{grid.Cell{Kind: grid.Text, Text: "2026-W34"}, true},
		{grid.Cell{Kind: grid.Text, Text: "okt. 2026"}, true},
		{grid.Cell{Kind: grid.Text, Text: "Marts"}, true},
		{grid.Cell{Kind: grid.Text, Text: "01-06-2026"}, true},
		{grid.Cell{Kind: grid.Number, Num: 53, Text: "53"}, true},
		{grid.Cell{Kind: grid.Date, Num: 46000}, true},
		{grid.Cell{Kind: grid.Text, Text: "Opgave"}, false},
		{grid.Cell{Kind: grid.Text, Text: "uge 54"}, false},
		{grid.Cell{Kind: grid.Number, Num: 54, Text: "54"}, false},
		{grid.Cell{Kind: grid.Number, Num: 2.5, Text: "2,5"}, false},
		{grid.Cell{}, false},
	} {
		if got := timeHeading(tt.cell); got != tt.want {
			t.Errorf("timeHeading(%+v) = %v, want %v", tt.cell, got, tt.want)
		}
	}
}

func TestTimelineRanges(t *testing.T) {
	row := []grid.Cell{{Kind: grid.Text, Text: "Opgave"}, {Kind: grid.Text, Text: "Ansvarlig"}}
	for w := 50; w <= 52; w++ {
		row = append(row, grid.Cell{Kind: grid.Number, Num: float64(w)})
	}
	for w := 1; w <= 3; w++ {
		row = append(row, grid.Cell{Kind: grid.Number, Num: float64(w)})
	}
	g := &grid.Grid{Sheets: []grid.Sheet{
		{Name: "Kunde's plan", Rows: [][]grid.Cell{{{Kind: grid.Text, Text: "Kommune: Aarhus"}}, row}},
		{Name: "Skjult", Hidden: true, Rows: [][]grid.Cell{row}},
		{Name: "Noter", Rows: [][]grid.Cell{{{Kind: grid.Number, Num: 1}, {Kind: grid.Number, Num: 2}, {Kind: grid.Text, Text: "x"}, {Kind: grid.Number, Num: 3}}}},
	}}
	got := timelineRanges(g, []layout{{id: 1, rows: 1000}, {id: 2, rows: 1000}, {id: 3, rows: 1000}})
	if len(got) != 1 || got[0] != "'Kunde''s plan'!C1:H1000" {
		t.Errorf("ranges = %q, want ['Kunde''s plan'!C1:H1000]", got)
	}
}

func TestColumnName(t *testing.T) {
	for col, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 702: "ZZ", 703: "AAA", 16384: "XFD", 18278: "ZZZ"} {
		if got := columnName(col); got != want {
			t.Errorf("columnName(%d) = %q, want %q", col, got, want)
		}
	}
}
