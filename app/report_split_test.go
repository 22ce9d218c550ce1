package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/reports"
	"github.com/xuri/excelize/v2"
)

// TestEnv_WriteReports_splitReplacesOnlyReports: --split replaces an
// extract's file only when udrul wrote it (as --out does the report): a
// workbook saved by hand under an extract's name is refused, naming it,
// before any file is written, and is left as it was; the extracts of an
// earlier run are replaced.
func TestEnv_WriteReports_splitReplacesOnlyReports(t *testing.T) {
	ctx := context.Background()
	p := portfolio(t, 6, 0)
	e := p.open(t)
	today := e.Today()
	plans, err := e.DB.ListPlans(ctx)
	if err != nil || len(plans) == 0 {
		t.Fatalf("%d plans, %v", len(plans), err)
	}
	out := t.TempDir()
	foreign := filepath.Join(out, reports.FileName(today, plans[len(plans)-1].Municipality))
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "gemt i hånden")
	if err := f.SaveAs(foreign); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(foreign)

	_, _, err = e.WriteReports(ctx, today, out+"/", "", true)
	if err == nil || !strings.Contains(err.Error(), foreign) {
		t.Fatalf("WriteReports over a file udrul did not write: %v; want a refusal naming %s", err, foreign)
	}
	if after, _ := os.ReadFile(foreign); !bytes.Equal(after, before) {
		t.Error("the hand-saved workbook was changed")
	}
	if left, _ := filepath.Glob(filepath.Join(out, "*")); len(left) != 1 {
		t.Errorf("files after the refusal: %q; want only the hand-saved one", left)
	}

	if err := os.Remove(foreign); err != nil {
		t.Fatal(err)
	}
	first, _, err := e.WriteReports(ctx, today, out+"/", "", true)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := e.WriteReports(ctx, today, out+"/", "", true)
	if err != nil || len(again) != len(first) {
		t.Errorf("writing over the earlier run's reports: %d files, %v; want %d", len(again), err, len(first))
	}
}
