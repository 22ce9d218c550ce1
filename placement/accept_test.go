package placement

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReadResponses_acceptanceAskingForAnotherWave: "Accepterer, men ønsker
// anden bølge" (no wave written) is doubtful: it must be refused, not read
// as a plain acceptance.
func TestReadResponses_acceptanceAskingForAnotherWave(t *testing.T) {
	p := &Problem{Waves: waves(3, 0), Municipalities: []Municipality{{Name: "Aarhus", Size: 10, Preferred: 1}, {Name: "Vejle", Size: 5, Preferred: 2}}}
	r, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, answer := range []string{"Accepterer, men ønsker anden bølge", "Accepterer ikke"} {
		var buf bytes.Buffer
		if err := WriteProposal(&buf, p, r, "KSD", 2026); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		f.SetCellValue("Forslag", "H4", answer)
		path := filepath.Join(t.TempDir(), "forslag.xlsx")
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		resp, _, err := ReadResponses(path, p.Waves, false)
		if err == nil {
			t.Errorf("%q: read as %+v, want refused", answer, resp[0])
		}
	}
}
