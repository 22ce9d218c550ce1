package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
)

// TestSharedFile_configCheckAndSync: two sources whose paths overlap (a
// recursive share and a glob of one of its folders) read one file: config
// check warns naming both sources and the other's line; the sync says the
// file is read by both and one must leave it out (not "move the copy",
// the path twice) and exits 1; plans says the same; once the glob leaves
// the file out, the plan is read.
func TestSharedFile_configCheckAndSync(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(filepath.Join(plans, "vejle"), 0o755)
	p := plangen.Generate(plangen.Spec{Seed: 4, Layout: plangen.Blocks, Municipality: "Vejle", Solution: "KY", Wave: 1})
	if _, err := p.Write(filepath.Join(plans, "vejle")); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "udrul.yaml")
	write := func(glob string) {
		os.WriteFile(cfg, []byte("database: udrul.db\nsources:\n  - {name: share, kind: files, path: plans, recursive: true}\n  - {name: vejle, kind: files, path: \""+glob+"\"}\n"), 0o644)
	}
	write("plans/vejle/*.xlsx")
	code, _, errOut := run(t, "config", "check", "--config", cfg)
	if want := cfg + `:4: sources[1].path: kilden "vejle" læser 1 af de samme filer som kilden "share" (linje 3), fx ` + filepath.Join(plans, "vejle", p.FileName()); code != exitOK || !strings.Contains(errOut, want) {
		t.Errorf("config check: exit %d, stderr:\n%s\nwant %q", code, errOut, want)
	}

	code, out, errOut := run(t, "sync", "--config", cfg)
	want := "  ikke anvendt: Vejle/KY: filen " + filepath.Join(plans, "vejle", p.FileName()) + " læses af mere end én kilde (share, vejle): planen ændres ikke, før kun én af dem læser den"
	if code != exitFailure || !strings.Contains(out, want) || strings.Contains(out, "kopien") {
		t.Errorf("sync: exit %d, want %d and %q, not the copy's words:\n%s%s", code, exitFailure, want, out, errOut)
	}
	code, out, _ = run(t, "plans", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "Konflikt: flere kilder") || !strings.Contains(out, "Vejle/KY: filen ") || strings.Contains(out, "flere filer") {
		t.Errorf("plans: exit %d:\n%s", code, out)
	}

	write("plans/vejle/*.csv") // the glob leaves the file out
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK || !strings.Contains(out, "share: 1 filer, 0 uændrede, 1 læst") {
		t.Errorf("sync once the glob leaves the file out: exit %d\n%s%s", code, out, errOut)
	}
	if got := states(t, cfg); got["Vejle/KY"] != "ok" {
		t.Errorf("states = %v, want Vejle/KY ok", got)
	}
}
