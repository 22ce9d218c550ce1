package plangen

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/udrul/udrul/internal/provenance"
	"github.com/xuri/excelize/v2"
)

// CriteriaFile and CriteriaConfig are the names of the example criteria
// sheet for 'udrul waves propose' and its configuration.
const (
	CriteriaFile   = "kriterier-KSD.xlsx"
	CriteriaConfig = "udrul.yaml"
)

// criteriaRows are the example's municipalities: size (citizens), cases,
// readiness (1–5), the wave asked for, earliest, latest, contract end.
var criteriaRows = []struct {
	name                   string
	size, cases, readiness int
	wish, earliest, latest int
	contractEnd, remark    string
}{
	{"Aarhus", 367000, 9100, 4, 1, 0, 0, "", ""},
	{"Odense", 207000, 5200, 3, 2, 0, 0, "", ""},
	{"Aalborg", 222000, 5600, 5, 1, 0, 0, "", "Klar til test fra januar"},
	{"Esbjerg", 116000, 2900, 2, 3, 0, 0, "", ""},
	{"Randers", 99000, 2500, 3, 2, 0, 0, "", ""},
	{"Vejle", 121000, 3000, 4, 1, 0, 0, "", ""},
	{"Skive", 46000, 1100, 2, 0, 0, 0, "31-05-2027", "Kontrakten med nuværende leverandør udløber"},
	{"Sorø", 30000, 700, 1, 3, 0, 0, "", ""},
	{"Køge", 62000, 1500, 3, 0, 2, 0, "", "Organisationsændring foråret 2027"},
	{"Gladsaxe", 70000, 1800, 4, 1, 0, 0, "", ""},
	{"Fredensborg", 41000, 1000, 2, 2, 0, 0, "", ""},
	{"Høje-Taastrup", 51000, 1300, 3, 0, 0, 2, "", "Ønsker ikke sidste bølge"},
	{"Læsø", 1800, 40, 2, 3, 0, 0, "", ""},
	{"Ærø", 6000, 150, 3, 3, 0, 0, "", ""},
}

const criteriaConfig = `# Written by 'udrul example': an example of placing municipalities in waves.
# From the repository's folder, try:
#   go run ./cmd/udrul waves propose --config examples/waves/udrul.yaml --solution KSD --criteria examples/waves/kriterier-KSD.xlsx --out /tmp/
database: udrul-waves.db
waves:
  KSD:
    waves:
      "1": {go_live: 2027-04-05}
      "2": {go_live: 2027-09-06}
      "3": {go_live: 2028-01-10}
placement:
  year: 2026
  preference_weight: 10
  size_column: Borgere
  capacity:
    KSD: {"1": {municipalities: 5, size: 700000}, "2": {municipalities: 5}, "3": {municipalities: 6}}
  criteria:
    - {column: Sager, weight: 5, direction: late}       # large caseloads go late
    - {column: Parathed, weight: 3, direction: early}   # ready municipalities go early
`

// WriteCriteriaExample writes an example criteria sheet and the
// configuration to propose KSD waves from it into dir, and returns their
// paths.
func WriteCriteriaExample(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	sh := "Kriterier"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return nil, err
	}
	set := func(cell string, v any) {
		f.SetCellValue(sh, cell, v)
	}
	set("A1", "Kriterier for placering i bølger – KSD, 2026")
	set("A2", "Kilde: kommunernes indberetninger august 2026")
	header := []string{"Kommune", "Borgere", "Sager", "Parathed", "Ønsket bølge", "Tidligst", "Senest", "Kontraktudløb", "Bemærkninger"}
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 4)
		set(cell, h)
	}
	for r, row := range criteriaRows {
		n := 5 + r
		opt := func(v int) any {
			if v == 0 {
				return nil
			}
			return v
		}
		for i, v := range []any{row.name, row.size, row.cases, row.readiness, opt(row.wish), opt(row.earliest), opt(row.latest), row.contractEnd, row.remark} {
			if v == nil || v == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(i+1, n)
			set(cell, v)
		}
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	f.SetCellStyle(sh, "A4", "I4", bold)
	f.SetColWidth(sh, "A", "A", 16)
	f.SetColWidth(sh, "B", "H", 12)
	f.SetColWidth(sh, "I", "I", 44)
	sheet := filepath.Join(dir, CriteriaFile)
	// Marked as udrul's, so that it is never read as a plan.
	if err := provenance.Mark(f, provenance.Criteria); err != nil {
		return nil, err
	}
	if err := f.SaveAs(sheet); err != nil {
		return nil, fmt.Errorf("write %s: %w", sheet, err)
	}
	cfg := filepath.Join(dir, CriteriaConfig)
	if err := os.WriteFile(cfg, []byte(criteriaConfig), 0o644); err != nil {
		return nil, err
	}
	return []string{sheet, cfg}, nil
}
