package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/sync/grid/gridtest"
)

// run runs udrul with args and returns its exit code and output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = NewMain(strings.NewReader(""), &out, &errb).Run(context.Background(), args)
	return code, out.String(), errb.String()
}

func decodeCheck(t *testing.T, s string) checkJSON {
	t.Helper()
	var out checkJSON
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decode check json: %v\n%s", err, s)
	}
	return out
}

// TestCheckCommand_examples checks the example plans shipped in examples/
// against their truth: what the README's first command shows.
func TestCheckCommand_examples(t *testing.T) {
	b, err := os.ReadFile("../../examples/truth.json")
	if err != nil {
		t.Fatal(err)
	}
	var truth []plangen.TruthFile
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "check", "--format", "json", "../../examples")
	if code != exitFailure {
		t.Errorf("exit code = %d, want 1 (the examples have errors on purpose); stderr: %s", code, stderr)
	}
	got := map[string]checkFileJSON{}
	for _, f := range decodeCheck(t, stdout).Files {
		if filepath.Base(filepath.Dir(f.File)) == "waves" { // the criteria sheet for waves propose, not a plan
			continue
		}
		got[filepath.Base(f.File)] = f
	}
	if len(got) != len(truth) {
		t.Errorf("checked %d files, want %d", len(got), len(truth))
	}
	for _, tf := range truth {
		t.Run(tf.File, func(t *testing.T) {
			f, ok := got[tf.File]
			if !ok {
				t.Fatal("not checked")
			}
			if f.Error != "" {
				t.Fatalf("error: %s", f.Error)
			}
			if f.Metadata.Municipality != tf.Municipality || f.Metadata.Solution != tf.Solution {
				t.Errorf("metadata = %+v, want %s/%s", f.Metadata, tf.Municipality, tf.Solution)
			}
			if len(f.Tasks) != len(tf.Tasks) {
				t.Fatalf("got %d tasks, want %d", len(f.Tasks), len(tf.Tasks))
			}
			for i, w := range tf.Tasks {
				g := f.Tasks[i]
				want := taskJSON{Sheet: w.Sheet, Row: w.Row, Step: w.Step, ID: w.ID, Title: w.Title, Responsible: w.Responsible,
					Performer: w.Performer, Start: w.Start.String(), End: w.End.String(), Status: w.Status, RawStatus: g.RawStatus,
					StartAs: w.StartAsWritten, EndAs: w.EndAsWritten, Health: w.Health}
				if g != want {
					t.Errorf("task %d:\n got  %+v\n want %+v", i, g, want)
				}
			}
			issues := map[plangen.ExpectedIssue]bool{}
			for _, is := range f.Issues {
				issues[plangen.ExpectedIssue{Sheet: is.Sheet, Cell: is.Cell, Code: is.Code}] = true
				if is.Severity != "error" && is.Severity != "warning" {
					t.Errorf("severity %q", is.Severity)
				}
			}
			for _, w := range tf.Issues {
				if !issues[w] {
					t.Errorf("missing issue %+v", w)
				}
			}
		})
	}
}

func TestCheckCommand_exitCodes(t *testing.T) {
	dir := t.TempDir()
	cleanPath := filepath.Join(dir, "clean.csv")
	if err := os.WriteFile(cleanPath, []byte("Opgave;Ansvarlig;Udfører;Startdato;Slutdato;Status\nA;Kommune;Kommune;01-06-2026;02-06-2026;Færdig\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.xlsx")
	if err := os.WriteFile(broken, []byte("<html>login</html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	noTable := filepath.Join(dir, "notable.csv")
	if err := os.WriteFile(noTable, []byte("Navn;Adresse\nJens;Vej 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"clean file", []string{"check", cleanPath}, exitOK, "1 opgave, 0 fejl"},
		{"english", []string{"check", "--lang", "en", cleanPath}, exitOK, "1 task, 0 errors"},
		{"unreadable file", []string{"check", cleanPath, broken}, exitFailure, "HTML"},
		{"no table", []string{"check", "--format", "json", noTable}, exitFailure, "Opgave"},
		{"no files", []string{"check"}, exitUsage, ""},
		{"bad format", []string{"check", "--format", "xml", cleanPath}, exitUsage, ""},
		{"bad flag", []string{"check", "--nope", cleanPath}, exitUsage, ""},
		{"missing file among others", []string{"check", filepath.Join(dir, "missing.xlsx"), cleanPath}, exitFailure, "missing.xlsx: kan ikke læses: filen findes ikke"},
		{"missing file, the others still read", []string{"check", "--lang", "en", cleanPath, filepath.Join(dir, "missing.xlsx"), noTable}, exitFailure, "1 task, 0 errors"},
		{"unknown command", []string{"frobnicate"}, exitUsage, ""},
		{"help", []string{"check", "-h"}, exitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.out) {
				t.Errorf("stdout does not contain %q:\n%s", tt.out, stdout)
			}
		})
	}
}

func TestCheckCommand_jsonError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.xlsx")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := run(t, "check", "--format", "json", "--lang", "en", path)
	if code != exitFailure {
		t.Errorf("exit code = %d, want 1", code)
	}
	f := decodeCheck(t, stdout).Files[0]
	if f.File != path || !strings.Contains(f.Error, "empty") || f.Tasks == nil || f.Issues == nil {
		t.Errorf("file entry = %+v; want the path, an error naming the reason, and empty (not null) lists", f)
	}
	if !strings.Contains(stdout, `"tasks": []`) {
		t.Errorf("tasks must be [] in JSON:\n%s", stdout)
	}
}

// TestCheckCommand_oddFiles: a FIFO and a link to /dev/zero in a folder
// are reported and the rest is checked, without blocking; a CSV with a
// stray byte is read as UTF-8 with a warning at the cell.
func TestCheckCommand_oddFiles(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.csv"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.csv")); err != nil {
		t.Fatal(err)
	}
	text := "Opgave;Ansvarlig;Udfører;Startdato;Slutdato;Status\n" +
		"Møde;Kommune;Leverandør;01-06-2026;02-06-2026;Færdig\n" +
		"Ændre pr\xe6fiks;Kommune;Leverandør;01-06-2026;02-06-2026;I gang\n"
	if err := os.WriteFile(filepath.Join(dir, "plan.csv"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var code int
	var stdout string
	go func() {
		code, stdout, _ = run(t, "check", "--format", "json", "--lang", "en", dir)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("check blocks on a FIFO") // a guard against hanging, not a measure of speed
	}
	if code != exitFailure {
		t.Errorf("exit code = %d, want 1", code)
	}
	files := map[string]checkFileJSON{}
	for _, f := range decodeCheck(t, stdout).Files {
		files[filepath.Base(f.File)] = f
	}
	if f := files["fifo.csv"]; !strings.Contains(f.Error, "not a regular file") || !strings.Contains(f.Error, "FIFO") {
		t.Errorf("fifo.csv: error %q", f.Error)
	}
	if f := files["zero.csv"]; !strings.Contains(f.Error, "device") {
		t.Errorf("zero.csv: error %q", f.Error)
	}
	plan := files["plan.csv"]
	if plan.Error != "" || len(plan.Tasks) != 2 || plan.Tasks[0].Title != "Møde" || plan.Tasks[1].Status != "in_progress" {
		t.Fatalf("plan.csv = %+v, want two tasks read as UTF-8", plan)
	}
	found := false
	for _, is := range plan.Issues {
		if is.Code == "invalid_text" && is.Cell == "A3" && is.Severity == "warning" && strings.Contains(is.Message, "UTF-8") {
			found = true
		}
	}
	if !found {
		t.Errorf("issues = %+v, want a warning at A3 about the stray byte", plan.Issues)
	}
}

// TestSyncCommand_oddFiles: a sync over a plan folder holding a FIFO and a
// link to /dev/zero finishes, reads the plan and names the odd files.
func TestSyncCommand_oddFiles(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "udrul.yaml")
	if code, _, errOut := run(t, "init", "--out", cfg); code != exitOK {
		t.Fatalf("init: %s", errOut)
	}
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	if err := syscall.Mkfifo(filepath.Join(plans, "KY_Odense.csv"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	os.Symlink("/dev/zero", filepath.Join(plans, "KY_Vejle.csv"))
	p := plangen.Generate(plangen.Spec{Seed: 3, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1})
	if _, err := p.Write(plans); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var out, errOut string
	go func() {
		_, out, errOut = run(t, "sync", "--config", cfg)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("sync blocks on a FIFO") // a guard against hanging, not a measure of speed
	}
	all := out + errOut
	if !strings.Contains(all, "1 nye planer") || !strings.Contains(all, "KY_Odense.csv") || !strings.Contains(all, "KY_Vejle.csv") || !strings.Contains(all, "2 fejlede") {
		t.Errorf("sync output does not read the plan and name both odd files:\n%s", all)
	}
}

// TestCheckCommand_boundedMemory builds udrul and checks hostile files
// with it, reading each run's peak resident memory from the kernel: any
// file within the size limit is answered in bounded memory. (Not a timed
// test; BENCHMARKS.md has the times.)
func TestCheckCommand_boundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and writes large files")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "udrul")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	files, err := gridtest.All(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	const limitMB = 300
	for _, hf := range files {
		t.Run(hf.Name, func(t *testing.T) {
			cmd := exec.Command(bin, "check", "--lang", "en", hf.Path)
			out, _ := cmd.CombinedOutput()
			ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			if !ok {
				t.Skip("no rusage on this system")
			}
			rssMB := float64(ru.Maxrss) / 1024 // kilobytes on Linux
			t.Logf("peak RSS %.0f MB, %.1f s user: %s", rssMB, float64(ru.Utime.Sec)+float64(ru.Utime.Usec)/1e6, firstLine(string(out)))
			if rssMB > limitMB {
				t.Errorf("peak RSS %.0f MB, over %d MB", rssMB, limitMB)
			}
			if !strings.Contains(string(out), hf.Says) {
				t.Errorf("output does not say %q:\n%s", hf.Says, out)
			}
		})
	}
}

// TestSyncCommand_damagedSheet: a workbook whose sheet XML breaks part-way
// is unreadable, never a shorter plan: the sync changes nothing, and the
// plan is failing with the reason.
func TestSyncCommand_damagedSheet(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "udrul.yaml")
	if code, _, errOut := run(t, "init", "--out", cfg); code != exitOK {
		t.Fatalf("init: %s", errOut)
	}
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	p := plangen.Generate(plangen.Spec{Seed: 5, Layout: plangen.SectionRows, Municipality: "Aarhus", Solution: "KY", Wave: 1, Tasks: 100})
	path, err := p.Write(plans)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("first sync: %d\n%s%s", code, out, errOut)
	}
	_, before, _ := run(t, "tasks", "--config", cfg, "--format", "json")
	original, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name   string
		damage func(sheet string) string
	}{
		{"truncated", func(s string) string { return s[:len(s)*6/10] }},
		{"entity", func(s string) string {
			i := strings.LastIndex(s[:len(s)*6/10], "<t>")
			return s[:i+3] + "&nbsp;" + s[i+3:]
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(path, original, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := rewriteSheets(path, tt.damage); err != nil {
				t.Fatal(err)
			}
			os.Chtimes(path, time.Now(), time.Now().Add(time.Minute))
			code, out, errOut := run(t, "sync", "--config", cfg)
			if code == exitOK || !strings.Contains(out+errOut, "1 fejlede") || !strings.Contains(out+errOut, "beskadiget") {
				t.Errorf("sync of the damaged file: exit %d\n%s%s", code, out, errOut)
			}
			if _, after, _ := run(t, "tasks", "--config", cfg, "--format", "json"); after != before {
				t.Error("the damaged file changed the plan's tasks")
			}
			if _, out, _ := run(t, "plans", "--config", cfg); !strings.Contains(out, "Kan ikke læses") {
				t.Errorf("plans:\n%s\nwant the plan failing", out)
			}
		})
	}
}

// rewriteSheets rewrites every worksheet of the xlsx at path through f.
func rewriteSheets(path string, f func(string) string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		if strings.HasPrefix(e.Name, "xl/worksheets/") && strings.HasSuffix(e.Name, ".xml") {
			b = []byte(f(string(b)))
		}
		w, err := zw.Create(e.Name)
		if err != nil {
			return err
		}
		w.Write(b)
	}
	zr.Close()
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// TestCheckCommand_skipsOwnWorkbooks: in a folder, a workbook udrul wrote
// (a criteria sheet, a report) is skipped and said so, as sync does; named
// on the command line it is checked.
func TestCheckCommand_skipsOwnWorkbooks(t *testing.T) {
	dir := t.TempDir()
	if _, err := plangen.WriteCriteriaExample(dir); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "check", dir)
	if !strings.Contains(errOut, "sprunget over: et arbejdsark udrul selv har skrevet (criteria)") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := run(t, "check", filepath.Join(dir, plangen.CriteriaFile)); code == exitOK {
		t.Error("a criteria sheet named on the command line passed as a plan")
	}
}
