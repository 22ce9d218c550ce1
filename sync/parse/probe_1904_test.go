package parse_test

import (
	"testing"
	"time"

	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/xuri/excelize/v2"
)

// TestParser_ReadBytes_bareSerial1904: a bare serial number in a date
// column (its date format lost) of a workbook saved with the 1904 date
// system counts from 1904, as its date cells do (it was read four years and
// a day early, in silence when the row had no other date); in a 1900
// workbook the same number is the 1900 serial.
func TestParser_ReadBytes_bareSerial1904(t *testing.T) {
	tests := []struct {
		name     string
		date1904 bool
		// start and end as stored: 2026-06-01 and 2026-06-10 are the
		// serials 44712 and 44721 in the 1904 system, 46174 and 46183 in
		// the 1900 one.
		start, end any
		want       string
	}{
		{"1904, both bare serials", true, 44712, 44721, "2026-06-01 2026-06-10"},
		{"1904, a date cell and a bare serial", true, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), 44721, "2026-06-01 2026-06-10"},
		{"1904, a bare serial with a time", true, 44712.75, 44721.999, "2026-06-01 2026-06-10"},
		{"1900, both bare serials", false, 46174, 46183, "2026-06-01 2026-06-10"},
		{"1904, a day.month number is no serial", true, 46174 - 1462, 1.6, "2026-06-01 2026-06-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := excelize.NewFile()
			if tt.date1904 {
				yes := true
				if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.SetSheetRow("Sheet1", "A1", &[]any{"ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"}); err != nil {
				t.Fatal(err)
			}
			if err := f.SetSheetRow("Sheet1", "A2", &[]any{"1", "A", "Kommune", "Kommune", tt.start, tt.end, "I gang"}); err != nil {
				t.Fatal(err)
			}
			buf, err := f.WriteToBuffer()
			if err != nil {
				t.Fatal(err)
			}
			plan, err := parse.New(parse.Options{}).ReadBytes("plan.xlsx", buf.Bytes(), grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Tasks) != 1 {
				t.Fatalf("got %d tasks, want 1", len(plan.Tasks))
			}
			task := plan.Tasks[0]
			if got := task.Start.String() + " " + task.End.String(); got != tt.want {
				t.Errorf("got %s, want %s (issues %+v)", got, tt.want, plan.Issues)
			}
			for _, is := range plan.Issues {
				if is.Code == parse.CodeStartAfterEnd || is.Code == parse.CodeBadDate {
					t.Errorf("issue %s %s: %s", is.Pos.Cell, is.Code, is.Message)
				}
			}
		})
	}
}

// TestParser_ReadBytes_ganttSerial1904: a timeline whose header holds bare
// serial numbers (Mondays a week apart) in a 1904 workbook is read in 2026,
// not four years early.
func TestParser_ReadBytes_ganttSerial1904(t *testing.T) {
	f := excelize.NewFile()
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		t.Fatal(err)
	}
	// 2026-06-01, -08, -15 and -22 in the 1904 system.
	if err := f.SetSheetRow("Sheet1", "A1", &[]any{"ID", "Opgave", "Ansvarlig", "Udfører", 44712, 44719, 44726, 44733}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Sheet1", "A2", &[]any{"1", "A", "Kommune", "Kommune", "x", "x", nil, nil}); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := parse.New(parse.Options{}).ReadBytes("plan.xlsx", buf.Bytes(), grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Tasks) != 1 {
		t.Fatalf("got %d tasks, want 1 (issues %+v)", len(plan.Tasks), plan.Issues)
	}
	task := plan.Tasks[0]
	if got, want := task.Start.String(), "2026-06-01"; got != want {
		t.Errorf("start = %s, want %s", got, want)
	}
	if task.End.Year != 2026 || task.End.Month != time.June || task.End.Day < 8 || task.End.Day > 14 {
		t.Errorf("end = %s, want in the week of 2026-06-08", task.End)
	}
}
