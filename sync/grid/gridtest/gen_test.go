package gridtest

import (
	"os"
	"testing"
)

// TestAll writes the hostile files; with GRIDTEST_DIR set it leaves them
// there (to measure other builds on them).
func TestAll(t *testing.T) {
	dir := os.Getenv("GRIDTEST_DIR")
	if dir == "" {
		if testing.Short() {
			t.Skip("writes large files")
		}
		dir = t.TempDir()
	}
	files, err := All(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if fi, err := os.Stat(f.Path); err != nil || (fi.Size() == 0) {
			t.Errorf("%s: %v", f.Name, err)
		}
	}
}
