package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
)

func TestFileName_safe(t *testing.T) {
	asOf, _ := model.ParseISODate("2026-11-25")
	for _, tc := range []struct{ name, mun, want string }{
		{"report", "", "udrul-rapport-2026-W48.xlsx"},
		{"extract", "Høje-Taastrup", "udrul-rapport-2026-W48-Høje-Taastrup.xlsx"},
		{"space", "Lyngby Taarbæk", "udrul-rapport-2026-W48-Lyngby_Taarbæk.xlsx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FileName(asOf, tc.mun); got != tc.want {
				t.Errorf("FileName = %q, want %q", got, tc.want)
			}
		})
	}
	if got, want := FileName(asOf, "x/../../../../elsewhere/pwned"), "udrul-rapport-2026-W48-x_elsewhere_pwned-"; !strings.HasPrefix(got, want) || filepath.Base(got) != got {
		t.Errorf("FileName = %q, want a plain name starting %q", got, want)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	d := sample(3, false)
	t.Run("writes inside the folder, no temporary file left", func(t *testing.T) {
		path, err := WriteFile(dir, "udrul-rapport-2026-W48.xlsx", d)
		if err != nil {
			t.Fatal(err)
		}
		if path != filepath.Join(dir, "udrul-rapport-2026-W48.xlsx") {
			t.Errorf("path = %s", path)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("folder holds %d entries, want the report only", len(entries))
		}
	})
	for _, name := range []string{"../out.xlsx", "a/../../out.xlsx", "/tmp/out.xlsx", "sub/out.xlsx", ".udrul-tmp-x"} {
		t.Run("refuses "+name, func(t *testing.T) {
			if _, err := WriteFile(dir, name, d); err == nil {
				t.Errorf("WriteFile(%q) wrote", name)
			}
		})
	}
	t.Run("a symbolic link in the folder does not lead out", func(t *testing.T) {
		outside := t.TempDir()
		if err := os.Symlink(filepath.Join(outside, "victim.xlsx"), filepath.Join(dir, "link.xlsx")); err != nil {
			t.Skip(err)
		}
		if _, err := WriteFile(dir, "link.xlsx", d); err != nil {
			t.Logf("refused: %v", err)
		}
		if _, err := os.Stat(filepath.Join(outside, "victim.xlsx")); err == nil {
			t.Error("the report was written through the link, outside the folder")
		}
	})
}

func TestRemoveStaleTemp(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * time.Hour)
	files := map[string]bool{ // name → removed
		".udrul-tmp-ab12-udrul-rapport-2026-W48.xlsx": true,
		"udrul-rapport-2026-W47.xlsx.tmp":             true,
		"udrul-rapport-2026-W47.xlsx":                 false,
		"notes.tmp":                                   false,
	}
	for name := range files {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("x"), 0o644)
		os.Chtimes(p, old, old)
	}
	fresh := filepath.Join(dir, ".udrul-tmp-cd34-being-written.xlsx")
	os.WriteFile(fresh, []byte("x"), 0o644)
	files[filepath.Base(fresh)] = false
	if _, err := RemoveStaleTemp(dir, time.Hour); err != nil {
		t.Fatal(err)
	}
	for name, removed := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := os.IsNotExist(err); gone != removed {
			t.Errorf("%s: removed = %v, want %v", name, gone, removed)
		}
	}
}
