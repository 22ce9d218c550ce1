package app

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestOutputPath(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "reports")
	os.Mkdir(existing, 0o755)
	for _, tt := range []struct {
		name, out, dir, want string
	}{
		{"empty: default folder", "", existing, filepath.Join(existing, "r.xlsx")},
		{"empty, no folder: here", "", "", "r.xlsx"},
		{"existing folder", existing, "", filepath.Join(existing, "r.xlsx")},
		{"trailing slash, new folder", filepath.Join(dir, "new") + "/", "", filepath.Join(dir, "new", "r.xlsx")},
		{"a file", filepath.Join(dir, "x.xlsx"), existing, filepath.Join(dir, "x.xlsx")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := OutputPath(tt.out, tt.dir, "r.xlsx"); got != tt.want {
				t.Errorf("OutputPath(%q, %q) = %q, want %q", tt.out, tt.dir, got, tt.want)
			}
		})
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	t.Run("creates folders", func(t *testing.T) {
		path := filepath.Join(dir, "a", "b", "f.txt")
		if err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "hej"); return err }); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != "hej" {
			t.Errorf("content = %q", b)
		}
	})
	t.Run("failure leaves nothing", func(t *testing.T) {
		sub := filepath.Join(dir, "c")
		path := filepath.Join(sub, "f.txt")
		err := WriteFile(path, func(w io.Writer) error { io.WriteString(w, "half"); return errors.New("boom") })
		if err == nil {
			t.Fatal("no error")
		}
		entries, _ := os.ReadDir(sub)
		if len(entries) != 0 {
			t.Errorf("left behind: %v", entries)
		}
	})
}
