package parse_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/xuri/excelize/v2"
)

// TestParser_ReadFile_ganttStepRowMerged: a step row of a timeline whose
// label is merged across the whole row, weeks included, and filled as a
// band (how many plans draw "Forberedelse") is one cell in Excel showing
// the label: its fill over the weeks is no bar. It names the step of the
// tasks below and is no task of its own; bars, merged or not, still read.
func TestParser_ReadFile_ganttStepRowMerged(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	s := "Sheet1"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetRow(s, "A1", &[]any{"Kommune: Aarhus"}))
	must(f.SetSheetRow(s, "D2", &[]any{2026, nil, nil, 2027}))
	must(f.MergeCell(s, "D2", "F2"))
	must(f.MergeCell(s, "G2", "I2"))
	must(f.SetSheetRow(s, "A3", &[]any{"Opgave", "Ansvarlig", "Udfører", 50, 51, 52, 1, 2, 3}))
	band, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC000"}}})
	must(err)
	bar, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"4472C4"}}})
	must(err)
	must(f.SetSheetRow(s, "A4", &[]any{"Forberedelse"}))
	must(f.MergeCell(s, "A4", "I4"))
	must(f.SetCellStyle(s, "A4", "I4", band))
	must(f.SetSheetRow(s, "A5", &[]any{"Møde", "Kommune", "Kommune"}))
	must(f.SetCellStyle(s, "E5", "H5", bar))
	must(f.MergeCell(s, "E5", "H5"))
	must(f.SetSheetRow(s, "A6", &[]any{"Test", "Kommune", "Leverandør", nil, nil, "x"}))
	must(f.MergeCell(s, "F6", "I6"))
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	must(f.SaveAs(path))

	parser := parse.New(parse.Options{})
	streamed, err := parser.ReadFile(path, grid.Options{})
	must(err)
	g, err := grid.ReadFile(path, grid.Options{})
	must(err)
	whole, err := parser.Parse(g)
	must(err)
	if !reflect.DeepEqual(streamed, whole) {
		t.Fatalf("streamed plan differs from the whole read:\n%+v\n%+v", streamed, whole)
	}
	type task struct {
		step, title string
		start, end  model.Date
	}
	var got []task
	for _, tk := range streamed.Tasks {
		got = append(got, task{tk.Step, tk.Title, tk.Start, tk.End})
	}
	want := []task{
		{"Forberedelse", "Møde", model.NewDate(2026, 12, 14), model.NewDate(2027, 1, 15)},
		{"Forberedelse", "Test", model.NewDate(2026, 12, 21), model.NewDate(2027, 1, 22)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tasks = %+v, want %+v", got, want)
	}
	if len(streamed.Issues) != 0 {
		t.Errorf("issues = %+v, want none", streamed.Issues)
	}
}
