package reports

import (
	"strings"
	"testing"

	"github.com/udrul/udrul/forecast"
	"github.com/udrul/udrul/model"
)

// TestWrite_forecast reads the Prognose sheet back: plans by slack, the
// change since last week's report, the level's colour and the chain; and
// the slack column of the municipality matrix.
func TestWrite_forecast(t *testing.T) {
	data := sample(30, false)
	data.Forecasts = map[int64]*forecast.Result{
		1: {Ready: d("2027-01-27"), GoLive: d("2027-01-15"), Slack: -8, Chain: []forecast.Finish{
			{Key: "1", Title: "Datavask i kommunen", Delay: 23}, {Key: "2", Title: "Prøvekonvertering 1"}, {Key: "3", Title: "Endelig konvertering"}}},
		3: {Ready: d("2027-01-08"), GoLive: d("2027-01-15"), Slack: 5, Chain: []forecast.Finish{{Key: "9", Title: "Godkende test"}}},
	}
	data.Findings = append(data.Findings, model.Finding{Kind: "go_live_at_risk", Level: model.LevelRed, PlanID: 1, Municipality: "Aarhus", Solution: "KY"})
	data.History[0].Slack = map[string]int{"Aarhus/KY": -3, "Vejle/KY": 5}
	f := writeRead(t, data)
	rows, err := f.GetRows("Prognose")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Aarhus", "KY", "1", "15-01-2027", "27-01-2027", "-8", "-5", "Rød", "Datavask i kommunen (23 arbejdsdage forsinket) → Prøvekonvertering 1 → Endelig konvertering: klar 8 arbejdsdage efter idriftsættelse 2027-01-15"},
		{"Vejle", "KY", "1", "15-01-2027", "08-01-2027", "5", "0", "Grøn", "Godkende test: klar 2027-01-08, 5 arbejdsdage før idriftsættelse 2027-01-15"},
	}
	if len(rows) < 3 {
		t.Fatalf("rows = %v", rows)
	}
	for i, w := range want {
		got := rows[i+1]
		for j := range w {
			if j >= len(got) || strings.TrimSpace(got[j]) != w[j] {
				t.Errorf("row %d col %d = %q, want %q (row %q)", i+1, j, at(got, j), w[j], got)
			}
		}
	}
	if got := fill(t, f, "Prognose", "F2"); got != "FFC7CE" {
		t.Errorf("slack cell of a red plan: fill %q", got)
	}
	// The matrix: Aarhus KY's slack, in red.
	m, _ := f.GetRows("Kommuner")
	col := -1
	for i, h := range m[0] {
		if h == "KY slack (arb.dage)" {
			col = i
		}
	}
	if col < 0 || at(m[1], col) != "-8" || at(m[2], col) != "5" {
		t.Errorf("matrix slack column %d: %q / %q (header %q)", col, at(m[1], col), at(m[2], col), m[0])
	}
	// With the web view's address, each plan links to its page.
	data.PublicURL = "https://udrul.kombit.dk"
	f = writeRead(t, data)
	if formula, _ := f.GetCellFormula("Prognose", "J2"); formula != `HYPERLINK("https://udrul.kombit.dk/plan/Aarhus/KY","åbn")` {
		t.Errorf("plan link = %q", formula)
	}
	// An address too long for a formula's string (Excel calls a workbook
	// with one damaged) is written as text.
	data.PublicURL = "https://udrul.kombit.dk/" + strings.Repeat("lang-sti/", 30)
	f = writeRead(t, data)
	if formula, _ := f.GetCellFormula("Prognose", "J2"); formula != "" {
		t.Errorf("plan link of %d characters is a formula: %.60q…", len(data.PublicURL), formula)
	}
	if v, _ := f.GetCellValue("Prognose", "J2"); v != data.PublicURL+"plan/Aarhus/KY" {
		t.Errorf("long plan link = %q, want the address as text", v)
	}
	// The headline keeps this week's slack for next week's report.
	if h := data.Headline(); h.Slack["Aarhus/KY"] != -8 || h.Slack["Vejle/KY"] != 5 {
		t.Errorf("headline slack = %v", h.Slack)
	}
}

func at(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}
