package reports

import (
	"fmt"
	"os"
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
