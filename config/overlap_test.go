package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestConfig_OverlapWarnings: files sources that read the same files — one
// folder twice, a folder inside a recursive one, a glob and a folder, a
// link to a folder — are warned of at the later source's path, naming both
// sources and the other's line; sources that read different files, or a
// folder below a non-recursive one, are not.
func TestConfig_OverlapWarnings(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"plans/KP_Aarhus.xlsx", "plans/vejle/KP_Vejle.xlsx", "plans/vejle/KY_Vejle.csv", "other/KP_Odense.xlsx", "plans/.old/KP_Skive.xlsx"} {
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "plans", "vejle"), filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	exts := map[string]bool{".xlsx": true, ".csv": true}
	for _, tt := range []struct {
		name    string
		sources []string // each a flow mapping
		want    []string // "key|line|words of the warning" in order
		english bool
	}{
		{"different folders", []string{"{name: a, kind: files, path: plans}", "{name: b, kind: files, path: other}"}, nil, false},
		{"a subfolder of a folder not read recursively", []string{"{name: a, kind: files, path: plans}", "{name: b, kind: files, path: plans/vejle}"}, nil, false},
		{"a hidden folder of a recursive one", []string{"{name: a, kind: files, path: plans, recursive: true}", "{name: b, kind: files, path: plans/.old}"}, nil, false},
		{"one folder twice", []string{"{name: a, kind: files, path: plans}", "{name: b, kind: files, path: ./plans/}"},
			[]string{`sources[1].path|4|kilden "b" læser samme mappe som kilden "a" (linje 3)`}, false},
		{"a folder inside a recursive one", []string{"{name: a, kind: files, path: plans, recursive: true}", "{name: b, kind: files, path: plans/vejle}"},
			[]string{`sources[1].path|4|(source "b") lies in the folder ` + filepath.Join(dir, "plans") + ` (source "a", line 3), which reads its subfolders too`}, true},
		{"a recursive folder around an earlier one", []string{"{name: a, kind: files, path: plans/vejle}", "{name: b, kind: files, path: plans, recursive: true}"},
			[]string{`sources[1].path|4|(kilden "b"), som også læser sine undermapper, rummer mappen ` + filepath.Join(dir, "plans", "vejle") + ` (kilden "a", linje 3)`}, false},
		{"a glob matching a folder's files", []string{"{name: a, kind: files, path: plans/vejle}", "{name: b, kind: files, path: \"plans/*/KP_*.xlsx\"}"},
			[]string{`sources[1].path|4|the source "b" reads 1 of the files the source "a" (line 3) reads, such as ` + filepath.Join(dir, "plans", "vejle", "KP_Vejle.xlsx")}, true},
		{"a link to a folder", []string{"{name: a, kind: files, path: plans, recursive: true}", "{name: b, kind: files, path: other}", "{name: c, kind: files, path: link}"},
			[]string{`sources[2].path|5|mappen ` + filepath.Join(dir, "plans", "vejle") + ` (kilden "c") ligger i mappen ` + filepath.Join(dir, "plans") + ` (kilden "a", linje 3)`}, false},
		{"two globs matching nothing alike", []string{"{name: a, kind: files, path: \"plans/*.xlsx\"}", "{name: b, kind: files, path: \"plans/*/*.csv\"}"}, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lang := "da"
			if tt.english {
				lang = "en"
			}
			file := "language: " + lang + "\nsources:\n  - " + strings.Join(tt.sources, "\n  - ") + "\n"
			overlapsAre(t, file, filepath.Join(dir, "udrul.yaml"), exts, tt.want)
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// overlapsAre parses a configuration file and checks its overlap warnings
// against want, each "key|line|part of the message".
func overlapsAre(t *testing.T, file, path string, exts map[string]bool, want []string) {
	t.Helper()
	cfg, err := Parse(strings.NewReader(file), path)
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.OverlapWarnings(exts)
	if len(got) != len(want) {
		t.Fatalf("got %d warnings %v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		parts := strings.SplitN(w, "|", 3)
		if g := got[i]; g.Key != parts[0] || itoa(g.Line) != parts[1] || !strings.Contains(g.Msg, parts[2]) {
			t.Errorf("got %s:%d: %s, want %s:%s: …%s…", g.Key, g.Line, g.Msg, parts[0], parts[1], parts[2])
		}
	}
}
