package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
)

// TestSourcesCommand_sharedFiles: two sources reading the same files are
// said by udrul sources as what they are (a file read by several sources,
// with a line a plan saying to narrow one), not "cannot be read", in the
// configured language (SharedFilesOnly tells them from other failures).
func TestSourcesCommand_sharedFiles(t *testing.T) {
	for _, tt := range []struct {
		language, state, notState, line string
	}{
		{"da", "En fil læses af flere kilder", "Kan ikke læses", "læses af mere end én kilde (a, b): planen ændres ikke, før kun én af dem læser den (gør de andres path eller glob snævrere, så de udelader den)"},
		{"en", "A file read by several sources", "Failing", "is read by more than one source (a, b): the plan is not changed until only one of them reads it (narrow the others' path or glob so that they leave it out)"},
	} {
		t.Run(tt.language, func(t *testing.T) {
			dir := t.TempDir()
			plans := filepath.Join(dir, "plans")
			os.MkdirAll(plans, 0o755)
			for i, mun := range []string{"Vejle", "Odense"} {
				if _, err := plangen.Generate(plangen.Spec{Seed: uint64(i + 1), Layout: plangen.Blocks, Municipality: mun, Solution: "KY", Wave: 1}).Write(plans); err != nil {
					t.Fatal(err)
				}
			}
			cfg := filepath.Join(dir, "udrul.yaml")
			os.WriteFile(cfg, []byte("database: udrul.db\nlanguage: "+tt.language+"\nsources:\n  - {name: a, kind: files, path: plans}\n  - {name: b, kind: files, path: plans}\n"), 0o644)
			if code, out, errOut := run(t, "sync", "--config", cfg); code != exitFailure {
				t.Fatalf("sync: exit %d, want %d\n%s%s", code, exitFailure, out, errOut)
			}
			code, out, errOut := run(t, "sources", "--config", cfg)
			if code != exitOK {
				t.Fatalf("sources: exit %d\n%s%s", code, out, errOut)
			}
			var rows, lines int
			for _, l := range strings.Split(out, "\n") {
				if (strings.HasPrefix(l, "a ") || strings.HasPrefix(l, "b ")) && strings.Contains(l, tt.state) {
					rows++
				}
				if (strings.HasPrefix(l, "a: ") || strings.HasPrefix(l, "b: ")) && strings.HasSuffix(l, tt.line) {
					lines++
				}
			}
			if rows != 2 || lines != 4 || strings.Contains(out, tt.notState) || strings.Contains(out, "\uFFFD") {
				t.Errorf("sources: %d rows saying %q (want 2), %d lines ending %q (want 4, a plan a line), no %q nor \\uFFFD:\n%s", rows, tt.state, lines, tt.line, tt.notState, out)
			}
		})
	}
}
