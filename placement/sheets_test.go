package placement

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReadCriteria(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.csv")
	os.WriteFile(path, []byte("Kriterier\n\nKommune;Borgere;Sager;Ønsket bølge;Tidligst;Senest;Kontraktudløb;Bemærkninger\nAarhus Kommune;350.000;9000;Bølge 2;;;;stor\nvejle;120000;;1;;4;1. juni 2027;\nAtlantis;1;1;1;;;;\nOdense;;5000;9;;;snart;\nAarhus;1;1;1;;;;\n"), 0o644)
	ms, issues, err := ReadCriteria(path, waves(3, 0), []Criterion{{Name: "Sager", Weight: 1}}, "Borgere", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 || ms[0].Name != "Aarhus" || ms[0].Size != 350000 || ms[0].Preferred != 2 || ms[1].Name != "Vejle" || ms[1].ContractEnd.String() != "2027-06-01" {
		t.Fatalf("municipalities = %+v", ms)
	}
	var got []string
	for _, is := range issues {
		got = append(got, is.Pos.Cell+":"+is.Code)
	}
	want := "F5:unknown_wave,C5:missing_value,A6:unknown_municipality,B7:missing_value,D7:unknown_wave,G7:bad_date,A8:duplicate_municipality"
	if strings.Join(got, ",") != want {
		t.Errorf("issues = %s\nwant     %s", strings.Join(got, ","), want)
	}
	// The messages, Danish by default and English when asked.
	_, en, err := ReadCriteria(path, waves(3, 0), []Criterion{{Name: "Sager", Weight: 1}}, "Borgere", true)
	if err != nil || len(en) != len(issues) {
		t.Fatalf("English: %d issues, %v", len(en), err)
	}
	for i, w := range []struct{ da, en string }{
		{`bølge "4" er ikke en af bølgerne (1, 2, 3)`, `wave "4" is not one of the waves (1, 2, 3)`},
		{"Sager mangler", "no Sager"},
		{`"Atlantis" er ikke en af de 98 kommuner; rækken er udeladt`, `"Atlantis" is not one of the 98 municipalities; the row is left out`},
	} {
		if got := issues[i].Message; got != w.da {
			t.Errorf("Danish issue %d: got %q, want %q", i, got, w.da)
		}
		if got := en[i].Message; got != w.en {
			t.Errorf("English issue %d: got %q, want %q", i, got, w.en)
		}
	}
	if _, _, err := ReadCriteria(filepath.Join(t.TempDir(), "nothing.csv"), waves(3, 0), nil, "", false); err == nil || !strings.HasPrefix(err.Error(), "kriteriearket ") || !strings.Contains(err.Error(), "filen findes ikke") {
		t.Errorf("missing file: %v", err)
	}
}

func TestWriteProposal_readBack(t *testing.T) {
	p := &Problem{Waves: waves(2, 0), Municipalities: []Municipality{{Name: "Aarhus", Size: 10, Preferred: 1}, {Name: "Vejle", Size: 5, Preferred: 2}}}
	r, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteProposal(&buf, p, r, "KSD", 2026); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.GetSheetList(), ","); got != "Forslag,Bølge 1,Bølge 2,Proces" {
		t.Errorf("sheets = %s", got)
	}
	rows, _ := f.GetRows("Forslag")
	if rows[2][3] != "Foreslået bølge" || rows[3][0] != "Aarhus" || rows[3][3] != "1" || rows[3][5] != "ja" {
		t.Errorf("proposal rows = %v", rows[2:4])
	}
	dvs, _ := f.GetDataValidations("Forslag")
	if len(dvs) != 2 {
		t.Errorf("validations = %d", len(dvs))
	}
	cal, _ := f.GetRows("Proces")
	if len(cal) != 9 || cal[8][1] != "Endelig fastsættelse" || !strings.HasPrefix(cal[8][2], "2026-12-01") {
		t.Errorf("calendar = %v", cal)
	}
	path := filepath.Join(t.TempDir(), "forslag.xlsx")
	f.SetCellValue("Forslag", "H4", "Ønsker anden bølge")
	f.SetCellValue("Forslag", "I4", "2")
	f.SaveAs(path)
	resp, issues, err := ReadResponses(path, p.Waves, false)
	if err != nil || len(issues) != 0 || len(resp) != 2 || resp[0].Accept || resp[0].Requested != 2 || !resp[1].Accept {
		t.Errorf("responses = %+v %v %v", resp, issues, err)
	}
}
