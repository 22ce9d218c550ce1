package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/model"
)

func TestSaveFindings_lifecycle(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := func(s string) model.Date { d, _ := model.ParseISODate(s); return d }
	a := model.Finding{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Message: "a", Days: 1}
	b := model.Finding{Key: "overdue|1|2", Kind: "overdue", Level: model.LevelAmber, Message: "b", Days: 3}

	opened, resolved, _, err := db.SaveFindings(ctx, day("2026-06-01"), []model.Finding{a, b})
	if err != nil || len(opened) != 2 || len(resolved) != 0 {
		t.Fatalf("first: opened %d, resolved %d, %v", len(opened), len(resolved), err)
	}
	a.Days, a.Level = 8, model.LevelRed
	opened, resolved, _, err = db.SaveFindings(ctx, day("2026-06-08"), []model.Finding{a})
	if err != nil || len(opened) != 0 || len(resolved) != 1 || resolved[0].Key != b.Key {
		t.Fatalf("second: opened %v, resolved %v, %v", opened, resolved, err)
	}
	open, _ := db.OpenFindings(ctx)
	if len(open) != 1 || open[0].FirstSeen != day("2026-06-01") || open[0].LastSeen != day("2026-06-08") || open[0].Days != 8 || open[0].Level != model.LevelRed {
		t.Errorf("open = %+v; want a first seen 1 June, updated", open)
	}
	res, _ := db.ResolvedFindings(ctx, day("2026-06-08"))
	if len(res) != 1 || res[0].ResolvedAt != day("2026-06-08") {
		t.Errorf("resolved = %+v", res)
	}
	// It comes back: opened again as new.
	opened, _, _, _ = db.SaveFindings(ctx, day("2026-06-15"), []model.Finding{a, b})
	if len(opened) != 1 || opened[0].Key != b.Key {
		t.Errorf("reopened = %+v", opened)
	}
	if last, _ := db.LatestEvaluation(ctx); last != day("2026-06-15") {
		t.Errorf("latest evaluation = %v", last)
	}
}

// TestPreviewFindings: a preview says what an evaluation would open and
// resolve, and the store stays as it was.
func TestPreviewFindings(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := func(s string) model.Date { d, _ := model.ParseISODate(s); return d }
	a := model.Finding{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, Message: "a"}
	b := model.Finding{Key: "overdue|1|2", Kind: "overdue", Level: model.LevelAmber, Message: "b"}
	c := model.Finding{Key: "overdue|1|3", Kind: "overdue", Level: model.LevelAmber, Message: "c"}
	if _, _, _, err := db.SaveFindings(ctx, day("2026-06-01"), []model.Finding{a, b}); err != nil {
		t.Fatal(err)
	}
	opened, resolved, first, err := db.PreviewFindings(ctx, day("2026-09-01"), []model.Finding{a, c})
	if err != nil || len(opened) != 1 || opened[0].Key != c.Key || len(resolved) != 1 || resolved[0].Key != b.Key {
		t.Fatalf("preview: opened %v, resolved %v, %v; want c opened and b resolved", opened, resolved, err)
	}
	if first[a.Key] != day("2026-06-01") || first[c.Key] != day("2026-09-01") {
		t.Errorf("first seen = %v", first)
	}
	if last, _ := db.LatestEvaluation(ctx); last != day("2026-06-01") {
		t.Errorf("latest evaluation after a preview = %s, want 2026-06-01", last)
	}
	open, _ := db.OpenFindings(ctx)
	if len(open) != 2 || open[0].LastSeen != day("2026-06-01") {
		t.Errorf("open findings after a preview = %+v, want a and b as before", open)
	}
}
