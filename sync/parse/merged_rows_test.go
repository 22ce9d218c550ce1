package parse_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/xuri/excelize/v2"
)

// TestParser_ReadFile_statusMergedDown: a status (or done, responsible,
// performer) cell merged down over several task rows shows its value on
// each of them in Excel — "Færdig"
// over three tasks is three tasks done, not one done and two not started
// (an empty status). Each row below the top-left one is read with the value
// shown, with a merged_rows warning on its cell; streamed and whole reads
// agree.
func TestParser_ReadFile_statusMergedDown(t *testing.T) {
	tests := []struct {
		name       string
		head       []any
		merge      [2]string
		rows       [][]any
		wantStatus []model.Status
		wantWarn   []string
	}{
		{"status merged over a step's tasks",
			[]any{"Trin", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"},
			[2]string{"G4", "G6"},
			[][]any{
				{"Trin 0a", "Møde", "Kommune", "Kommune", "01-03-2026", "01-04-2026", "Færdig"},
				{nil, "Test", "Kommune", "Leverandør", "01-03-2026", "01-04-2026", nil},
				{nil, "Konvertering", "Kommune", "Leverandør", "01-03-2026", "01-04-2026", nil},
				{"Trin 1", "Uddannelse", "Kommune", "Leverandør", "01-05-2026", "01-06-2026", nil},
			},
			[]model.Status{model.Done, model.Done, model.Done, model.NotStarted},
			[]string{"G5", "G6"}},
		{"a done column merged over two tasks",
			[]any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status", "Udført?"},
			[2]string{"G4", "G5"},
			[][]any{
				{"Møde", "Kommune", "Kommune", "01-03-2026", "01-04-2026", "I gang", "Ja"},
				{"Test", "Kommune", "Leverandør", "01-03-2026", "01-04-2026", "I gang", nil},
				{"Uddannelse", "Kommune", "Leverandør", "01-05-2026", "01-06-2026", "I gang", nil},
			},
			[]model.Status{model.Done, model.Done, model.InProgress},
			[]string{"G5"}},
		{"a performer merged over a step's tasks",
			[]any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"},
			[2]string{"C4", "C5"},
			[][]any{
				{"Møde", "Kommune", "Leverandør", "01-03-2026", "01-04-2026", "I gang"},
				{"Test", "Kommune", nil, "01-03-2026", "01-04-2026", "I gang"},
			},
			[]model.Status{model.InProgress, model.InProgress},
			[]string{"C5"}},
		{"a merge within one row changes nothing",
			[]any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status", "Note"},
			[2]string{"F4", "G4"},
			[][]any{
				{"Møde", "Kommune", "Kommune", "01-03-2026", "01-04-2026", "Færdig", nil},
				{"Test", "Kommune", "Leverandør", "01-03-2026", "01-04-2026", nil, nil},
			},
			[]model.Status{model.Done, model.NotStarted},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			if err := f.SetSheetRow("Sheet1", "A1", &[]any{"Kommune: Aarhus"}); err != nil {
				t.Fatal(err)
			}
			if err := f.SetSheetRow("Sheet1", "A3", &tt.head); err != nil {
				t.Fatal(err)
			}
			for i, r := range tt.rows {
				cell, _ := excelize.CoordinatesToCellName(1, 4+i)
				if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.MergeCell("Sheet1", tt.merge[0], tt.merge[1]); err != nil {
				t.Fatal(err)
			}
			streamed := readBothWays(t, f)
			var got []model.Status
			for _, task := range streamed.Tasks {
				got = append(got, task.Status)
				if task.Performer == "" {
					t.Errorf("task %q has no performer", task.Title)
				}
			}
			if !reflect.DeepEqual(got, tt.wantStatus) {
				t.Errorf("statuses = %v, want %v", got, tt.wantStatus)
			}
			var warned []string
			for _, is := range streamed.Issues {
				if is.Code == parse.CodeMergedRows {
					warned = append(warned, is.Pos.Cell)
				}
			}
			if !reflect.DeepEqual(warned, tt.wantWarn) {
				t.Errorf("merged_rows warnings at %v, want %v (issues %+v)", warned, tt.wantWarn, streamed.Issues)
			}
		})
	}
}

// TestParser_ReadFile_stepRowStatus: a step row that also fills the status
// column ("Trin 1 - Forberedelse" in the ID column, "Færdig" in Status)
// names the step of the tasks below (it was an error, no_title, and the
// tasks lost their step). Merged down over its tasks, Excel shows the
// status beside each, and it is read so, with merged_rows warnings; not
// merged, it is no task's status: a step_status warning says it is not
// read, and the tasks keep their own (empty: not started).
func TestParser_ReadFile_stepRowStatus(t *testing.T) {
	tests := []struct {
		name       string
		merge      bool
		wantStatus []model.Status
		wantWarn   map[string]string // cell → code
	}{
		{"merged down over its tasks", true,
			[]model.Status{model.Done, model.Done, model.InProgress},
			map[string]string{"G5": parse.CodeMergedRows, "G6": parse.CodeMergedRows}},
		{"on the step row only", false,
			[]model.Status{model.NotStarted, model.NotStarted, model.InProgress},
			map[string]string{"G4": parse.CodeStepStatus}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			rows := [][]any{
				{"Kommune: Aarhus"},
				{"Løsning: Serviceplatformen"},
				{"ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"},
				{"Trin 1 - Forberedelse", nil, nil, nil, nil, nil, "Færdig"},
				{"1", "Udpeg projektleder", "Kommune", "Kommune", "01-02-2026", "10-02-2026"},
				{"2", "Afklar data", "Kommune", "Leverandør", "01-02-2026", "10-02-2026"},
				{"Trin 2 - Test"},
				{"3", "Test", "Kommune", "Kommune", "01-03-2026", "10-03-2026", "I gang"},
			}
			for i, r := range rows {
				cell, _ := excelize.CoordinatesToCellName(1, 1+i)
				if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
					t.Fatal(err)
				}
			}
			if tt.merge {
				if err := f.MergeCell("Sheet1", "G4", "G6"); err != nil {
					t.Fatal(err)
				}
			}
			streamed := readBothWays(t, f)
			var got []model.Status
			var steps []string
			for _, task := range streamed.Tasks {
				got = append(got, task.Status)
				steps = append(steps, task.Step)
			}
			if !reflect.DeepEqual(got, tt.wantStatus) {
				t.Errorf("statuses = %v, want %v", got, tt.wantStatus)
			}
			if want := []string{"Trin 1 - Forberedelse", "Trin 1 - Forberedelse", "Trin 2 - Test"}; !reflect.DeepEqual(steps, want) {
				t.Errorf("steps = %q, want %q", steps, want)
			}
			warned := map[string]string{}
			for _, is := range streamed.Issues {
				if is.Severity == model.SevError {
					t.Errorf("error %s at %s: %s", is.Code, is.Pos.Cell, is.Message)
				}
				if is.Code == parse.CodeMergedRows || is.Code == parse.CodeStepStatus {
					warned[is.Pos.Cell] = is.Code
				}
			}
			if !reflect.DeepEqual(warned, tt.wantWarn) {
				t.Errorf("warnings %v, want %v (issues %+v)", warned, tt.wantWarn, streamed.Issues)
			}
		})
	}
}

// readBothWays saves f and reads it streamed and whole; the two must agree.
func readBothWays(t *testing.T, f *excelize.File) *model.Plan {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	parser := parse.New(parse.Options{})
	streamed, err := parser.ReadFile(path, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := grid.ReadFile(path, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := parser.Parse(g)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(streamed, whole) {
		t.Fatalf("streamed plan differs from the whole read:\n%+v\n%+v", streamed, whole)
	}
	return streamed
}

// TestParser_ReadFile_dateMergedDown: a start or end date merged down over
// several task rows shows on each of them in Excel: each row is read with
// that date (as written: a week stays a week), with a merged_rows warning on
// its cell, not as a task without a date (missing_date); streamed and
// whole reads agree.
func TestParser_ReadFile_dateMergedDown(t *testing.T) {
	d := func(s string) model.Date {
		v, err := model.ParseISODate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	head := []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"}
	tests := []struct {
		name      string
		merge     [2]string
		rows      [][]any
		wantStart []model.Date
		wantEnd   []model.Date
		wantAs    []string // the end as written
		wantWarn  []string // merged_rows warnings
	}{
		{"an end date merged over a step's tasks", [2]string{"E4", "E6"},
			[][]any{
				{"Møde", "Kommune", "Kommune", "01-03-2026", "01-04-2026", "I gang"},
				{"Test", "Kommune", "Leverandør", "02-03-2026", nil, "I gang"},
				{"Konvertering", "Kommune", "Leverandør", "03-03-2026", nil, "I gang"},
				{"Uddannelse", "Kommune", "Leverandør", "01-05-2026", "01-06-2026", "I gang"},
			},
			[]model.Date{d("2026-03-01"), d("2026-03-02"), d("2026-03-03"), d("2026-05-01")},
			[]model.Date{d("2026-04-01"), d("2026-04-01"), d("2026-04-01"), d("2026-06-01")},
			[]string{"", "", "", ""},
			[]string{"E5", "E6"}},
		{"a start week merged over two tasks", [2]string{"D4", "D5"},
			[][]any{
				{"Møde", "Kommune", "Kommune", "uge 10 2026", "01-04-2026", "I gang"},
				{"Test", "Kommune", "Leverandør", nil, "02-04-2026", "I gang"},
			},
			[]model.Date{d("2026-03-02"), d("2026-03-02")},
			[]model.Date{d("2026-04-01"), d("2026-04-02")},
			[]string{"", ""},
			[]string{"D5"}},
		{"a week range merged over two tasks gives both dates on each", [2]string{"D4", "D5"},
			[][]any{
				{"Møde", "Kommune", "Kommune", "uge 10-11 2026", nil, "I gang"},
				{"Test", "Kommune", "Leverandør", nil, nil, "I gang"},
			},
			[]model.Date{d("2026-03-02"), d("2026-03-02")},
			[]model.Date{d("2026-03-13"), d("2026-03-13")},
			[]string{"uge 10-11 2026", "uge 10-11 2026"},
			[]string{"D5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			if err := f.SetSheetRow("Sheet1", "A1", &[]any{"Kommune: Aarhus"}); err != nil {
				t.Fatal(err)
			}
			if err := f.SetSheetRow("Sheet1", "A3", &head); err != nil {
				t.Fatal(err)
			}
			for i, r := range tt.rows {
				cell, _ := excelize.CoordinatesToCellName(1, 4+i)
				if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.MergeCell("Sheet1", tt.merge[0], tt.merge[1]); err != nil {
				t.Fatal(err)
			}
			plan := readBothWays(t, f)
			var start, end []model.Date
			var as []string
			for _, task := range plan.Tasks {
				start, end, as = append(start, task.Start), append(end, task.End), append(as, task.EndAs.Text)
			}
			if !reflect.DeepEqual(start, tt.wantStart) || !reflect.DeepEqual(end, tt.wantEnd) {
				t.Errorf("dates = %v to %v, want %v to %v", start, end, tt.wantStart, tt.wantEnd)
			}
			if !reflect.DeepEqual(as, tt.wantAs) {
				t.Errorf("ends as written = %q, want %q", as, tt.wantAs)
			}
			var warned []string
			for _, is := range plan.Issues {
				switch is.Code {
				case parse.CodeMergedRows:
					warned = append(warned, is.Pos.Cell)
				case parse.CodeMissingDate:
					t.Errorf("issue %s at %s: %s", is.Code, is.Pos.Cell, is.Message)
				}
			}
			if !reflect.DeepEqual(warned, tt.wantWarn) {
				t.Errorf("merged_rows warnings at %v, want %v (issues %+v)", warned, tt.wantWarn, plan.Issues)
			}
		})
	}
}

// TestParser_ReadFile_dateMergedDown_shownAsADate: the merged_rows warning
// on a date cell (a real date, formatted as one) says the date Excel
// shows over the rows, not the serial number Excel keeps (it said 'Excel
// shows it as "46113"').
func TestParser_ReadFile_dateMergedDown_shownAsADate(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Kommune: Aarhus"},
		nil,
		{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"},
		{"Møde", "Kommune", "Kommune", "01-03-2026", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), "I gang"},
		{"Test", "Kommune", "Leverandør", "02-03-2026", nil, "I gang"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, 1+i)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellStyle("Sheet1", "E4", "E5", style); err != nil {
		t.Fatal(err)
	}
	if err := f.MergeCell("Sheet1", "E4", "E5"); err != nil {
		t.Fatal(err)
	}
	plan := readBothWays(t, f)
	var msgs []string
	for _, is := range plan.Issues {
		if is.Code == parse.CodeMergedRows {
			msgs = append(msgs, is.Message)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], `"01-04-2026"`) || strings.Contains(msgs[0], "46113") {
		t.Errorf("merged_rows warnings %q, want one showing the date as \"01-04-2026\"", msgs)
	}
	if len(plan.Tasks) != 2 || plan.Tasks[1].End != model.NewDate(2026, 4, 1) {
		t.Errorf("tasks %+v, want the second ending 2026-04-01", plan.Tasks)
	}
}
