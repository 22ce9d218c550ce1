package grid_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
)

// TestReadFile_linkLoopInWords: a symbolic link that points in a circle is
// said in plain words in the language asked for, not as the operating
// system's "stat PATH: too many levels of symbolic links".
func TestReadFile_linkLoopInWords(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.xlsx"), filepath.Join(dir, "b.xlsx")
	if err := os.Symlink(b, a); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ lang, want string }{
		{grid.Danish, "symbolsk henvisning, der peger i ring"},
		{grid.English, "symbolic link that points in a circle"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			_, err := grid.ReadFile(a, grid.Options{Lang: tt.lang})
			if !errors.Is(err, grid.ErrUnreadable) {
				t.Fatalf("got %v, want ErrUnreadable", err)
			}
			if got := err.Error(); !strings.Contains(got, tt.want) || strings.Contains(got, "too many levels") || strings.Contains(got, dir) {
				t.Errorf("got %q, want %q without the system's text or the path", got, tt.want)
			}
		})
	}
}
