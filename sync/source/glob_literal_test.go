package source

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestFiles_Listing_globTraverseOnly: a folder on a glob's way that may be
// entered but not listed (traverse-only: a share's ACL that lets udrul into
// each municipality's folder but not list it) is in the way only of a
// wildcard; a part of the glob without one (Planer in
// plans/*/Planer/K*.xlsx) names the folder to enter, as a shell's glob
// (glibc) does, so the plans below are listed — not the folder held, the
// source failing at every sync with "udrul may not read the folder" and
// those plans never read again while they can be. Root enters any folder,
// so the listing of the municipality's folder is made to fail as os.ReadDir
// fails there.
func TestFiles_Listing_globTraverseOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "plans")
	for _, name := range []string{"aarhus/Planer/KY_Aarhus.xlsx", "vejle/Planer/KY_Vejle.xlsx"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(name), 0o644)
	}
	traverseOnly := filepath.Join(dir, "aarhus")
	src := NewFiles("s", filepath.Join(dir, "*", "Planer", "K*.xlsx"), false)
	src.Lang = "en"
	src.readDir = func(d string) ([]fs.DirEntry, error) {
		if d == traverseOnly {
			return nil, &fs.PathError{Op: "open", Path: d, Err: fs.ErrPermission}
		}
		return os.ReadDir(d)
	}
	l, err := src.Listing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := relKeys(dir, l.Items)
	if want := []string{"aarhus/Planer/KY_Aarhus.xlsx", "vejle/Planer/KY_Vejle.xlsx"}; !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
	if len(l.Unreadable) != 0 {
		t.Errorf("Unreadable = %+v, want none (Planer can be entered)", l.Unreadable)
	}
}

// TestFiles_Listing_globEscapedBase: an escape in the glob's fixed part
// (a space written shell-style, "Kommune\ planer", or "\[" before the
// first wildcard) is a pattern's escape, as filepath.Match (and config
// check, which tells the glob matches plans) reads it: the files are
// listed, not "the folder …\ planer does not exist" — config check then
// vouches for a source every sync fails.
func TestFiles_Listing_globEscapedBase(t *testing.T) {
	root := t.TempDir()
	for _, tt := range []struct{ folder, written string }{
		{"Kommune planer", `Kommune\ planer`},
		{"Planer [2026]", `Planer\ \[2026\]`},
	} {
		t.Run(tt.folder, func(t *testing.T) {
			p := filepath.Join(root, tt.folder, "aarhus", "KY_Aarhus.xlsx")
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte("x"), 0o644)
			pattern := root + "/" + tt.written + "/*/*.xlsx"
			if m, err := filepath.Glob(pattern); err != nil || len(m) != 1 {
				t.Fatalf("filepath.Glob(%q) = %q, %v: the pattern is meant to match", pattern, m, err)
			}
			src := NewFiles("s", pattern, false)
			src.Lang = "en"
			l, err := src.Listing(context.Background())
			if err != nil {
				t.Fatalf("Listing: %v", err)
			}
			if len(l.Items) != 1 || l.Items[0].Key != p || l.Items[0].Err != nil {
				t.Errorf("Items = %+v, want %s readable", l.Items, p)
			}
		})
	}
}

// TestFiles_Listing_globAsFilepathGlob: on a readable tree (links,
// brackets, spaces, Danish letters, escapes in names), a glob source lists
// what filepath.Glob matches, hidden folders aside.
func TestFiles_Listing_globAsFilepathGlob(t *testing.T) {
	root := filepath.Join(t.TempDir(), "share")
	for _, name := range []string{
		"Kommune planer/aarhus/Planer/KY_Aarhus.xlsx", "Kommune planer/aarhus/Planer/notes.txt",
		"Kommune planer/vejle/Planer/KY_Vejle.xlsx", "Kommune planer/vejle/Andet/KY_x.xlsx",
		"Kommune planer/Ærø [2026]/Planer/KY_Ærø.xlsx", "Kommune planer/.snapshot/Planer/KY_old.xlsx",
		"Kommune planer/odense/KY_top.xlsx", "a*b/Planer/KY_star.xlsx",
	} {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(name), 0o644)
	}
	os.Symlink(filepath.Join(root, "Kommune planer", "vejle"), filepath.Join(root, "Kommune planer", "link-vejle"))
	for _, pattern := range []string{
		`Kommune planer/*/Planer/K*.xlsx`,
		`Kommune\ planer/*/Planer/*`,
		`Kommune planer/*/*/*.xlsx`,
		`Kommune planer/[Æv]*/Planer/*.xlsx`,
		`Kommune planer/*/Planer/KY_\Ærø.xlsx`,
		`Kommune planer/*\[2026\]/Planer/*.xlsx`,
		`a\*b/*/*.xlsx`,
		`Kommune planer/*/Mangler/*.xlsx`,
	} {
		t.Run(pattern, func(t *testing.T) {
			full := root + "/" + pattern
			want, err := filepath.Glob(full)
			if err != nil {
				t.Fatal(err)
			}
			want = withoutHidden(want, globBase(full))
			src := NewFiles("s", full, false)
			l, err := src.Listing(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range l.Items {
				got = append(got, it.Key)
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("listed %q\nwant   %q", got, want)
			}
		})
	}
}
