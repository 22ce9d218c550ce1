package placement

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/internal/provenance"
)

func TestWriteProposal_markedAsUdruls(t *testing.T) {
	p := &Problem{Waves: waves(2, 0), Municipalities: []Municipality{{Name: "Aarhus", Size: 10, Preferred: 1}, {Name: "Vejle", Size: 5, Preferred: 2}}}
	r, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteProposal(&buf, p, r, "KSD", 2026); err != nil {
		t.Fatal(err)
	}
	if kind, ok := provenance.Written(buf.Bytes()); !ok || kind != provenance.Proposal {
		t.Errorf("Written = %q, %v; want the proposal mark", kind, ok)
	}
	// Marked, it still reads back as a proposal.
	path := filepath.Join(t.TempDir(), "forslag.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if rs, _, err := ReadResponses(path, p.Waves, false); err != nil || len(rs) != 2 {
		t.Errorf("ReadResponses = %d responses, %v", len(rs), err)
	}
}
