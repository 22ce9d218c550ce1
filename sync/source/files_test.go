package source

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/sync/grid"
)

func TestFiles_List(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.xlsx", "b.csv", "c.xlsm", "d.txt", "~$a.xlsx", ".hidden.xlsx", "notes.docx", "sub/e.xlsx", ".git/f.xlsx", "udrul-rapport-2026-W48.xlsx"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(name), 0o644)
	}
	names := func(items []Item) string { return strings.Join(relKeys(dir, items), " ") }
	tests := []struct {
		name      string
		path      string
		recursive bool
		want      string
	}{
		{"folder", dir, false, "a.xlsx b.csv c.xlsm d.txt"},
		{"recursive", dir, true, "a.xlsx b.csv c.xlsm d.txt sub/e.xlsx"},
		{"glob", filepath.Join(dir, "*.xlsx"), false, "a.xlsx"},
		{"glob in subfolders", filepath.Join(dir, "*", "*.xlsx"), false, "sub/e.xlsx"},
		{"one file", filepath.Join(dir, "b.csv"), false, "b.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := NewFiles("s", tt.path, tt.recursive).List(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := names(items); got != tt.want {
				t.Errorf("List = %q, want %q", got, tt.want)
			}
		})
	}
	items, _ := NewFiles("s", dir, false).List(context.Background())
	before := items[0].Version
	os.WriteFile(items[0].Key, []byte("changed content"), 0o644)
	items, _ = NewFiles("s", dir, false).List(context.Background())
	if items[0].Version == before {
		t.Error("the version did not change with the content")
	}
	if _, err := NewFiles("s", filepath.Join(dir, "missing"), false).List(context.Background()); err == nil {
		t.Error("a missing folder lists without error")
	}
	if _, err := NewFiles("s", filepath.Join(dir, "missing", "*.xlsx"), false).List(context.Background()); err == nil {
		t.Error("a glob in a missing folder lists without error")
	}
}

// TestFiles_onlyRegularFiles: a FIFO named like a plan and a link to
// /dev/zero are listed with an error (so the sync names them) and never
// opened; a link to a plan is read; a file over the limit is refused by
// its listed size, and one that grew past it by the reader.
func TestFiles_onlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.csv"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.xlsx")); err != nil {
		t.Fatal(err)
	}
	plan := filepath.Join(t.TempDir(), "plan.csv")
	os.WriteFile(plan, []byte("Opgave;Status\nA;Færdig\n"), 0o644)
	if err := os.Symlink(plan, filepath.Join(dir, "link.csv")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "big.csv"), []byte(strings.Repeat("a;b\n", 100)), 0o644)

	src := NewFiles("s", dir, false)
	src.MaxSize, src.Lang = 200, "en"
	src.LinksOutside = true // link.csv leads out of the folder (see TestFiles_linkOutside)
	items, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Item{}
	for _, it := range items {
		got[it.Name] = it
	}
	if len(got) != 4 {
		t.Fatalf("listed %v, want the fifo, the links and big.csv", items)
	}
	for name, says := range map[string]string{"fifo.csv": "FIFO", "zero.xlsx": "device"} {
		if err := got[name].Err; !errors.Is(err, grid.ErrNotRegular) || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: Err = %v, want ErrNotRegular saying %q", name, err, says)
		}
	}
	f, err := src.Fetch(context.Background(), got["link.csv"])
	if err != nil || !strings.Contains(string(f.Data), "Færdig") {
		t.Errorf("link to a plan: %q, %v", f.Data, err)
	}
	if _, err := src.Fetch(context.Background(), got["big.csv"]); !errors.Is(err, grid.ErrTooLarge) || !strings.Contains(err.Error(), "400 bytes") {
		t.Errorf("big.csv: %v, want ErrTooLarge by its listed size", err)
	}
	small := got["link.csv"]
	os.WriteFile(plan, []byte(strings.Repeat("x", 1000)), 0o644) // grew since it was listed
	if _, err := src.Fetch(context.Background(), small); !errors.Is(err, grid.ErrTooLarge) {
		t.Errorf("a file that grew past the limit: %v", err)
	}
}

// TestFiles_missingFolder: a folder that does not exist is said in plain
// words, in the configured language, and is still fs.ErrNotExist.
func TestFiles_missingFolder(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{{"da", "mappen"}, {"en", "the folder"}} {
		f := NewFiles("share", filepath.Join(t.TempDir(), "plans"), false)
		f.Lang = tt.lang
		_, err := f.List(context.Background())
		if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "stat ") {
			t.Errorf("%s: %v", tt.lang, err)
		}
	}
}

// TestFiles_editKeepingModTime: a file edited and given back its old size
// and modification time (cp -p, rsync -t, a restore) gets a new version,
// so sync reads it instead of calling it unchanged.
func TestFiles_editKeepingModTime(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the change time is read on Linux")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "KY_Aarhus.csv")
	os.WriteFile(p, []byte("30-07-2026;02-08-2026"), 0o644)
	fi, _ := os.Stat(p)
	f := NewFiles("share", dir, false)
	before, err := f.List(context.Background())
	if err != nil || len(before) != 1 {
		t.Fatal(err, before)
	}
	time.Sleep(10 * time.Millisecond)
	os.WriteFile(p, []byte("30-07-2026;09-08-2026"), 0o644) // same size
	os.Chtimes(p, fi.ModTime(), fi.ModTime())
	after, _ := f.List(context.Background())
	if after[0].Version == before[0].Version {
		t.Errorf("an edited file with its old size and mtime has the same version %q", after[0].Version)
	}
	again, _ := f.List(context.Background())
	if again[0].Version != after[0].Version {
		t.Error("an untouched file's version changed between listings")
	}
}

// TestFiles_Fetch_writtenWhileRead: a file written while it is read (a copy
// over the old file in place, a slow save over the network) gives a read
// that is neither the old file nor the new one — a plan cut short looks
// like tasks deleted. Such a read is never returned: the file is read again
// until a read finds it unchanged, and refused in words when it keeps
// changing.
func TestFiles_Fetch_writtenWhileRead(t *testing.T) {
	whole := "Opgave;Slutdato\nKick-off;01-06-2026\nDatavask;15-06-2026\nPrøvekonvertering;01-07-2026\n"
	tests := []struct {
		name string
		// writes is how many reads see the file being written.
		writes  int
		wantErr bool
	}{
		{name: "unchanged", writes: 0},
		{name: "written during the first read", writes: 1},
		{name: "written during every read", writes: 10, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "KY_Aarhus.csv")
			os.WriteFile(p, []byte(whole), 0o644)
			f := NewFiles("share", dir, false)
			f.Lang = "en"
			items, err := f.List(context.Background())
			if err != nil || len(items) != 1 {
				t.Fatal(err, items)
			}
			reads := 0
			f.load = func(path string, max int64) ([]byte, error) {
				reads++
				if reads > tt.writes {
					return grid.Load(path, max)
				}
				// The writer truncated the file and has written half of it
				// when the read runs; it writes the rest after.
				os.WriteFile(path, []byte(whole[:len(whole)/2]), 0o644)
				data, err := grid.Load(path, max)
				os.WriteFile(path, []byte(whole), 0o644)
				return data, err
			}
			got, err := f.Fetch(context.Background(), items[0])
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "changed while") {
					t.Fatalf("Fetch = %d bytes, %v; want a refusal saying the file changed while it was read", len(got.Data), err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got.Data) != whole {
				t.Errorf("Fetch = %q, want the whole file %q", got.Data, whole)
			}
		})
	}
}

// TestFiles_brokenLink: a link to a plan whose target cannot be read (the
// share it points into is not mounted, the file moved) is listed with the
// reason, so its plan fails this sync and keeps its tasks and state; it
// was left out of the listing, and its plan counted as deleted ("gone").
func TestFiles_brokenLink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "unmounted", "KY_Aarhus.xlsx")
	if err := os.Symlink(target, filepath.Join(dir, "KY_Aarhus.xlsx")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop.csv", filepath.Join(dir, "loop.csv")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ lang, want string }{
		{"en", "the link points to " + target + ", which cannot be read"},
		{"da", "linket peger på " + target + ", som ikke kan læses"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			src := NewFiles("s", dir, false)
			src.Lang = tt.lang
			items, err := src.List(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 2 {
				t.Fatalf("listed %+v, want both links", items)
			}
			if it := items[0]; it.Name != "KY_Aarhus.xlsx" || it.Err == nil || !strings.Contains(it.Err.Error(), tt.want) {
				t.Errorf("%s: Err = %v, want %q", it.Name, it.Err, tt.want)
			}
			if it := items[1]; it.Name != "loop.csv" || it.Err == nil {
				t.Errorf("%s: Err = %v, want a reason", it.Name, it.Err)
			}
		})
	}
}

// TestFiles_linkOutside: a link in the folder (or a glob's folder) that
// leads out of it is listed with a reason and never read, unless the
// source follows links outside; a link within the folder, and a single
// file named in path, are read.
func TestFiles_linkOutside(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "plans")
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	secret := filepath.Join(base, "secret.csv")
	os.WriteFile(secret, []byte("ID;Opgave\n1;smtp password: hunter2\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "sub", "KY_Vejle.csv"), []byte("ID;Opgave\n1;x\n"), 0o644)
	if err := os.Symlink(secret, filepath.Join(dir, "KY_Aarhus.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("sub", "KY_Vejle.csv"), filepath.Join(dir, "KY_Vejle.csv")); err != nil {
		t.Fatal(err)
	}
	// A linked folder: a glob through it leads out too.
	os.MkdirAll(filepath.Join(base, "outside"), 0o755)
	os.WriteFile(filepath.Join(base, "outside", "KY_Odense.csv"), []byte("ID;Opgave\n1;x\n"), 0o644)
	if err := os.Symlink(filepath.Join(base, "outside"), filepath.Join(dir, "evil")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, path string
		outside    bool
		wantErr    map[string]bool // listed names → refused
	}{
		{"folder", dir, false, map[string]bool{"KY_Aarhus.csv": true, "KY_Vejle.csv": false}},
		{"glob", filepath.Join(dir, "KY_*.csv"), false, map[string]bool{"KY_Aarhus.csv": true, "KY_Vejle.csv": false}},
		{"glob through a linked folder", filepath.Join(dir, "*", "KY_*.csv"), false, map[string]bool{"KY_Odense.csv": true, "KY_Vejle.csv": false}},
		{"folder, links outside followed", dir, true, map[string]bool{"KY_Aarhus.csv": false, "KY_Vejle.csv": false}},
		{"a single file named", filepath.Join(dir, "KY_Aarhus.csv"), false, map[string]bool{"KY_Aarhus.csv": false}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := NewFiles("s", tt.path, false)
			src.Lang, src.LinksOutside = "en", tt.outside
			items, err := src.List(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, it := range items {
				got[it.Name] = it.Err != nil
				if it.Err != nil && (!errors.Is(it.Err, ErrLinkOutside) || !strings.Contains(it.Err.Error(), "the link leads out of the source's folder (to "+base)) {
					t.Errorf("%s: Err = %v", it.Name, it.Err)
				}
			}
			if !maps.Equal(got, tt.wantErr) {
				t.Errorf("listed (name → refused) %v, want %v", got, tt.wantErr)
			}
		})
	}
}

// TestFiles_Fetch_linkSwappedIn: a plan file swapped for a link out of the
// folder between List and Fetch is refused by Fetch, never read; a link
// within the folder swapped in is read, and with links_outside the link
// out is followed.
func TestFiles_Fetch_linkSwappedIn(t *testing.T) {
	for _, tt := range []struct {
		name    string
		inside  bool // the link swapped in leads within the folder
		outside bool // LinksOutside
		noProc  bool // the real path is found by resolving the name again
		wantErr bool
	}{
		{name: "link out of the folder", wantErr: true},
		{name: "link within the folder", inside: true},
		{name: "link out, links_outside", outside: true},
		{name: "link out of the folder, without /proc", noProc: true, wantErr: true},
		{name: "link within the folder, without /proc", inside: true, noProc: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			dir := filepath.Join(base, "plans")
			os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
			secret := filepath.Join(base, "secret.csv")
			os.WriteFile(secret, []byte("ID;Opgave\n1;smtp password: hunter2\n"), 0o600)
			inner := filepath.Join(dir, "sub", "other.csv")
			os.WriteFile(inner, []byte("ID;Opgave\n1;inside\n"), 0o644)
			p := filepath.Join(dir, "KY_Aarhus.csv")
			os.WriteFile(p, []byte("ID;Opgave\n1;Kick-off\n"), 0o644)
			src := NewFiles("s", dir, false)
			src.Lang, src.LinksOutside = "en", tt.outside
			if tt.noProc {
				src.opened = func(*os.File) (string, error) { return "", errors.ErrUnsupported }
			}
			items, err := src.List(context.Background())
			if err != nil || len(items) != 1 || items[0].Err != nil {
				t.Fatalf("List = %+v, %v", items, err)
			}
			target := secret
			if tt.inside {
				target = inner
			}
			os.Remove(p)
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			got, err := src.Fetch(context.Background(), items[0])
			if tt.wantErr {
				if !errors.Is(err, ErrLinkOutside) || !strings.Contains(err.Error(), "the link leads out of the source's folder") || strings.Contains(string(got.Data), "hunter2") {
					t.Errorf("Fetch = %q, %v; want ErrLinkOutside, nothing read", got.Data, err)
				}
				return
			}
			want, _ := os.ReadFile(target)
			if err != nil || string(got.Data) != string(want) {
				t.Errorf("Fetch = %q, %v; want %q", got.Data, err, want)
			}
		})
	}
}

// TestFiles_Listing_unreadableFolder: a subfolder that cannot be read is
// named in the listing with the reason in words, and the rest of the
// folder is listed; the source's own folder unreadable fails the listing.
func TestFiles_Listing_unreadableFolder(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"KY_Aarhus.xlsx", "aarhus/KSD_Aarhus.xlsx", "vejle/KY_Vejle.xlsx", "vejle/KSD_Vejle.xlsx"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(name), 0o644)
	}
	bad := filepath.Join(dir, "vejle")
	for _, tt := range []struct {
		lang, want string
		err        error
	}{
		{"en", "udrul may not read the folder " + bad + ": give the user udrul runs as read access", fs.ErrPermission},
		{"da", "udrul må ikke læse mappen " + bad, fs.ErrPermission},
		{"en", "the folder " + bad + " cannot be read", syscall.EIO},
	} {
		t.Run(tt.lang+" "+tt.err.Error(), func(t *testing.T) {
			src := NewFiles("s", dir, true)
			src.Lang = tt.lang
			// What WalkDir does when it cannot read a folder: the folder is
			// given once without error, then once with its ReadDir error.
			src.walk = func(root string, fn fs.WalkDirFunc) error {
				return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
					if p != bad || err != nil {
						return fn(p, d, err)
					}
					if err := fn(p, d, nil); err != nil {
						return err
					}
					if err := fn(p, d, &fs.PathError{Op: "open", Path: p, Err: tt.err}); err != nil {
						return err
					}
					return filepath.SkipDir
				})
			}
			l, err := src.Listing(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(l.Items), 2; got != want {
				t.Errorf("listed %d plans, want %d (the rest of the folder)", got, want)
			}
			if len(l.Unreadable) != 1 || l.Unreadable[0].Path != bad || !strings.Contains(l.Unreadable[0].Err.Error(), tt.want) || !errors.Is(l.Unreadable[0].Err, tt.err) {
				t.Errorf("Unreadable = %+v, want %s: %q", l.Unreadable, bad, tt.want)
			}
			if l.Base != dir {
				t.Errorf("Base = %q, want %q", l.Base, dir)
			}
		})
	}
	t.Run("the source's folder", func(t *testing.T) {
		src := NewFiles("s", dir, true)
		src.Lang = "en"
		src.walk = func(root string, fn fs.WalkDirFunc) error {
			return fn(root, nil, &fs.PathError{Op: "lstat", Path: root, Err: fs.ErrPermission})
		}
		if _, err := src.Listing(context.Background()); !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "udrul may not read the folder "+dir) {
			t.Errorf("Listing = %v, want the folder refused", err)
		}
	})
}

// TestFiles_Listing_unreadablePermission: as above with a real folder
// without permissions (skipped as root, who reads it anyway).
func TestFiles_Listing_unreadablePermission(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads a folder without permissions")
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "vejle")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "KY_Vejle.xlsx"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "KY_Aarhus.xlsx"), []byte("x"), 0o644)
	os.Chmod(bad, 0)
	defer os.Chmod(bad, 0o755)
	l, err := NewFiles("s", dir, true).Listing(context.Background())
	if err != nil || len(l.Items) != 1 || len(l.Unreadable) != 1 || !errors.Is(l.Unreadable[0].Err, fs.ErrPermission) {
		t.Errorf("Listing = %+v, %v; want one plan and the folder unreadable", l, err)
	}
}

// TestFiles_Listing_unread: spreadsheets in formats udrul does not read are
// named in the listing (a sync skipped them without a word); lock files
// and hidden ones are not, nor are they plans.
func TestFiles_Listing_unread(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"KY_Aarhus.xlsx", "KY_Vejle.xls", "sub/KSD_Odense.ODS", "KY_Horsens.xlsb", "~$KY_Vejle.xls", ".KY_Skjult.xls", "notes.docx", "KP_Aalborg.numbers"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(name), 0o644)
	}
	for _, tt := range []struct {
		name      string
		path      string
		recursive bool
		want      string
	}{
		{"folder", dir, false, "KP_Aalborg.numbers KY_Horsens.xlsb KY_Vejle.xls"},
		{"recursive", dir, true, "KP_Aalborg.numbers KY_Horsens.xlsb KY_Vejle.xls sub/KSD_Odense.ODS"},
		{"glob", filepath.Join(dir, "KY_*"), false, "KY_Horsens.xlsb KY_Vejle.xls"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewFiles("s", tt.path, tt.recursive).Listing(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range l.Unread {
				rel, _ := filepath.Rel(dir, p)
				got = append(got, rel)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("Unread = %q, want %q", strings.Join(got, " "), tt.want)
			}
			if len(l.Items) != 1 || l.Items[0].Name != "KY_Aarhus.xlsx" {
				t.Errorf("Items = %+v, want KY_Aarhus.xlsx only", l.Items)
			}
		})
	}
}

// TestFiles_List_folderLink: a source whose path is a link to the folder
// (/srv/plans → /mnt/share) lists the folder's plans, under the path as
// configured; WalkDir alone would list nothing.
func TestFiles_List_folderLink(t *testing.T) {
	base := t.TempDir()
	real := filepath.Join(base, "share")
	os.MkdirAll(filepath.Join(real, "sub"), 0o755)
	os.WriteFile(filepath.Join(real, "KY_Aarhus.csv"), []byte("ID;Opgave\n1;x\n"), 0o644)
	os.WriteFile(filepath.Join(real, "sub", "KY_Vejle.csv"), []byte("ID;Opgave\n1;y\n"), 0o644)
	link := filepath.Join(base, "plans")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	src := NewFiles("s", link, true)
	items, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Key)
		if it.Err != nil {
			t.Errorf("%s: %v", it.Key, it.Err)
		} else if _, err := src.Fetch(context.Background(), it); err != nil {
			t.Errorf("Fetch %s: %v", it.Key, err)
		}
	}
	want := filepath.Join(link, "KY_Aarhus.csv") + " " + filepath.Join(link, "sub", "KY_Vejle.csv")
	if strings.Join(got, " ") != want {
		t.Errorf("List = %q, want %q", strings.Join(got, " "), want)
	}
}

// TestFiles_Listing_folderLink: a link to a folder in a recursive walk is
// not followed, and named with the reason; without recursive, folders are
// not walked and nothing is named.
func TestFiles_Listing_folderLink(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "plans")
	os.MkdirAll(filepath.Join(base, "outside"), 0o755)
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(base, "outside", "KY_Odense.csv"), []byte("ID;Opgave\n1;x\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "KY_Vejle.csv"), []byte("ID;Opgave\n1;x\n"), 0o644)
	link := filepath.Join(dir, "odense")
	if err := os.Symlink(filepath.Join(base, "outside"), link); err != nil {
		t.Fatal(err)
	}
	os.Symlink(filepath.Join(base, "unmounted"), filepath.Join(dir, "dangling"))
	for _, tt := range []struct {
		name      string
		recursive bool
		lang      string
		want      string
	}{
		{"recursive", true, "en", link + " is a link to a folder (" + filepath.Join(base, "outside") + "), which is not followed: plans in it are not read"},
		{"recursive, Danish", true, "da", link + " er et link til en mappe (" + filepath.Join(base, "outside") + "), som ikke følges"},
		{"not recursive", false, "en", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := NewFiles("s", dir, tt.recursive)
			src.Lang = tt.lang
			l, err := src.Listing(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Items) != 1 || l.Items[0].Name != "KY_Vejle.csv" {
				t.Errorf("Items = %+v, want KY_Vejle.csv only", l.Items)
			}
			var got []string
			for _, f := range l.LinkedFolders {
				got = append(got, f.Err.Error())
			}
			if tt.want == "" && len(got) > 0 || tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)) {
				t.Errorf("LinkedFolders = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFiles_Listing_lostFound: a mount's lost+found (readable by root only,
// its files fsck's fragments) is neither listed nor named as a folder that
// cannot be read; a folder of that name deeper down is an ordinary folder.
func TestFiles_Listing_lostFound(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"aarhus/KY_Aarhus.xlsx", "lost+found/#1234.xlsx", "vejle/lost+found/KY_Vejle.xlsx"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(name), 0o644)
	}
	src := NewFiles("s", dir, true)
	// As a user other than root sees it: lost+found cannot be read.
	src.walk = func(root string, fn fs.WalkDirFunc) error {
		return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if p != filepath.Join(dir, "lost+found") || err != nil {
				return fn(p, d, err)
			}
			if err := fn(p, d, nil); err != nil {
				return err
			}
			return fn(p, d, &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission})
		})
	}
	l, err := src.Listing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := relKeys(dir, l.Items)
	if want := []string{"aarhus/KY_Aarhus.xlsx", "vejle/lost+found/KY_Vejle.xlsx"}; !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
	if len(l.Unreadable) != 0 {
		t.Errorf("unreadable folders %v, want none", l.Unreadable)
	}
}

// TestFiles_Fetch_relativeFolder: a source's folder given relative to the
// working directory (as `udrul demo` and many configurations give it) is
// read, and a link out of it still refused: the opened file's real path is
// absolute, the folder's was not, and every file was refused as outside.
func TestFiles_Fetch_relativeFolder(t *testing.T) {
	for _, tt := range []struct {
		name   string
		noProc bool
	}{
		{name: "through /proc"},
		{name: "without /proc", noProc: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			t.Chdir(base)
			os.MkdirAll(filepath.Join("share", "plans"), 0o755)
			os.WriteFile(filepath.Join("share", "plans", "KY_Aarhus.csv"), []byte("ID;Opgave\n1;Kick-off\n"), 0o644)
			os.WriteFile("secret.csv", []byte("ID;Opgave\n1;hunter2\n"), 0o600)
			os.Symlink(filepath.Join(base, "secret.csv"), filepath.Join("share", "plans", "KY_Vejle.csv"))
			src := NewFiles("s", filepath.Join("share", "plans"), false)
			src.Lang = "en"
			if tt.noProc {
				src.opened = func(*os.File) (string, error) { return "", errors.New("no /proc") }
			}
			items, err := src.List(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			read := map[string]error{}
			for _, it := range items {
				_, err := src.Fetch(context.Background(), it)
				read[filepath.Base(it.Key)] = err
			}
			if err, ok := read["KY_Aarhus.csv"]; !ok || err != nil {
				t.Errorf("KY_Aarhus.csv: listed %v, read: %v; want read", ok, err)
			}
			if err, ok := read["KY_Vejle.csv"]; ok && !errors.Is(err, ErrLinkOutside) {
				t.Errorf("KY_Vejle.csv (a link out of the folder): %v, want ErrLinkOutside", err)
			}
		})
	}
}

// TestFiles_Listing_globUnreadable: a folder on a glob's way that cannot be
// read is named in the listing with the reason in words (its plans are not
// listed, and not gone: the sync holds them), the rest listed; the glob's
// own folder unreadable fails the listing. filepath.Glob skipped such a
// folder without a word. Root reads any folder whatever its permissions,
// so the reading of a folder is made to fail (as os.ReadDir fails), and a
// link on the glob's way to a folder that is not there is unreadable for
// root too (TestFiles_Listing_globUnreadablePermission has a real folder
// without permissions, for other users).
func TestFiles_Listing_globUnreadable(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "plans")
	for _, name := range []string{"KY_Odense.xlsx", "aarhus/KY_Aarhus.xlsx", "vejle/KY_Vejle.xlsx", "vejle/KSD_Vejle.xlsx", ".snapshot/old/KY_Aarhus.xlsx"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(name), 0o644)
	}
	pattern := filepath.Join(dir, "*", "K*.xlsx")
	bad := filepath.Join(dir, "vejle")
	failing := func(folder string, err error) func(string) ([]fs.DirEntry, error) {
		return func(d string) ([]fs.DirEntry, error) {
			if d == folder {
				return nil, &fs.PathError{Op: "open", Path: d, Err: err}
			}
			if d == filepath.Join(dir, ".snapshot") {
				t.Errorf("a hidden folder on the glob's way was read: %s", d)
			}
			return os.ReadDir(d)
		}
	}
	names := func(items []Item) []string { return relKeys(dir, items) }
	for _, tt := range []struct {
		lang, want string
		err        error
	}{
		{"en", "udrul may not read the folder " + bad + ": give the user udrul runs as read access", fs.ErrPermission},
		{"da", "udrul må ikke læse mappen " + bad + ": giv brugeren, udrul kører som, læseadgang", fs.ErrPermission},
		{"en", "the folder " + bad + " cannot be read (an error of the file system or drive)", syscall.EIO},
		{"da", "mappen " + bad + " kan ikke læses (en fejl i filsystemet eller på drevet)", syscall.EIO},
	} {
		t.Run(tt.lang+" "+tt.err.Error(), func(t *testing.T) {
			src := NewFiles("s", pattern, false)
			src.Lang, src.readDir = tt.lang, failing(bad, tt.err)
			l, err := src.Listing(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := names(l.Items), []string{"aarhus/KY_Aarhus.xlsx"}; !slices.Equal(got, want) {
				t.Errorf("listed %q, want %q (the rest of the glob)", got, want)
			}
			if len(l.Unreadable) != 1 || l.Unreadable[0].Path != bad || !strings.Contains(l.Unreadable[0].Err.Error(), tt.want) || !errors.Is(l.Unreadable[0].Err, tt.err) {
				t.Errorf("Unreadable = %+v, want %s: %q", l.Unreadable, bad, tt.want)
			}
			if l.Base != dir {
				t.Errorf("Base = %q, want %q", l.Base, dir)
			}
		})
	}
	t.Run("the glob's folder", func(t *testing.T) {
		for lang, want := range map[string]string{"en": "udrul may not read the folder " + dir + ": give the user udrul runs as read access", "da": "udrul må ikke læse mappen " + dir + ": giv brugeren, udrul kører som, læseadgang"} {
			src := NewFiles("s", filepath.Join(dir, "KY_*.xlsx"), false)
			src.Lang, src.readDir = lang, failing(dir, fs.ErrPermission)
			if _, err := src.Listing(context.Background()); !errors.Is(err, fs.ErrPermission) || err.Error() != want {
				t.Errorf("%s: Listing = %v, want %q", lang, err, want)
			}
		}
	})
	t.Run("the glob's folder missing", func(t *testing.T) {
		missing := filepath.Join(base, "gone")
		src := NewFiles("s", filepath.Join(missing, "*", "KY_*.xlsx"), false)
		src.Lang = "en"
		if _, err := src.Listing(context.Background()); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "the folder "+missing+" does not exist") {
			t.Errorf("Listing = %v, want the folder %s named", err, missing)
		}
	})
	t.Run("a link on the way to a folder not there", func(t *testing.T) {
		// A sub-share linked in and not mounted: unreadable for root too.
		link := filepath.Join(dir, "skive")
		if err := os.Symlink(filepath.Join(dir, ".mnt", "skive"), link); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(link)
		for lang, want := range map[string]string{
			"en": "the link " + link + " leads to " + filepath.Join(dir, ".mnt", "skive") + ", which cannot be read",
			"da": "linket " + link + " peger på " + filepath.Join(dir, ".mnt", "skive") + ", som ikke kan læses",
		} {
			src := NewFiles("s", pattern, false)
			src.Lang = lang
			l, err := src.Listing(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(l.Items), 3; got != want {
				t.Errorf("%s: listed %d plans, want %d", lang, got, want)
			}
			if len(l.Unreadable) != 1 || l.Unreadable[0].Path != link || !strings.Contains(l.Unreadable[0].Err.Error(), want) || !errors.Is(l.Unreadable[0].Err, fs.ErrNotExist) {
				t.Errorf("%s: Unreadable = %+v, want %s: %q", lang, l.Unreadable, link, want)
			}
		}
	})
	t.Run("bad pattern", func(t *testing.T) {
		src := NewFiles("s", filepath.Join(dir, "[*.xlsx"), false)
		src.Lang = "en"
		if _, err := src.Listing(context.Background()); !errors.Is(err, filepath.ErrBadPattern) || !strings.Contains(err.Error(), "is not a valid pattern") {
			t.Errorf("Listing = %v, want the pattern refused in words", err)
		}
	})
}

// TestFiles_Listing_globUnreadablePermission: as above with a real folder
// without permissions, and one that may be listed but not entered
// (skipped where the folder can be read anyway, as by root).
func TestFiles_Listing_globUnreadablePermission(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"aarhus/KY_Aarhus.xlsx", "vejle/KY_Vejle.xlsx", "skive/KY_Skive.xlsx"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	bad, listOnly := filepath.Join(dir, "vejle"), filepath.Join(dir, "skive")
	os.Chmod(bad, 0)
	os.Chmod(listOnly, 0o444)
	defer os.Chmod(bad, 0o755)
	defer os.Chmod(listOnly, 0o755)
	if fh, err := os.Open(bad); err == nil {
		fh.Close()
		t.Skip("this user reads a folder without permissions (root)")
	}
	src := NewFiles("s", filepath.Join(dir, "*", "KY_*.xlsx"), false)
	src.Lang = "en"
	l, err := src.Listing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Unreadable) != 1 || l.Unreadable[0].Path != bad || !errors.Is(l.Unreadable[0].Err, fs.ErrPermission) {
		t.Errorf("Unreadable = %+v, want %s without permission", l.Unreadable, bad)
	}
	got := map[string]bool{}
	for _, it := range l.Items {
		got[it.Name] = it.Err != nil
	}
	// KY_Skive.xlsx is listed and cannot be looked at: it fails (its
	// plan kept), never left out as gone.
	if want := map[string]bool{"KY_Aarhus.xlsx": false, "KY_Skive.xlsx": true}; !maps.Equal(got, want) {
		t.Errorf("listed (name → failing) %v, want %v", got, want)
	}
}

// relKeys are the items' keys relative to dir, with forward slashes.
func relKeys(dir string, items []Item) []string {
	var out []string
	for _, it := range items {
		rel, _ := filepath.Rel(dir, it.Key)
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}
