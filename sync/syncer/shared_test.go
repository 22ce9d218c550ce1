package syncer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/syncer"
)

// TestCycle_oneFileTwoSources: two sources whose paths overlap read one
// file; the sync says so, naming the file and both sources and what to
// correct (not "move the copy", naming the same path twice), leaves the
// plan unchanged and fails; once one source leaves the file out, the plan
// is read.
func TestCycle_oneFileTwoSources(t *testing.T) {
	for _, tt := range []struct {
		name  string
		other func(t *testing.T, dir, file string) syncer.Source // the second source, reading file too
	}{
		{"a glob inside a folder", func(t *testing.T, dir, file string) syncer.Source {
			return source.NewFiles("b", filepath.Join(dir, "*.xlsx"), false)
		}},
		{"a link to the folder", func(t *testing.T, dir, file string) syncer.Source {
			link := filepath.Join(t.TempDir(), "link")
			if err := os.Symlink(dir, link); err != nil {
				t.Fatal(err)
			}
			return source.NewFiles("b", link, false)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 1)
			p := f.plans[0]
			key := p.Municipality + "/" + p.Solution
			file := filepath.Join(f.dir, p.FileName())
			a := syncer.Target{Source: source.NewFiles("a", f.dir, false), Identify: identifyByMetadata}
			b := syncer.Target{Source: tt.other(t, f.dir, file), Identify: identifyByMetadata}
			f.s.AllSources = []string{"a", "b"}
			for _, english := range []bool{true, false} {
				f.s.English = english
				res := f.cycle(syncer.Options{}, a, b)
				for _, r := range res {
					if r.OK() || len(r.Conflicts) != 0 || len(r.SharedFiles) != 1 {
						t.Fatalf("%s: OK %v, conflicts %q, shared %q; want one file read by several sources, failing", r.Source, r.OK(), r.Conflicts, r.SharedFiles)
					}
					line := r.SharedFiles[0]
					want := "read by more than one source (a, b)"
					if !english {
						want = "læses af mere end én kilde (a, b)"
					}
					if !strings.HasPrefix(line, key+": ") || !strings.Contains(line, want) || strings.Count(line, p.FileName()) != 1 {
						t.Errorf("%s says %q, want the plan, the file once and %q", r.Source, line, want)
					}
				}
				got := f.plan(key)
				if words, ok := model.SharedFile(got.StateReason, true); got.State != store.PlanConflict || !ok || !strings.Contains(words, "narrow the others' path or glob") {
					t.Errorf("plan %s: %s, %q; want it not changed, saying why", key, got.State, got.StateReason)
				}
				if got.Tasks != 0 {
					t.Errorf("plan %s has %d tasks, want none applied", key, got.Tasks)
				}
			}
			// Source b leaves the file out (it is no longer configured).
			f.s.AllSources = []string{"a"}
			r := f.cycle(syncer.Options{}, a)[0]
			if !r.OK() || len(r.SharedFiles) != 0 || r.Read != 1 {
				t.Errorf("sync after b is gone: %s, shared %q", r.Summary(), r.SharedFiles)
			}
			if got := f.plan(key); got.State != store.PlanOK || got.Tasks == 0 {
				t.Errorf("plan %s after b is gone: %s with %d tasks", key, got.State, got.Tasks)
			}
		})
	}
}
