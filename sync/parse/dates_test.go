package parse_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/xuri/excelize/v2"
)

// dateCase is a plan read from one sheet: its tasks as detail() writes
// them, its issues as issueList() writes them, and words some messages
// must hold.
type dateCase struct {
	name   string
	file   string // "plan.xlsx" when empty
	opts   parse.Options
	rows   [][]grid.Cell
	merges []grid.Merge
	want   string
	issues string
	say    []string // each must appear in some issue's message
}

func runDateCases(t *testing.T, tests []dateCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "plan.xlsx"
			}
			plan, err := parse.New(tt.opts).Parse(&grid.Grid{File: file, Sheets: []grid.Sheet{{Name: "Plan", Rows: tt.rows, Merges: tt.merges}}})
			if err != nil {
				t.Fatal(err)
			}
			if got := detail(plan.Tasks); got != tt.want {
				t.Errorf("tasks:\n%s\nwant:\n%s", got, tt.want)
			}
			if got := issueList(plan); got != tt.issues {
				t.Errorf("issues:\n%s\nwant:\n%s", got, tt.issues)
			}
			var all strings.Builder
			for _, is := range plan.Issues {
				all.WriteString(is.Message + "\n")
			}
			for _, s := range tt.say {
				if !strings.Contains(all.String(), s) {
					t.Errorf("no message says %q; messages:\n%s", s, all.String())
				}
			}
			if strings.Contains(all.String(), "%!") {
				t.Errorf("a message is badly formatted:\n%s", all.String())
			}
		})
	}
}

// numText is a number cell as a reader hands it over: its value and its
// text as stored.
func numText(text string, n float64) grid.Cell {
	return grid.Cell{Kind: grid.Number, Text: text, Num: n}
}

// TestParser_Parse_dayMonthWithoutYear: "1.6" in a date column is 1 June
// — also when a spreadsheet stored it as the number 1.6 — with the year
// the plan gives, like other dates without a year. A number read so is said
// on the cell (a number loses a trailing zero: 1.10 is stored 1.1), except
// in a CSV file, where the text is as typed.
func TestParser_Parse_dayMonthWithoutYear(t_ *testing.T) {
	hdr := []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato"}
	row := func(title string, start, end grid.Cell) []grid.Cell {
		return append(cells(title, "Kommune", "Kommune"), start, end)
	}
	dated := cells("A", "Kommune", "Kommune", "01-05-2026", "30-09-2026")
	runDateCases(t_, []dateCase{
		{
			name: "text forms 1.6, 1/6, 1.6. and 15.10",
			rows: [][]grid.Cell{cells(hdr...), dated, row("B", t("1.6."), t("1/6")), row("C", t("15.8"), t("15.10"))},
			want: `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B|2026-06-01 /"1.6."|2026-06-01 /"1/6"|not_started|
4||C|2026-08-15 /"15.8"|2026-10-15 /"15.10"|not_started|
`,
		},
		{
			name: "a number in an xlsx date column is day.month, said on the cell",
			rows: [][]grid.Cell{cells(hdr...), dated, row("B", numText("1.6", 1.6), numText("15.1", 15.1))},
			want: `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B|2026-06-01 /"1.6"|2026-01-15 /"15.1"|not_started|
`,
			issues: "D3 warning date_number\nD3 error start_after_end\nE3 warning date_number\nE3 warning year_assumed",
			say:    []string{"1. juni", "1.10 bliver 1.1"},
		},
		{
			name: "a number with binary noise is read by its shortest form",
			rows: [][]grid.Cell{cells(hdr...), dated, row("B", numText("1.6000000000000001", 1.6), numText("30.9", 30.9))},
			want: `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B|2026-06-01 /"1.6"|2026-09-30 /"30.9"|not_started|
`,
			issues: "D3 warning date_number\nE3 warning date_number",
		},
		{
			name: "in a CSV file the number is the text as typed: 1.10 is 1 October, no warning",
			file: "plan.csv",
			rows: [][]grid.Cell{cells(hdr...), dated, row("B", numText("1.6", 1.6), numText("1.10", 1.1))},
			want: `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B|2026-06-01 /"1.6"|2026-10-01 /"1.10"|not_started|
`,
		},
		{
			name:   "no year in the plan: the current year, with both warnings",
			opts:   parse.Options{Now: fixedNow},
			rows:   [][]grid.Cell{cells(hdr...), row("B", numText("1.6", 1.6), t("15/6"))},
			want:   "2||B|2031-06-01 /\"1.6\"|2031-06-15 /\"15/6\"|not_started|\n",
			issues: "D2 warning date_number\nD2 warning year_assumed\nE2 warning year_assumed",
		},
		{
			name: "English messages name the month in English",
			opts: parse.Options{Lang: parse.English},
			rows: [][]grid.Cell{cells(hdr...), dated, row("B", numText("1.6", 1.6), t("1/7"))},
			want: `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B|2026-06-01 /"1.6"|2026-07-01 /"1/7"|not_started|
`,
			issues: "D3 warning date_number",
			say:    []string{"1 June"},
		},
		{
			name: "numbers that are no day.month stay bad dates",
			rows: [][]grid.Cell{cells(hdr...), dated, row("B", numText("31.2", 31.2), numText("0.5", 0.5)), row("C", numText("3", 3), numText("45.3", 45.3)), row("D", numText("1.13", 1.13), numText("-1.6", -1.6))},
			want: `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B| /""| /""|not_started|
4||C| /""| /""|not_started|
5||D| /""| /""|not_started|
`,
			issues: "D3 error bad_date\nE3 error bad_date\nD4 error bad_date\nE4 error bad_date\nD5 error bad_date\nE5 error bad_date",
		},
	})
}

// TestParser_Parse_weekTwoDigitYears: "uge 34/26" is read; "uge 34-26" and
// "34/26" are refused with what they could mean.
func TestParser_Parse_weekTwoDigitYears(t *testing.T) {
	hdr := []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato"}
	runDateCases(t, []dateCase{
		{
			name: "clear forms",
			rows: [][]grid.Cell{cells(hdr...), cells("A", "Kommune", "Kommune", "uge 34/26", "u36 '26"), cells("B", "Kommune", "Kommune", "uge 40-42/26", "")},
			want: `2||A|2026-08-17 week/"uge 34/26"|2026-09-04 week/"u36 '26"|not_started|
3||B|2026-09-28 week/"uge 40-42/26"|2026-10-16 week/"uge 40-42/26"|not_started|
`,
		},
		{
			name: "ambiguous forms are refused with a message",
			rows: [][]grid.Cell{cells(hdr...), cells("A", "Kommune", "Kommune", "uge 34-26", "34/26"), cells("B", "Kommune", "Kommune", "01-06-2026", "uge 34 26")},
			want: `2||A| /""| /""|not_started|
3||B|2026-06-01 /""| /""|not_started|
`,
			issues: "D2 error ambiguous_date\nE2 error ambiguous_date\nE3 error ambiguous_date",
			say:    []string{"uge 34 2026 for én uge", "Skriv uge 34/26 eller 34/2026", "uge 34 og uge 26"},
		},
	})
}

// TestParser_Parse_uncertainTwoDigitYear: 01/02/03 is read day-month-year,
// as the convention says, but the cell says it could be another date.
func TestParser_Parse_uncertainTwoDigitYear(t *testing.T) {
	hdr := []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato"}
	runDateCases(t, []dateCase{
		{
			name:   "all three numbers 12 or less",
			rows:   [][]grid.Cell{cells(hdr...), cells("A", "Kommune", "Kommune", "01-02-03", "05.11.12")},
			want:   "2||A|2003-02-01 /\"\"|2012-11-05 /\"\"|not_started|\n",
			issues: "D2 warning date_uncertain\nE2 warning date_uncertain",
			say:    []string{"1. februar 2003", "3. februar 2001", "01-02-2003"},
		},
		{
			name:   "with slashes: the other order is named",
			rows:   [][]grid.Cell{cells(hdr...), cells("A", "Kommune", "Kommune", "01/02/03", "")},
			want:   "2||A|2003-02-01 /\"\"| /\"\"|not_started|\n",
			issues: "D2 warning date_uncertain\nE2 warning missing_date",
			say:    []string{"2. januar 2003"},
		},
		{
			name: "read day first years off the plan, year first among its dates",
			rows: [][]grid.Cell{cells(hdr...),
				cells("A", "Kommune", "Kommune", "01-05-2026", "30-09-2026"),
				cells("B", "Kommune", "Kommune", "26/06/20", "01-06-26")},
			want: `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B|2020-06-26 /""|2026-06-01 /""|not_started|
`,
			issues: "D3 warning date_uncertain",
			say:    []string{"26. juni 2020, men kan også være 20. juni 2026"},
		},
		{
			name: "read day first decades off the plan, year first among its dates: not read",
			rows: [][]grid.Cell{cells(hdr...),
				cells("A", "Kommune", "Kommune", "01-05-2026", "30-09-2026"),
				cells("B", "Kommune", "Kommune", "26/06/01", "01-06-26")},
			want: `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B| /""|2026-06-01 /""|not_started|
`,
			issues: "D3 error far_year",
			say:    []string{"26. juni 2001, 25 år fra planens øvrige datoer"},
		},
		{
			name:   "without four-digit years nothing to compare with",
			rows:   [][]grid.Cell{cells(hdr...), cells("A", "Kommune", "Kommune", "26/06/01", "")},
			want:   "2||A|2001-06-26 /\"\"| /\"\"|not_started|\n",
			issues: "E2 warning missing_date",
		},
		{
			name: "a year above 12 or four digits leaves no doubt",
			rows: [][]grid.Cell{cells(hdr...), cells("A", "Kommune", "Kommune", "01-06-26", "01/12/2026")},
			want: "2||A|2026-06-01 /\"\"|2026-12-01 /\"\"|not_started|\n",
		},
	})
}

// TestParser_Parse_monthFirstColumns: US dates (11/25/2026) in an export
// are read month first when the column (or the file) shows it, said once on
// the column; a column with both kinds refuses its ambiguous dates.
func TestParser_Parse_monthFirstColumns(t *testing.T) {
	danish := []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato"}
	planner := []any{"Task Name", "Bucket Name", "Assigned To", "Start Date", "Due Date", "Progress"}
	runDateCases(t, []dateCase{
		{
			name: "a date that can only be month first makes the column month first",
			rows: [][]grid.Cell{cells(danish...),
				cells("A", "Kommune", "Kommune", "2026-11-02", "11/25/2026"),
				cells("B", "Kommune", "Kommune", "2026-11-05", "12/01/2026")},
			want: `2||A|2026-11-02 /""|2026-11-25 /""|not_started|
3||B|2026-11-05 /""|2026-12-01 /""|not_started|
`,
			issues: "E1 warning date_order",
			say:    []string{"kolonnen E (\"Slutdato\") læses med måneden først", "\"11/25/2026\" i E2"},
		},
		{
			// The start column has no date that tells; the end column's
			// 11/25/2026 decides the file.
			name: "a column without evidence follows the file's other columns",
			rows: [][]grid.Cell{cells(danish...),
				cells("A", "Kommune", "Kommune", "11/02/2026", "11/25/2026"),
				cells("B", "Kommune", "Kommune", "12/01/2026", "12/10/2026")},
			want: `2||A|2026-11-02 /""|2026-11-25 /""|not_started|
3||B|2026-12-01 /""|2026-12-10 /""|not_started|
`,
			issues: "D1 warning date_order\nE1 warning date_order",
			say:    []string{"filens andre datoer"},
		},
		{
			name: "both kinds in a column: each unambiguous date its only way, the ambiguous refused",
			rows: [][]grid.Cell{cells(danish...),
				cells("A", "Kommune", "Kommune", "01-11-2026", "25/11/2026"),
				cells("B", "Kommune", "Kommune", "01-11-2026", "11/26/2026"),
				cells("C", "Kommune", "Kommune", "01-11-2026", "11/05/2026")},
			want: `2||A|2026-11-01 /""|2026-11-25 /""|not_started|
3||B|2026-11-01 /""|2026-11-26 /""|not_started|
4||C|2026-11-01 /""| /""|not_started|
`,
			issues: "E1 warning date_order\nE4 error ambiguous_date",
			say:    []string{"dag først er det 11. maj 2026, måned først 5. november 2026", "\"25/11/2026\" i E2"},
		},
		{
			name: "a column without evidence in a file with both kinds: its ambiguous dates are refused",
			rows: [][]grid.Cell{cells(danish...),
				cells("A", "Kommune", "Kommune", "25/11/2026", "11/25/2026"),
				nil,
				cells(danish...),
				cells("B", "Kommune", "Kommune", "11/05/2026", "2026-12-01")},
			want: `2||A|2026-11-25 /""|2026-11-25 /""|not_started|
5||B| /""|2026-12-01 /""|not_started|
`,
			issues: "E1 warning date_order\nD5 error ambiguous_date",
			say:    []string{"filen har både", "skriv 11-05-2026 for den første eller 05-11-2026 for den anden"},
		},
		{
			// Dates that read either way and one typo (09/13/2026 for
			// 09/12/2026): the typo is refused, it does not turn the plan.
			name: "one month-first date among many that read either way is a typo, not evidence",
			rows: [][]grid.Cell{cells(danish...),
				cells("A", "Kommune", "Kommune", "01/03/2026", "01/04/2026"),
				cells("B", "Kommune", "Kommune", "02/03/2026", "02/04/2026"),
				cells("C", "Kommune", "Kommune", "03/03/2026", "03/04/2026"),
				cells("D", "Kommune", "Kommune", "04/03/2026", "04/04/2026"),
				cells("E", "Kommune", "Kommune", "05/03/2026", "09/13/2026")},
			want: `2||A|2026-03-01 /""|2026-04-01 /""|not_started|
3||B|2026-03-02 /""|2026-04-02 /""|not_started|
4||C|2026-03-03 /""|2026-04-03 /""|not_started|
5||D|2026-03-04 /""|2026-04-04 /""|not_started|
6||E|2026-03-05 /""| /""|not_started|
`,
			issues: "E6 error ambiguous_date",
			say:    []string{"er den skrevet forkert"},
		},
		{
			name: "Danish headers and nothing that tells: day first, the documented convention",
			rows: [][]grid.Cell{cells(danish...),
				cells("A", "Kommune", "Kommune", "11/05/2026", "12/06/2026")},
			want: "2||A|2026-05-11 /\"\"|2026-06-12 /\"\"|not_started|\n",
		},
		{
			name: "day-first evidence: day first, silently",
			rows: [][]grid.Cell{cells(danish...),
				cells("A", "Kommune", "Kommune", "11/05/2026", "25/05/2026")},
			want: "2||A|2026-05-11 /\"\"|2026-05-25 /\"\"|not_started|\n",
		},
		{
			name: "an English export with slash dates and nothing that tells: month first, said on each column",
			opts: parse.Options{Lang: parse.English},
			rows: [][]grid.Cell{cells(planner...),
				cells("Kick-off", "Trin 1", "Kommune", "11/05/2026", "12/06/2026", "Not started")},
			want:   "2|Trin 1|Kick-off|2026-11-05 /\"\"|2026-12-06 /\"\"|not_started|\n",
			issues: "A1 warning missing_column\nD1 warning date_order\nE1 warning date_order",
			say:    []string{"column E (\"Due Date\") is read month first", "English export (\"Task Name\")"},
		},
		{
			name: "plain English column names are no export: day first",
			rows: [][]grid.Cell{cells("Task", "Owner", "Performed by", "Start date", "Due date"),
				cells("A", "Kommune", "Kommune", "11/05/2026", "12/06/2026")},
			want: "2||A|2026-05-11 /\"\"|2026-06-12 /\"\"|not_started|\n",
		},
		{
			name: "an English export whose dates show day first stays day first, said on each column",
			rows: [][]grid.Cell{cells(planner...),
				cells("Kick-off", "Trin 1", "Kommune", "11/05/2026", "25/06/2026", "Not started")},
			want:   "2|Trin 1|Kick-off|2026-05-11 /\"\"|2026-06-25 /\"\"|not_started|\n",
			issues: "A1 warning missing_column\nD1 warning date_order\nE1 warning date_order",
			say:    []string{"kolonnen E (\"Due Date\") læses med dagen først", "\"25/06/2026\" i E2 kan kun læses sådan", "engelsk eksport (\"Task Name\")"},
		},
		{
			// The mirror of the Danish typo: an export whose headers say
			// month first, with one date that can only be day first
			// (25/03/2026 for 03/25/2026?) among dates that read either way.
			name: "one day-first date among many month-first ones in an English export is a typo, not evidence",
			rows: [][]grid.Cell{cells(planner...),
				cells("A", "Trin 1", "Kommune", "2026-03-01", "03/04/2026", "Not started"),
				cells("B", "Trin 1", "Kommune", "2026-03-01", "03/05/2026", "Not started"),
				cells("C", "Trin 1", "Kommune", "2026-03-01", "04/06/2026", "Not started"),
				cells("D", "Trin 1", "Kommune", "2026-03-01", "05/07/2026", "Not started"),
				cells("E", "Trin 1", "Kommune", "2026-03-01", "25/03/2026", "Not started")},
			want: `2|Trin 1|A|2026-03-01 /""|2026-03-04 /""|not_started|
3|Trin 1|B|2026-03-01 /""|2026-03-05 /""|not_started|
4|Trin 1|C|2026-03-01 /""|2026-04-06 /""|not_started|
5|Trin 1|D|2026-03-01 /""|2026-05-07 /""|not_started|
6|Trin 1|E|2026-03-01 /""| /""|not_started|
`,
			issues: "A1 warning missing_column\nE1 warning date_order\nE6 error ambiguous_date",
			say:    []string{"kolonnen E (\"Due Date\") læses med måneden først", "er den skrevet forkert", "25. marts 2026", "Skriv 25-03-2026", "(\"25/03/2026\" i E6) er for få"},
		},
		{
			// 3/12 without a year: 3 December day first, but 12 March
			// written as the column's other dates are.
			name: "a day and a month with a slash in a column read month first is refused",
			rows: [][]grid.Cell{cells(planner...),
				cells("A", "Trin 1", "Kommune", "2026-03-01", "11/25/2026", "Not started"),
				cells("B", "Trin 1", "Kommune", "2026-03-01", "3/12", "Not started"),
				cells("C", "Trin 1", "Kommune", "2026-03-01", "25/3", "Not started")},
			want: `2|Trin 1|A|2026-03-01 /""|2026-11-25 /""|not_started|
3|Trin 1|B|2026-03-01 /""| /""|not_started|
4|Trin 1|C|2026-03-01 /""|2026-03-25 /"25/3"|not_started|
`,
			issues: "A1 warning missing_column\nE1 warning date_order\nE3 error ambiguous_date",
			say:    []string{"dag først er det 3. december, måned først 12. marts, og kolonnen E (\"Due Date\") læses med måneden først"},
		},
		{
			// The same written with a no-break space after it, a line
			// break inside or a closing dot, as planners type it: not 3
			// December silently.
			name: "a day and a month with a slash and a no-break space or a dot in a column read month first is refused",
			rows: [][]grid.Cell{cells(planner...),
				cells("A", "Trin 1", "Kommune", "2026-03-01", "11/25/2026", "Not started"),
				cells("B", "Trin 1", "Kommune", "2026-03-01", "3/12\u00a0", "Not started"),
				cells("C", "Trin 1", "Kommune", "2026-03-01", "4/12.", "Not started"),
				cells("D", "Trin 1", "Kommune", "2026-03-01", "5 /\n12", "Not started")},
			want: `2|Trin 1|A|2026-03-01 /""|2026-11-25 /""|not_started|
3|Trin 1|B|2026-03-01 /""| /""|not_started|
4|Trin 1|C|2026-03-01 /""| /""|not_started|
5|Trin 1|D|2026-03-01 /""| /""|not_started|
`,
			issues: "A1 warning missing_column\nE1 warning date_order\nE3 error ambiguous_date\nE4 error ambiguous_date\nE5 error ambiguous_date",
		},
		{
			// A column with dates of both kinds refuses those that read
			// both ways (05/11/2026), and so 3/12 without a year too.
			name: "a day and a month with a slash in a column with dates of both kinds is refused",
			rows: [][]grid.Cell{cells(danish...),
				cells("A", "Kommune", "Kommune", "01-09-2026", "11/25/2026"),
				cells("B", "Kommune", "Kommune", "01-09-2026", "25/11/2026"),
				cells("C", "Kommune", "Kommune", "01-09-2026", "3/12"),
				cells("D", "Kommune", "Kommune", "01-09-2026", "24/12")},
			want: `2||A|2026-09-01 /""|2026-11-25 /""|not_started|
3||B|2026-09-01 /""|2026-11-25 /""|not_started|
4||C|2026-09-01 /""| /""|not_started|
5||D|2026-09-01 /""|2026-12-24 /"24/12"|not_started|
`,
			issues: "E1 warning date_order\nE4 error ambiguous_date",
			say:    []string{"dag først er det 3. december, måned først 12. marts, og kolonnen E (\"Slutdato\") har datoer skrevet på begge måder"},
		},
		{
			// More than a quarter of the column's dates can only be day
			// first: the export was made with Danish regional settings.
			name: "enough day-first dates in an English export make the column day first, said on its header",
			opts: parse.Options{Lang: parse.English},
			rows: [][]grid.Cell{cells(planner...),
				cells("A", "Trin 1", "Kommune", "2026-03-01", "03/04/2026", "Not started"),
				cells("B", "Trin 1", "Kommune", "2026-03-01", "25/03/2026", "Not started")},
			want: `2|Trin 1|A|2026-03-01 /""|2026-04-03 /""|not_started|
3|Trin 1|B|2026-03-01 /""|2026-03-25 /""|not_started|
`,
			issues: "A1 warning missing_column\nE1 warning date_order",
			say:    []string{"column E (\"Due Date\") is read day first", "although the file is an English export (\"Task Name\")"},
		},
		{
			name: "start after end is found once the order is known",
			rows: [][]grid.Cell{cells(danish...),
				cells("A", "Kommune", "Kommune", "11/25/2026", "11/05/2026")},
			want:   "2||A|2026-11-25 /\"\"|2026-11-05 /\"\"|not_started|\n",
			issues: "D1 warning date_order\nE1 warning date_order\nD2 error start_after_end",
		},
		{
			name: "the order of a slash date sets the year of a date without one",
			opts: parse.Options{Now: fixedNow},
			rows: [][]grid.Cell{cells(danish...),
				cells("A", "Kommune", "Kommune", "11/25/2026", "12/05/2026"),
				cells("B", "Kommune", "Kommune", "uge 49", "uge 50")},
			want: `2||A|2026-11-25 /""|2026-12-05 /""|not_started|
3||B|2026-11-30 week/"uge 49"|2026-12-11 week/"uge 50"|not_started|
`,
			issues: "D1 warning date_order\nE1 warning date_order",
		},
	})
}

// TestParser_Parse_ganttOrder: a timeline's weeks across a new year are in
// order; a week repeated or out of order is read as its own week when its
// year is sure (a warning on the header), and refused where its year cannot
// be told (an error on the header and on each bar that begins or ends there).
func TestParser_Parse_ganttOrder(t_ *testing.T) {
	e := grid.Cell{}
	head := []any{"Opgave", "Ansvarlig", "Udfører"}
	task := func(title string, marks ...grid.Cell) []grid.Cell {
		return ganttRow([]any{title, "Kommune", "Kommune"}, marks...)
	}
	runDateCases(t_, []dateCase{
		{
			name: "every other week across a new year",
			rows: [][]grid.Cell{
				ganttRow([]any{nil, nil, nil}, num(2025)),
				ganttRow(head, num(48), num(50), num(52), num(2), num(4)),
				task("A", e, x(), x(), x(), e),
			},
			want: "3||A|2025-12-08 week/\"uge 50 2025\"|2026-01-09 week/\"uge 2 2026\"|not_started|\n",
		},
		{
			name: "weeks with two-digit years in the header",
			rows: [][]grid.Cell{
				ganttRow(head, t("51/26"), t("uge 52/26"), t("53/26"), t("1/27")),
				task("A", e, e, x(), x()),
			},
			want: "2||A|2026-12-28 week/\"uge 53 2026\"|2027-01-08 week/\"uge 1 2027\"|not_started|\n",
		},
		{
			name: "uge 20/26 over a column is week 20 of 2026",
			rows: [][]grid.Cell{
				ganttRow(head, t("uge 20/26"), t("uge 21/26"), t("uge 22/26")),
				task("A", e, x(), x()),
			},
			want: "2||A|2026-05-18 week/\"uge 21 2026\"|2026-05-29 week/\"uge 22 2026\"|not_started|\n",
		},
		{
			name: "a week repeated is read as its own week, with a warning",
			rows: [][]grid.Cell{
				ganttRow([]any{nil, nil, nil}, num(2026)),
				ganttRow(head, num(34), num(35), num(35), num(36)),
				task("A", e, e, x(), x()),
				task("B", x(), e, e, e),
			},
			want: `3||A|2026-08-24 week/"uge 35 2026"|2026-09-04 week/"uge 36 2026"|not_started|
4||B|2026-08-17 week/"uge 34 2026"|2026-08-21 week/"uge 34 2026"|not_started|
`,
			issues: "F2 warning gantt_order",
			say:    []string{"uge 35 efter uge 35"},
		},
		{
			name: "a week out of order with its own year is read as its own week",
			rows: [][]grid.Cell{
				ganttRow(head, t("36/2026"), t("37/2026"), t("35/2026"), t("38/2026")),
				task("A", e, e, x(), x()),
			},
			want:   "2||A|2026-08-24 week/\"uge 35 2026\"|2026-09-18 week/\"uge 38 2026\"|not_started|\n",
			issues: "F1 warning gantt_order",
		},
		{
			name: "a step back without a year of its own is doubtful: bars ending there are refused, the rest read",
			rows: [][]grid.Cell{
				ganttRow([]any{nil, nil, nil}, num(2026)),
				ganttRow(head, num(40), num(41), num(20), num(42), num(43)),
				task("A", x(), x(), x(), e, e),
				task("B", e, x(), x(), x(), x()),
				task("C", e, e, e, x(), x()),
			},
			want: `3||A|2026-09-28 week/"uge 40 2026"| /""|not_started|
4||B|2026-10-05 week/"uge 41 2026"|2026-10-23 week/"uge 43 2026"|not_started|
5||C|2026-10-12 week/"uge 42 2026"|2026-10-23 week/"uge 43 2026"|not_started|
`,
			issues: "F2 error gantt_doubtful\nF3 error gantt_doubtful",
			say:    []string{"uge 20 står efter uge 41", "2026 / 2027", "uge 20/2026", "opgaven \"A\" slutter i kolonnen F (uge 20)"},
		},
		{
			name: "a step back under a merged year is sure; a merge drawn past a new year does not stop it",
			rows: [][]grid.Cell{
				ganttRow([]any{nil, nil, nil}, num(2026), e, e, e, e),
				ganttRow(head, num(50), num(51), num(30), num(52), num(1)),
				task("A", e, e, x(), e, e),
				task("B", e, e, e, x(), x()),
			},
			merges: []grid.Merge{{Top: 1, Left: 4, Bottom: 1, Right: 8}},
			want: `3||A|2026-07-20 week/"uge 30 2026"|2026-07-24 week/"uge 30 2026"|not_started|
4||B|2026-12-21 week/"uge 52 2026"|2027-01-08 week/"uge 1 2027"|not_started|
`,
			issues: "F2 warning gantt_order",
		},
		{
			name: "in English",
			opts: parse.Options{Lang: parse.English},
			rows: [][]grid.Cell{
				ganttRow([]any{nil, nil, nil}, num(2026)),
				ganttRow(head, num(40), num(41), num(41), num(20), num(42), num(43)),
				task("A", e, e, x(), x(), e, e),
			},
			want:   "3||A|2026-10-05 week/\"uge 41 2026\"| /\"\"|not_started|\n",
			issues: "F2 warning gantt_order\nG2 error gantt_doubtful\nG3 error gantt_doubtful",
			say:    []string{"the column is read as what it shows: uge 41 2026", "which year it belongs to cannot be told (2026 / 2027)", "task \"A\" ends in column G (uge 20)"},
		},
		{
			name: "without any year: the doubtful column is still refused",
			opts: parse.Options{Now: fixedNow},
			rows: [][]grid.Cell{
				ganttRow(head, t("Uge 40"), t("Uge 41"), t("Uge 20"), t("Uge 42")),
				task("A", e, e, x(), x()),
				task("B", x(), x(), e, e),
			},
			want: `2||A| /""|2031-10-17 week/"uge 42 2031"|not_started|
3||B|2031-09-29 week/"uge 40 2031"|2031-10-10 week/"uge 41 2031"|not_started|
`,
			issues: "D1 warning year_assumed\nF1 error gantt_doubtful\nF2 error gantt_doubtful",
			say:    []string{"samme år eller året efter"},
		},
	})
}

// TestParser_Parse_ganttOrder_notTimeline: numbers that are mostly not one
// week after another are no timeline.
func TestParser_Parse_ganttOrder_notTimeline(t *testing.T) {
	rows := [][]grid.Cell{
		ganttRow([]any{"Opgave", "Ansvarlig", "Udfører"}, num(40), num(12), num(30), num(5)),
		ganttRow([]any{"A", "Kommune", "Kommune"}, x(), x(), x(), x()),
	}
	_, err := parse.New(parse.Options{}).Parse(&grid.Grid{File: "plan.xlsx", Sheets: []grid.Sheet{{Name: "Plan", Rows: rows}}})
	if err == nil {
		t.Errorf("a header of unrelated numbers was read as a timeline")
	}
}

// FuzzParser_Parse_dateCells feeds arbitrary text and numbers into date
// columns, under Danish and English headers: never a panic, no badly
// formatted message, and a filled date cell is either read or named by an
// issue — never dropped in silence.
func FuzzParser_Parse_dateCells(f *testing.F) {
	f.Add("11/25/2026", "11/05/2026", "25/11/2026", "01/02/03", 1.6, false)
	f.Add("uge 34/26", "uge 34-26", "34/26", "u34 '26", 15.1, true)
	f.Add("1.6.", "1/6", "15.10", "31/2", 0.5, false)
	f.Add("01-02-03", "05.11.12", "2026-06-01", "uge 51-2", 1.6000000000000001, true)
	f.Fuzz(func(t *testing.T, s1, s2, s3, s4 string, n float64, english bool) {
		head := []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato"}
		if english {
			head = []any{"Task Name", "Owner", "Assigned To", "Start Date", "Due Date"}
		}
		rows := [][]grid.Cell{cells(head...),
			cells("A", "Kommune", "Kommune", s1, s2),
			cells("B", "Kommune", "Kommune", s3, s4),
			append(cells("C", "Kommune", "Kommune", s1), numText(strconv.FormatFloat(n, 'g', -1, 64), n)),
		}
		plan, err := parse.New(parse.Options{Now: fixedNow}).Parse(&grid.Grid{File: "f.xlsx", Sheets: []grid.Sheet{{Name: "S", Rows: rows}}})
		if err != nil {
			return
		}
		named := map[string]bool{}
		for _, is := range plan.Issues {
			named[is.Pos.Cell] = true
			// fmt's marks of a bad verb or argument ("%!d(", "%!(EXTRA"),
			// unless a cell's own text brought them.
			if strings.Contains(is.Message, "%!") && !strings.Contains(s1+s2+s3+s4, "%!") {
				t.Fatalf("badly formatted message %q", is.Message)
			}
		}
		for _, task := range plan.Tasks {
			r := task.Pos.Row
			for k, d := range []model.Date{task.Start, task.End} {
				c := rows[r-1][3+k]
				if !c.IsEmpty() && d.IsZero() && !named[grid.Ref(r, 4+k)] {
					t.Fatalf("cell %s %q was neither read nor named; issues %+v", grid.Ref(r, 4+k), c.Text, plan.Issues)
				}
			}
		}
	})
}

// TestParser_Parse_dayMonthFiles: "1.6" as Excel stores it — a number, a
// number in a date-formatted column (1.6 days after 1900-01-00), or text —
// and as a CSV file holds it, read back from real files.
func TestParser_Parse_dayMonthFiles(t *testing.T) {
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "KY_Aarhus.xlsx")
	f := excelize.NewFile()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato"},
		{"A", "Kommune", "Kommune", "01-05-2026", "30-09-2026"},
		{"B", "Kommune", "Kommune", 1.6, 15.8},    // numbers
		{"C", "Kommune", "Kommune", 1.7, 2.7},     // numbers in date-formatted cells
		{"D", "Kommune", "Kommune", "1.6", "1/7"}, // text
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellStyle("Sheet1", "D4", "E4", dateStyle); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "KY_Aarhus.csv")
	if err := os.WriteFile(csv, []byte("Opgave;Ansvarlig;Udfører;Startdato;Slutdato\r\nA;Kommune;Kommune;01-05-2026;30-09-2026\r\nB;Kommune;Kommune;1.6;1.10\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want, issues string
	}{
		{"xlsx", xlsx, `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B|2026-06-01 /"1.6"|2026-08-15 /"15.8"|not_started|
4||C|2026-07-01 /"1.7"|2026-07-02 /"2.7"|not_started|
5||D|2026-06-01 /"1.6"|2026-07-01 /"1/7"|not_started|
`, "D3 warning date_number\nE3 warning date_number\nD4 warning date_number\nE4 warning date_number\nD5 warning date_number"},
		{"csv", csv, `2||A|2026-05-01 /""|2026-09-30 /""|not_started|
3||B|2026-06-01 /"1.6"|2026-10-01 /"1.10"|not_started|
`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := grid.ReadFile(tt.path, grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			plan, err := parse.New(parse.Options{}).Parse(g)
			if err != nil {
				t.Fatal(err)
			}
			if got := detail(plan.Tasks); got != tt.want {
				t.Errorf("tasks:\n%s\nwant:\n%s", got, tt.want)
			}
			if got := issueList(plan); got != tt.issues {
				t.Errorf("issues:\n%s\nwant:\n%s", got, tt.issues)
			}
		})
	}
}
