package wavetable

import (
	"errors"
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
	tab, issues, err := Read(path)
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
}

func TestRead_noTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.csv")
	os.WriteFile(path, []byte("Navn;Adresse\nJens;Vej 1\n"), 0o644)
	if _, _, err := Read(path); !errors.Is(err, ErrNoTable) {
		t.Errorf("err = %v", err)
	}
}
