package gridtest

import (
	"os"
	"testing"
)

// TestAll writes the hostile files into $GRIDTEST_DIR and leaves them there,
// to measure a build on them (`udrul check` of each); cmd/udrul's
// TestCheckCommand_boundedMemory writes and checks them on every run.
func TestAll(t *testing.T) {
	dir := os.Getenv("GRIDTEST_DIR")
	if dir == "" {
		t.Skip("set GRIDTEST_DIR to a folder to write the hostile files into")
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
