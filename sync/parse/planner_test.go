package parse_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// detail lists tasks with their written dates and health.
func detail(tasks []model.Task) string {
	var b strings.Builder
	for _, t := range tasks {
		fmt.Fprintf(&b, "%d|%s|%s|%s %s/%q|%s %s/%q|%s|%s\n", t.Pos.Row, t.Step, t.Title,
			t.Start, t.StartAs.Precision, t.StartAs.Text, t.End, t.EndAs.Precision, t.EndAs.Text, t.Status, t.Health)
	}
	return b.String()
}

func issueList(plan *model.Plan) string {
	var got []string
	for _, is := range plan.Issues {
		if is.Code == parse.CodeMissingColumn && plan.File == "nocols" {
			continue
		}
		got = append(got, fmt.Sprintf("%s %s %s", is.Pos.Cell, is.Severity, is.Code))
	}
	return strings.Join(got, "\n")
}

func parseWith(t *testing.T, opts parse.Options, sheets ...grid.Sheet) *model.Plan {
	t.Helper()
	plan, err := parse.New(opts).Parse(&grid.Grid{File: "plan.xlsx", Sheets: sheets})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func fixedNow() time.Time { return time.Date(2031, 3, 1, 12, 0, 0, 0, time.UTC) }

func TestParser_Parse_looseDates(t *testing.T) {
	hdr := []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"}
	tests := []struct {
		name   string
		opts   parse.Options
		rows   [][]grid.Cell
		want   string
		issues string
	}{
		{
			name: "weeks, parts, months and quarters with years",
			rows: [][]grid.Cell{
				cells(hdr...),
				cells("A", "Kommune", "Kommune", "uge 34 2026", "uge 36, 2026", ""),
				cells("B", "Kommune", "Kommune", "34/2026", "2026-W35", ""),
				cells("C", "Kommune", "Kommune", "uge 34-36 2026", "", ""),
				cells("D", "Kommune", "Kommune", "primo okt. 2026", "ultimo oktober 2026", ""),
				cells("E", "Kommune", "Kommune", "oktober 2026", "Q4 2026", ""),
				cells("F", "Kommune", "Kommune", "3. kvartal 2026", "01-12-2026", ""),
			},
			want: `2||A|2026-08-17 week/"uge 34 2026"|2026-09-04 week/"uge 36, 2026"|not_started|
3||B|2026-08-17 week/"34/2026"|2026-08-28 week/"2026-W35"|not_started|
4||C|2026-08-17 week/"uge 34-36 2026"|2026-09-04 week/"uge 34-36 2026"|not_started|
5||D|2026-10-01 part/"primo okt. 2026"|2026-10-31 part/"ultimo oktober 2026"|not_started|
6||E|2026-10-01 month/"oktober 2026"|2026-12-31 quarter/"Q4 2026"|not_started|
7||F|2026-07-01 quarter/"3. kvartal 2026"|2026-12-01 /""|not_started|
`,
			issues: "",
		},
		{
			// A range in the start column gives its first week; in the end
			// column its last.
			name: "range in the end column",
			rows: [][]grid.Cell{
				cells(hdr...),
				cells("A", "Kommune", "Kommune", "", "uge 34-36 2026", ""),
			},
			want:   "2||A|2026-08-17 week/\"uge 34-36 2026\"|2026-09-04 week/\"uge 34-36 2026\"|not_started|\n",
			issues: "",
		},
		{
			name: "year from the majority of the plan's dates",
			opts: parse.Options{Now: fixedNow},
			rows: [][]grid.Cell{
				cells(hdr...),
				cells("A", "Kommune", "Kommune", "01-06-2027", "15-06-2027", ""),
				cells("B", "Kommune", "Kommune", "uge 34", "ultimo oktober", ""),
				cells("C", "Kommune", "Kommune", "15/8", "Q4", ""),
				cells("D", "Kommune", "Kommune", "01-01-2028", "", ""),
			},
			want: `2||A|2027-06-01 /""|2027-06-15 /""|not_started|
3||B|2027-08-23 week/"uge 34"|2027-10-31 part/"ultimo oktober"|not_started|
4||C|2027-08-15 /"15/8"|2027-12-31 quarter/"Q4"|not_started|
5||D|2028-01-01 /""| /""|not_started|
`,
			issues: "E5 warning missing_date",
		},
		{
			name: "a plan across a new year: the year that puts the date inside the plan",
			opts: parse.Options{Now: fixedNow},
			rows: [][]grid.Cell{
				cells(hdr...),
				cells("A", "Kommune", "Kommune", "01-09-2026", "15-09-2026", ""),
				cells("B", "Kommune", "Kommune", "01-10-2026", "15-11-2026", ""),
				cells("C", "Kommune", "Kommune", "uge 50", "uge 3", ""),
				cells("D", "Kommune", "Kommune", "medio januar", "ultimo februar", ""),
				cells("E", "Kommune", "Kommune", "01-03-2027", "31-03-2027", ""),
			},
			want: `2||A|2026-09-01 /""|2026-09-15 /""|not_started|
3||B|2026-10-01 /""|2026-11-15 /""|not_started|
4||C|2026-12-07 week/"uge 50"|2027-01-22 week/"uge 3"|not_started|
5||D|2027-01-11 part/"medio januar"|2027-02-28 part/"ultimo februar"|not_started|
6||E|2027-03-01 /""|2027-03-31 /""|not_started|
`,
			issues: "",
		},
		{
			name: "no year anywhere: the wave's go-live year, with a warning",
			opts: parse.Options{Now: fixedNow, GoLive: func(municipality, solution, wave string) model.Date {
				if solution == "KY" && wave == "2" {
					return model.NewDate(2028, 3, 1)
				}
				return model.Date{}
			}},
			rows: [][]grid.Cell{
				cells("Løsning: KY"), cells("Bølge: 2"),
				cells(hdr...),
				cells("A", "Kommune", "Kommune", "uge 10", "primo marts", ""),
			},
			want:   "4||A|2028-03-06 week/\"uge 10\"|2028-03-10 part/\"primo marts\"|not_started|\n",
			issues: "D4 warning year_assumed\nE4 warning year_assumed",
		},
		{
			name: "a date without a year beside an empty one: still a missing date",
			opts: parse.Options{Now: fixedNow},
			rows: [][]grid.Cell{
				cells(hdr...),
				cells("A", "Kommune", "Kommune", "01-06-2026", "01-07-2026", ""),
				cells("B", "Kommune", "Kommune", "uge 30", "", ""),
			},
			want:   "2||A|2026-06-01 /\"\"|2026-07-01 /\"\"|not_started|\n3||B|2026-07-20 week/\"uge 30\"| /\"\"|not_started|\n",
			issues: "E3 warning missing_date",
		},
		{
			name: "no year and no wave: the current year, with a warning",
			opts: parse.Options{Now: fixedNow},
			rows: [][]grid.Cell{
				cells(hdr...),
				cells("A", "Kommune", "Kommune", "uge 10", "ultimo marts", ""),
			},
			want:   "2||A|2031-03-03 week/\"uge 10\"|2031-03-31 part/\"ultimo marts\"|not_started|\n",
			issues: "D2 warning year_assumed\nE2 warning year_assumed",
		},
		{
			name: "malformed forms are bad dates",
			rows: [][]grid.Cell{
				cells(hdr...),
				cells("A", "Kommune", "Kommune", "uge 54", "primo", ""),
				cells("B", "Kommune", "Kommune", "Q5", "uge 53 2027", ""),
			},
			want:   "2||A| /\"\"| /\"\"|not_started|\n3||B| /\"\"| /\"\"|not_started|\n",
			issues: "D2 error bad_date\nE2 error bad_date\nD3 error bad_date\nE3 error bad_date",
		},
		{
			name: "start after end found once the year is known",
			opts: parse.Options{Now: fixedNow},
			rows: [][]grid.Cell{
				cells(hdr...),
				cells("A", "Kommune", "Kommune", "01-06-2026", "01-07-2026", ""),
				cells("B", "Kommune", "Kommune", "ultimo juni", "primo juni", ""),
			},
			want:   "2||A|2026-06-01 /\"\"|2026-07-01 /\"\"|not_started|\n3||B|2026-06-21 part/\"ultimo juni\"|2026-06-10 part/\"primo juni\"|not_started|\n",
			issues: "D3 error start_after_end",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := parseWith(t, tt.opts, grid.Sheet{Name: "Plan", Rows: tt.rows})
			if got := detail(plan.Tasks); got != tt.want {
				t.Errorf("tasks:\n%s\nwant:\n%s", got, tt.want)
			}
			if got := issueList(plan); got != tt.issues {
				t.Errorf("issues:\n%s\nwant:\n%s\n%+v", got, tt.issues, plan.Issues)
			}
		})
	}
}

func TestParser_Parse_yearAssumedMessage(t *testing.T) {
	plan := parseWith(t, parse.Options{Now: fixedNow, Lang: parse.English}, grid.Sheet{Name: "Plan", Rows: [][]grid.Cell{
		cells("Opgave", "Ansvarlig", "Udfører", "Slutdato"),
		cells("A", "Kommune", "Kommune", "uge 10"),
	}})
	if len(plan.Issues) != 2 || !strings.Contains(plan.Issues[1].Message, "2031") || !strings.Contains(plan.Issues[1].Message, "current year") {
		t.Errorf("issues = %+v, want one saying the current year 2031 was assumed", plan.Issues)
	}
}

func TestParser_Parse_statusesAndHealth(t *testing.T) {
	green := grid.Cell{Fill: grid.FillSet | 0x00b050}
	yellow := grid.Cell{Fill: grid.FillSet | 0xffc000}
	red := grid.Cell{Fill: grid.FillSet | 0xff0000}
	white := grid.Cell{Fill: grid.FillSet | 0xffffff}
	withCell := func(row []grid.Cell, i int, c grid.Cell) []grid.Cell { row[i] = c; return row }
	tests := []struct {
		name   string
		rows   [][]grid.Cell
		want   string
		issues string
	}{
		{
			name: "planners' status words",
			rows: [][]grid.Cell{
				cells("Opgave", "Ansvarlig", "Slutdato", "Status"),
				cells("A", "Kommune", "01-06-2026", "Udskudt"),
				cells("B", "Kommune", "01-06-2026", "På hold"),
				cells("C", "Kommune", "01-06-2026", "Afventer"),
				cells("D", "Kommune", "01-06-2026", "Ej relevant"),
				cells("E", "Kommune", "01-06-2026", "Bortfaldet"),
				cells("F", "Kommune", "01-06-2026", "Leveret"),
				cells("G", "Kommune", "01-06-2026", "Godkendt"),
				cells("H", "Kommune", "01-06-2026", "✓"),
				cells("I", "Kommune", "01-06-2026", "✔"),
			},
			want: "A on_hold \nB on_hold \nC on_hold \nD cancelled \nE cancelled \nF done \nG done \nH done \nI done \n",
		},
		{
			name: "a done column",
			rows: [][]grid.Cell{
				cells("Opgave", "Ansvarlig", "Slutdato", "Status", "Færdig?"),
				cells("A", "Kommune", "01-06-2026", "I gang", "Ja"),
				cells("B", "Kommune", "01-06-2026", "I gang", "Nej"),
				cells("C", "Kommune", "01-06-2026", "", "ja"),
				cells("D", "Kommune", "01-06-2026", "", "måske"),
			},
			want:   "A done \nB in_progress \nC done \nD not_started \n",
			issues: "E5 warning unknown_status",
		},
		{
			name: "Udført? alone beside the task",
			rows: [][]grid.Cell{
				cells("Opgave", "Ansvarlig", "Slutdato", "Udført?"),
				cells("A", "Kommune", "01-06-2026", "Ja"),
				cells("B", "Kommune", "01-06-2026", ""),
			},
			want: "A done \nB not_started \n",
		},
		{
			name: "traffic lights in the status column, a health column and fills",
			rows: [][]grid.Cell{
				cells("Opgave", "Ansvarlig", "Slutdato", "Status", "Trafiklys"),
				cells("A", "Kommune", "01-06-2026", "Grøn", ""),
				cells("B", "Kommune", "01-06-2026", "Amber", ""),
				cells("C", "Kommune", "01-06-2026", "I gang", "Rød"),
				withCell(cells("D", "Kommune", "01-06-2026", "I gang", ""), 4, green),
				withCell(cells("E", "Kommune", "01-06-2026", "", ""), 3, yellow),
				withCell(cells("F", "Kommune", "01-06-2026", "", ""), 3, red),
				withCell(cells("G", "Kommune", "01-06-2026", "Færdig", ""), 4, white),
				cells("H", "Kommune", "01-06-2026", "I gang", "Lilla"),
			},
			want:   "A unknown green\nB unknown amber\nC in_progress red\nD in_progress green\nE not_started amber\nF not_started red\nG done \nH in_progress \n",
			issues: "E9 warning unknown_health",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := parseWith(t, parse.Options{}, grid.Sheet{Name: "Plan", Rows: tt.rows})
			plan.File = "nocols" // the tables leave out columns on purpose
			var b strings.Builder
			for _, task := range plan.Tasks {
				fmt.Fprintf(&b, "%s %s %s\n", task.Title, task.Status, task.Health)
			}
			if got := b.String(); got != tt.want {
				t.Errorf("tasks:\n%s\nwant:\n%s", got, tt.want)
			}
			if got := issueList(plan); got != tt.issues {
				t.Errorf("issues:\n%s\nwant:\n%s", got, tt.issues)
			}
		})
	}
}

func TestParser_Parse_planHealth(t *testing.T) {
	for _, tt := range []struct{ line, want string }{
		{"Trafiklys: Grøn", model.HealthGreen},
		{"Samlet vurdering: Gul", model.HealthAmber},
		{"RAG: Red", model.HealthRed},
		{"Status: Rød", model.HealthRed},
		{"Status: Godkendt af styregruppen", ""},
	} {
		t.Run(tt.line, func(t *testing.T) {
			plan := parseWith(t, parse.Options{}, grid.Sheet{Name: "Plan", Rows: [][]grid.Cell{
				cells("Kommune: Aarhus"), cells(tt.line),
				cells("Opgave", "Ansvarlig", "Udfører", "Slutdato"),
				cells("A", "Kommune", "Kommune", "01-06-2026"),
			}})
			if got := plan.Metadata.Health; got != tt.want {
				t.Errorf("plan health = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParser_Parse_exports(t *testing.T) {
	tests := []struct {
		name   string
		rows   [][]grid.Cell
		want   string
		issues string
	}{
		{
			name: "Microsoft Planner",
			rows: [][]grid.Cell{
				cells("Task ID", "Task Name", "Bucket Name", "Progress", "Priority", "Assigned To", "Created By", "Created Date",
					"Start Date", "Due Date", "Is Recurring", "Late", "Completed Date", "Completed By", "Completed Checklist Items", "Checklist Items", "Labels", "Description"),
				cells("abc1", "Kick-off", "Trin 0a", "Completed", "Medium", "Kommune", "Jens", "01-05-2026",
					"01-06-2026", "05-06-2026", "false", "false", "05-06-2026", "Jens", "", "", "", ""),
				cells("abc2", "Konvertering", "Trin 1", "In progress", "Important", "Leverandør", "Jens", "01-05-2026",
					"08-06-2026", "uge 30 2026", "false", "false", "", "", "", "", "", ""),
			},
			want:   "2|Trin 0a|abc1|Kick-off||2026-06-01|2026-06-05|done\n3|Trin 1|abc2|Konvertering||2026-06-08|2026-07-24|in_progress\n",
			issues: "A1 warning missing_column",
		},
		{
			name: "SharePoint list with # and % Complete",
			rows: [][]grid.Cell{
				cells("#", "Title", "Assigned To", "Owner", "Start Date", "Due Date", "% Complete", "Modified", "Modified By", "Item Type", "Path", "Attachments"),
				cells(1, "Kick-off", "Kommune", "Kommune", "01-06-2026", "05-06-2026", "100%", "x", "y", "Item", "/a", ""),
				cells(2, "-123", "Kommune", "Kommune", "01-06-2026", "05-06-2026", "0%", "x", "y", "Item", "/a", ""),
				cells(3, "Test", "Kommune", "Kommune", "01-06-2026", "05-06-2026", "50%", "x", "y", "Item", "/a", ""),
			},
			want:   "2||1|Kick-off|Kommune|2026-06-01|2026-06-05|done\n4||3|Test|Kommune|2026-06-01|2026-06-05|in_progress\n",
			issues: "B3 error number_title",
		},
		{
			name: "MS Project",
			rows: [][]grid.Cell{
				cells("ID", "Task Mode", "Task Name", "Duration", "Start", "Finish", "Predecessors", "Resource Names", "% Complete", "Baseline Start", "Baseline Finish"),
				cells(1, "Auto", "Kick-off", "5 days", "01-06-2026", "05-06-2026", "", "Kommune", "0%", "", ""),
			},
			want:   "2||1|Kick-off||2026-06-01|2026-06-05|not_started\n",
			issues: "A1 warning missing_column",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := parseWith(t, parse.Options{}, grid.Sheet{Name: "Export", Rows: tt.rows})
			if got := summary(plan.Tasks); got != tt.want {
				t.Errorf("tasks:\n%s\nwant:\n%s", got, tt.want)
			}
			if got := issueList(plan); got != tt.issues {
				t.Errorf("issues:\n%s\nwant:\n%s", got, tt.issues)
			}
		})
	}
}
