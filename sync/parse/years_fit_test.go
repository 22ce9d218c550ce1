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

// TestParse_yearFromTheRow: a date without a year takes the year that puts
// it in order with the same row's other date, written with a year, when
// the plan's dates alone would put the row out of order or cannot tell —
// said on the cell. A row whose other date is far from the plan keeps the
// plan's year (and its start-after-end error). Each cell whose year was
// assumed is warned on its own, also two in one row.
func TestParse_yearFromTheRow(t_ *testing.T) {
	hdr := cells("Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato")
	row := func(title, start, end string) []grid.Cell {
		return cells(title, "Kommune", "Kommune", start, end)
	}
	runDateCases(t_, []dateCase{
		{
			name: "an end in January after a start in December is the next January",
			rows: [][]grid.Cell{hdr, row("A", "05-01-2026", "30-06-2026"), row("B", "15/12/2026", "12/1"),
				row("C", "01-12-2026", "12. januar")},
			want: `2||A|2026-01-05 /""|2026-06-30 /""|not_started|
3||B|2026-12-15 /""|2027-01-12 /"12/1"|not_started|
4||C|2026-12-01 /""|2027-01-12 /"12. januar"|not_started|
`,
			issues: "E3 warning year_assumed\nE4 warning year_assumed",
			say:    []string{"læst som år 2027 (året der lægger den efter opgavens startdato 15-12-2026 i samme række)"},
		},
		{
			name: "a start the plan cannot place takes the year before the row's end",
			opts: parse.Options{Lang: parse.English},
			rows: [][]grid.Cell{hdr, row("A", "05-01-2026", "31-12-2026"), row("B", "10/1", "20-01-2027")},
			want: `2||A|2026-01-05 /""|2026-12-31 /""|not_started|
3||B|2027-01-10 /"10/1"|2027-01-20 /""|not_started|
`,
			issues: "D3 warning year_assumed",
			say:    []string{"read as 2027 (the year that puts it before the task's end date 20-01-2027 in the same row)"},
		},
		{
			name: "the row agrees with a year the plan makes certain: nothing to say",
			rows: [][]grid.Cell{hdr, row("A", "01-05-2026", "30-09-2026"), row("B", "01-06-2026", "15/8")},
			want: `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B|2026-06-01 /""|2026-08-15 /"15/8"|not_started|
`,
		},
		{
			// 15.1 after 1 June: January of the next year lies months
			// beyond the plan, more likely 15.10 stored as a number.
			name: "a row far outside the plan does not decide: the plan's year, start after end",
			rows: [][]grid.Cell{hdr, row("A", "01-05-2026", "30-09-2026"), row("B", "01-06-2026", "15/1")},
			want: `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B|2026-06-01 /""|2026-01-15 /"15/1"|not_started|
`,
			issues: "D3 error start_after_end\nE3 warning year_assumed",
		},
		{
			name: "a plan over three years: both dates of a row warned, each on its cell",
			rows: [][]grid.Cell{hdr, row("A", "01-03-2025", "15-06-2027"), row("B", "12. marts", "12. januar")},
			want: `2||A|2025-03-01 /""|2027-06-15 /""|not_started|
3||B|2025-03-12 /"12. marts"|2025-01-12 /"12. januar"|not_started|
`,
			issues: "D3 warning year_assumed\nD3 error start_after_end\nE3 warning year_assumed",
			say:    []string{"\"12. januar\" har intet år", "\"12. marts\" har intet år"},
		},
	})
}
