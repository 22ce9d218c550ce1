package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
)

func TestSaveFindings_lifecycle(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	a := model.Finding{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Message: "a", Days: 1}
	b := model.Finding{Key: "overdue|1|2", Kind: "overdue", Level: model.LevelAmber, Message: "b", Days: 3}

	opened, resolved, _, err := db.SaveFindings(ctx, isoDay("2026-06-01"), []model.Finding{a, b})
	if err != nil || len(opened) != 2 || len(resolved) != 0 {
		t.Fatalf("first: opened %d, resolved %d, %v", len(opened), len(resolved), err)
	}
	a.Days, a.Level = 8, model.LevelRed
	opened, resolved, _, err = db.SaveFindings(ctx, isoDay("2026-06-08"), []model.Finding{a})
	if err != nil || len(opened) != 0 || len(resolved) != 1 || resolved[0].Key != b.Key {
		t.Fatalf("second: opened %v, resolved %v, %v", opened, resolved, err)
	}
	open, _ := db.OpenFindings(ctx)
	if len(open) != 1 || open[0].FirstSeen != isoDay("2026-06-01") || open[0].LastSeen != isoDay("2026-06-08") || open[0].Days != 8 || open[0].Level != model.LevelRed {
		t.Errorf("open = %+v; want a first seen 1 June, updated", open)
	}
	res, _ := db.ResolvedFindings(ctx, isoDay("2026-06-08"))
	if len(res) != 1 || res[0].ResolvedAt != isoDay("2026-06-08") {
		t.Errorf("resolved = %+v", res)
	}
	// It comes back: opened again as new.
	opened, _, _, _ = db.SaveFindings(ctx, isoDay("2026-06-15"), []model.Finding{a, b})
	if len(opened) != 1 || opened[0].Key != b.Key {
		t.Errorf("reopened = %+v", opened)
	}
	if last, _ := db.LatestEvaluation(ctx); last != isoDay("2026-06-15") {
		t.Errorf("latest evaluation = %v", last)
	}
}

// TestPreviewFindings: a preview says what an evaluation would open and
// resolve, and the store stays as it was.
func TestPreviewFindings(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	a := model.Finding{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Message: "a"}
	b := model.Finding{Key: "overdue|1|2", Kind: "overdue", Level: model.LevelAmber, Message: "b"}
	c := model.Finding{Key: "overdue|1|3", Kind: "overdue", Level: model.LevelAmber, Message: "c"}
	if _, _, _, err := db.SaveFindings(ctx, isoDay("2026-06-01"), []model.Finding{a, b}); err != nil {
		t.Fatal(err)
	}
	opened, resolved, first, err := db.PreviewFindings(ctx, isoDay("2026-09-01"), []model.Finding{a, c})
	if err != nil || len(opened) != 1 || opened[0].Key != c.Key || len(resolved) != 1 || resolved[0].Key != b.Key {
		t.Fatalf("preview: opened %v, resolved %v, %v; want c opened and b resolved", opened, resolved, err)
	}
	if first[a.Key] != isoDay("2026-06-01") || first[c.Key] != isoDay("2026-09-01") {
		t.Errorf("first seen = %v", first)
	}
	if last, _ := db.LatestEvaluation(ctx); last != isoDay("2026-06-01") {
		t.Errorf("latest evaluation after a preview = %s, want 2026-06-01", last)
	}
	open, _ := db.OpenFindings(ctx)
	if len(open) != 2 || open[0].LastSeen != isoDay("2026-06-01") {
		t.Errorf("open findings after a preview = %+v, want a and b as before", open)
	}
}

// TestSaveFindings_writesOnlyChanges: a finding found again saying the
// same is not written (its row keeps the date it was written), one saying
// something else is; the dates read back stay exact: first seen when
// opened, last seen the latest evaluation while open and the last one that
// found it once resolved.
func TestSaveFindings_writesOnlyChanges(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	a := model.Finding{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Municipality: "Aarhus", Message: "a", Days: 1}
	b := model.Finding{Key: "overdue|1|2", Kind: "overdue", Level: model.LevelAmber, Municipality: "Aarhus", Message: "b", Days: 3}
	c := model.Finding{Key: "load|Odense|2026-W40", Kind: "load", Level: model.LevelAmber, Municipality: "Odense", Message: "c", Days: 40}
	written := func(key string) (last, message string) {
		t.Helper()
		if err := db.db.QueryRowContext(ctx, `SELECT last_seen, message FROM findings WHERE key = ?`, key).Scan(&last, &message); err != nil {
			t.Fatal(err)
		}
		return last, message
	}
	evaluation := func() (found, opened, changed, resolved int) {
		t.Helper()
		if err := db.db.QueryRowContext(ctx, `SELECT found, opened, changed, resolved FROM evaluations ORDER BY id DESC LIMIT 1`).Scan(&found, &opened, &changed, &resolved); err != nil {
			t.Fatal(err)
		}
		return
	}
	if _, _, _, err := db.SaveFindings(ctx, isoDay("2026-06-01"), []model.Finding{a, b, c}); err != nil {
		t.Fatal(err)
	}
	// 2 June: a unchanged, b says more, c unchanged.
	b.Days, b.Message = 4, "b, later"
	opened, resolved, first, err := db.SaveFindings(ctx, isoDay("2026-06-02"), []model.Finding{a, b, c})
	if err != nil || len(opened) != 0 || len(resolved) != 0 {
		t.Fatalf("2 June: opened %v, resolved %v, %v", opened, resolved, err)
	}
	if got, want := first[b.Key], isoDay("2026-06-01"); got != want {
		t.Errorf("b first seen %s, want %s", got, want)
	}
	if found, op, ch, res := evaluation(); found != 3 || op != 0 || ch != 1 || res != 0 {
		t.Errorf("2 June evaluation: found %d, opened %d, changed %d, resolved %d; want 3, 0, 1, 0", found, op, ch, res)
	}
	if last, msg := written(a.Key); last != "2026-06-01" || msg != "a" {
		t.Errorf("a's row: last written %s (%q), want untouched since 1 June", last, msg)
	}
	if last, msg := written(b.Key); last != "2026-06-02" || msg != "b, later" {
		t.Errorf("b's row: %s %q, want rewritten on 2 June", last, msg)
	}
	// 3 June: a resolved; Odense has no plan any more (c not found, its
	// municipality not evaluated): resolved too.
	_, resolved, _, err = db.SaveFindings(ctx, isoDay("2026-06-03"), []model.Finding{b})
	if err != nil || len(resolved) != 2 || resolved[0].Key != a.Key || resolved[1].Key != c.Key {
		t.Fatalf("3 June: resolved %+v, %v; want a and c", resolved, err)
	}
	for _, f := range resolved {
		if f.LastSeen != isoDay("2026-06-02") || f.ResolvedAt != isoDay("2026-06-03") || f.FirstSeen != isoDay("2026-06-01") {
			t.Errorf("%s: first %s, last %s, resolved %s; want 1, 2 and 3 June", f.Key, f.FirstSeen, f.LastSeen, f.ResolvedAt)
		}
	}
	open, err := db.OpenFindings(ctx)
	if err != nil || len(open) != 1 || open[0].Key != b.Key || open[0].LastSeen != isoDay("2026-06-03") || open[0].FirstSeen != isoDay("2026-06-01") {
		t.Errorf("open = %+v, %v; want b first seen 1 June, last seen 3 June", open, err)
	}
	if last, _ := written(b.Key); last != "2026-06-02" {
		t.Errorf("b's row written %s on 3 June, want untouched", last)
	}
	// A preview writes nothing and records no evaluation.
	if _, _, _, err := db.PreviewFindings(ctx, isoDay("2026-06-04"), []model.Finding{a}); err != nil {
		t.Fatal(err)
	}
	var n int
	db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM evaluations`).Scan(&n)
	if n != 3 {
		t.Errorf("%d evaluations after a preview, want 3", n)
	}
	if open, _ := db.OpenFindings(ctx); len(open) != 1 || open[0].Key != b.Key || open[0].LastSeen != isoDay("2026-06-03") {
		t.Errorf("open after a preview = %+v", open)
	}
}

// TestLifecycle_Apply_redoesWhatASyncChanged: a municipality's findings,
// evaluated from plans a sync changed before they were written, are not
// written: holding the lock, Apply sees the plan's revision moved and
// records what redo, reading the store as it is now, finds instead. Plans
// that did not change are not evaluated again.
func TestLifecycle_Apply_redoesWhatASyncChanged(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	run, err := db.BeginRun(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int64
	err = db.Update(ctx, func(tx *Tx) error {
		for _, m := range []string{"Aarhus", "Odense"} {
			pid, err := tx.CreatePlan(Plan{Municipality: m, Solution: "KY"})
			if err != nil {
				return err
			}
			pids = append(pids, pid)
			if _, err := tx.InsertTask(pid, run, model.Task{Title: "Kickoff", Pos: model.Pos{Row: 2}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	aarhus, err := db.Reader().Plans(ctx, "Aarhus")
	if err != nil {
		t.Fatal(err)
	}
	odense, err := db.Reader().Plans(ctx, "Odense")
	if err != nil {
		t.Fatal(err)
	}
	stale := model.Finding{Key: "missing_dates|1|1", Kind: "missing_dates", Level: model.LevelAmber, Municipality: "Aarhus", Message: "stale"}
	fresh := model.Finding{Key: "missing_dates|1|2", Kind: "missing_dates", Level: model.LevelAmber, Municipality: "Aarhus", Message: "fresh"}
	other := model.Finding{Key: "missing_dates|2|3", Kind: "missing_dates", Level: model.LevelAmber, Municipality: "Odense", Message: "other"}
	lc, err := db.BeginFindings(ctx, model.NewDate(2026, 6, 1), true)
	if err != nil {
		t.Fatal(err)
	}
	// A sync adds a task to Aarhus's plan after it was read.
	if err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.InsertTask(pids[0], run, model.Task{Title: "Test", Pos: model.Pos{Row: 3}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	redone := map[string]int{}
	redo := func(m string, f model.Finding) func(Reader) ([]model.Finding, error) {
		return func(r Reader) ([]model.Finding, error) {
			redone[m]++
			plans, err := r.Plans(ctx, m)
			if err != nil {
				return nil, err
			}
			tasks, err := r.PlansTasks(ctx, plans)
			if err != nil || len(tasks) != 2 {
				t.Errorf("redo read %d tasks, %v; want the 2 the sync left", len(tasks), err)
			}
			return []model.Finding{f}, nil
		}
	}
	got, _, err := lc.Apply(ctx, "Aarhus", aarhus, []model.Finding{stale}, nil, redo("Aarhus", fresh))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Message != "fresh" {
		t.Errorf("Apply recorded %+v, want redo's finding", got)
	}
	if _, _, err := lc.Apply(ctx, "Odense", odense, []model.Finding{other}, nil, redo("Odense", model.Finding{})); err != nil {
		t.Fatal(err)
	}
	if _, err := lc.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	if redone["Aarhus"] != 1 || redone["Odense"] != 0 || lc.Reevaluated != 1 {
		t.Errorf("evaluated again: %v (%d), want Aarhus once", redone, lc.Reevaluated)
	}
	open, err := db.OpenFindings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, f := range open {
		msgs = append(msgs, f.Message)
	}
	if len(msgs) != 2 || msgs[0] != "fresh" || msgs[1] != "other" {
		t.Errorf("open findings %q, want [fresh other]", msgs)
	}
}

// TestLifecycle_Finish_resolvedByAnotherRun: two evaluations for the same
// day at once (the daemon's and a report's, say; each municipality is
// written in its own transaction, so they interleave). A finding the
// other one resolved while this one ran is resolved on this one's date
// too, and is not among this one's findings: Finish lists it, else the
// finding is neither open nor resolved in this evaluation's output.
func TestLifecycle_Finish_resolvedByAnotherRun(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	x := model.Finding{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Message: "x", Municipality: "Odense"}
	y := model.Finding{Key: "overdue|1|2", Kind: "overdue", Level: model.LevelAmber, Message: "y", Municipality: "Odense"}
	if _, _, _, err := db.SaveFindings(ctx, isoDay("2026-06-01"), []model.Finding{x, y}); err != nil {
		t.Fatal(err)
	}
	// This evaluation begins; the other one runs from start to end (x is
	// gone from the plan); then this one records Odense (without x).
	l, err := db.BeginFindings(ctx, isoDay("2026-06-08"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Abort()
	_, other, _, err := db.SaveFindings(ctx, isoDay("2026-06-08"), []model.Finding{y})
	if err != nil || len(other) != 1 || other[0].Key != x.Key {
		t.Fatalf("the other evaluation resolved %v (%v), want x", other, err)
	}
	if _, _, err := l.Apply(ctx, "Odense", nil, []model.Finding{y}, nil, nil); err != nil {
		t.Fatal(err)
	}
	resolved, err := l.Finish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(resolved) != 1 || resolved[0].Key != x.Key {
		t.Errorf("resolved = %+v, want x (resolved on 2026-06-08)", resolved)
	}
}

// TestSaveFindings_municipalityWithNoFindingsLeft: SaveFindings (and
// PreviewFindings) are given the whole portfolio's findings (detect.Run:
// alerts, the unstreamed report). A municipality that still has its plan
// but none of whose findings is found any more has them resolved, as an
// evaluation of that plan with nothing wrong must; not kept open because
// the municipality is absent from the list.
func TestSaveFindings_municipalityWithNoFindingsLeft(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	err := db.Update(ctx, func(tx *Tx) error {
		for _, m := range []string{"Aarhus", "Odense"} {
			if _, err := tx.CreatePlan(Plan{Municipality: m, Solution: "KY"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	x := model.Finding{Key: "overdue|2|1", Kind: "overdue", Level: model.LevelAmber, Message: "x", Municipality: "Odense", Solution: "KY"}
	a := model.Finding{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Message: "a", Municipality: "Aarhus", Solution: "KY"}
	if _, _, _, err := db.SaveFindings(ctx, isoDay("2026-06-01"), []model.Finding{a, x}); err != nil {
		t.Fatal(err)
	}
	// Odense's task is done: only Aarhus has a finding.
	_, preview, _, err := db.PreviewFindings(ctx, isoDay("2026-06-08"), []model.Finding{a})
	if err != nil || len(preview) != 1 || preview[0].Key != x.Key {
		t.Errorf("preview resolved %+v (%v), want x", preview, err)
	}
	_, resolved, _, err := db.SaveFindings(ctx, isoDay("2026-06-08"), []model.Finding{a})
	if err != nil || len(resolved) != 1 || resolved[0].Key != x.Key {
		t.Errorf("resolved %+v (%v), want x", resolved, err)
	}
	open, err := db.OpenFindings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].Key != a.Key {
		t.Errorf("open = %+v, want only a", open)
	}
}

// TestPreviewFindings_sameDayAsSaved: a preview says what saving would
// give: for a date whose evaluation resolved a finding already, saving
// again lists it among the resolved, and so does the preview, though
// neither resolves anything itself.
func TestPreviewFindings_sameDayAsSaved(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	x := model.Finding{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Message: "x"}
	y := model.Finding{Key: "overdue|1|2", Kind: "overdue", Level: model.LevelAmber, Message: "y"}
	if _, _, _, err := db.SaveFindings(ctx, isoDay("2026-06-01"), []model.Finding{x, y}); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := db.SaveFindings(ctx, isoDay("2026-06-08"), []model.Finding{y}); err != nil {
		t.Fatal(err)
	}
	_, preview, _, err := db.PreviewFindings(ctx, isoDay("2026-06-08"), []model.Finding{y})
	if err != nil {
		t.Fatal(err)
	}
	_, saved, _, err := db.SaveFindings(ctx, isoDay("2026-06-08"), []model.Finding{y})
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) != 1 || saved[0].Key != x.Key {
		t.Fatalf("saving again resolved %+v, want x", saved)
	}
	if len(preview) != len(saved) || len(preview) > 0 && preview[0].Key != saved[0].Key {
		t.Errorf("preview resolved %+v, saving %+v", preview, saved)
	}
}

// TestLifecycle_Apply_laterDateFirst: two saving evaluations across
// midnight: the later date's run writes a municipality first; the earlier
// date's run, still going, must not overwrite it with older findings — it
// is refused with ErrLaterEvaluation, and the later findings stay. The
// later run may have opened a finding (the earlier would resolve it) or
// resolved one (the earlier would open it again).
func TestLifecycle_Apply_laterDateFirst(t *testing.T) {
	x := model.Finding{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Message: "x", Municipality: "Odense", Solution: "KY"}
	for _, tc := range []struct {
		name        string
		before      []model.Finding // saved on 2026-06-06
		late, early []model.Finding // found on 2026-06-08 (saved first), 2026-06-07
		wantOpen    []string
	}{
		{name: "opened by the later run", late: []model.Finding{x}, wantOpen: []string{x.Key}},
		{name: "resolved by the later run", before: []model.Finding{x}, early: []model.Finding{x}},
		{name: "changed by the later run", before: []model.Finding{x}, late: []model.Finding{changed(x, "later")}, early: []model.Finding{changed(x, "earlier")},
			wantOpen: []string{x.Key}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
			if tc.before != nil {
				first, err := db.BeginFindings(ctx, isoDay("2026-06-06"), true)
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := first.Apply(ctx, "Odense", nil, tc.before, nil, nil); err != nil {
					t.Fatal(err)
				}
				if _, err := first.Finish(ctx); err != nil {
					t.Fatal(err)
				}
			}
			early, err := db.BeginFindings(ctx, isoDay("2026-06-07"), true)
			if err != nil {
				t.Fatal(err)
			}
			defer early.Abort()
			late, err := db.BeginFindings(ctx, isoDay("2026-06-08"), true)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := late.Apply(ctx, "Odense", nil, tc.late, nil, nil); err != nil {
				t.Fatal(err)
			}
			if err := late.Commit(); err != nil {
				t.Fatal(err)
			}
			if _, _, err := early.Apply(ctx, "Odense", nil, tc.early, nil, nil); !errors.Is(err, ErrLaterEvaluation) {
				t.Fatalf("earlier date applied after a later one: err = %v, want ErrLaterEvaluation", err)
			}
			open, err := db.OpenFindings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range open {
				got = append(got, f.Key)
			}
			if !slices.Equal(got, tc.wantOpen) {
				t.Errorf("open = %v, want %v as the later run saved it", got, tc.wantOpen)
			}
		})
	}
}

// TestSaveFindings_batchSizes: however many new findings a municipality
// has (written by INSERTs of 64, 16, 4 and 1 rows, their statements
// prepared once for the evaluation), each is saved once, with what it
// says, and the next evaluation of other counts reuses the statements.
func TestSaveFindings_batchSizes(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	day := isoDay("2026-06-01")
	for _, counts := range [][]int{{0, 1, 3}, {64, 85, 150}, {17, 4, 129}} {
		var found []model.Finding
		for m, n := range counts {
			for i := range n {
				found = append(found, model.Finding{Key: fmt.Sprintf("overdue|%d|%d|%d", day.Day, m, i), Kind: "overdue", Level: model.LevelAmber,
					Municipality: fmt.Sprint("M", m), Message: fmt.Sprint("msg ", i), Title: fmt.Sprint("title ", i), Days: i})
			}
		}
		name := fmt.Sprint(counts)
		if _, _, _, err := db.SaveFindings(ctx, day, found); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		open, err := db.OpenFindings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(open), len(found); got != want {
			t.Fatalf("%s: %d open findings, want %d", name, got, want)
		}
		byKey := map[string]model.Finding{}
		for _, f := range open {
			byKey[f.Key] = f
		}
		for _, f := range found {
			g, ok := byKey[f.Key]
			if !ok || g.Message != f.Message || g.Title != f.Title || g.Days != f.Days || g.Municipality != f.Municipality || g.FirstSeen != day {
				t.Fatalf("%s: %s saved as %+v (found %v), want %+v", name, f.Key, g, ok, f)
			}
		}
		day = day.AddDays(1)
	}
}

// TestOpenFindings_afterAStoppedEvaluation: an evaluation stopped after it
// wrote a municipality (committed, never finished, so not recorded) opened
// a finding on its date; listed, that finding is last seen on that date,
// not on the latest recorded evaluation's, before it was first seen.
func TestOpenFindings_afterAStoppedEvaluation(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	x := model.Finding{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Message: "x", Municipality: "Odense"}
	y := model.Finding{Key: "overdue|1|2", Kind: "overdue", Level: model.LevelAmber, Message: "y", Municipality: "Odense"}
	if _, _, _, err := db.SaveFindings(ctx, isoDay("2026-06-01"), []model.Finding{x}); err != nil {
		t.Fatal(err)
	}
	l, err := db.BeginFindings(ctx, isoDay("2026-06-08"), true)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Apply(ctx, "Odense", nil, []model.Finding{x, y}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := l.Commit(); err != nil {
		t.Fatal(err)
	}
	l.Abort() // stopped: never finished
	open, err := db.OpenFindings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{x.Key: {"2026-06-01", "2026-06-01"}, y.Key: {"2026-06-08", "2026-06-08"}}
	if len(open) != len(want) {
		t.Fatalf("open = %+v, want x and y", open)
	}
	for _, f := range open {
		if got := [2]string{f.FirstSeen.String(), f.LastSeen.String()}; got != want[f.Key] {
			t.Errorf("%s: first and last seen %v, want %v", f.Key, got, want[f.Key])
		}
	}
}

// TestSaveFindings_resolvesAKeyNotUTF8: the findings a municipality no
// longer has are resolved in one statement that takes their keys as JSON;
// a key that is not UTF-8 (a step name from a sheet read as bytes) is
// resolved all the same.
func TestSaveFindings_resolvesAKeyNotUTF8(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	odd := model.Finding{Key: "step_order|1|Trin \xff1|Trin 2", Kind: "step_order", Level: model.LevelAmber, Message: "odd", Municipality: "Odense"}
	plain := model.Finding{Key: "overdue|1|2", Kind: "overdue", Level: model.LevelAmber, Message: "plain", Municipality: "Odense"}
	kept := model.Finding{Key: "overdue|1|3", Kind: "overdue", Level: model.LevelAmber, Message: "kept", Municipality: "Odense"}
	if _, _, _, err := db.SaveFindings(ctx, isoDay("2026-06-01"), []model.Finding{odd, plain, kept}); err != nil {
		t.Fatal(err)
	}
	_, resolved, _, err := db.SaveFindings(ctx, isoDay("2026-06-02"), []model.Finding{kept})
	if err != nil {
		t.Fatal(err)
	}
	if len(resolved) != 2 {
		t.Errorf("resolved %d findings, want 2 (the odd key and the plain one)", len(resolved))
	}
	open, err := db.OpenFindings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].Key != kept.Key {
		var keys []string
		for _, f := range open {
			keys = append(keys, f.Key)
		}
		t.Errorf("open: %q, want only %q", keys, kept.Key)
	}
}

// TestPreviewFindings_resolvesAKeyNotUTF8: a preview lists the findings it
// would resolve as saving resolves them, a key that is not UTF-8 among
// them (the preview read them back by a JSON list of keys, which turns
// such a key into another, and the finding was left out of the list).
func TestPreviewFindings_resolvesAKeyNotUTF8(t *testing.T) {
	ctx := context.Background()
	odd := model.Finding{Key: "step_order|1|Trin \xff1|Trin 2", Kind: "step_order", Level: model.LevelAmber, Message: "odd", Municipality: "Odense"}
	plain := model.Finding{Key: "overdue|1|2", Kind: "overdue", Level: model.LevelAmber, Message: "plain", Municipality: "Odense"}
	kept := model.Finding{Key: "overdue|1|3", Kind: "overdue", Level: model.LevelAmber, Message: "kept", Municipality: "Odense"}
	gone := model.Finding{Key: "overdue|2|\xfe", Kind: "overdue", Level: model.LevelAmber, Message: "gone", Municipality: "Aarhus"}
	keys := func(fs []model.Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Key)
		}
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		name string
		save bool // the day-2 evaluation saved before the preview of day 2
	}{{"preview", false}, {"resolved earlier that day", true}} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
			if _, _, _, err := db.SaveFindings(ctx, isoDay("2026-06-01"), []model.Finding{odd, plain, kept, gone}); err != nil {
				t.Fatal(err)
			}
			if tc.save {
				if _, _, _, err := db.SaveFindings(ctx, isoDay("2026-06-02"), []model.Finding{kept}); err != nil {
					t.Fatal(err)
				}
			}
			_, resolved, _, err := db.PreviewFindings(ctx, isoDay("2026-06-02"), []model.Finding{kept})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := keys(resolved), keys([]model.Finding{odd, plain, gone}); !slices.Equal(got, want) {
				t.Errorf("resolved %q, want %q", got, want)
			}
		})
	}
}

// changed is f saying msg.
func changed(f model.Finding, msg string) model.Finding {
	f.Message = msg
	return f
}

// TestLifecycle_writeConnection: the write transactions are on one
// connection whose temporary storage is in memory and which leaves
// checkpoints to the lifecycle's checkpointer while the evaluation is
// saved; the connection goes back to the pool as the others are.
func TestLifecycle_writeConnection(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	// The pool's connections, each asked in turn (the lifecycle takes
	// one for its writes and another prepares its statements).
	const pool = 3
	db.SQL().SetMaxOpenConns(pool)
	pragma := func(q rowQuerier, name string) int { t.Helper(); return pragmaOf(t, q, name) }
	checkPool := func(when string) { t.Helper(); checkPoolDefaults(t, db, pool, when, true) }
	checkPool("before")
	for _, end := range []string{"finish", "abort"} {
		t.Run(end, func(t *testing.T) {
			lc, err := db.BeginFindings(ctx, isoDay("2026-06-01"), true)
			if err != nil {
				t.Fatal(err)
			}
			f := model.Finding{Key: "overdue|1|" + end, Kind: "overdue", Level: model.LevelAmber, Municipality: "Aarhus", Message: "a"}
			if _, _, err := lc.Apply(ctx, "Aarhus", nil, []model.Finding{f}, nil, nil); err != nil {
				t.Fatal(err)
			}
			if got := pragma(lc.tx, "temp_store"); got != 2 {
				t.Errorf("temp_store of the write transaction = %d, want 2 (memory)", got)
			}
			if got := pragma(lc.tx, "wal_autocheckpoint"); got != 0 {
				t.Errorf("wal_autocheckpoint of the write transaction = %d, want 0 (the checkpointer's)", got)
			}
			if end == "finish" {
				if _, err := lc.Finish(ctx); err != nil {
					t.Fatal(err)
				}
			}
			lc.Abort()
			checkPool("after") // no connection kept the evaluation's settings
			var n int
			if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM findings WHERE key = ?`, f.Key).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if want := map[string]int{"finish": 1, "abort": 0}[end]; n != want {
				t.Errorf("%d rows of the finding saved, want %d (written in the transaction the lifecycle committed or rolled back)", n, want)
			}
		})
	}
}

// TestLifecycle_checkpoints: what an evaluation wrote is in the database
// file when it is finished, not only in the write-ahead log (the write
// connection leaves checkpoints to the lifecycle's checkpointer, which
// copies the rest of the log at the end).
func TestLifecycle_checkpoints(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	db := openTest(t, path)
	var found []model.Finding
	for i := range checkpointEvery / 2 { // fewer pages than SQLite would checkpoint after
		found = append(found, model.Finding{Key: fmt.Sprintf("overdue|1|%d", i), Kind: "overdue", Level: model.LevelAmber,
			Municipality: fmt.Sprint("M", i%7), Message: fmt.Sprintf("task %d is late", i), Days: i % 30})
	}
	if _, _, _, err := db.SaveFindings(ctx, isoDay("2026-06-01"), found); err != nil {
		t.Fatal(err)
	}
	var pages, size int64
	if err := db.SQL().QueryRowContext(ctx, `SELECT (SELECT page_count FROM pragma_page_count()), (SELECT page_size FROM pragma_page_size())`).Scan(&pages, &size); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := st.Size(), pages*size; got < want {
		t.Errorf("database file is %d bytes, want the %d of its %d pages: the evaluation's writes were left in the log", got, want, pages)
	}
}

// roundTripFinding saves f (alone) and reads it back as the open finding.
func roundTripFinding(t testing.TB, db *DB, day model.Date, f model.Finding) {
	t.Helper()
	ctx := context.Background()
	// After the evaluations saved before (each round trip saves two).
	var latest sql.NullString
	if err := db.SQL().QueryRowContext(ctx, `SELECT MAX(as_of) FROM evaluations`).Scan(&latest); err != nil {
		t.Fatal(err)
	}
	if last, err := model.ParseISODate(latest.String); err == nil && !day.After(last) {
		day = last.AddDays(1)
	}
	if _, _, _, err := db.SaveFindings(ctx, day, []model.Finding{f}); err != nil {
		t.Fatalf("save %q: %v", f.Key, err)
	}
	open, err := db.OpenFindings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 {
		t.Fatalf("%d open findings, want 1", len(open))
	}
	g := open[0]
	first := g.FirstSeen // the day, or earlier when the finding was open already
	g.FirstSeen, g.LastSeen = model.Date{}, model.Date{}
	// The detail (wave, step, title, old and new date) is JSON: a byte
	// that is not UTF-8 comes back as U+FFFD.
	for _, s := range []*string{&f.Wave, &f.Step, &f.Title, &f.Old, &f.New} {
		*s = string([]rune(*s))
	}
	if g != f {
		t.Errorf("saved %+v\nread  %+v", f, g)
	}
	// Found again the next day: known as open (its key read back as it
	// is), not opened again nor resolved.
	opened, resolved, _, err := db.SaveFindings(ctx, day.AddDays(1), []model.Finding{f})
	if err != nil || len(opened) != 0 || len(resolved) != 0 {
		t.Fatalf("found again: opened %d, resolved %d, %v; want it known as open", len(opened), len(resolved), err)
	}
	if open, err = db.OpenFindings(ctx); err != nil || len(open) != 1 || open[0].FirstSeen != first {
		t.Fatalf("found again: %+v, %v; want it first seen %s", open, err, first)
	}
}

// TestSaveFindings_texts: every text of a finding comes back as it was.
func TestSaveFindings_texts(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	day := isoDay("2026-06-01")
	for _, tc := range []struct{ name, text string }{
		{"plain", "Opgaven er forsinket"},
		{"quotes and backslashes", `"Trin 0a" \ C:\plan\ "`},
		{"tab, line feed, carriage return", "a\tb\nc\r\nd"},
		{"Danish and more", "Ærø, Ølstykke, Århus — “citat” € 😀"},
		{"line and paragraph separators", "a\u2028b\u2029c"},
		{"HTML characters", "<b>&amp;</b>"},
		{"JSON escapes as text", `\u0041\n\"`},
		{"NUL and control characters", "a\x00b\x01c\x1f"},
		{"not UTF-8", "Aarhus\xff\xfe"},
		{"a number", "12345"},
		{"empty", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := model.Finding{Key: "overdue|" + tc.text, Kind: "overdue", Level: model.LevelAmber, Municipality: "M" + tc.text, Solution: "S" + tc.text,
				Wave: tc.text, Step: tc.text, Title: tc.text, Old: tc.text, New: tc.text, Message: tc.text, Days: -3}
			roundTripFinding(t, db, day, f)
		})
	}
}

// FuzzSaveFindings_texts: any texts come back as they were saved.
func FuzzSaveFindings_texts(f *testing.F) {
	f.Add("overdue|1", "Opgaven er forsinket", "Trin 0a", 3)
	f.Add("a\"b\\c", "x\ny\tz", "\u2028", -1)
	f.Add("\xff", "\x00", "", 0)
	db := openTest(f, filepath.Join(f.TempDir(), "udrul.db"))
	day := isoDay("2026-06-01")
	f.Fuzz(func(t *testing.T, key, message, title string, days int) {
		if key == "" {
			t.Skip()
		}
		roundTripFinding(t, db, day, model.Finding{Key: key, Kind: "overdue", Level: model.LevelRed, Municipality: title, Solution: message,
			Title: title, Old: key, Message: message, Days: days})
	})
}

// TestLifecycle_Apply_preparedForOthers: findings prepared for other
// findings (a copy, changed since) are not what Apply writes: it prepares
// the findings it is given.
func TestLifecycle_Apply_preparedForOthers(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	lc, err := db.BeginFindings(ctx, isoDay("2026-06-01"), true)
	if err != nil {
		t.Fatal(err)
	}
	was := []model.Finding{{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Municipality: "Aarhus", Message: "before", Days: 1}}
	prep := lc.Prepare(was)
	now := slices.Clone(was)
	now[0].Message, now[0].Days = "after", 2
	if _, _, err := lc.Apply(ctx, "Aarhus", nil, now, prep, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := lc.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	open, err := db.OpenFindings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].Message != "after" || open[0].Days != 2 {
		t.Errorf("saved %+v, want the finding applied (after, 2 days)", open)
	}
}

// TestLifecycle_cancelled: an evaluation stopped (Ctrl-C) while its write
// transaction is open rolls it back itself: nothing of it is saved, and
// the write connection closes with the database (database/sql used to
// roll the transaction back on its own, closing the connection under the
// INSERTs prepared on it, which then kept its files open).
func TestLifecycle_cancelled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "udrul.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	lc, err := db.BeginFindings(ctx, isoDay("2026-06-01"), true)
	if err != nil {
		t.Fatal(err)
	}
	var found []model.Finding
	for i := range 70 { // more than an INSERT's batch: some written already
		found = append(found, model.Finding{Key: fmt.Sprintf("overdue|A|%d", i), Kind: "overdue", Level: model.LevelAmber, Municipality: "A", Message: "m"})
	}
	if _, _, err := lc.Apply(ctx, "A", nil, found, nil, nil); err != nil {
		t.Fatal(err)
	}
	cancel()
	// database/sql would roll a transaction begun with ctx back at once.
	for range 20 {
		if _, err := lc.tx.ExecContext(context.Background(), `SELECT 1`); errors.Is(err, sql.ErrTxDone) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := lc.Commit(); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit after the cancel: %v, want context.Canceled", err)
	}
	if _, _, err := lc.Apply(ctx, "B", nil, []model.Finding{{Key: "overdue|B|1", Kind: "overdue", Level: model.LevelAmber, Municipality: "B", Message: "m"}}, nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Apply after the cancel: %v, want context.Canceled", err)
	}
	lc.Abort()
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM findings`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d findings saved by the stopped evaluation, want 0", n)
	}
	db.Close()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd to count the database's open files")
	}
	for _, e := range fds {
		if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.HasPrefix(l, path) {
			t.Errorf("%s still open after the database was closed", l)
		}
	}
}

// TestExecRaw: an INSERT run as a query (see execRaw) writes its rows with
// their values as bound (texts with a NUL byte, non-UTF-8 bytes, empty
// ones, NULL, numbers), and a failing one says why and writes nothing.
func TestExecRaw(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE x (a TEXT NOT NULL, b INTEGER, c TEXT CHECK (c <> 'no'))`); err != nil {
		t.Fatal(err)
	}
	run := func(values ...any) error {
		return conn.Raw(func(dc any) error {
			ds, err := dc.(driver.ConnPrepareContext).PrepareContext(ctx, `INSERT INTO x VALUES (?, ?, ?), (?, ?, ?)`)
			if err != nil {
				return err
			}
			defer ds.Close()
			nv := make([]driver.NamedValue, len(values))
			for i, v := range values {
				nv[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
			}
			return execRaw(ctx, ds.(rawStmt), nv)
		})
	}
	if err := run("a\x00b", int64(-7), "", "æøå\xff", nil, "ok"); err != nil {
		t.Fatal(err)
	}
	for name, values := range map[string][]any{
		"NOT NULL":          {"x", int64(1), "y", nil, int64(2), "z"},
		"CHECK, second row": {"x", int64(1), "y", "x", int64(2), "no"},
	} {
		if err := run(values...); err == nil || !strings.Contains(err.Error(), "constraint") {
			t.Errorf("%s: err = %v, want the constraint named", name, err)
		}
	}
	var got []string
	rows, err := conn.QueryContext(ctx, `SELECT hex(a), quote(b), hex(c), typeof(a) FROM x ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a, b, c, typ string
		rows.Scan(&a, &b, &c, &typ)
		got = append(got, a+" "+b+" "+c+" "+typ)
	}
	rows.Close()
	want := []string{"610062 -7  text", "C3A6C3B8C3A5FF NULL 6F6B text"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %q, want %q (nothing of the failed INSERTs)", got, want)
	}
}
