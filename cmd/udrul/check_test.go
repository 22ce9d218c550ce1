package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
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
					Performer: w.Performer, Start: w.Start.String(), End: w.End.String(), Status: w.Status, RawStatus: g.RawStatus}
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
		{"missing file", []string{"check", filepath.Join(dir, "missing.xlsx")}, exitUsage, ""},
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
	code, stdout, _ := run(t, "check", "--format", "json", path)
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
