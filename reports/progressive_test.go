package reports

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestBegin: a report begun and handed its tasks and findings holds, cell
// for cell, the report Write makes of the whole data, without the findings
// kept; one whose figures are not of the tasks listed is refused and
// leaves no file, temporary or not.
func TestBegin(t *testing.T) {
	for _, english := range []bool{false, true} {
		data := sample(300, english)
		want, err := write(t, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			tweak func(d *Data)
			fails string
		}{
			{"same as Write", nil, ""},
			{"figures of other tasks", func(d *Data) { d.Counts[1].Tasks++ }, "300"},
		} {
			t.Run(fmt.Sprintf("english=%v/%s", english, tc.name), func(t *testing.T) {
				dir := t.TempDir()
				base := *data
				base.Tasks, base.Findings = nil, nil
				r, err := Begin(dir, "r.xlsx", &base)
				if err != nil {
					t.Fatal(err)
				}
				sum := NewSummarizer(data.AsOf, false)
				sum.Add(data.Findings, data.Tasks)
				if err := r.Add(data.Plans, data.Tasks, data.Findings); err != nil {
					t.Fatal(err)
				}
				d := base
				sum.Finish(&d)
				if tc.tweak != nil {
					tc.tweak(&d)
				}
				path, err := r.Finish(&d)
				if tc.fails != "" {
					if err == nil || !strings.Contains(err.Error(), tc.fails) {
						t.Errorf("Finish: %v, want an error naming %s tasks", err, tc.fails)
					}
					if left, _ := os.ReadDir(dir); len(left) > 0 {
						t.Errorf("files left: %v", left)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := dump(t, got), dump(t, want); g != w {
					t.Errorf("the begun report differs from Write's:\n%s", firstDiff(g, w))
				}
			})
		}
	}
}

// TestBegin_killedLeavesNoRows: the findings' rows are kept in a
// temporary file outside the report's folder, which no stale-file sweep
// clears; while the report is written it is already unlinked, so a
// process killed at that point leaves nothing there, and the report still
// comes out whole.
func TestBegin_killedLeavesNoRows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("an open file cannot be unlinked on Windows")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	data := sample(50, false)
	want, err := write(t, data)
	if err != nil {
		t.Fatal(err)
	}
	base := *data
	base.Tasks, base.Findings = nil, nil
	r, err := Begin(t.TempDir(), "r.xlsx", &base)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Add(data.Plans, data.Tasks, data.Findings); err != nil {
		r.Abort()
		t.Fatal(err)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("while the report is written, the temporary folder holds %v, want nothing (a kill now would leave it)", left[0].Name())
	}
	sum := NewSummarizer(data.AsOf, false)
	sum.Add(data.Findings, data.Tasks)
	d := *data
	d.Tasks, d.Findings = nil, nil
	sum.Finish(&d)
	path, err := r.Finish(&d)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := dump(t, got), dump(t, want); g != w {
		t.Errorf("the report differs from Write's:\n%s", firstDiff(g, w))
	}
}
