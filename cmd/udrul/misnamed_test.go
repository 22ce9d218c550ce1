package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid/gridtest"
)

// TestCheckAndSync_misnamed: files whose content is not what their name
// says (a CSV renamed .xlsx, a web export saved as .xls, an old .xls
// renamed .xlsx, a password-protected workbook) are named by udrul check
// and udrul sync with what they are and what to do, in Danish by default
// and in English with language: en; none is called damaged.
func TestCheckAndSync_misnamed(t *testing.T) {
	files, err := gridtest.MisnamedFiles()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	if err := os.MkdirAll(plans, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(plans, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "udrul.yaml")
	if code, _, errOut := run(t, "init", "--out", cfg); code != exitOK {
		t.Fatalf("init: %s", errOut)
	}
	base, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"da", "en"} {
		t.Run(lang, func(t *testing.T) {
			body := strings.Replace(string(base), "language: da", "language: "+lang, 1)
			if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"check", "--lang", lang, plans}
			for _, f := range files {
				if strings.HasSuffix(f.Name, ".xls") { // a folder's .xls files are not read; named ones are
					args = append(args, filepath.Join(plans, f.Name))
				}
			}
			_, checkOut, _ := run(t, args...)
			_, syncOut, syncErr := run(t, "sync", "--config", cfg)
			for _, f := range files {
				if f.Readable {
					continue
				}
				says := f.Da
				if lang == "en" {
					says = f.En
				}
				for cmd, out := range map[string]string{"check": checkOut, "sync": syncOut + syncErr} {
					if !strings.HasSuffix(f.Name, ".xlsx") && cmd == "sync" {
						continue // sync reads .xlsx, .xlsm, .csv and .txt only
					}
					line := lineWith(out, f.Name)
					if line == "" {
						t.Errorf("%s: %s not named in:\n%s", cmd, f.Name, out)
						continue
					}
					for _, s := range says {
						if !strings.Contains(line, s) {
							t.Errorf("%s: got %q, want it to say %q", cmd, line, s)
						}
					}
					if strings.Contains(line, "damaged") || strings.Contains(line, "beskadiget") {
						t.Errorf("%s: got %q, want no word of damage", cmd, line)
					}
				}
			}
		})
	}
}

// lineWith returns the first line of out naming file.
func lineWith(out, file string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, file) {
			return l
		}
	}
	return ""
}

// TestCheckCommand_folderNamesUnreadFormats: a folder's .xls, .xlsb and
// .ods files are not checked, but each is named on stderr as skipped, with
// what to do; the exit code follows the files checked.
func TestCheckCommand_folderNamesUnreadFormats(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"KP_Aarhus.csv": "Opgave;Ansvarlig;Slutdato\nMøde;Kommune;01-06-2026\n", "sub/KP_Odense.xls": "x", "KY_Vejle.ods": "x", "~$KP_Aarhus.xls": "x"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	for _, tt := range []struct{ lang, says string }{
		{"da", ": sprunget over: et format, udrul ikke læser (.%s); gem den som Excel-projektmappe (.xlsx)"},
		{"en", ": skipped: a format udrul does not read (.%s); save it as an Excel Workbook (.xlsx)"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			code, out, errOut := run(t, "check", "--lang", tt.lang, dir)
			if code != exitOK || !strings.Contains(out, "KP_Aarhus.csv") {
				t.Errorf("exit %d, want 0 with the CSV plan checked:\n%s%s", code, out, errOut)
			}
			for _, f := range []string{"sub/KP_Odense.xls", "KY_Vejle.ods"} {
				ext := strings.TrimPrefix(filepath.Ext(f), ".")
				if want := filepath.Join(dir, f) + fmt.Sprintf(tt.says, ext); !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if strings.Contains(errOut, "~$") {
				t.Errorf("a lock file named:\n%s", errOut)
			}
		})
	}
}
