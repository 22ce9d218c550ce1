package grid_test

import (
	"bytes"
	"io"
	"testing"
	"unsafe"

	"github.com/udrul/udrul/sync/grid"
	"github.com/xuri/excelize/v2"
)

// TestRead_look: a cell's font struck through and a number format showing a
// percentage are read from the workbook's styles, alike by the whole read
// and the streamed one; a cell without them has neither.
func TestRead_look(t *testing.T) {
	f := excelize.NewFile()
	style := func(s *excelize.Style) int {
		t.Helper()
		id, err := f.NewStyle(s)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	custom := "0.0%"
	tests := []struct {
		name    string
		value   any
		style   int
		struck  bool
		percent bool
	}{
		{"plain text", "Møde", 0, false, false},
		{"text struck through", "Møde", style(&excelize.Style{Font: &excelize.Font{Strike: true}}), true, false},
		{"bold, not struck", "Møde", style(&excelize.Style{Font: &excelize.Font{Bold: true}}), false, false},
		{"number 0%", 0.5, style(&excelize.Style{NumFmt: 9}), false, true},
		{"number 0.00%", 1, style(&excelize.Style{NumFmt: 10}), false, true},
		{"custom 0.0%", 0.25, style(&excelize.Style{CustomNumFmt: &custom}), false, true},
		{"plain number", 1, style(&excelize.Style{NumFmt: 1}), false, false},
		{"struck percent", 1, style(&excelize.Style{NumFmt: 9, Font: &excelize.Font{Strike: true}}), true, true},
		{"rich text struck through", []excelize.RichTextRun{{Text: "Konverter data", Font: &excelize.Font{Strike: true}}}, 0, true, false},
		{"rich text mostly struck", []excelize.RichTextRun{{Text: "Konverter data", Font: &excelize.Font{Strike: true}}, {Text: " (KY)"}}, 0, true, false},
		{"rich text, a word struck", []excelize.RichTextRun{{Text: "Konverter "}, {Text: "alle", Font: &excelize.Font{Strike: true}}, {Text: " data fra KMD"}}, 0, false, false},
		{"rich text, bold", []excelize.RichTextRun{{Text: "Konverter data", Font: &excelize.Font{Bold: true}}}, 0, false, false},
		{"struck and filled", "Test", style(&excelize.Style{Font: &excelize.Font{Strike: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FF0000"}}}), true, false},
	}
	for i, tt := range tests {
		cell := grid.Ref(i+1, 1)
		if runs, ok := tt.value.([]excelize.RichTextRun); ok {
			if err := f.SetCellRichText("Sheet1", cell, runs); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := f.SetCellValue("Sheet1", cell, tt.value); err != nil {
			t.Fatal(err)
		}
		if tt.style != 0 {
			if err := f.SetCellStyle("Sheet1", cell, cell, tt.style); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	g, err := grid.ReadBytes("plan.xlsx", buf.Bytes(), grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := grid.OpenBytes("plan.xlsx", buf.Bytes(), grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sr, err := b.NextSheet()
	if err != nil {
		t.Fatal(err)
	}
	streamed := map[int]grid.Cell{}
	for {
		r, cells, err := sr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(cells) > 0 {
			streamed[r] = cells[0]
		}
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, read := range []struct {
				how string
				c   grid.Cell
			}{{"whole", g.Sheets[0].Cell(i+1, 1)}, {"streamed", streamed[i+1]}} {
				if got := read.c.Struck(); got != tt.struck {
					t.Errorf("%s: Struck() = %v, want %v (%+v)", read.how, got, tt.struck, read.c)
				}
				if got := read.c.Percent(); got != tt.percent {
					t.Errorf("%s: Percent() = %v, want %v (%+v)", read.how, got, tt.percent, read.c)
				}
			}
		})
	}
}

// TestCell_size: the format's flags sit in the cell's padding; a cell is
// no larger for them (a 100,000-row sheet holds millions).
func TestCell_size(t *testing.T) {
	if got, want := unsafe.Sizeof(grid.Cell{}), uintptr(32); got != want {
		t.Errorf("unsafe.Sizeof(Cell{}) = %d, want %d", got, want)
	}
}
