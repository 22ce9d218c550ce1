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
