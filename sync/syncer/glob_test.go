package syncer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/syncer"
)

// TestCycle_globUnreadableFolder: a glob source whose matched folder can
// no longer be read keeps that folder's plans (none marked gone), and the
// source fails in words naming the folder and the command that accepts
// it, as a folder source does; the rest of the glob is synced, and when
// the folder is back nothing was lost. filepath.Glob skipped the folder
// without a word and its plan was marked gone (a folder of two or more
// plans emptied is held, but in words that blame an empty folder). Two ways a folder cannot
// be read: its permissions taken (skipped where the folder is read
// anyway, as by root), and a link on the glob's way whose folder is not
// there (a sub-share not mounted), which root cannot read either.
func TestCycle_globUnreadableFolder(t *testing.T) {
	for _, tt := range []struct {
		name, how string
		english   bool
		wantHeld  string // %s: the share's folder
	}{
		{name: "permissions taken", how: "chmod",
			wantHeld: "udrul må ikke læse mappen %s/vejle: giv brugeren, udrul kører som, læseadgang; filerne i den (1) er ikke markeret som væk; er mappen fjernet med vilje: udrul sync --accept-empty share/vejle"},
		{name: "permissions taken, in English", how: "chmod", english: true,
			wantHeld: "udrul may not read the folder %s/vejle: give the user udrul runs as read access; its files (1) are not marked gone; if the folder was removed on purpose: udrul sync --accept-empty share/vejle"},
		{name: "a linked folder not there", how: "unmount",
			wantHeld: "linket %s/vejle peger på %s/.mnt/vejle, som ikke kan læses (den findes ikke, drevet er ikke monteret, eller linket peger i ring): montér drevet, eller ret linket; filerne i den (1) er ikke markeret som væk; er mappen fjernet med vilje: udrul sync --accept-empty share/vejle"},
		{name: "a linked folder not there, in English", how: "unmount", english: true,
			wantHeld: "the link %s/vejle leads to %s/.mnt/vejle, which cannot be read (it does not exist, its drive is not mounted, or the link leads in a circle): mount the drive or correct the link; its files (1) are not marked gone; if the folder was removed on purpose: udrul sync --accept-empty share/vejle"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			dir := filepath.Join(base, "plans")
			vejle := filepath.Join(dir, "vejle")
			if tt.how == "unmount" {
				// The sub-share is mounted in a hidden folder (not matched)
				// and linked in.
				vejle = filepath.Join(dir, ".mnt", "vejle")
			}
			for _, p := range []struct{ dir, mun, sol string }{
				{filepath.Join(dir, "aarhus"), "Aarhus", "KY"}, {filepath.Join(dir, "aarhus"), "Aarhus", "KSD"},
				{vejle, "Vejle", "KY"}, // one plan: an emptied folder of one plan is not held
			} {
				os.MkdirAll(p.dir, 0o755)
				if _, err := plangen.Generate(plangen.Spec{Seed: uint64(len(p.mun) + len(p.sol)), Layout: plangen.Blocks, Municipality: p.mun, Solution: p.sol, Wave: 1}).Write(p.dir); err != nil {
					t.Fatal(err)
				}
			}
			if tt.how == "unmount" {
				if err := os.Symlink(vejle, filepath.Join(dir, "vejle")); err != nil {
					t.Fatal(err)
				}
			}
			db, err := store.Open(context.Background(), filepath.Join(base, "udrul.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			s := &syncer.Syncer{DB: db, Parser: parse.New(parse.Options{}), Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}, English: tt.english}
			files := source.NewFiles("share", filepath.Join(dir, "*", "*.xlsx"), false)
			if tt.english {
				files.Lang = "en"
			}
			sync := func() syncer.Result {
				t.Helper()
				res, err := s.Cycle(context.Background(), []syncer.Target{{Source: files, Identify: identifyByMetadata}}, syncer.Options{})
				if err != nil {
					t.Fatal(err)
				}
				return res[0]
			}
			if r := sync(); !r.OK() || r.Created != 3 {
				t.Fatalf("first sync: %s %v", r.Summary(), r.Errors)
			}

			var back func()
			switch tt.how {
			case "chmod":
				os.Chmod(vejle, 0)
				back = func() { os.Chmod(vejle, 0o755) }
				defer back()
				if fh, err := os.Open(vejle); err == nil {
					fh.Close()
					t.Skip("this user reads a folder without permissions (root)")
				}
			case "unmount":
				away := filepath.Join(base, "away")
				if err := os.Rename(vejle, away); err != nil {
					t.Fatal(err)
				}
				back = func() { os.Rename(away, vejle) }
			}
			r := sync()
			want := strings.ReplaceAll(tt.wantHeld, "%s", dir)
			if r.OK() || len(r.HeldFolders) != 1 || r.HeldFolders[0] != want {
				t.Errorf("sync: %s\nheld %q\nwant one held folder saying %q", r.Summary(), r.HeldFolders, want)
			}
			// Its plan is kept and held (not shown as OK), the others OK.
			for key, state := range planStates(t, db) {
				if want := map[bool]string{true: store.PlanHeld, false: store.PlanOK}[key == "Vejle/KY"]; state != want {
					t.Errorf("%s: %s while the folder of Vejle/KY cannot be read, want %s", key, state, want)
				}
			}

			// The folder comes back: nothing was lost, nothing is held.
			back()
			if r := sync(); !r.OK() || r.Gone != 0 || r.Unchanged != 3 || len(r.HeldFolders) != 0 {
				t.Errorf("sync after the folder came back: %s %q %q", r.Summary(), r.HeldFolders, r.Errors)
			}
			for key, state := range planStates(t, db) {
				if state != store.PlanOK {
					t.Errorf("%s: %s after its folder came back, want ok", key, state)
				}
			}
		})
	}
}

func planStates(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	plans, err := db.ListPlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range plans {
		out[p.Key()] = p.State
	}
	return out
}
