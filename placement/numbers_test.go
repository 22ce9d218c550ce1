package placement

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReadCriteria_numbersAsWritten: a criterion or size written as text is
// read as the number it is, or refused — never a number 10 or 100 times
// off. In a text cell (typed with an apostrophe, pasted from elsewhere) a
// decimal point ("2.5") was read as a Danish thousands separator: 25.
func TestReadCriteria_numbersAsWritten(t *testing.T) {
	for _, tt := range []struct {
		text    string
		want    float64
		problem bool
	}{
		{"9000", 9000, false},
		{"350.000", 350000, false},
		{"1.234.567", 1234567, false},
		{"2,5", 2.5, false},
		{"12.345,67", 12345.67, false},
		{"2.5", 2.5, false},
		{"0.75", 0.75, false},
		{"1,234", 1.234, false},
		{"1.2.3", 0, true},
		{"1.6.2027", 0, true},
		{"mange", 0, true},
	} {
		t.Run(tt.text, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k.xlsx")
			f := excelize.NewFile()
			f.SetSheetRow("Sheet1", "A1", &[]any{"Kommune", "Borgere", "Sager"})
			f.SetSheetRow("Sheet1", "A2", &[]any{"Aarhus", 1000})
			f.SetCellStr("Sheet1", "C2", tt.text) // a text cell
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			ms, issues, err := ReadCriteria(path, waves(3, 0), []Criterion{{Name: "Sager", Weight: 1}}, "Borgere", true)
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != 1 {
				t.Fatalf("municipalities = %+v", ms)
			}
			got, ok := ms[0].Values["sager"]
			if !ok {
				got, ok = ms[0].Values["Sager"]
			}
			hasProblem := len(issues) > 0
			if hasProblem != tt.problem || (!tt.problem && got != tt.want) {
				t.Errorf("%q read as %v (present %v), issues %+v; want %v, a problem: %v", tt.text, got, ok, issues, tt.want, tt.problem)
			}
		})
	}
}

// TestReadResponses_negatedAnswer: "Accepterer ikke" (does not accept) is
// no acceptance: it was read as one because it starts with "accept", the
// municipality's objection lost without a word. With a wave asked for it
// is a request for that wave; without one it is an error to follow up.
func TestReadResponses_negatedAnswer(t *testing.T) {
	p := &Problem{Waves: waves(3, 0), Municipalities: []Municipality{{Name: "Aarhus", Size: 10, Preferred: 1}, {Name: "Vejle", Size: 5, Preferred: 2}}}
	r, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		answer, requested string
		wantAccept        bool
		wantRequested     int
		wantIssue         string
	}{
		{"Accepterer", "", true, 0, ""},
		{"Accepterer ikke", "3", false, 3, ""},
		{"accepterer IKKE", "", true, 0, "unknown_answer"},
		{"Not accepted", "", true, 0, "unknown_answer"},
		{"Nej", "", true, 0, "unknown_answer"},
	} {
		t.Run(tt.answer, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteProposal(&buf, p, r, "KSD", 2026); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			f.SetCellValue("Forslag", "H4", tt.answer)
			f.SetCellValue("Forslag", "I4", tt.requested)
			path := filepath.Join(t.TempDir(), "forslag.xlsx")
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			resp, issues, err := ReadResponses(path, p.Waves, false)
			if err != nil || len(resp) != 2 {
				t.Fatalf("responses = %+v, %v", resp, err)
			}
			var codes []string
			for _, is := range issues {
				codes = append(codes, is.Code)
			}
			if got := resp[0]; got.Accept != tt.wantAccept || got.Requested != tt.wantRequested || strings.Join(codes, ",") != tt.wantIssue {
				t.Errorf("%q: accept %v, requested %d, issues %v; want %v, %d, %q", tt.answer, got.Accept, got.Requested, codes, tt.wantAccept, tt.wantRequested, tt.wantIssue)
			}
		})
	}
}
