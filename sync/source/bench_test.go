package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkFiles_Fetch: what Fetch's check of the real path costs a file
// (checked: the default; unchecked: links_outside), in one run.
func BenchmarkFiles_Fetch(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "share", "plans")
	os.MkdirAll(dir, 0o755)
	// About a generated plan's size.
	os.WriteFile(filepath.Join(dir, "KY_Aarhus.csv"), []byte(strings.Repeat("Opgave;01-06-2026;15-06-2026;I gang\n", 1500)), 0o644)
	for _, bb := range []struct {
		name    string
		outside bool
	}{{"checked", false}, {"unchecked", true}} {
		b.Run(bb.name, func(b *testing.B) {
			src := NewFiles("s", dir, false)
			src.LinksOutside = bb.outside
			items, err := src.List(context.Background())
			if err != nil || len(items) != 1 {
				b.Fatal(items, err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := src.Fetch(context.Background(), items[0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
