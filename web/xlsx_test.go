package web

import (
	"net/http/httptest"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWriteXLSX_textAsWritten: only a text that is a number as Excel would
// write it becomes a number cell; an ID, wave or title of digits written
// with a leading zero or a sign stays the text it is ("007" is not 7).
func TestWriteXLSX_textAsWritten(t *testing.T) {
	tests := []struct {
		name, text string
		want       string
		wantType   excelize.CellType
	}{
		{name: "number", text: "12", want: "12", wantType: excelize.CellTypeNumber},
		{name: "zero", text: "0", want: "0", wantType: excelize.CellTypeNumber},
		{name: "negative", text: "-3", want: "-3", wantType: excelize.CellTypeNumber},
		{name: "leading zeros", text: "007", want: "007", wantType: excelize.CellTypeInlineString},
		{name: "plus sign", text: "+45", want: "+45", wantType: excelize.CellTypeInlineString},
		{name: "negative zero", text: "-0", want: "-0", wantType: excelize.CellTypeInlineString},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			if err := writeXLSX(w, "data", []string{"ID"}, []listRow{{Cells: []cell{{Text: tt.text}}}}); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, _ := f.GetCellValue("data", "A2")
			typ, _ := f.GetCellType("data", "A2")
			if got != tt.want {
				t.Errorf("cell = %q, want %q", got, tt.want)
			}
			if typ != tt.wantType && !(tt.wantType == excelize.CellTypeNumber && typ == excelize.CellTypeUnset) {
				t.Errorf("cell type = %v, want %v", typ, tt.wantType)
			}
		})
	}
}
