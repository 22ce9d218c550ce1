package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParse_everyUnknownKey: every unknown key is reported in one run, each
// with its key path and line, the key it most likely meant or where it
// belongs, in the file's language; a wrong value among known keys too.
func TestParse_everyUnknownKey(t *testing.T) {
	file := "databse: udrul.db\n" + // 1
		"timezon: Europe/Copenhagen\n" + // 2
		"sources:\n" + // 3
		"  - name: share\n" + // 4
		"    kind: files\n" + // 5
		"    pathh: plans\n" + // 6
		"    recursiv: true\n" + // 7
		"shrink_guard:\n" + // 8
		"  max_loss: lots\n" + // 9
		"alerts:\n" + // 10
		"  escalate_dayz: 10\n" + // 11
		"  totally_new: 3\n" + // 12
		"escalate_days: 4\n" + // 13
		"waves:\n" + // 14
		"  KY:\n" + // 15
		"    wavez: {}\n" // 16
	type want struct {
		line   int
		key    string
		da, en string
	}
	wants := []want{
		{1, "databse", `ukendt nøgle "databse": mente du database?`, `unknown key "databse": did you mean database?`},
		{2, "timezon", `mente du timezone?`, `did you mean timezone?`},
		{6, "sources[0].pathh", `mente du path?`, `did you mean path?`},
		{7, "sources[0].recursiv", `mente du recursive?`, `did you mean recursive?`},
		{9, "shrink_guard.max_loss", `er ikke en andel`, `is not a share`},
		{11, "alerts.escalate_dayz", `mente du escalate_days?`, `did you mean escalate_days?`},
		{12, "alerts.totally_new", `ukendt nøgle "totally_new"`, `unknown key "totally_new"`},
		{13, "escalate_days", `den hører til under alerts`, `it belongs under alerts`},
		{16, "waves.KY.wavez", `mente du waves?`, `did you mean waves?`},
	}
	for _, lang := range []string{"da", "en"} {
		t.Run(lang, func(t *testing.T) {
			_, err := Parse(strings.NewReader(file+"language: "+lang+"\n"), "udrul.yaml")
			got := fieldErrors(err)
			if len(got) != len(wants) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(wants), err)
			}
			for i, w := range wants {
				msg := w.da
				if lang == "en" {
					msg = w.en
				}
				if got[i].Line != w.line || got[i].Key != w.key || !strings.Contains(got[i].Msg, msg) {
					t.Errorf("got %d: %s: %s, want %d: %s: ...%s...", got[i].Line, got[i].Key, got[i].Msg, w.line, w.key, msg)
				}
			}
		})
	}
}

// TestParse_knownKeysEverywhere: the starter configuration and a file
// using maps, lists, anchors and merge keys hold no unknown key.
func TestParse_knownKeysEverywhere(t *testing.T) {
	if fes := unknownKeys("udrul.yaml", Starter(), false); len(fes) != 0 {
		t.Errorf("starter: got %v, want no unknown key", fes)
	}
	file := "sources:\n  - &src\n    name: a\n    kind: files\n    path: x\n  - <<: *src\n    name: b\n" +
		"statuses:\n  Ikke relevant: cancelled\n" +
		"waves:\n  KY:\n    waves:\n      \"1\": {go_live: 2026-05-01}\n    municipalities: {Aarhus: \"1\"}\n"
	if fes := unknownKeys("udrul.yaml", []byte(file), false); len(fes) != 0 {
		t.Errorf("got %v, want no unknown key", fes)
	}
}

// FuzzParse: any file is either a configuration or refused with problems
// that each name the file (and, when known, the line and key); never a
// panic.
func FuzzParse(f *testing.F) {
	f.Add(string(Starter()))
	f.Add("databse: x\nlanguage: en\nsources:\n  - name: a\n    pathh: p\n")
	f.Add("sources:\n  - name: a\n   kind: files\nlanguage: en\n")
	f.Add("a: &x {b: 1}\nc: *x\n<<: *x\n")
	f.Add("waves:\n  KY:\n    waves: {\"1\": {go_live: x}}\n    wavez: 1\n")
	f.Add("report:\n  keep: 2\nreport: {keep: 3}\nsources:\n  - {name: a, name: b}\n")
	f.Add("alerts:\n  contacts:\n    Aarhus/KYY: [a@b.dk]\n  coordinators:\n    - {email: k@b.dk, solutions: [SAPPA]}\n")
	f.Fuzz(func(t *testing.T, file string) {
		_, err := Parse(strings.NewReader(file), "udrul.yaml")
		if err == nil {
			return
		}
		fes := fieldErrors(err)
		if len(fes) == 0 {
			t.Fatalf("got %v (%T), want problems naming the file", err, err)
		}
		for _, fe := range fes {
			if fe.File != "udrul.yaml" || fe.Msg == "" {
				t.Fatalf("got %+v, want the file and a message", fe)
			}
		}
	})
}

// TestConfig_UnreadWarnings: a files source whose folder holds .xls, .xlsb
// or .ods files (which a sync skips) is warned of, with the count and one
// of them; copies the ignore patterns leave out, lock files and a folder
// without such files are not.
func TestConfig_UnreadWarnings(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a/KP_Aarhus.xlsx", "a/sub/KP_Odense.xls", "a/KY_Vejle.ods", "a/KP_Aarhus - Kopi.xls", "a/~$KP_Aarhus.xls", "b/KP_Vejle.xlsx", "c/KP_Horsens.xlsb"} {
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ignored := func(name, rel string) bool { return strings.Contains(name, "Kopi") }
	for _, lang := range []string{"da", "en"} {
		t.Run(lang, func(t *testing.T) {
			file := "language: " + lang + "\nsources:\n" +
				"  - {name: a, kind: files, path: a, recursive: true}\n" +
				"  - {name: b, kind: files, path: b}\n" +
				"  - {name: c, kind: files, path: c}\n"
			cfg, err := Parse(strings.NewReader(file), filepath.Join(dir, "udrul.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			got := cfg.UnreadWarnings(ignored)
			want := []struct {
				key, da, en string
			}{
				{"sources[0].path", "har 2 regneark i et format, udrul ikke læser", "holds 2 spreadsheet(s) in a format udrul does not read"},
				{"sources[2].path", "har 1 regneark i et format, udrul ikke læser (.xls, .xlsb eller .ods; fx KP_Horsens.xlsb)", "holds 1 spreadsheet(s) in a format udrul does not read (.xls, .xlsb or .ods; such as KP_Horsens.xlsb)"},
			}
			if len(got) != len(want) {
				t.Fatalf("got %v, want %d warnings", got, len(want))
			}
			for i, w := range want {
				msg := w.da
				if lang == "en" {
					msg = w.en
				}
				if got[i].Key != w.key || !strings.Contains(got[i].Msg, msg) || got[i].Line == 0 {
					t.Errorf("got %d: %s: %s, want %s: ...%s...", got[i].Line, got[i].Key, got[i].Msg, w.key, msg)
				}
			}
		})
	}
}
