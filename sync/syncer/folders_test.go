package syncer_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/syncer"
)

// share is a recursive files source of plans in subfolders:
//
//	KY_Odense…             (the folder itself)
//	aarhus/ky/KY_Aarhus…   aarhus/ksd/KSD_Aarhus…   (two folders of one plan)
//	vejle/KY_Vejle…        vejle/KSD_Vejle…
//	skive/KY_Skive…        (one plan)
type share struct {
	t   *testing.T
	dir string
	db  *store.DB
	s   *syncer.Syncer
	// unreadable makes the listing find this folder unreadable;
	// everyUnreadable, every folder in the share's folder.
	unreadable      string
	everyUnreadable bool
}

func newShare(t *testing.T) *share {
	t.Helper()
	base := t.TempDir()
	sh := &share{t: t, dir: filepath.Join(base, "plans")}
	for _, p := range []struct{ dir, mun, sol string }{
		{"", "Odense", "KY"}, {"aarhus/ky", "Aarhus", "KY"}, {"aarhus/ksd", "Aarhus", "KSD"},
		{"vejle", "Vejle", "KY"}, {"vejle", "Vejle", "KSD"}, {"skive", "Skive", "KY"},
	} {
		dir := filepath.Join(sh.dir, p.dir)
		os.MkdirAll(dir, 0o755)
		if _, err := plangen.Generate(plangen.Spec{Seed: uint64(len(p.mun) + len(p.sol)), Layout: plangen.Blocks, Municipality: p.mun, Solution: p.sol, Wave: 1}).Write(dir); err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.Open(context.Background(), filepath.Join(base, "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sh.db = db
	sh.s = &syncer.Syncer{DB: db, Parser: parse.New(parse.Options{}), Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}, HoldBudget: testHoldBudget}
	return sh
}

// unreadableFiles is a files source whose listing finds one folder
// unreadable, as WalkDir does when it cannot read it (root reads any folder
// whatever its permissions).
type unreadableFiles struct {
	*source.Files
	dir string
}

func (u unreadableFiles) Listing(ctx context.Context) (source.Listing, error) {
	l, err := u.Files.Listing(ctx)
	if u.dir == "" || err != nil {
		return l, err
	}
	var items []source.Item
	for _, it := range l.Items {
		if !strings.HasPrefix(it.Key, u.dir+string(filepath.Separator)) {
			items = append(items, it)
		}
	}
	l.Items = items
	// The words are the source's (see TestFiles_Listing_unreadableFolder).
	l.Unreadable = append(l.Unreadable, source.FolderError{Path: u.dir, Err: fmt.Errorf("the folder %s cannot be read (test): %w", u.dir, fs.ErrPermission)})
	return l, nil
}

// unreadableSubfolders is a files source whose every subfolder cannot be
// read (the service account lost read access below the share's folder).
type unreadableSubfolders struct{ *source.Files }

func (u unreadableSubfolders) Listing(ctx context.Context) (source.Listing, error) {
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

func (sh *share) sync(opts syncer.Options) syncer.Result {
	sh.t.Helper()
	files := source.NewFiles("share", sh.dir, true)
	src := syncer.Source(files)
	switch {
	case sh.everyUnreadable:
		src = unreadableSubfolders{files}
	case sh.unreadable != "":
		src = unreadableFiles{files, filepath.Join(sh.dir, sh.unreadable)}
	}
	res, err := sh.s.Cycle(context.Background(), []syncer.Target{{Source: src, Identify: identifyByMetadata}}, opts)
	if err != nil {
		sh.t.Fatal(err)
	}
	return res[0]
}

// away moves a folder of the share out of it (a sub-share unmounted shows
// an empty folder) and returns a function that puts it back.
func (sh *share) away(rel string) (back func()) {
	sh.t.Helper()
	dir := filepath.Join(sh.dir, rel)
	elsewhere := filepath.Join(sh.t.TempDir(), "away")
	if err := os.Rename(dir, elsewhere); err != nil {
		sh.t.Fatal(err)
	}
	os.MkdirAll(dir, 0o755) // the mount point, empty
	return func() {
		os.RemoveAll(dir)
		if err := os.Rename(elsewhere, dir); err != nil {
			sh.t.Fatal(err)
		}
	}
}

func (sh *share) states() map[string]string {
	sh.t.Helper()
	plans, err := sh.db.ListPlans(context.Background())
	if err != nil {
		sh.t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range plans {
		out[p.Key()] = p.State
	}
	return out
}

// TestCycle_emptiedFolder: a subfolder of a recursive source that had two
// or more plans and lists none now (a sub-share not mounted shows an empty
// folder) or cannot be read keeps its plans — none is marked gone — and
// the source fails in words naming the folder and the command that
// accepts it; the rest of the source is synced. A folder of one plan is
// not held, nor is a folder moved within the source.
func TestCycle_emptiedFolder(t *testing.T) {
	for _, tt := range []struct {
		name       string
		away       string // the folder emptied
		moveTo     string // or moved to, within the source
		unreadable string // or unreadable
		accept     string // --accept-empty
		english    bool
		wantHeld   string // in the one held folder's line; "": none held
		wantGone   []string
	}{
		{name: "a folder of two plans emptied", away: "vejle",
			wantHeld: "mappen " + "%s/vejle viser ingen planer nu (den havde 2): er drevet monteret, og er mappen stadig det rigtige sted? Dens planer er ikke markeret som væk; er de fjernet med vilje: udrul sync --accept-empty share/vejle"},
		{name: "in English", away: "vejle", english: true,
			wantHeld: "the folder %s/vejle lists no plans now (it had 2): is its drive mounted, and is the folder still in its place? Its plans are not marked gone; if they were removed on purpose: udrul sync --accept-empty share/vejle"},
		{name: "a folder of one-plan folders emptied: named once", away: "aarhus",
			wantHeld: "mappen %s/aarhus viser ingen planer nu (den havde 2)"},
		{name: "a folder of one plan emptied: gone, as a file deleted", away: "skive", wantGone: []string{"Skive/KY"}},
		{name: "a one-plan folder of a folder that still lists plans", away: "aarhus/ky", wantGone: []string{"Aarhus/KY"}},
		{name: "a folder moved within the source", away: "vejle", moveTo: "2026/vejle"},
		{name: "a folder renamed", away: "aarhus", moveTo: "Aarhus Kommune"},
		{name: "accepted for the source", away: "vejle", accept: "share", wantGone: []string{"Vejle/KSD", "Vejle/KY"}},
		{name: "accepted for the folder", away: "vejle", accept: "share/vejle", wantGone: []string{"Vejle/KSD", "Vejle/KY"}},
		{name: "accepted for the folder it is in", away: "aarhus/ky", accept: "share/aarhus", wantGone: []string{"Aarhus/KY"}},
		{name: "accepted for another folder", away: "vejle", accept: "share/aarhus", wantHeld: "mappen %s/vejle viser ingen planer nu"},
		{name: "a folder that cannot be read", unreadable: "skive",
			wantHeld: "the folder %s/skive cannot be read (test): permission denied; filerne i den (1) er ikke markeret som væk; er mappen fjernet med vilje: udrul sync --accept-empty share/skive"},
		{name: "a folder that cannot be read, in English", unreadable: "aarhus", english: true,
			wantHeld: "the folder %s/aarhus cannot be read (test): permission denied; its files (2) are not marked gone; if the folder was removed on purpose: udrul sync --accept-empty share/aarhus"},
		{name: "a folder that cannot be read, accepted", unreadable: "skive", accept: "share/skive", wantGone: []string{"Skive/KY"}},
		{name: "a folder that cannot be read, accepted for the folder it is in", unreadable: "aarhus/ky", accept: "share/aarhus", wantGone: []string{"Aarhus/KY"}},
		{name: "a folder that cannot be read, the source accepted: held", unreadable: "aarhus", accept: "share",
			wantHeld: "the folder %s/aarhus cannot be read (test): permission denied; filerne i den (2) er ikke markeret som væk; er mappen fjernet med vilje: udrul sync --accept-empty share/aarhus"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sh := newShare(t)
			sh.s.English = tt.english
			if r := sh.sync(syncer.Options{}); !r.OK() || r.Created != 6 {
				t.Fatalf("first sync: %s %v", r.Summary(), r.Errors)
			}
			var back func()
			switch {
			case tt.moveTo != "":
				dst := filepath.Join(sh.dir, tt.moveTo)
				os.MkdirAll(filepath.Dir(dst), 0o755)
				if err := os.Rename(filepath.Join(sh.dir, tt.away), dst); err != nil {
					t.Fatal(err)
				}
			case tt.away != "":
				back = sh.away(tt.away)
			}
			sh.unreadable = tt.unreadable
			opts := syncer.Options{AcceptEmpty: map[string]bool{}}
			if tt.accept != "" {
				opts.AcceptEmpty[tt.accept] = true
			}
			r := sh.sync(opts)
			if tt.wantHeld == "" {
				if !r.OK() || len(r.HeldFolders) > 0 {
					t.Errorf("sync: %s; held %q, want none held", r.Summary(), r.HeldFolders)
				}
			} else {
				want := strings.Replace(tt.wantHeld, "%s", sh.dir, 1)
				if r.OK() || len(r.HeldFolders) != 1 || !strings.Contains(r.HeldFolders[0], want) {
					t.Errorf("sync: %s\nheld %q\nwant one held folder saying %q", r.Summary(), r.HeldFolders, want)
				}
				if !strings.Contains(r.Summary(), "; 1 folders held") {
					t.Errorf("summary %q does not count the folder held", r.Summary())
				}
			}
			var gone []string
			for key, state := range sh.states() {
				if state == store.PlanGone {
					gone = append(gone, key)
				}
			}
			if got, want := strings.Join(slices.Sorted(slices.Values(gone)), " "), strings.Join(tt.wantGone, " "); got != want {
				t.Errorf("plans gone: %q, want %q", got, want)
			}
			// The plans of a folder held are held, with why (not OK for
			// `udrul plans` and the findings); the others are not.
			var held, wantHeld []string
			for key, state := range sh.states() {
				if state == store.PlanHeld {
					held = append(held, key)
				}
				folder := tt.away + tt.unreadable
				mun, _, _ := strings.Cut(folder, "/")
				if tt.wantHeld != "" && strings.EqualFold(strings.Split(key, "/")[0], mun) {
					wantHeld = append(wantHeld, key)
				}
			}
			if got, want := strings.Join(slices.Sorted(slices.Values(held)), " "), strings.Join(slices.Sorted(slices.Values(wantHeld)), " "); got != want {
				t.Errorf("plans held: %q, want %q", got, want)
			}
			for _, key := range held {
				p, err := sh.db.Plan(context.Background(), key)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(p.StateReason, "udrul sync --accept-empty share/") || !strings.HasPrefix(p.StateReason, "its folder ") {
					t.Errorf("%s is held for %q, want its folder named and the command that accepts it", key, p.StateReason)
				}
			}
			if tt.wantHeld == "" {
				return
			}
			// The share comes back: nothing was lost, nothing is held.
			if back != nil {
				back()
			}
			sh.unreadable = ""
			r = sh.sync(syncer.Options{})
			if !r.OK() || r.Gone != 0 || r.Unchanged != 6 {
				t.Errorf("sync after the folder came back: %s %q %q", r.Summary(), r.HeldFolders, r.Errors)
			}
			for key, state := range sh.states() {
				if state != store.PlanOK {
					t.Errorf("%s: %s after the folder came back, want ok", key, state)
				}
			}
		})
	}
}

// TestCycle_everyFolderUnreadable: a share whose plans all lie in
// subfolders, none of which can be read now, lists no plan. The source
// fails naming the folders (not suggesting --accept-empty SOURCE, which
// does not accept them) and nothing is marked gone; --accept-empty SOURCE
// accepts emptiness only: the folders stay held, their plans kept, the
// sync failing in words, unless --accept-empty SOURCE/FOLDER names them.
func TestCycle_everyFolderUnreadable(t *testing.T) {
	for _, tt := range []struct {
		name     string
		accept   []string
		english  bool
		wantErr  []string // in the source's error; none: no error
		notErr   string
		wantHeld []string // the folders held, below the share
		wantGone []string
	}{
		{name: "the folders named", notErr: "--accept-empty share ",
			wantErr: []string{"kilden viser ingen planer nu (den havde 5), og mapper i den kan ikke læses: the folder %s/aarhus cannot be read (test): permission denied; the folder %s/skive cannot be read (test): permission denied; the folder %s/vejle cannot be read (test): permission denied. Intet er markeret som væk: planerne i en mappe, der ikke kan læses, holdes, til den kan læses igen; er mapperne fjernet med vilje: udrul sync --accept-empty share/aarhus --accept-empty share/skive --accept-empty share/vejle"}},
		{name: "in English", english: true, notErr: "--accept-empty share ",
			wantErr: []string{"the source lists no plans now (it had 5), and folders in it cannot be read: the folder %s/aarhus cannot be read (test): permission denied; the folder %s/skive", "Nothing is marked gone: the plans in a folder that cannot be read are held until it can be read again; if the folders were removed on purpose: udrul sync --accept-empty share/aarhus --accept-empty share/skive --accept-empty share/vejle"}},
		{name: "one folder accepted: the others named", accept: []string{"share/skive"},
			wantErr: []string{"(den havde 5), og mapper i den kan ikke læses: the folder %s/aarhus cannot be read (test): permission denied; the folder %s/vejle cannot", "udrul sync --accept-empty share/aarhus --accept-empty share/vejle"}, notErr: "skive"},
		{name: "the source accepted: the folders held", accept: []string{"share"},
			wantHeld: []string{"aarhus", "skive", "vejle"}},
		{name: "the source and one folder accepted", accept: []string{"share", "share/skive"},
			wantHeld: []string{"aarhus", "vejle"}, wantGone: []string{"Skive/KY"}},
		{name: "every folder accepted: the source is empty", accept: []string{"share/aarhus", "share/skive", "share/vejle"},
			wantErr: []string{"kilden viser ingen planer nu (den havde 5): er drevet monteret", "udrul sync --accept-empty share"}},
		{name: "the source and every folder accepted", accept: []string{"share", "share/aarhus", "share/skive", "share/vejle"},
			wantGone: []string{"Aarhus/KSD", "Aarhus/KY", "Skive/KY", "Vejle/KSD", "Vejle/KY"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sh := newShare(t)
			sh.s.English = tt.english
			top, _ := filepath.Glob(filepath.Join(sh.dir, "*.xlsx"))
			for _, p := range top {
				os.Remove(p) // plans only in subfolders
			}
			if r := sh.sync(syncer.Options{}); !r.OK() || r.Created != 5 {
				t.Fatalf("first sync: %s %v", r.Summary(), r.Errors)
			}
			sh.everyUnreadable = true
			opts := syncer.Options{AcceptEmpty: map[string]bool{}}
			for _, a := range tt.accept {
				opts.AcceptEmpty[a] = true
			}
			r := sh.sync(opts)
			if len(tt.wantErr) == 0 && r.Err != nil {
				t.Errorf("source error %v, want none", r.Err)
			}
			for _, w := range tt.wantErr {
				w = strings.ReplaceAll(w, "%s", sh.dir)
				if r.Err == nil || !strings.Contains(r.Err.Error(), w) {
					t.Errorf("source error\n%v\nwant it to say\n%s", r.Err, w)
				}
			}
			if tt.notErr != "" && r.Err != nil && strings.Contains(r.Err.Error()+" ", tt.notErr) {
				t.Errorf("source error %v says %q", r.Err, tt.notErr)
			}
			var held []string
			for _, h := range r.HeldFolders {
				for _, f := range []string{"aarhus", "skive", "vejle"} {
					if strings.HasPrefix(h, "the folder "+filepath.Join(sh.dir, f)+" cannot be read") && strings.Contains(h, "--accept-empty share/"+f) {
						held = append(held, f)
					}
				}
			}
			if got, want := strings.Join(held, " "), strings.Join(tt.wantHeld, " "); got != want || len(r.HeldFolders) != len(tt.wantHeld) {
				t.Errorf("folders held %q, want %q", r.HeldFolders, want)
			}
			if r.OK() != (len(tt.wantErr) == 0 && len(tt.wantHeld) == 0) {
				t.Errorf("sync: %s, OK %v", r.Summary(), r.OK())
			}
			var gone []string
			for key, state := range sh.states() {
				if state == store.PlanGone {
					gone = append(gone, key)
				}
			}
			if got, want := strings.Join(slices.Sorted(slices.Values(gone)), " "), strings.Join(tt.wantGone, " "); got != want {
				t.Errorf("plans gone: %q, want %q", got, want)
			}
			// Every plan not gone is held (the source failing, or its
			// folder held), saying why: none shows OK.
			for key, state := range sh.states() {
				if state == store.PlanGone {
					continue
				}
				p, err := sh.db.Plan(context.Background(), key)
				if err != nil {
					t.Fatal(err)
				}
				want := "its folder cannot be read: "
				if len(tt.wantErr) > 0 {
					want = "its source share failed: "
				}
				if state != store.PlanHeld || !strings.HasPrefix(p.StateReason, want) {
					t.Errorf("%s: %s, %q; want held, %q…", key, state, p.StateReason, want)
				}
			}
		})
	}
}

// TestCycle_everyFolderUnreadable_many: the source's error names ten
// folders that cannot be read, and counts the rest.
func TestCycle_everyFolderUnreadable_many(t *testing.T) {
	sh := newShare(t)
	top, _ := filepath.Glob(filepath.Join(sh.dir, "*.xlsx"))
	for _, p := range top {
		os.Remove(p)
	}
	for i, mun := range []string{"Horsens", "Kolding", "Herning", "Silkeborg", "Randers", "Viborg", "Holstebro", "Svendborg", "Næstved"} {
		dir := filepath.Join(sh.dir, fmt.Sprintf("m%02d", i))
		os.MkdirAll(dir, 0o755)
		if _, err := plangen.Generate(plangen.Spec{Seed: uint64(100 + i), Layout: plangen.Blocks, Municipality: mun, Solution: "KY", Wave: 1}).Write(dir); err != nil {
			t.Fatal(err)
		}
	}
	if r := sh.sync(syncer.Options{}); !r.OK() || r.Created != 14 {
		t.Fatalf("first sync: %s %v", r.Summary(), r.Errors)
	}
	sh.everyUnreadable = true
	r := sh.sync(syncer.Options{AcceptEmpty: map[string]bool{}})
	if r.Err == nil {
		t.Fatalf("sync: %s, want the source to fail", r.Summary())
	}
	msg := r.Err.Error()
	if got, want := strings.Count(msg, "cannot be read (test)"), 10; got != want {
		t.Errorf("%d folders named, want %d: %s", got, want, msg)
	}
	if got, want := strings.Count(msg, "--accept-empty share/"), 11; got != want {
		t.Errorf("%d --accept-empty commands, want %d (ten folders and SOURCE/MAPPE): %s", got, want, msg)
	}
	for _, w := range []string{"(den havde 14)", "(og 2 mapper mere)", "--accept-empty share/MAPPE for hver af de andre"} {
		if !strings.Contains(msg, w) {
			t.Errorf("source error %s\nwant it to say %q", msg, w)
		}
	}
	for key, state := range sh.states() {
		if state == store.PlanGone {
			t.Errorf("%s marked gone, its folder only unreadable", key)
		}
	}
}

// TestCycle_emptySourceWithUnreadableFolderWithoutPlans: a source whose
// plans lay in its own folder lists none now, beside a subfolder that
// cannot be read and held no plan: the folder is not the reason, the
// source's emptying is accepted with --accept-empty SOURCE.
func TestCycle_emptySourceWithUnreadableFolderWithoutPlans(t *testing.T) {
	sh := newShare(t)
	for _, d := range []string{"aarhus", "vejle", "skive"} {
		os.RemoveAll(filepath.Join(sh.dir, d))
	}
	if _, err := plangen.Generate(plangen.Spec{Seed: 7, Layout: plangen.Blocks, Municipality: "Horsens", Solution: "KY", Wave: 1}).Write(sh.dir); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(sh.dir, "privat"), 0o755)
	if r := sh.sync(syncer.Options{}); !r.OK() || r.Created != 2 {
		t.Fatalf("first sync: %s %v", r.Summary(), r.Errors)
	}
	top, _ := filepath.Glob(filepath.Join(sh.dir, "*.xlsx"))
	for _, p := range top {
		os.Remove(p)
	}
	sh.unreadable = "privat"
	r := sh.sync(syncer.Options{AcceptEmpty: map[string]bool{}})
	if want := "kilden viser ingen planer nu (den havde 2): er drevet monteret"; r.Err == nil || !strings.Contains(r.Err.Error(), want) || !strings.HasSuffix(r.Err.Error(), "--accept-empty share") {
		t.Errorf("source error %v, want it to say %q and suggest --accept-empty share", r.Err, want)
	}
	r = sh.sync(syncer.Options{AcceptEmpty: map[string]bool{"share": true}})
	if !r.OK() || r.Gone != 2 || len(r.UnreadFolders) != 1 {
		t.Errorf("sync with the source accepted: %s, unread folders %q; want OK, 2 gone, the folder named", r.Summary(), r.UnreadFolders)
	}
}

// TestCycle_unreadableFolderWithoutPlans: a subfolder that cannot be read
// and held no plan is said, without failing the source.
func TestCycle_unreadableFolderWithoutPlans(t *testing.T) {
	sh := newShare(t)
	os.MkdirAll(filepath.Join(sh.dir, "privat"), 0o755)
	sh.sync(syncer.Options{})
	sh.unreadable = "privat"
	r := sh.sync(syncer.Options{})
	if !r.OK() || len(r.UnreadFolders) != 1 || !strings.Contains(r.UnreadFolders[0], "the folder "+filepath.Join(sh.dir, "privat")+" cannot be read") {
		t.Errorf("sync: %s, unread folders %q; want it OK, naming the folder", r.Summary(), r.UnreadFolders)
	}
}

// TestCycle_unreadFormats: spreadsheets in formats udrul does not read are
// named in the result (not failing the source); an ignored copy is not.
func TestCycle_unreadFormats(t *testing.T) {
	sh := newShare(t)
	sh.s.Ignore = []string{"*Kopi*"}
	for _, name := range []string{"KY_Horsens.xls", "vejle/KP_Vejle.ods", "KY_Horsens - Kopi.xls", "~$KY_Horsens.xls"} {
		os.WriteFile(filepath.Join(sh.dir, name), []byte("old"), 0o644)
	}
	r := sh.sync(syncer.Options{})
	want := filepath.Join(sh.dir, "KY_Horsens.xls") + " " + filepath.Join(sh.dir, "vejle", "KP_Vejle.ods")
	if !r.OK() || strings.Join(r.Unread, " ") != want || !strings.Contains(r.Summary(), "; 2 not read (format)") {
		t.Errorf("sync: %s, unread %q; want it OK, naming %q", r.Summary(), r.Unread, want)
	}
}
