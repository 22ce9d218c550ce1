package parse_test

import (
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
)

// TestParser_Parse_copySheets: a visible copy of the plan's tab kept
// beside it was read as more tasks — every task twice, with the copy's old
// dates and statuses — in silence. A sheet named as a copy is left out with
// a copy_sheet warning; when the names do not tell, both are read with a
// repeated_sheet error; sheets with other tasks are read as before.
func TestParser_Parse_copySheets(t *testing.T) {
	hdr := cells("Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status")
	row := func(title, end, status string) []grid.Cell {
		return cells(title, "Kommune", "Kommune", "01-06-2026", end, status)
	}
	current := [][]grid.Cell{hdr, row("A", "10-06-2026", "I gang"), row("B", "10-06-2026", "I gang"), row("C", "10-06-2026", "")}
	old := [][]grid.Cell{hdr, row("A", "01-09-2026", "Færdig"), row("B", "10-06-2026", "I gang"), row("C", "10-06-2026", ""), row("D", "", "")}
	other := [][]grid.Cell{hdr, row("A", "10-06-2026", ""), row("E", "10-06-2026", ""), row("F", "10-06-2026", ""), row("G", "10-06-2026", "")}
	const cur = "2|||A|Kommune|2026-06-01|2026-06-10|in_progress\n3|||B|Kommune|2026-06-01|2026-06-10|in_progress\n4|||C|Kommune|2026-06-01|2026-06-10|not_started\n"
	tests := []struct {
		name   string
		sheets []grid.Sheet
		want   string
		issues string
	}{
		{
			name:   "Excel's copy, Plan (2), after the plan",
			sheets: []grid.Sheet{{Name: "Plan", Rows: current}, {Name: "Plan (2)", Rows: old}},
			want:   cur,
			issues: "Plan (2)!A2 warning copy_sheet",
		},
		{
			name:   "a copy named Kopi af Plan before the plan",
			sheets: []grid.Sheet{{Name: "Kopi af Plan", Rows: old}, {Name: "Plan", Rows: current}},
			want:   cur,
			issues: "Kopi af Plan!A2 warning copy_sheet",
		},
		{
			name:   "an old copy among three sheets",
			sheets: []grid.Sheet{{Name: "KSD", Rows: current}, {Name: "KSD gammel", Rows: old}, {Name: "Backup", Rows: old}},
			want:   cur,
			issues: "KSD gammel!A2 warning copy_sheet\nBackup!A2 warning copy_sheet",
		},
		{
			name:   "LibreOffice's copy, Plan_2, and Google's, Copy of Plan",
			sheets: []grid.Sheet{{Name: "Plan", Rows: current}, {Name: "Plan_2", Rows: old}, {Name: "Copy of Plan", Rows: old}},
			want:   cur,
			issues: "Plan_2!A2 warning copy_sheet\nCopy of Plan!A2 warning copy_sheet",
		},
		{
			name:   "names that do not tell: both read, an error",
			sheets: []grid.Sheet{{Name: "Plan 2026", Rows: current}, {Name: "Plan 2025", Rows: old[:4]}},
			want:   cur + "2|||A|Kommune|2026-06-01|2026-09-01|done\n3|||B|Kommune|2026-06-01|2026-06-10|in_progress\n4|||C|Kommune|2026-06-01|2026-06-10|not_started\n",
			issues: "Plan 2025!A2 error repeated_sheet",
		},
		{
			name:   "a sheet sharing one task is no copy",
			sheets: []grid.Sheet{{Name: "Plan", Rows: current}, {Name: "Plan (2)", Rows: other}},
			want:   cur + "2|||A|Kommune|2026-06-01|2026-06-10|not_started\n3|||E|Kommune|2026-06-01|2026-06-10|not_started\n4|||F|Kommune|2026-06-01|2026-06-10|not_started\n5|||G|Kommune|2026-06-01|2026-06-10|not_started\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			readsAs(t, tt.sheets, tt.want, tt.issues, true)
		})
	}
}

// TestParser_Parse_copySheetIDs: with a copy before the plan, the plan's
// IDs are no duplicates of the copy's once the copy is left out; a
// duplicate within the plan is still one.
func TestParser_Parse_copySheetIDs(t *testing.T) {
	hdr := cells("ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato")
	row := func(id, title string) []grid.Cell {
		return cells(id, title, "Kommune", "Kommune", "01-06-2026", "10-06-2026")
	}
	copyRows := [][]grid.Cell{hdr, row("1", "A"), row("2", "B"), row("3", "C")}
	planRows := [][]grid.Cell{hdr, row("1", "A"), row("2", "B"), row("3", "C"), row("3", "D")}
	plan, err := parseGrid(t, grid.Sheet{Name: "Kopi af Plan", Rows: copyRows}, grid.Sheet{Name: "Plan", Rows: planRows})
	if err != nil {
		t.Fatal(err)
	}
	var issues []string
	for _, is := range plan.Issues {
		issues = append(issues, is.Pos.Sheet+"!"+is.Pos.Cell+" "+is.Code)
	}
	if got, want := strings.Join(issues, "\n"), "Kopi af Plan!A2 copy_sheet\nPlan!A5 duplicate_id"; got != want {
		t.Errorf("issues:\n%s\nwant\n%s", got, want)
	}
	if len(plan.Tasks) != 4 {
		t.Errorf("got %d tasks, want the plan's 4", len(plan.Tasks))
	}
}
