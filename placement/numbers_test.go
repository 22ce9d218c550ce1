package placement

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
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

// TestReadCriteria_typedNumbers: a workbook's number cell is the number it
// holds, however its format shows it. 1.234 shown with three decimals
// ("1.234") was read by the Danish thousands rule as 1234; a CSV file's
// "350.000" is still a Danish 350000.
func TestReadCriteria_typedNumbers(t *testing.T) {
	for _, tt := range []struct {
		name   string
		value  float64
		format string // a custom number format; "" for General
		want   float64
	}{
		{"three decimals", 1.234, "0.000", 1.234},
		{"three decimals, a thousand", 1234.5, "0.000", 1234.5},
		{"thousands separator", 350000, "#,##0", 350000},
		{"whole number shown with decimals", 350, "0.000", 350},
		{"general", 9000, "", 9000},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k.xlsx")
			f := excelize.NewFile()
			f.SetSheetRow("Sheet1", "A1", &[]any{"Kommune", "Borgere", "Sager"})
			f.SetSheetRow("Sheet1", "A2", &[]any{"Aarhus", 1000, tt.value})
			if tt.format != "" {
				format := tt.format
				style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
				if err != nil {
					t.Fatal(err)
				}
				f.SetCellStyle("Sheet1", "C2", "C2", style)
			}
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			ms, issues, err := ReadCriteria(path, waves(3, 0), []Criterion{{Name: "Sager", Weight: 1}}, "Borgere", true)
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != 1 || len(issues) != 0 {
				t.Fatalf("municipalities = %+v, issues %+v", ms, issues)
			}
			if got := ms[0].Values["Sager"]; got != tt.want {
				t.Errorf("%v shown as %q read as %v; want %v", tt.value, tt.format, got, tt.want)
			}
		})
	}
	t.Run("CSV", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "k.csv")
		if err := os.WriteFile(path, []byte("Kommune;Borgere;Sager\nAarhus;1000;350.000\nOdense;1000;2.5\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		ms, issues, err := ReadCriteria(path, waves(3, 0), []Criterion{{Name: "Sager", Weight: 1}}, "Borgere", true)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 2 || len(issues) != 0 {
			t.Fatalf("municipalities = %+v, issues %+v", ms, issues)
		}
		if got := ms[0].Values["Sager"]; got != 350000 {
			t.Errorf("CSV 350.000 read as %v; want 350000", got)
		}
		if got := ms[1].Values["Sager"]; got != 2.5 {
			t.Errorf("CSV 2.5 read as %v; want 2.5", got)
		}
	})
}

// TestReadResponses_negatedAnswer: "Accepterer ikke" (does not accept) is
// no acceptance: it was read as one because it starts with "accept", the
// municipality's objection lost without a word. With a wave asked for it
// is a request for that wave; without one (or with an answer that is
// neither yes nor a request) the workbook is refused, naming the
// municipality, its row and what to write.
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
		wantErr           string // in the refusal; "" for none
	}{
		{"Accepterer", "", true, 0, ""},
		{"", "", true, 0, ""},
		{"Ja", "", true, 0, ""},
		{"OK.", "", true, 0, ""},
		{"Accepterer ikke", "3", false, 3, ""},
		{"Nej", "Bølge 2", false, 2, ""},
		{"Ønsker anden bølge", "2", false, 2, ""},
		{"accepterer IKKE", "", false, 0, `Forslag!I4: Aarhus (række 4) svarer "accepterer IKKE", men angiver ingen bølge: skriv den bølge, kommunen ønsker (1, 2 eller 3), i Ønsket bølge (svar) (I4), eller skriv Accepterer i H4`},
		{"Not accepted", "", false, 0, `Aarhus (række 4) svarer "Not accepted", men angiver ingen bølge`},
		{"Nej", "", false, 0, `Aarhus (række 4) svarer "Nej", men angiver ingen bølge`},
		{"Ønsker anden bølge", "7", false, 0, `Forslag!I4: Aarhus (række 4) beder om bølge "7", som ikke er en af bølgerne (1, 2, 3): ret den i Ønsket bølge (svar) (I4)`},
		{"Måske", "", false, 0, `Forslag!H4: Aarhus (række 4) svarer "Måske", som hverken er Accepterer eller Ønsker anden bølge: skriv et af dem i Svar (H4)`},
		{"", "3", false, 0, `Forslag!H4: Aarhus (række 4) beder om bølge "3" i Ønsket bølge (svar) (I4), men har intet svar`},
		{"Accepterer", "3", false, 0, `Forslag!I4: Aarhus (række 4) svarer "Accepterer", men beder også om bølge "3"`},
		{"Ønsker ikke anden bølge", "3", false, 0, `Forslag!H4: Aarhus (række 4) svarer "Ønsker ikke anden bølge", som både kan læses som ja og nej`},
	} {
		t.Run(tt.answer+"/"+tt.requested, func(t *testing.T) {
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
			resp, _, err := ReadResponses(path, p.Waves, false)
			if tt.wantErr != "" {
				var re *ResponsesError
				if !errors.As(err, &re) || !strings.Contains(err.Error(), tt.wantErr) || resp != nil {
					t.Errorf("responses %+v, err %v; want refused with %q", resp, err, tt.wantErr)
				}
				return
			}
			if err != nil || len(resp) != 2 {
				t.Fatalf("responses = %+v, %v", resp, err)
			}
			if got := resp[0]; got.Accept != tt.wantAccept || got.Requested != tt.wantRequested {
				t.Errorf("%q: accept %v, requested %d; want %v, %d", tt.answer, got.Accept, got.Requested, tt.wantAccept, tt.wantRequested)
			}
		})
	}
}

// TestReadResponses_twoRows: a municipality answering on two rows is read
// once when the rows say the same, and refused, naming both rows, when
// they do not (the last row silently won).
func TestReadResponses_twoRows(t *testing.T) {
	p := &Problem{Waves: waves(3, 0), Municipalities: []Municipality{{Name: "Aarhus", Size: 10, Preferred: 1}, {Name: "Vejle", Size: 5, Preferred: 2}}}
	r, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name              string
		answer, requested string
		wantErr           string
	}{
		{"the same answer", "Ønsker anden bølge", "3", ""},
		{"another answer", "Accepterer", "", "Forslag!A6: Aarhus står både i række 4 og række 6 med hver sit svar: slet den ene række"},
		{"another wave", "Ønsker anden bølge", "2", "Aarhus står både i række 4 og række 6 med hver sit svar"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteProposal(&buf, p, r, "KSD", 2026); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			row4, _ := f.GetRows("Forslag")
			f.SetSheetRow("Forslag", "A6", &[]string{})
			for i, v := range row4[3] {
				cell, _ := excelize.CoordinatesToCellName(i+1, 6)
				f.SetCellValue("Forslag", cell, v)
			}
			f.SetCellValue("Forslag", "A6", "aarhus kommune")
			f.SetCellValue("Forslag", "H4", "Ønsker anden bølge")
			f.SetCellValue("Forslag", "I4", "3")
			f.SetCellValue("Forslag", "H6", tt.answer)
			f.SetCellValue("Forslag", "I6", tt.requested)
			path := filepath.Join(t.TempDir(), "forslag.xlsx")
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			resp, _, err := ReadResponses(path, p.Waves, false)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("responses %+v, err %v; want refused with %q", resp, err, tt.wantErr)
				}
				return
			}
			if err != nil || len(resp) != 2 || resp[0].Municipality != "Aarhus" || resp[0].Requested != 3 {
				t.Errorf("responses = %+v, %v; want Aarhus once, asking for wave 3", resp, err)
			}
		})
	}
}

// FuzzReadResponses: whatever a municipality writes in Svar and Ønsket
// bølge (svar), the workbook is either refused (a *ResponsesError naming
// the row) or read as an acceptance or as a request for one of the waves;
// never a panic, and never a request for no wave.
func FuzzReadResponses(f *testing.F) {
	p := &Problem{Waves: waves(3, 0), Municipalities: []Municipality{{Name: "Aarhus", Size: 10, Preferred: 1}, {Name: "Vejle", Size: 5, Preferred: 2}}}
	r, err := Solve(p)
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteProposal(&buf, p, r, "KSD", 2026); err != nil {
		f.Fatal(err)
	}
	proposal := buf.Bytes()
	for _, s := range [][2]string{{"Accepterer", ""}, {"Accepterer ikke", "3"}, {"Nej", ""}, {"Ønsker anden bølge", "Bølge 2"}, {"", "1"}, {"Ønsker ikke anden bølge", "2"}, {"ok", "x"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, answer, requested string) {
		fx, err := excelize.OpenReader(bytes.NewReader(proposal))
		if err != nil {
			t.Fatal(err)
		}
		if fx.SetCellStr("Forslag", "H4", answer) != nil || fx.SetCellStr("Forslag", "I4", requested) != nil {
			t.Skip("not a cell value excelize writes")
		}
		path := filepath.Join(t.TempDir(), "forslag.xlsx")
		if err := fx.SaveAs(path); err != nil {
			t.Skip(err)
		}
		resp, _, err := ReadResponses(path, p.Waves, false)
		if err != nil {
			var re *ResponsesError
			if !errors.As(err, &re) || len(re.Rows) == 0 || !strings.Contains(re.Rows[0], "Aarhus (række 4)") {
				t.Fatalf("refused with %v, want the row named", err)
			}
			return
		}
		if len(resp) != 2 {
			t.Fatalf("%d responses, want 2", len(resp))
		}
		if got := resp[0]; got.Accept != (got.Requested == 0) || got.Requested < 0 || got.Requested > len(p.Waves) {
			t.Fatalf("%q/%q read as accept %v, requested %d", answer, requested, got.Accept, got.Requested)
		}
	})
}

// TestReadCriteria_date1904: a contract end typed as a bare number in a
// workbook saved with the 1904 date system counts from 1904, as its date
// cells do (it was read four years and a day early).
func TestReadCriteria_date1904(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		t.Run(fmt.Sprint("1904 ", date1904), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k.xlsx")
			f := excelize.NewFile()
			if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
				t.Fatal(err)
			}
			f.SetSheetRow("Sheet1", "A1", &[]any{"Kommune", "Borgere", "Kontraktudløb"})
			serial := 46000 // 9 December 2025 from 1900; 10 December 2029 from 1904
			f.SetSheetRow("Sheet1", "A2", &[]any{"Aarhus", 1000, serial})
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			ms, issues, err := ReadCriteria(path, waves(3, 0), nil, "Borgere", true)
			if err != nil || len(ms) != 1 || len(issues) != 0 {
				t.Fatalf("municipalities %+v, issues %+v, err %v", ms, issues, err)
			}
			want := model.NewDate(2025, 12, 9)
			if date1904 {
				want = model.NewDate(2029, 12, 10)
			}
			if got := ms[0].ContractEnd; got != want {
				t.Errorf("contract end %v, want %v", got, want)
			}
		})
	}
}
