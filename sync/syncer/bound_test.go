package syncer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/syncer"
)

// gridded is a folder whose documents come as grids (as a Google
// spreadsheet's cells do), with cells added by more far beyond the rows a
// file's reader reads.
type gridded struct {
	*source.Files
	more func(name string, sh *grid.Sheet)
}

func (s *gridded) Fetch(ctx context.Context, it source.Item) (source.Fetched, error) {
	f, err := s.Files.Fetch(ctx, it)
	if err != nil {
		return f, err
	}
	g, err := grid.ReadBytes(it.Name, f.Data, grid.Options{})
	if err != nil {
		return f, err
	}
	s.more(it.Name, &g.Sheets[0])
	f.Grid = g
	return f, nil
}

// TestCycle_gridsBounded: a document read through an API as cells is held
// to the limits a file is: a cell far beyond them is left out with a
// warning on the plan, a sheet full of such cells fails with the reader's
// words. A Google spreadsheet was read whole.
func TestCycle_gridsBounded(t *testing.T) {
	f := newFixture(t, 2)
	far := func(sh *grid.Sheet, row int) {
		for len(sh.Rows) < row {
			sh.Rows = append(sh.Rows, nil)
		}
		sh.Rows[row-1] = []grid.Cell{{Kind: grid.Text, Text: "Opgave langt nede"}, {Kind: grid.Text, Text: "IT"}}
	}
	src := &gridded{Files: source.NewFiles("share", f.dir, false), more: func(name string, sh *grid.Sheet) {
		if strings.Contains(name, f.plans[0].Municipality) {
			far(sh, grid.DefaultMaxRows+5)
			return
		}
		for i := range 1001 {
			far(sh, grid.DefaultMaxRows+1+i)
		}
	}}
	r := f.cycle(syncer.Options{}, syncer.Target{Source: src, Identify: identifyByMetadata})[0]
	if r.Created != 1 || r.Failed != 1 {
		t.Fatalf("result %+v, want one plan made and one document failed", r)
	}
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "mere end 1000 celler med indhold uden for det område") {
		t.Errorf("errors %q, want the reader's words for too many cells beyond the limits", r.Errors)
	}
	p := f.plan(f.plans[0].Municipality + "/" + f.plans[0].Solution)
	issues, err := f.db.PlanIssues(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, is := range issues {
		if is.Code == grid.CodeBeyondLimits && is.Pos.Cell == grid.Ref(grid.DefaultMaxRows+5, 1) {
			found = true
		}
	}
	if !found {
		t.Errorf("issues %+v, want a warning naming %s", issues, grid.Ref(grid.DefaultMaxRows+5, 1))
	}
	if strings.Contains(f.taskTitles(p.Municipality+"/"+p.Solution), "Opgave langt nede") {
		t.Error("the task beyond the limits was read")
	}
}
