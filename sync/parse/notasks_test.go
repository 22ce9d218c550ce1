package parse_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/udrul/udrul/sync/parse"
)

// TestParser_ReadFile_noTasks: a sheet whose header row has no task row
// under it (nothing, blank cells, a footer) reads as a plan with one
// no_tasks warning at the header, not as a plan with nothing to say; a
// plan with a task has no such warning.
func TestParser_ReadFile_noTasks(t *testing.T) {
	head := []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"}
	tests := []struct {
		name string
		rows [][]any
		want string // the no_tasks warning's cell, "" for none
	}{
		{"header alone", nil, "A3"},
		{"blank rows under the header", [][]any{{" ", "", nil, "  "}, {nil, "\u00a0"}, {}}, "A3"},
		{"a footer under the header", [][]any{{"Antal opgaver: 0"}}, "A3"},
		{"one task", [][]any{{"Udpeg projektleder", "Kommune", "Kommune", "01-02-2026", "10-02-2026", "I gang"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			rows := append([][]any{{"Kommune: Aarhus"}, {}, head}, tt.rows...)
			for i, r := range rows {
				if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
					t.Fatal(err)
				}
			}
			plan := readBothWays(t, f)
			got := ""
			for _, is := range plan.Issues {
				if is.Code == parse.CodeNoTasks {
					if got != "" {
						t.Errorf("no_tasks twice: %+v", plan.Issues)
					}
					got = is.Pos.Cell
					if !strings.Contains(is.Message, "ingen opgaver") {
						t.Errorf("message %q does not say the plan holds no tasks", is.Message)
					}
				}
			}
			if got != tt.want {
				t.Errorf("no_tasks warning at %q, want %q (tasks %d, issues %+v)", got, tt.want, len(plan.Tasks), plan.Issues)
			}
		})
	}
}
