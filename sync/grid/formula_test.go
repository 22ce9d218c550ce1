package grid_test

import (
	"testing"

	"github.com/udrul/udrul/sync/grid"
)

// TestRead_formulaWithoutValue: a formula saved without the value it gives
// is marked Uncomputed (it read as an empty cell, as Excel never shows
// one); a formula saved with its value, even an empty text, is the value.
func TestRead_formulaWithoutValue(t *testing.T) {
	for _, tt := range []struct {
		name, cell string
		kind       grid.Kind
		text       string
		uncomputed bool
	}{
		{"with its value", `<c r="A2"><f>1+1</f><v>2</v></c>`, grid.Number, "2", false},
		{"an empty text as its value", `<c r="A2" t="str"><f>IF(B2="","","x")</f><v></v></c>`, grid.Empty, "", false},
		{"a text as its value", `<c r="A2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>`, grid.Text, "ab", false},
		{"without its value", `<c r="A2"><f>1+1</f></c>`, grid.Empty, "", true},
		{"a shared formula without its value", `<c r="A2" s="0"><f t="shared" si="0"/></c>`, grid.Empty, "", true},
		{"no formula", `<c r="A2"><v>3</v></c>`, grid.Number, "3", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sheet := sheetXML(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Opgave</t></is></c></row><row r="2">` + tt.cell + `<c r="B2" t="inlineStr"><is><t>x</t></is></c></row></sheetData>`)
			g, err := readPkg(t, pkg{sheets: []pkgSheet{{name: "Plan", xml: sheet}}}, grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if c := g.Sheets[0].Cell(2, 1); c.Kind != tt.kind || c.Text != tt.text || c.Uncomputed != tt.uncomputed {
				t.Errorf("A2 = %+v, want kind %v text %q uncomputed %v", c, tt.kind, tt.text, tt.uncomputed)
			}
		})
	}
}
