package parse_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/grid/gridtest"
	"github.com/udrul/udrul/sync/parse"
)

var (
	bar   = grid.Cell{Fill: grid.FillSet | 0x4472c4} // a blue bar, no text
	black = grid.Cell{Fill: grid.FillSet}            // black is a colour too
	pale  = grid.Cell{Fill: grid.FillSet | 0xf2f2f2} // background shading
)

// ganttRow is a row of text cells followed by timeline cells.
func ganttRow(head []any, tl ...grid.Cell) []grid.Cell {
	return append(cells(head...), tl...)
}

func x() grid.Cell { return grid.Cell{Kind: grid.Text, Text: "x"} }
func t(s string) grid.Cell {
	return grid.Cell{Kind: grid.Text, Text: s}
}
func num(n float64) grid.Cell {
	return grid.Cell{Kind: grid.Number, Text: "", Num: n}
}
func date(d model.Date) grid.Cell {
	serial := float64(d.Time().Sub(model.NewDate(1899, 12, 30).Time()).Hours() / 24)
	return grid.Cell{Kind: grid.Date, Num: serial}
}

func TestParser_Parse_gantt(t_ *testing.T) {
	e := grid.Cell{}
	tests := []struct {
		name   string
		opts   parse.Options
		rows   [][]grid.Cell
		want   string
		issues string
	}{
		{
			name: "week numbers with the year above, marks of every kind, step rows, across a new year",
			rows: [][]grid.Cell{
				cells("Kommune: Aarhus"),
				ganttRow([]any{nil, nil, nil}, num(2026), e, e, num(2027), e),
				ganttRow([]any{"Opgave", "Ansvarlig", "Udfører"}, num(51), num(52), num(53), num(1), num(2)),
				cells("Trin 1 - Forberedelse"),
				ganttRow([]any{"A", "Kommune", "Kommune"}, x(), t("X"), e, e, e),
				ganttRow([]any{"B", "Kommune", "Leverandør"}, e, t("■"), t("•"), t("1"), e),
				ganttRow([]any{"Trin 2", nil, nil}, x(), x(), x(), x(), x()),
				ganttRow([]any{"C", "Kommune", "Kommune"}, e, e, e, e, x()),
			},
			want: `5|Trin 1 - Forberedelse|A|2026-12-14 week/"uge 51 2026"|2026-12-25 week/"uge 52 2026"|not_started|
6|Trin 1 - Forberedelse|B|2026-12-21 week/"uge 52 2026"|2027-01-08 week/"uge 1 2027"|not_started|
8|Trin 2|C|2027-01-11 week/"uge 2 2027"|2027-01-15 week/"uge 2 2027"|not_started|
`,
		},
		{
			name: "weeks written with a zero over a timeline stay weeks (a date cell refuses 06/2027)",
			rows: [][]grid.Cell{
				ganttRow([]any{"ID", "Opgave", "Ansvarlig", "Udfører"}, t("01/2027"), t("02/2027"), t("03/2027"), t("04/2027")),
				ganttRow([]any{"1", "A", "Kommune", "Kommune"}, bar, bar, e, e),
			},
			want: `2||A|2027-01-04 week/"uge 1 2027"|2027-01-15 week/"uge 2 2027"|not_started|
`,
		},
		{
			name: "bars drawn by fill alone, a gap, no marks, pale shading",
			rows: [][]grid.Cell{
				ganttRow([]any{"ID", "Opgave", "Ansvarlig", "Udfører"}, t("34/2026"), t("35/2026"), t("36/2026"), t("37/2026")),
				ganttRow([]any{"1", "A", "Kommune", "Kommune"}, bar, bar, e, e),
				ganttRow([]any{"2", "B", "Kommune", "Kommune"}, black, pale, black, e),
				ganttRow([]any{"3", "C", "Kommune", "Kommune"}, pale, pale, pale, pale),
				ganttRow([]any{"Trin 2", nil, nil, nil}, bar, bar, bar, bar),
				ganttRow([]any{"4", "D", "Kommune", "Kommune"}, e, e, e, bar),
			},
			want: `2||A|2026-08-17 week/"uge 34 2026"|2026-08-28 week/"uge 35 2026"|not_started|
3||B|2026-08-17 week/"uge 34 2026"|2026-09-04 week/"uge 36 2026"|not_started|
4||C| /""| /""|not_started|
6|Trin 2|D|2026-09-07 week/"uge 37 2026"|2026-09-11 week/"uge 37 2026"|not_started|
`,
			issues: "F3 warning gantt_gap\nE4 warning gantt_no_marks",
		},
		{
			name: "Monday dates as columns, with status and health",
			rows: [][]grid.Cell{
				ganttRow([]any{"Opgave", "Ansvarlig", "Udfører", "Status"},
					date(model.NewDate(2026, 9, 28)), date(model.NewDate(2026, 10, 5)), date(model.NewDate(2026, 10, 12))),
				ganttRow([]any{"A", "Kommune", "Kommune", "Udskudt"}, e, x(), x()),
				ganttRow([]any{"B", "Kommune", "Kommune", ""}, x(), e, e),
			},
			want: `2||A|2026-10-05 week/"uge 41 2026"|2026-10-16 week/"uge 42 2026"|on_hold|
3||B|2026-09-28 week/"uge 40 2026"|2026-10-02 week/"uge 40 2026"|not_started|
`,
		},
		{
			name: "day columns (weekends left out)",
			rows: [][]grid.Cell{
				ganttRow([]any{"Opgave", "Ansvarlig", "Udfører"},
					t("02-10-2026"), t("05-10-2026"), t("06-10-2026"), t("07-10-2026")),
				ganttRow([]any{"A", "Kommune", "Kommune"}, e, x(), x(), e),
			},
			want: "2||A|2026-10-05 /\"\"|2026-10-06 /\"\"|not_started|\n",
		},
		{
			name: "month columns with the year above",
			rows: [][]grid.Cell{
				ganttRow([]any{nil, nil, nil}, t("2026"), e, e),
				ganttRow([]any{"Aktivitet", "Ansvarlig", "Udfører"}, t("Nov"), t("December"), t("jan.")),
				ganttRow([]any{"A", "Kommune", "Kommune"}, x(), x(), e),
				ganttRow([]any{"B", "Kommune", "Kommune"}, e, x(), x()),
			},
			want: `3||A|2026-11-01 month/"november 2026"|2026-12-31 month/"december 2026"|not_started|
4||B|2026-12-01 month/"december 2026"|2027-01-31 month/"januar 2027"|not_started|
`,
		},
		{
			name: "weeks without any year take the plan's fallback year, with a warning",
			opts: parse.Options{Now: fixedNow},
			rows: [][]grid.Cell{
				ganttRow([]any{"Opgave", "Ansvarlig", "Udfører"}, t("Uge 52"), t("Uge 1"), t("Uge 2")),
				ganttRow([]any{"A", "Kommune", "Kommune"}, x(), x(), e),
			},
			want:   "2||A|2031-12-22 week/\"uge 52 2031\"|2032-01-02 week/\"uge 1 2032\"|not_started|\n",
			issues: "D1 warning year_assumed",
		},
		{
			name: "a title-only row with a fill bar is a task; without marks it names the step",
			rows: [][]grid.Cell{
				ganttRow([]any{"Opgave", "Ansvarlig", "Udfører"}, num(10), num(11), num(12)),
				ganttRow([]any{"Forberedelse"}),
				ganttRow([]any{"A", nil, nil}, bar, e, e),
			},
			opts:   parse.Options{Now: fixedNow},
			want:   "3|Forberedelse|A|2031-03-03 week/\"uge 10 2031\"|2031-03-07 week/\"uge 10 2031\"|not_started|\n",
			issues: "D1 warning year_assumed\nB3 warning missing_responsible\nC3 warning missing_performer",
		},
	}
	for _, tt := range tests {
		t_.Run(tt.name, func(t *testing.T) {
			plan := parseWith(t, tt.opts, grid.Sheet{Name: "Plan", Rows: tt.rows})
			if got := detail(plan.Tasks); got != tt.want {
				t.Errorf("tasks:\n%s\nwant:\n%s", got, tt.want)
			}
			if got := issueList(plan); got != tt.issues {
				t.Errorf("issues:\n%s\nwant:\n%s", got, tt.issues)
			}
		})
	}
}

func TestParser_Parse_notGantt(t_ *testing.T) {
	// Numbers after the task columns that are not one week after another
	// are not a timeline: the table is an ordinary one.
	plan := parseWith(t_, parse.Options{}, grid.Sheet{Name: "Plan", Rows: [][]grid.Cell{
		cells("Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato"),
		cells("A", "Kommune", "Kommune", "01-06-2026", "05-06-2026"),
	}})
	if got := detail(plan.Tasks); got != "2||A|2026-06-01 /\"\"|2026-06-05 /\"\"|not_started|\n" {
		t_.Errorf("tasks:\n%s", got)
	}
}

// FuzzParser_Parse_gantt feeds arbitrary header and cell text into a
// timeline: never a panic, and every task read from it has a start no later
// than its end or an issue saying why.
func FuzzParser_Parse_gantt(f *testing.F) {
	f.Add("34", "35", "36", "x", "", "■", "2026")
	f.Add("Uge 52", "Uge 1", "uge 2", "X", "•", "", "")
	f.Add("okt", "nov", "dec", "1", "1", "1", "2026")
	f.Add("34/2026", "35/2026", "36/2026", "", "x", "", "")
	f.Add("02-10-2026", "05-10-2026", "06-10-2026", "x", "", "x", "")
	f.Add("uge 54", "Q5", "primo", "x", "x", "x", "x")
	f.Add("40", "41", "20", "x", "", "x", "2026")
	f.Add("35", "35", "36", "", "x", "x", "")
	f.Add("51/26", "52/26", "1/27", "x", "x", "", "")
	f.Fuzz(func(t *testing.T, h1, h2, h3, m1, m2, m3, year string) {
		plan, err := parse.New(parse.Options{Now: fixedNow}).Parse(&grid.Grid{File: "f.xlsx", Sheets: []grid.Sheet{{Name: "S", Rows: [][]grid.Cell{
			cells(nil, nil, nil, year, nil, nil),
			cells("Opgave", "Ansvarlig", "Udfører", h1, h2, h3),
			cells("A", "Kommune", "Kommune", m1, m2, m3),
			cells("Trin 1"),
			cells("B", "Kommune", "Kommune", m3, m2, m1),
		}}}})
		if err != nil {
			return
		}
		for _, task := range plan.Tasks {
			if !task.Start.IsZero() && !task.End.IsZero() && task.Start.After(task.End) {
				found := false
				for _, is := range plan.Issues {
					found = found || (is.Pos.Row == task.Pos.Row && is.Code == parse.CodeStartAfterEnd)
				}
				if !found {
					t.Fatalf("task %+v starts after it ends without an issue; issues %+v", task, plan.Issues)
				}
			}
		}
	})
}

// TestParser_ReadBytes_ganttMergedBar: a bar drawn as one merged cell (the
// mark or fill in its first cell, the cells it covers empty, as Excel saves
// a merge) runs across the whole range, as Excel shows it — streamed and
// read whole alike.
func TestParser_ReadBytes_ganttMergedBar(t *testing.T) {
	parser := parse.New(parse.Options{Now: fixedNow})
	row := inlineRow
	rows := row(1, "Opgave", "Ansvarlig", "Udfører", "34/2026", "35/2026", "36/2026", "37/2026", "38/2026") +
		row(2, "Analyse", "Kommune", "Kommune", "", "Analyse", "", "", "") +
		row(3, "Test", "Kommune", "Kommune", "", "", "", "x", "")
	for _, tc := range []struct {
		name, tail string
		end        string // Analyse's end
	}{
		{"merged across three weeks", `<mergeCells count="1"><mergeCell ref="E2:G2"/></mergeCells>`, "2026-09-11"},
		{"not merged", ``, "2026-08-28"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "Aarhus KY.xlsx")
			err := gridtest.WriteXLSX(path, gridtest.Sheet{Name: "Plan", Rows: func(w io.Writer) { io.WriteString(w, rows) },
				Tail: func(w io.Writer) { io.WriteString(w, tc.tail) }})
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			want, wantErr := wholeGrid(parser, "Aarhus KY.xlsx", data, grid.Options{})
			got, gotErr := parser.ReadBytes("Aarhus KY.xlsx", data, grid.Options{})
			samePlan(t, got, gotErr, want, wantErr)
			if gotErr != nil || len(got.Tasks) != 2 {
				t.Fatalf("got %v, want two tasks", gotErr)
			}
			a := got.Tasks[0]
			if a.Start.String() != "2026-08-24" || a.End.String() != tc.end {
				t.Errorf("Analyse: %s – %s, want 2026-08-24 – %s", a.Start, a.End, tc.end)
			}
		})
	}
}
