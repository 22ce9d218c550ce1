package app_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/reports"
)

// TestEnv_WriteReports_failedRecordsNothing: a report for today that
// cannot be written to the end (its workbook, or one of its extracts, not
// put in place) saves no snapshot of its figures and records no report: the
// next report's "since the last report" stays the previous one's. A
// written one records both.
func TestEnv_WriteReports_failedRecordsNothing(t *testing.T) {
	ctx := context.Background()
	p := portfolio(t, 6, 0)
	for _, tc := range []struct {
		name  string
		block func(e *dirEnv) string // a directory where a workbook goes: its rename fails
		split bool
	}{
		{"workbook", func(e *dirEnv) string { return reports.FileName(e.today, "") }, false},
		{"extract", func(e *dirEnv) string { return reports.FileName(e.today, e.mun) }, true},
		{"written", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := p.open(t)
			today := e.Today()
			plans, err := e.DB.ListPlans(ctx)
			if err != nil || len(plans) == 0 {
				t.Fatalf("%d plans, %v", len(plans), err)
			}
			out := t.TempDir()
			if tc.block != nil {
				blocked := filepath.Join(out, tc.block(&dirEnv{today: today, mun: plans[0].Municipality}))
				if err := os.MkdirAll(filepath.Join(blocked, "keep"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			_, _, err = e.WriteReports(ctx, today, out+"/", "", tc.split)
			if (err != nil) != (tc.block != nil) {
				t.Fatalf("WriteReports: %v", err)
			}
			snapshots := 0
			if err := e.DB.Snapshots(ctx, today, today, func(model.Date, []byte) error { snapshots++; return nil }); err != nil {
				t.Fatal(err)
			}
			last, _, err := e.DB.PreviousReport(ctx, today.AddDays(1))
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if tc.block == nil {
				want = 1
			}
			if snapshots != want || last.IsZero() == (want == 1) {
				t.Errorf("after the report: %d snapshots of today, last report %v; want %d and %s", snapshots, last, want, map[int]string{0: "none", 1: "today"}[want])
			}
			left, _ := filepath.Glob(filepath.Join(out, ".udrul-tmp-*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %q", left)
			}
		})
	}
}

type dirEnv struct {
	today model.Date
	mun   string
}
