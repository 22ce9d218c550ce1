package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeEmptyPlan writes an Excel plan of Aarhus for KY whose header row
// has nothing under it but blank cells.
func writeEmptyPlan(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Plan"); err != nil {
		t.Fatal(err)
	}
	for i, r := range [][]any{
		{"Kommune: Aarhus"}, {"Løsning: KY"}, {},
		{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"},
		{" ", nil, "", " "},
	} {
		if err := f.SetSheetRow("Plan", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestEmptyPlan_saidOnce: a plan sheet with a header and no task under it
// is, for `udrul check`, a warning at the header that the plan holds no
// tasks, and after a sync one amber no_tasks finding (the plan amber, not
// green), not a missing_standard finding for every standard task.
func TestEmptyPlan_saidOnce(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	path := filepath.Join(plans, "KY Aarhus.xlsx")
	writeEmptyPlan(t, path)

	t.Run("check", func(t *testing.T) {
		for _, tt := range []struct{ lang, want string }{
			{"da", "A4     advarsel  planen har ingen opgaver"}, {"en", "A4     warning   the plan holds no tasks"},
		} {
			code, out, errOut := run(t, "check", "--lang", tt.lang, path)
			if code != exitOK || !strings.Contains(out, tt.want) {
				t.Errorf("check --lang %s: exit %d, want %d and %q:\n%s%s", tt.lang, code, exitOK, tt.want, out, errOut)
			}
		}
	})

	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("database: udrul.db\nsources:\n  - {name: share, kind: files, path: plans}\n"), 0o644)
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("sync: %d\n%s\n%s", code, out, errOut)
	}
	res := findingsJSONOf(t, "--config", cfg)
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Kind+":"+f.Level)
	}
	if strings.Join(got, " ") != "no_tasks:amber" {
		t.Errorf("findings = %v, want one no_tasks:amber", got)
	}
	if got, want := res.Plans["Aarhus/KY"], "amber"; got != want {
		t.Errorf("plan status = %q, want %q (all %v)", got, want, res.Plans)
	}
}
