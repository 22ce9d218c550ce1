package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
