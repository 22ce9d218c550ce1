package parse_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/parse"
)

// TestParser_ReadFile_formulaWithoutValue: a workbook saved by a program
// that does not calculate (a script, some exports) holds its formulas
// without the values they give. Such a cell read as empty: a status
// formula read as not started, a date formula as a missing date, in
// silence. Each is a no_value error on its cell now, the status unknown;
// a formula saved with its value reads as the value.
func TestParser_ReadFile_formulaWithoutValue(t *testing.T) {
	head := []any{"ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"}
	task := []any{"1", "Udpeg projektleder", "Kommune", "Kommune", "01-02-2026", "10-02-2026", "I gang"}
	tests := []struct {
		name     string
		formulas map[string]string // cell → formula saved without its value (row 4 is the task)
		status   model.Status
		tasks    int
		want     []string // the no_value cells, sorted
		notWant  string   // an issue code that must not be there
	}{
		{"none", nil, model.InProgress, 1, nil, ""},
		{"status", map[string]string{"G4": `IF(F4<TODAY(),"Færdig","I gang")`}, model.Unknown, 1, []string{"G4"}, ""},
		{"end date", map[string]string{"F4": "E4+9"}, model.InProgress, 1, []string{"F4"}, parse.CodeMissingDate},
		{"responsible and start", map[string]string{"C4": `"Kom"&"mune"`, "E4": "DATE(2026,2,1)"}, model.InProgress, 1, []string{"C4", "E4"}, parse.CodeMissingResponsible},
		{"title", map[string]string{"B4": `"Udpeg "&"projektleder"`}, "", 0, []string{"B4"}, parse.CodeNoTitle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			rows := [][]any{{"Kommune: Aarhus"}, {}, head, task}
			for i, r := range rows {
				if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
					t.Fatal(err)
				}
			}
			for cell, formula := range tt.formulas {
				f.SetCellValue("Sheet1", cell, nil)
				if err := f.SetCellFormula("Sheet1", cell, formula); err != nil { // excelize keeps no value
					t.Fatal(err)
				}
			}
			plan := readBothWays(t, f)
			if len(plan.Tasks) != tt.tasks {
				t.Fatalf("%d tasks, want %d (issues %+v)", len(plan.Tasks), tt.tasks, plan.Issues)
			}
			if tt.tasks > 0 && plan.Tasks[0].Status != tt.status {
				t.Errorf("status %q, want %q", plan.Tasks[0].Status, tt.status)
			}
			var got []string
			for _, is := range plan.Issues {
				switch is.Code {
				case parse.CodeNoValue:
					got = append(got, is.Pos.Cell)
					if is.Severity != model.SevError || !strings.Contains(is.Message, "gem den igen") {
						t.Errorf("no_value issue %+v", is)
					}
				case tt.notWant:
					t.Errorf("issue %s beside no_value: %+v", is.Code, is)
				}
			}
			sort.Strings(got)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("no_value at %v, want %v (issues %+v)", got, tt.want, plan.Issues)
			}
		})
	}
}

// TestParser_ReadFile_timelineWithoutValues: a timeline drawn by formulas
// (=IF(week in the task's span;"x";"")) saved without their values has no
// marks Excel would not show: a no_value error on the first such cell, not
// a task said to have no marks; a timeline with its marks reads as before.
func TestParser_ReadFile_timelineWithoutValues(t *testing.T) {
	for _, uncomputed := range []bool{false, true} {
		t.Run(fmt.Sprint("uncomputed ", uncomputed), func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			s := "Sheet1"
			rows := [][]any{{"Kommune: Aarhus"}, {nil, nil, nil, 2027}, {"Opgave", "Ansvarlig", "Udfører", 1, 2, 3, 4}, {"Møde", "Kommune", "Kommune", nil, "x", "x"}}
			for i, r := range rows {
				if err := f.SetSheetRow(s, fmt.Sprintf("A%d", i+1), &r); err != nil {
					t.Fatal(err)
				}
			}
			if uncomputed {
				for _, cell := range []string{"D4", "E4", "F4", "G4"} {
					f.SetCellValue(s, cell, nil)
					if err := f.SetCellFormula(s, cell, `IF(AND(D$3>=2,D$3<=3),"x","")`); err != nil {
						t.Fatal(err)
					}
				}
			}
			plan := readBothWays(t, f)
			var codes []string
			for _, is := range plan.Issues {
				codes = append(codes, is.Code+"@"+is.Pos.Cell)
			}
			if uncomputed {
				if fmt.Sprint(codes) != "[no_value@D4]" || len(plan.Tasks) != 1 || !plan.Tasks[0].Start.IsZero() {
					t.Errorf("issues %v, tasks %+v; want one no_value at D4 and a task without dates", codes, plan.Tasks)
				}
				return
			}
			if len(codes) != 0 || len(plan.Tasks) != 1 || plan.Tasks[0].Start.IsZero() {
				t.Errorf("issues %v, tasks %+v; want the task's weeks 2-3", codes, plan.Tasks)
			}
		})
	}
}
