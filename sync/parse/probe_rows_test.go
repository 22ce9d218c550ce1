package parse_test

import (
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
)

// TestParser_Parse_totalAndPageRows: a total row that shows the table's
// first start, last end and overall progress is no task (it was read as a
// task "I alt"), and a printed page's marker above a repeated header names
// no step (the next page's tasks were put in a step "Side 2").
func TestParser_Parse_totalAndPageRows(t *testing.T) {
	head := []any{"ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"}
	tests := []struct {
		name   string
		rows   [][]grid.Cell
		want   string
		issues string
	}{
		{
			name: "I alt with the first start, the last end and the progress",
			rows: [][]grid.Cell{
				cells(head...),
				cells("1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang"),
				cells("2", "B", "Kommune", "Kommune", "02-06-2026", "20-06-2026", "Færdig"),
				cells("", "I alt", "", "", "01-06-2026", "20-06-2026", "50%"),
			},
			want: "2||1|A|Kommune|2026-06-01|2026-06-10|in_progress\n3||2|B|Kommune|2026-06-02|2026-06-20|done\n",
		},
		{
			name: "Total and Samlet with dates",
			rows: [][]grid.Cell{
				cells(head...),
				cells("1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang"),
				cells("", "Total:", "", "", "01-06-2026", "10-06-2026", 0.5),
				cells("", "Samlet", "", "", "", "10-06-2026", ""),
			},
			want: "2||1|A|Kommune|2026-06-01|2026-06-10|in_progress\n",
		},
		{
			name: "a task named Total with a party and dates is still a task",
			rows: [][]grid.Cell{
				cells(head...),
				cells("1", "Total", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang"),
			},
			want: "2||1|Total|Kommune|2026-06-01|2026-06-10|in_progress\n",
		},
		{
			name: "Side 2 above the header repeated on the next printed page",
			rows: [][]grid.Cell{
				cells("Trin 1"),
				cells(head...),
				cells("1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang"),
				cells("Side 2 af 3"),
				cells(head...),
				cells("2", "B", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang"),
				cells("", "Page 3"),
				cells(head...),
				cells("3", "C", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang"),
			},
			want: "3|Trin 1|1|A|Kommune|2026-06-01|2026-06-10|in_progress\n6|Trin 1|2|B|Kommune|2026-06-01|2026-06-10|in_progress\n9|Trin 1|3|C|Kommune|2026-06-01|2026-06-10|in_progress\n",
		},
		{
			name: "a section row still names a step",
			rows: [][]grid.Cell{
				cells(head...),
				cells("Idriftsættelse"),
				cells("1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang"),
			},
			want: "3|Idriftsættelse|1|A|Kommune|2026-06-01|2026-06-10|in_progress\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := parseGrid(t, grid.Sheet{Name: "Plan", Rows: tt.rows})
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(plan.Tasks); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			var issues []string
			for _, is := range plan.Issues {
				issues = append(issues, is.Pos.Cell+" "+string(is.Severity)+" "+is.Code)
			}
			if got := strings.Join(issues, "\n"); got != tt.issues {
				t.Errorf("issues:\n%s\nwant\n%s", got, tt.issues)
			}
		})
	}
}
