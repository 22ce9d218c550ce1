package parse_test

import (
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// TestParser_Parse_totalAndPageRows: a total row that shows the table's
// first start, last end and overall progress is no task (it was read as a
// task "I alt"), and a printed page's marker above a repeated header names
// no step (the next page's tasks were put in a step "Side 2").
func TestParser_Parse_totalAndPageRows(t *testing.T) {
	head := []any{"ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"}
	tests := []readCase{
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
	runReads(t, tests)
}

// TestParser_Parse_unreadColumns: a second column of a role already read
// and a revised date beside the date read are said on their header cells
// (only the first was read, in silence: a task shown "I gang" whose second
// status column said "Færdig", a deadline moved in "Ny frist" still read as
// the old one); the tasks are read as before.
func TestParser_Parse_unreadColumns(t *testing.T) {
	task := func(vals ...any) []grid.Cell { return cells(vals...) }
	tests := []readCase{
		{
			name: "two status columns",
			rows: [][]grid.Cell{
				cells("ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status", "Status"),
				task("1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang", "Færdig"),
			},
			want:   "2||1|A|Kommune|2026-06-01|2026-06-10|in_progress\n",
			issues: "H1 warning duplicate_column",
		},
		{
			name: "Slutdato and Deadline, Status and Fremdrift",
			rows: [][]grid.Cell{
				cells("ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Deadline", "Status", "Fremdrift"),
				task("1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "30-06-2026", "I gang", "100%"),
			},
			want:   "2||1|A|Kommune|2026-06-01|2026-06-10|in_progress\n",
			issues: "G1 warning duplicate_column\nI1 warning duplicate_column",
		},
		{
			name: "a revised end and a new start beside the dates read",
			rows: [][]grid.Cell{
				cells("ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Ny startdato", "Slutdato", "Revideret frist", "Status"),
				task("1", "A", "Kommune", "Kommune", "01-06-2026", "03-06-2026", "10-06-2026", "30-06-2026", "I gang"),
			},
			want:   "2||1|A|Kommune|2026-06-01|2026-06-10|in_progress\n",
			issues: "F1 warning unread_column\nH1 warning unread_column",
		},
		{
			name: "a revised date in a two-row header",
			rows: [][]grid.Cell{
				cells("ID", "Opgave", "Ansvarlig", "Udfører", "Dato", "", "Ny slutdato", "Status"),
				cells("", "", "", "", "Start", "Slut", "", ""),
				task("1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "30-06-2026", "I gang"),
			},
			want:   "3||1|A|Kommune|2026-06-01|2026-06-10|in_progress\n",
			issues: "G1 warning unread_column",
		},
		{
			name: "two remarks columns, actual dates and other columns say nothing",
			rows: [][]grid.Cell{
				cells("ID", "Opgave", "Ansvarlig", "Udfører", "Planlagt start", "Planlagt slut", "Faktisk slut", "Status", "Bemærkninger", "Kommentar", "Ny medarbejder"),
				task("1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "12-06-2026", "Færdig", "x", "y", "z"),
			},
			want: "2||1|A|Kommune|2026-06-01|2026-06-10|done\n",
		},
	}
	runReads(t, tests)
}

// TestParser_Parse_unreadColumns_english: the warnings in English name the
// column read.
func TestParser_Parse_unreadColumns_english(t *testing.T) {
	rows := [][]grid.Cell{
		cells("ID", "Task", "Owner", "Performed by", "Start date", "Due date", "Revised due date", "Status", "Progress"),
		cells("1", "A", "Kommune", "Kommune", "2026-06-01", "2026-06-10", "2026-06-30", "In progress", "100%"),
	}
	plan, err := parse.New(parse.Options{Lang: parse.English}).Parse(&grid.Grid{File: "plan.xlsx", Sheets: []grid.Sheet{{Name: "Plan", Rows: rows}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`column G ("Revised due date") looks like a revised end date, but is not read: the end date is read from column F ("Due date")`,
		`column I ("Progress") is also a status column, but is not read: the status is read only from column H ("Status")`,
	}
	var got []string
	for _, is := range plan.Issues {
		got = append(got, is.Message)
	}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %d messages", got, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("message %d = %q, want it to start %q", i, got[i], want[i])
		}
	}
}

// TestParser_Parse_sideTableAndExamples: a second task table beside the
// first in the same header row is an error naming where it starts (its
// tasks were lost in silence), and a template's example row is no task
// (it was read as one, done, in January).
func TestParser_Parse_sideTableAndExamples(t *testing.T) {
	head := []any{"ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"}
	tests := []readCase{
		{
			name: "two tables side by side",
			rows: [][]grid.Cell{
				cells(append(append(append([]any{}, head...), ""), head...)...),
				cells("1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang", "", "2", "B", "Kommune", "Kommune", "01-07-2026", "10-07-2026", "Færdig"),
			},
			want:   "2||1|A|Kommune|2026-06-01|2026-06-10|in_progress\n",
			issues: "I1 error side_table",
		},
		{
			name: "a side table without IDs, beside a table with a step column",
			rows: [][]grid.Cell{
				cells("Trin", "Opgave", "Ansvarlig", "Slutdato", "Status", "Opgave", "Ansvarlig", "Slutdato"),
				cells("Trin 1", "A", "Kommune", "10-06-2026", "I gang", "B", "Kommune", "10-07-2026"),
			},
			want:   "2|Trin 1||A|Kommune||2026-06-10|in_progress\n",
			issues: "A1 warning missing_column\nA1 warning missing_column\nF1 error side_table",
		},
		{
			name: "a second task column alone is a duplicate, no side table",
			rows: [][]grid.Cell{
				cells("ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status", "Aktivitet"),
				cells("1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang", "a"),
			},
			want:   "2||1|A|Kommune|2026-06-01|2026-06-10|in_progress\n",
			issues: "H1 warning duplicate_column",
		},
		{
			name: "example rows by ID and by task text",
			rows: [][]grid.Cell{
				cells(head...),
				cells("Eks.", "Afholde opstartsmøde", "Kommune", "Kommune", "01-01-2026", "02-01-2026", "Færdig"),
				cells("", "Eksempel: Udpege projektleder", "Kommune", "Kommune", "01-01-2026", "02-01-2026", "Færdig"),
				cells("", "Example - appoint a lead", "Kommune", "Kommune", "01-01-2026", "02-01-2026", "Done"),
				cells("1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang"),
				cells("2", "Eksempelvis test af snitflader", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang"),
				cells("3", "Eksempler på breve gennemgås", "Kommune", "Kommune", "01-06-2026", "10-06-2026", "I gang"),
			},
			want:   "5||1|A|Kommune|2026-06-01|2026-06-10|in_progress\n6||2|Eksempelvis test af snitflader|Kommune|2026-06-01|2026-06-10|in_progress\n7||3|Eksempler på breve gennemgås|Kommune|2026-06-01|2026-06-10|in_progress\n",
			issues: "B2 warning example_row\nB3 warning example_row\nB4 warning example_row",
		},
	}
	runReads(t, tests)
}

// TestParser_Parse_unplannedTasks: between the tasks of a step that a step
// row or a step column names, a row with only its task text is a task not
// yet planned (reported as missing its parties and dates). It was no task
// and renamed the step of the tasks below it, in silence. A section row
// above a table's first task, a row above a new table and a note below the
// last task are read as before.
func TestParser_Parse_unplannedTasks(t *testing.T) {
	h := cells("Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status")
	task := func(title string) []grid.Cell {
		return cells(title, "Kommune", "Kommune", "01-06-2026", "10-06-2026", "")
	}
	tests := []readCase{
		{
			name:   "between the tasks of Trin 1",
			rows:   [][]grid.Cell{cells("Trin 1"), h, task("A"), cells("Bestille servere"), task("C")},
			want:   "3|Trin 1||A|Kommune|2026-06-01|2026-06-10|not_started\n4|Trin 1||Bestille servere||||not_started\n5|Trin 1||C|Kommune|2026-06-01|2026-06-10|not_started\n",
			issues: "B4 warning missing_responsible\nC4 warning missing_performer\nD4 warning missing_date\nE4 warning missing_date",
		},
		{
			name: "in a table with a step column",
			rows: [][]grid.Cell{
				cells("Trin", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato"),
				cells("Trin 1", "A", "Kommune", "Kommune", "01-06-2026", "10-06-2026"),
				cells("", "Bestille servere"),
				cells("", "C", "Kommune", "Kommune", "01-06-2026", "10-06-2026"),
			},
			want:   "2|Trin 1||A|Kommune|2026-06-01|2026-06-10|not_started\n3|Trin 1||Bestille servere||||not_started\n4|Trin 1||C|Kommune|2026-06-01|2026-06-10|not_started\n",
			issues: "C3 warning missing_responsible\nD3 warning missing_performer\nE3 warning missing_date\nF3 warning missing_date",
		},
		{
			name:   "a blank row after it",
			rows:   [][]grid.Cell{cells("Trin 1"), h, task("A"), cells("Bestille servere"), nil, task("C")},
			want:   "3|Trin 1||A|Kommune|2026-06-01|2026-06-10|not_started\n4|Trin 1||Bestille servere||||not_started\n6|Trin 1||C|Kommune|2026-06-01|2026-06-10|not_started\n",
			issues: "B4 warning missing_responsible\nC4 warning missing_performer\nD4 warning missing_date\nE4 warning missing_date",
		},
		{
			name: "a section row above the first task still names the step",
			rows: [][]grid.Cell{cells("Trin 1"), h, cells("Forberedelse"), task("A")},
			want: "4|Forberedelse||A|Kommune|2026-06-01|2026-06-10|not_started\n",
		},
		{
			name: "a row above a new table still names it",
			rows: [][]grid.Cell{cells("Trin 1"), h, task("A"), nil, cells("Forberedelse"), h, task("B")},
			want: "3|Trin 1||A|Kommune|2026-06-01|2026-06-10|not_started\n7|Forberedelse||B|Kommune|2026-06-01|2026-06-10|not_started\n",
		},
		{
			name: "a note below the last task is no task",
			rows: [][]grid.Cell{cells("Trin 1"), h, task("A"), cells("NB! - ikke endelige")},
			want: "3|Trin 1||A|Kommune|2026-06-01|2026-06-10|not_started\n",
		},
		{
			name: "a section row drawn as a coloured band still names the step",
			rows: [][]grid.Cell{cells("Trin 1"), h, task("A"), func() []grid.Cell {
				row := cells("Test og godkendelse", "", "", "", "", "")
				for i := range row {
					row[i].Fill = grid.FillSet | 0xD9E1F2
				}
				return row
			}(), task("B")},
			want: "3|Trin 1||A|Kommune|2026-06-01|2026-06-10|not_started\n5|Test og godkendelse||B|Kommune|2026-06-01|2026-06-10|not_started\n",
		},
		{
			name: "without step rows a section row names the step, as before",
			rows: [][]grid.Cell{h, task("A"), cells("Test"), task("B")},
			want: "2|||A|Kommune|2026-06-01|2026-06-10|not_started\n4|Test||B|Kommune|2026-06-01|2026-06-10|not_started\n",
		},
	}
	runReads(t, tests)
}

// TestParser_Parse_doneDisagrees: a done column that contradicts the status
// beside it ("Ja" under "Færdig?" beside "Ikke startet", "Nej" beside
// "Færdig") is a status_conflict warning on the done cell, naming the
// status cell; the task is read as done, as before, where it was silent. A
// tick beside "I gang" (a tick is often ahead of the word) and an empty
// status say nothing.
func TestParser_Parse_doneDisagrees(t *testing.T) {
	rows := [][]grid.Cell{
		cells("Opgave", "Ansvarlig", "Slutdato", "Status", "Færdig?"),
		cells("A", "Kommune", "01-06-2026", "Ikke startet", "Ja"),
		cells("B", "Kommune", "01-06-2026", "Færdig", "Nej"),
		cells("C", "Kommune", "01-06-2026", "Annulleret", "x"),
		cells("D", "Kommune", "01-06-2026", "I gang", "Ja"),
		cells("E", "Kommune", "01-06-2026", "", "Ja"),
		cells("F", "Kommune", "01-06-2026", "Færdig", ""),
		cells("G", "Kommune", "01-06-2026", 1.0, 0),
	}
	plan, err := parseGrid(t, grid.Sheet{Name: "Plan", Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, task := range plan.Tasks {
		b.WriteString(task.Title + " " + string(task.Status) + "\n")
	}
	if got, want := b.String(), "A done\nB done\nC done\nD done\nE done\nF done\nG done\n"; got != want {
		t.Errorf("tasks:\n%s\nwant\n%s", got, want)
	}
	var issues []string
	for _, is := range plan.Issues {
		if is.Code == parse.CodeStatusConflict {
			issues = append(issues, is.Pos.Cell+" "+is.Message)
		}
	}
	want := []string{
		`E2 færdig-kolonnen siger "Ja", men status i D2 siger "Ikke startet"`,
		`E3 færdig-kolonnen siger "Nej", men status i D3 siger "Færdig"`,
		`E4 færdig-kolonnen siger "x", men status i D4 siger "Annulleret"`,
		`E8 færdig-kolonnen siger "0", men status i D8 siger "1"`,
	}
	if len(issues) != len(want) {
		t.Fatalf("status_conflict issues:\n%s\nwant %d", strings.Join(issues, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(issues[i], want[i]) {
			t.Errorf("issue %d = %q, want it to start %q", i, issues[i], want[i])
		}
	}
}

// TestParser_Parse_ganttZeros: a formula's timeline writes 0 (or "-",
// "nej", FALSE) in the weeks a task does not run and 1 in those it runs;
// each task spanned the whole timeline, in silence. A 0 in a cell filled as
// a bar is still a mark.
func TestParser_Parse_ganttZeros(t *testing.T) {
	head := cells("Opgave", "Ansvarlig", "Udfører", "uge 23 2026", "uge 24 2026", "uge 25 2026", "uge 26 2026", "uge 27 2026")
	filled := func(c []grid.Cell, i int) []grid.Cell {
		c[i].Fill = grid.FillSet | 0x4472C4
		return c
	}
	tests := []struct {
		name string
		row  []grid.Cell
		want string
	}{
		{"numbers", cells("A", "Kommune", "Kommune", 0, 1, 1, 0, 0), "2|||A|Kommune|2026-06-08|2026-06-19|not_started\n"},
		{"text zeros", cells("A", "Kommune", "Kommune", "0", "1", "1", "0", "0"), "2|||A|Kommune|2026-06-08|2026-06-19|not_started\n"},
		{"dashes", cells("A", "Kommune", "Kommune", "-", "x", "x", "-", "-"), "2|||A|Kommune|2026-06-08|2026-06-19|not_started\n"},
		{"nej and ja", cells("A", "Kommune", "Kommune", "nej", "ja", "nej", "nej", "nej"), "2|||A|Kommune|2026-06-08|2026-06-12|not_started\n"},
		{"booleans", []grid.Cell{{Kind: grid.Text, Text: "A"}, {Kind: grid.Text, Text: "Kommune"}, {Kind: grid.Text, Text: "Kommune"},
			{Kind: grid.Bool, Text: "0"}, {Kind: grid.Bool, Text: "1"}, {Kind: grid.Bool, Text: "1"}, {Kind: grid.Bool, Text: "1"}, {Kind: grid.Bool, Text: "0"}},
			"2|||A|Kommune|2026-06-08|2026-06-26|not_started\n"},
		{"a zero filled as a bar", filled(cells("A", "Kommune", "Kommune", 0, 0, 0, 0, 1), 2+3), "2|||A|Kommune|2026-06-15|2026-07-03|not_started\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := parseGrid(t, grid.Sheet{Name: "Plan", Rows: [][]grid.Cell{head, tt.row}})
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(plan.Tasks); got != tt.want {
				t.Errorf("got %s want %s (issues %+v)", got, tt.want, plan.Issues)
			}
		})
	}
}

// readsAs parses sheets and checks the tasks read (summary) and the issues,
// a line each: "cell severity code", with the sheet first when withSheet
// readCase is a plan's rows on one sheet, "Plan", and what reading them
// gives (see readsAs).
type readCase struct {
	name   string
	rows   [][]grid.Cell
	want   string
	issues string
}

// runReads runs each case as a subtest of its name.
func runReads(t *testing.T, tests []readCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			readsAs(t, []grid.Sheet{{Name: "Plan", Rows: tt.rows}}, tt.want, tt.issues, false)
		})
	}
}

// ("Plan!B3 warning copy_sheet").
func readsAs(t *testing.T, sheets []grid.Sheet, want, wantIssues string, withSheet bool) {
	t.Helper()
	plan, err := parseGrid(t, sheets...)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(plan.Tasks); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	var issues []string
	for _, is := range plan.Issues {
		at := is.Pos.Cell
		if withSheet {
			at = is.Pos.Sheet + "!" + at
		}
		issues = append(issues, at+" "+string(is.Severity)+" "+is.Code)
	}
	if got := strings.Join(issues, "\n"); got != wantIssues {
		t.Errorf("issues:\n%s\nwant\n%s", got, wantIssues)
	}
}
