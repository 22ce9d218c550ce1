package syncer_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/syncer"
)

// allUnreadable is a files source whose every subfolder cannot be read
// (the service account lost access below the share's top folder).
type allUnreadable struct{ *source.Files }

func (u allUnreadable) Listing(ctx context.Context) (source.Listing, error) {
	l, err := u.Files.Listing(ctx)
	if err != nil {
		return l, err
	}
	seen := map[string]bool{}
	var items []source.Item
	for _, it := range l.Items {
		rel, _ := filepath.Rel(l.Base, it.Key)
		top, _, sub := strings.Cut(filepath.ToSlash(rel), "/")
		if !sub {
			items = append(items, it)
			continue
		}
		if dir := filepath.Join(l.Base, top); !seen[dir] {
			seen[dir] = true
			l.Unreadable = append(l.Unreadable, source.FolderError{Path: dir, Err: fmt.Errorf("the folder %s cannot be read (test): %w", dir, fs.ErrPermission)})
		}
	}
	l.Items = items
	return l, nil
}

// TestReview_everySubfolderUnreadable: a share whose plans all lie in
// subfolders, every one of which becomes unreadable, lists no plans: the
// whole-source guard says "is the drive mounted?" and suggests
// --accept-empty SOURCE without naming the unreadable folders; following
// it marks every plan gone although none was removed.
func TestReview_everySubfolderUnreadable(t *testing.T) {
	sh := newShare(t)
	top, _ := filepath.Glob(filepath.Join(sh.dir, "*.xlsx"))
	for _, p := range top {
		os.Remove(p) // plans only in subfolders
	}
	if r := sh.sync(syncer.Options{}); !r.OK() || r.Created != 5 {
		t.Fatalf("first sync: %s %v", r.Summary(), r.Errors)
	}
	run := func(opts syncer.Options) syncer.Result {
		src := allUnreadable{source.NewFiles("share", sh.dir, true)}
		res, err := sh.s.Cycle(context.Background(), []syncer.Target{{Source: src, Identify: identifyByMetadata}}, opts)
		if err != nil {
			t.Fatal(err)
		}
		return res[0]
	}
	r := run(syncer.Options{AcceptEmpty: map[string]bool{}})
	if r.Err == nil || !strings.Contains(r.Err.Error(), "cannot be read") {
		t.Errorf("source error %v, want it to name the folders that cannot be read", r.Err)
	}
	r = run(syncer.Options{AcceptEmpty: map[string]bool{"share": true}})
	gone := 0
	for k, st := range sh.states() {
		if st == store.PlanGone {
			gone++
			t.Logf("%s marked gone, its folder only unreadable", k)
		}
	}
	if gone > 0 {
		t.Errorf("%d plans marked gone after --accept-empty share, want 0: their folders cannot be read, nothing was removed", gone)
	}
}
