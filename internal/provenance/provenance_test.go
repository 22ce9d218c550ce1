package provenance_test

import (
	"bytes"
	"testing"

	"github.com/udrul/udrul/internal/provenance"
	"github.com/xuri/excelize/v2"
)

func workbook(t *testing.T, mark string, other ...excelize.CustomProperty) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "Opgave")
	for _, p := range other {
		if err := f.SetCustomProps(p); err != nil {
			t.Fatal(err)
		}
	}
	if mark != "" {
		if err := provenance.Mark(f, mark); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWritten(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		kind string
		ok   bool
	}{
		{"a report", workbook(t, provenance.Report), provenance.Report, true},
		{"a proposal beside other properties", workbook(t, provenance.Proposal, excelize.CustomProperty{Name: "Afdeling", Value: "IT"}), provenance.Proposal, true},
		{"a plan", workbook(t, ""), "", false},
		{"a plan with other properties", workbook(t, "", excelize.CustomProperty{Name: "udrulning", Value: "x"}), "", false},
		{"csv", []byte("Opgave;Status\n"), "", false},
		{"broken zip", []byte("PK\x03\x04garbage"), "", false},
		{"empty", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, ok := provenance.Written(tt.data)
			if kind != tt.kind || ok != tt.ok {
				t.Errorf("Written = %q, %v; want %q, %v", kind, ok, tt.kind, tt.ok)
			}
		})
	}
}
