package wavetable

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestRead(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Bølgeplan")
	rows := [][]any{
		{"Bølgeplan for KY og KSD"},
		{},
		{"Løsning", "Bølge", "Kommune", "Idriftsættelse", "Test start", "Bemærkning"},
		{"KY", 1, "Aarhus", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), "01-02-2027", ""},
		{"KY", 1, "Vejle", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), "", "stor kommune"},
		{"KY", "2", "Skive", "1. juni 2027"},
		{"KSD", 1, "Aarhus", "2027-05-03"},
		{"", "", ""},
		{"KY", "", "Sorø"},
		{"KY", 2, "Køge", "2027-07-01"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Bølgeplan", cell, &r)
	}
	path := filepath.Join(t.TempDir(), "bølgeplan.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	tab, issues, err := ReadIn(path, true)
	if err != nil {
		t.Fatal(err)
	}
	ky := tab["KY"]
	if ky == nil || ky.Municipalities["Aarhus"] != "1" || ky.Municipalities["Skive"] != "2" || len(ky.Municipalities) != 4 {
		t.Fatalf("KY = %+v", ky)
	}
	if ky.Waves["1"].GoLive.String() != "2027-03-01" || ky.Waves["2"].GoLive.String() != "2027-06-01" {
		t.Errorf("go-lives = %v, %v", ky.Waves["1"].GoLive, ky.Waves["2"].GoLive)
	}
	if ky.Waves["1"].Milestones["Test start"].String() != "2027-02-01" {
		t.Errorf("milestones = %v", ky.Waves["1"].Milestones)
	}
	if tab["KSD"].Waves["1"].GoLive.String() != "2027-05-03" {
		t.Errorf("KSD = %+v", tab["KSD"].Waves["1"])
	}
	var got []string
	for _, is := range issues {
		got = append(got, is.Pos.Cell+" "+is.Code)
	}
	if strings.Join(got, ",") != "A9 wave_row,D10 wave_conflict" {
		t.Errorf("issues = %v", got)
	}
	// The same problems in Danish (the default) and English.
	_, da, err := Read(path)
	if err != nil || len(da) != 2 {
		t.Fatalf("Danish: %v %v", da, err)
	}
	for i, want := range []struct{ da, en string }{
		{"rækken skal have en løsning og en bølge", "the row needs a solution and a wave"},
		{"bølge 2 for KY går i drift 2027-07-01 her, men 2027-06-01 længere oppe", "wave 2 of KY goes live 2027-07-01 here and 2027-06-01 above"},
	} {
		if da[i].Message != want.da || issues[i].Message != want.en {
			t.Errorf("issue %d: %q / %q, want %q / %q", i, da[i].Message, issues[i].Message, want.da, want.en)
		}
	}
}

func TestRead_noTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.csv")
	os.WriteFile(path, []byte("Navn;Adresse\nJens;Vej 1\n"), 0o644)
	if _, _, err := ReadIn(path, true); !errors.Is(err, ErrNoTable) {
		t.Errorf("err = %v", err)
	}
	if _, _, err := Read(path); !errors.Is(err, ErrNoTable) || !strings.Contains(err.Error(), "bølgetabellen ") || !strings.Contains(err.Error(), "der er ingen bølgetabel") {
		t.Errorf("Danish err = %v", err)
	}
}

// TestRead_date1904: a go-live typed as a bare number in a workbook saved
// with the 1904 date system counts from 1904, as its date cells do (it was
// read four years and a day early).
func TestRead_date1904(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		t.Run(fmt.Sprint("1904 ", date1904), func(t *testing.T) {
			f := excelize.NewFile()
			if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
				t.Fatal(err)
			}
			f.SetSheetRow("Sheet1", "A1", &[]any{"Løsning", "Bølge", "Kommune", "Idriftsættelse"})
			f.SetSheetRow("Sheet1", "A2", &[]any{"KY", 1, "Aarhus", 46000}) // 9 December 2025 from 1900
			path := filepath.Join(t.TempDir(), "bølgeplan.xlsx")
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			tab, issues, err := ReadIn(path, true)
			if err != nil || len(issues) != 0 || tab["KY"] == nil {
				t.Fatalf("table %+v, issues %+v, err %v", tab, issues, err)
			}
			want := "2025-12-09"
			if date1904 {
				want = "2029-12-10"
			}
			if got := tab["KY"].Waves["1"].GoLive.String(); got != want {
				t.Errorf("go-live %s, want %s", got, want)
			}
		})
	}
}
