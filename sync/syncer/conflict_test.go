package syncer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/syncer"
	"github.com/xuri/excelize/v2"
)

// copyFile copies src to dst with a later modification time.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// rewrite writes p again and moves its time on, so its version changes.
func rewrite(t *testing.T, p *plangen.Plan, dir string) string {
	t.Helper()
	path, err := p.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	os.Chtimes(path, later, later)
	return path
}

func (f *fixture) taskTitles(key string) string {
	f.t.Helper()
	p := f.plan(key)
	ts, err := f.db.ListTasks(context.Background(), store.TaskFilter{Municipality: p.Municipality, Solution: p.Solution})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, t := range ts {
		out = append(out, t.Title+"|"+t.End.String())
	}
	return strings.Join(out, "\n")
}

func TestCycle_twoFilesClaimOnePlan(t *testing.T) {
	bothBudgets(t, func(t *testing.T) {
		f := newFixture(t, 2)
		f.cycle(syncer.Options{})
		p := f.plans[0]
		key := p.Municipality + "/" + p.Solution
		orig := filepath.Join(f.dir, p.FileName())
		before := f.taskTitles(key)

		// A copy beside it, then the original edited: neither is applied.
		cp := filepath.Join(f.dir, strings.TrimSuffix(p.FileName(), filepath.Ext(p.FileName()))+" - Kopi"+filepath.Ext(p.FileName()))
		copyFile(t, orig, cp)
		r := f.cycle(syncer.Options{})[0]
		if len(r.Conflicts) != 1 || !strings.Contains(r.Conflicts[0], key) || !strings.Contains(r.Conflicts[0], "Kopi") || r.Added+r.Changed+r.Removed != 0 {
			t.Fatalf("result = %+v, want one conflict naming both files and no change", r)
		}
		got := f.plan(key)
		if got.State != store.PlanConflict || len(got.Claimants) != 2 || !strings.Contains(got.StateReason, cp) || !strings.Contains(got.StateReason, orig) {
			t.Errorf("plan = %+v, want conflict naming both files", got)
		}
		p.Slip(1, 14)
		p.Rename(2, "Helt ny opgave om servere")
		rewrite(t, p, f.dir)
		r = f.cycle(syncer.Options{})[0]
		if len(r.Conflicts) != 1 || r.Changed+r.Added+r.Removed != 0 {
			t.Errorf("edited during the conflict: %+v, want still one conflict, nothing applied", r)
		}
		if got := f.taskTitles(key); got != before {
			t.Errorf("tasks changed during the conflict:\n%s\nwant\n%s", got, before)
		}
		var changes int
		f.db.SQL().QueryRow(`SELECT COUNT(*) FROM task_changes`).Scan(&changes)
		if changes != 0 {
			t.Errorf("%d changes recorded during a conflict", changes)
		}
		if r := f.cycle(syncer.Options{})[0]; len(r.Conflicts) != 1 || r.Bytes != 0 {
			t.Errorf("a steady conflict: %+v, want still reported and nothing read again", r)
		}

		// The copy is removed: the original is read and applied, its edits too.
		os.Remove(cp)
		r = f.cycle(syncer.Options{})[0]
		if len(r.Conflicts) != 0 || r.Read != 1 || r.Changed == 0 {
			t.Errorf("copy removed: %+v, want the original read and applied", r)
		}
		if got := f.plan(key); got.State != store.PlanOK || got.Location != orig || len(got.Claimants) != 0 {
			t.Errorf("plan = %+v, want ok from %s", got, orig)
		}
	})
}

func TestCycle_planFollowsItsFile(t *testing.T) {
	bothBudgets(t, func(t *testing.T) {
		f := newFixture(t, 2)
		f.cycle(syncer.Options{})
		p := f.plans[0]
		key := p.Municipality + "/" + p.Solution
		orig := filepath.Join(f.dir, p.FileName())
		// A copy appears (a conflict); the copy is the one kept up to date, and
		// the original is deleted: the plan follows the copy, although the copy
		// has not changed since it was first seen.
		sub := filepath.Join(f.dir, "ny")
		os.MkdirAll(sub, 0o755)
		p.Slip(0, 7)
		path, err := p.Write(sub)
		if err != nil {
			t.Fatal(err)
		}
		f2 := f.target(f.dir)
		f2.Source = source.NewFiles("share", f.dir, true)
		if r := f.cycle(syncer.Options{}, f2)[0]; len(r.Conflicts) != 1 || r.Read != 1 || r.Unchanged != r.Documents-1 {
			t.Fatalf("result = %+v, want a conflict, the new copy read and set aside (read 1), the other files unchanged", r)
		}
		os.Remove(orig)
		r := f.cycle(syncer.Options{}, f2)[0]
		if r.Read != 1 || r.Changed != 1 || len(r.Conflicts) != 0 {
			t.Errorf("result = %+v, want the remaining file read and its slip applied", r)
		}
		if got := f.plan(key); got.State != store.PlanOK || got.Location != path {
			t.Errorf("plan = %+v, want ok, read from %s", got, path)
		}
		// And from then on it is unchanged.
		if r := f.cycle(syncer.Options{}, f2)[0]; r.Read != 0 || r.Unchanged != 2 {
			t.Errorf("next cycle = %+v, want nothing read", r)
		}
	})
}

func TestCycle_copiesIgnoredOrPreferred(t *testing.T) {
	bothBudgets(t, func(t *testing.T) {
		f := newFixture(t, 1)
		p := f.plans[0]
		key := p.Municipality + "/" + p.Solution
		orig := filepath.Join(f.dir, p.FileName())
		base := strings.TrimSuffix(p.FileName(), filepath.Ext(p.FileName()))
		ext := filepath.Ext(p.FileName())
		copies := []string{base + " - Kopi" + ext, base + " (1)" + ext, base + "_gammel" + ext, filepath.Join("backup", p.FileName())}
		for _, c := range copies {
			copyFile(t, orig, filepath.Join(f.dir, c))
		}
		target := syncer.Target{Source: source.NewFiles("share", f.dir, true), Identify: identifyByMetadata}

		t.Run("ignored", func(t *testing.T) {
			f.s.Ignore = []string{"*Kopi*", "*backup*", "*(1)*", "*_gammel*", "~$*"}
			r := f.cycle(syncer.Options{}, target)[0]
			if r.Ignored != 4 || r.Read != 1 || len(r.Conflicts) != 0 || r.Documents != 1 {
				t.Errorf("result = %+v, want 4 copies ignored and the plan read", r)
			}
			if got := f.plan(key); got.State != store.PlanOK || got.Location != orig {
				t.Errorf("plan = %+v", got)
			}
		})
		t.Run("not ignored any more: a conflict", func(t *testing.T) {
			f.s.Ignore = nil
			r := f.cycle(syncer.Options{}, target)[0]
			if len(r.Conflicts) != 1 || !strings.Contains(r.Conflicts[0], "backup") {
				t.Errorf("result = %+v, want one conflict of five files", r)
			}
			if got := f.plan(key); got.State != store.PlanConflict || len(got.Claimants) != 5 {
				t.Errorf("plan = %+v", got)
			}
		})
		t.Run("preferred", func(t *testing.T) {
			f.s.Prefer = []string{"*implementerings*", "*" + base + ext} // the first matches all, the second only the original... and backup/
			f.s.Ignore = []string{"*backup*"}
			r := f.cycle(syncer.Options{}, target)[0]
			if len(r.Conflicts) != 0 || len(r.Superseded) != 3 {
				t.Errorf("result = %+v, want the original preferred over 3 copies", r)
			}
			if got := f.plan(key); got.State != store.PlanOK || got.Location != orig {
				t.Errorf("plan = %+v, want ok from the original", got)
			}
			// Stable: nothing read next time.
			if r := f.cycle(syncer.Options{}, target)[0]; r.Read != 0 || r.Bytes != 0 || len(r.Superseded) != 3 {
				t.Errorf("next cycle = %+v", r)
			}
		})
	})
}

func TestCycle_newCopiesInOneCycle(t *testing.T) {
	bothBudgets(t, func(t *testing.T) {
		f := newFixture(t, 1)
		p := f.plans[0]
		key := p.Municipality + "/" + p.Solution
		orig := filepath.Join(f.dir, p.FileName())
		copyFile(t, orig, filepath.Join(f.dir, "Kopi af "+p.FileName()))
		r := f.cycle(syncer.Options{})[0]
		if len(r.Conflicts) != 1 || r.Added != 0 || r.Created != 0 {
			t.Errorf("result = %+v, want a conflict and nothing applied", r)
		}
		if got := f.plan(key); got.State != store.PlanConflict || got.Tasks != 0 {
			t.Errorf("plan = %+v, want a plan in conflict without tasks", got)
		}
	})
}

func TestCycle_conflictAcrossSources(t *testing.T) {
	bothBudgets(t, func(t *testing.T) {
		f := newFixture(t, 2)
		other := filepath.Join(filepath.Dir(f.dir), "other")
		p := f.plans[0]
		key := p.Municipality + "/" + p.Solution
		copyFile(t, filepath.Join(f.dir, p.FileName()), filepath.Join(other, p.FileName()))
		a := syncer.Target{Source: source.NewFiles("a", f.dir, false), Identify: identifyByMetadata}
		b := syncer.Target{Source: source.NewFiles("b", other, false), Identify: identifyByMetadata}
		f.s.AllSources = []string{"a", "b"}
		res := f.cycle(syncer.Options{}, a, b)
		if len(res[0].Conflicts) != 1 || len(res[1].Conflicts) != 1 {
			t.Fatalf("results = %+v, want the conflict in both sources", res)
		}
		if got := f.plan(key); got.State != store.PlanConflict {
			t.Errorf("plan = %+v", got)
		}
		// Syncing one source alone still sees the other's claim.
		p.Slip(0, 5)
		rewrite(t, p, f.dir)
		if r := f.cycle(syncer.Options{}, a)[0]; len(r.Conflicts) != 1 || r.Changed != 0 {
			t.Errorf("source a alone = %+v, want still a conflict", r)
		}
		// The other source's copy goes: the plan is read from a.
		os.Remove(filepath.Join(other, p.FileName()))
		res = f.cycle(syncer.Options{}, a, b)
		if len(res[0].Conflicts)+len(res[1].Conflicts) != 0 || res[0].Read != 1 {
			t.Errorf("results = %+v, want a's file read", res)
		}
		if got := f.plan(key); got.State != store.PlanOK || got.SourceName != "a" {
			t.Errorf("plan = %+v", got)
		}
	})
}

func TestCycle_udrulsOwnWorkbooksAreNotPlans(t *testing.T) {
	bothBudgets(t, func(t *testing.T) {
		f := newFixture(t, 2)
		// A real plan, marked as written by udrul (an extract someone saved
		// beside the plans under a plan-like name).
		p := f.plans[0]
		src := filepath.Join(f.dir, p.FileName())
		if filepath.Ext(src) != ".xlsx" {
			t.Fatalf("fixture plan %s is not a workbook", src)
		}
		wb, err := excelize.OpenFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := provenance.Mark(wb, provenance.Report); err != nil {
			t.Fatal(err)
		}
		if err := wb.SaveAs(filepath.Join(f.dir, "KY_Vejle_udtræk.xlsx")); err != nil {
			t.Fatal(err)
		}
		wb.Close()
		r := f.cycle(syncer.Options{})[0]
		if r.Ignored != 1 || r.Failed != 0 || len(r.Conflicts) != 0 || r.Created != 2 {
			t.Errorf("result = %+v, want udrul's workbook ignored and two plans", r)
		}
	})
}

// resaved is a folder in which some files read differently from their
// second fetch in a cycle on: a file saved again while it is synced.
type resaved struct {
	*source.Files
	mu      sync.Mutex
	later   map[string][]byte // key → the content from the second fetch
	fetches map[string]int
}

func (s *resaved) Fetch(ctx context.Context, it source.Item) (source.Fetched, error) {
	s.mu.Lock()
	s.fetches[it.Key]++
	n := s.fetches[it.Key]
	s.mu.Unlock()
	if data, ok := s.later[it.Key]; ok && n > 1 {
		return source.Fetched{Data: data}, nil
	}
	return s.Files.Fetch(ctx, it)
}

// TestCycle_savedWhileSynced: a plan let go after its read named its plan
// (no temporary file to set it aside in) is read again to be applied; if the file was saved meanwhile, the second
// read is applied only if it still names the same plan (the claims were
// settled for that plan).
func TestCycle_savedWhileSynced(t *testing.T) {
	tests := []struct {
		name  string
		later func(p *plangen.Plan) *plangen.Plan // the content saved meanwhile
		ok    bool                                // applied
	}{
		{"saved with another date: the newer content is applied", func(p *plangen.Plan) *plangen.Plan {
			p.Slip(3, 21)
			return p
		}, true},
		{"saved as another plan: not applied, read again next cycle", func(p *plangen.Plan) *plangen.Plan {
			return plangen.Generate(plangen.Spec{Seed: 99, Layout: p.Layout, Municipality: p.Municipality, Solution: "KSD", Wave: 1})
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			testHoldBudget = 1
			defer func() { testHoldBudget = 0 }()
			f := newFixture(t, 2)
			noTempDir(t) // the plans are let go, not set aside
			f.cycle(syncer.Options{})
			p := f.plans[0]
			key := p.Municipality + "/" + p.Solution
			before := f.taskTitles(key)
			p.Slip(1, 14)
			path := rewrite(t, p, f.dir)
			tmp := t.TempDir()
			laterPath, err := tc.later(p).Write(tmp)
			if err != nil {
				t.Fatal(err)
			}
			later, _ := os.ReadFile(laterPath)
			src := &resaved{Files: source.NewFiles("share", f.dir, false), later: map[string][]byte{path: later}, fetches: map[string]int{}}
			r := f.cycle(syncer.Options{}, syncer.Target{Source: src, Identify: identifyByMetadata})[0]
			if got, want := src.fetches[path], 2; got != want {
				t.Fatalf("fetched %d times, want %d (read, let go, read again)", got, want)
			}
			if tc.ok {
				if r.Failed != 0 || r.Changed == 0 {
					t.Errorf("result = %+v, want the newer content applied", r)
				}
				if got := f.taskTitles(key); !strings.Contains(got, p.Tasks[3].End.String()) {
					t.Errorf("tasks:\n%s\nwant the newer content's end date %s", got, p.Tasks[3].End)
				}
				return
			}
			if r.Failed != 1 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "blev ændret under synkroniseringen") {
				t.Errorf("result = %+v, want the file failed: it changed while it was synced", r)
			}
			if got := f.taskTitles(key); got != before {
				t.Errorf("tasks changed:\n%s\nwant\n%s", got, before)
			}
			if _, err := f.db.Plan(context.Background(), p.Municipality+"/KSD"); err == nil {
				t.Errorf("the plan the second read names was created")
			}
			// The next cycle reads the file as it is now.
			os.WriteFile(path, later, 0o644)
			if r := f.cycle(syncer.Options{})[0]; r.Failed != 0 || r.Created != 1 {
				t.Errorf("next cycle = %+v, want the file read as the new plan", r)
			}
		})
	}
}
