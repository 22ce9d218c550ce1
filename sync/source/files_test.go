package source

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
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
	names := func(items []Item) string {
		var out []string
		for _, it := range items {
			rel, _ := filepath.Rel(dir, it.Key)
			out = append(out, rel)
		}
		return strings.Join(out, " ")
	}
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
