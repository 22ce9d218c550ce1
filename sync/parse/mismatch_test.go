package parse_test

import (
	"testing"

	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// TestParse_municipalityMismatch: Høje-Taastrup's plan saved as Køge's
// file is read as Høje-Taastrup (its own line), with an error on that
// line saying the file name disagrees; agreeing names say nothing.
func TestParse_municipalityMismatch(t *testing.T) {
	text := func(s ...string) []grid.Cell {
		var out []grid.Cell
		for _, v := range s {
			out = append(out, grid.Cell{Kind: grid.Text, Text: v})
		}
		return out
	}
	for _, tt := range []struct {
		file string
		want int
	}{{"KP_Køge_export.csv", 1}, {"KP_Hoeje-Taastrup_export.csv", 0}, {"KP_export.csv", 0}} {
		g := &grid.Grid{File: tt.file, Sheets: []grid.Sheet{{Name: "Plan", Rows: [][]grid.Cell{
			text("Kommune:", "Høje-Taastrup"),
			{},
			text("Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato"),
			text("A", "Kommune", "Kommune", "02-11-2026", "15-01-2027"),
		}}}}
		plan, err := parse.New(parse.Options{}).Parse(g)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, is := range plan.Issues {
			if is.Code == parse.CodeNameMismatch {
				n++
				if is.Pos.Cell == "" {
					t.Errorf("%s: the mismatch names no cell", tt.file)
				}
			}
		}
		if n != tt.want || plan.Metadata.Municipality != "Høje-Taastrup" {
			t.Errorf("%s: %d mismatch issues, municipality %q", tt.file, n, plan.Metadata.Municipality)
		}
	}
}
