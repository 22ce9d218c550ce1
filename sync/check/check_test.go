package check_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/sync/check"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// plans writes n generated plans (every layout) and a file that is not a
// spreadsheet into a folder, and returns their paths in a mixed order.
func plans(t *testing.T, n int) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i := range n {
		p := plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.Layouts[i%len(plangen.Layouts)],
			Municipality: parse.Municipalities[i%len(parse.Municipalities)], Solution: "KY", Wave: 1})
		sub := filepath.Join(dir, strings.Repeat("x", i%3+1)+string(rune('a'+i%26)))
		os.MkdirAll(sub, 0o755)
		path, err := p.Write(sub)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	bad := filepath.Join(dir, "bad.xlsx")
	os.WriteFile(bad, []byte("not a workbook"), 0o644)
	return append(paths[:n/2], append([]string{bad, filepath.Join(dir, "missing.csv")}, paths[n/2:]...)...)
}

func TestFiles_order(t *testing.T) {
	paths := plans(t, 30)
	parser := parse.New(parse.Options{})
	var got []string
	err := check.Files(context.Background(), paths, parser, grid.Options{}, func(r check.Result) error {
		got = append(got, r.Path)
		want := check.File(r.Path, parser, grid.Options{})
		if (r.Err == nil) != (want.Err == nil) || len(r.Plan.Tasks) != len(want.Plan.Tasks) || r.Plan.File != r.Path {
			t.Errorf("%s: got %v, %d tasks, file %q; want %v, %d tasks", r.Path, r.Err, len(r.Plan.Tasks), r.Plan.File, want.Err, len(want.Plan.Tasks))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(paths, "\n") {
		t.Errorf("got results in order\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(paths, "\n"))
	}
}

func TestFiles_stops(t *testing.T) {
	paths := plans(t, 20)
	stop := errors.New("stop")
	n := 0
	err := check.Files(context.Background(), paths, parse.New(parse.Options{}), grid.Options{}, func(r check.Result) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("got %v after %d results, want stop after 3", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = check.Files(ctx, paths, parse.New(parse.Options{}), grid.Options{}, func(r check.Result) error {
		n++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("got %v after %d results, want context.Canceled after 1", err, n)
	}
}

// TestJSONWriter_sameAsWhole: the streamed JSON is byte for byte what
// encoding/json writes for the whole Report, and each file is out before
// the next is given.
func TestJSONWriter_sameAsWhole(t *testing.T) {
	parser := parse.New(parse.Options{})
	for _, n := range []int{0, 1, 7} {
		t.Run(strings.Repeat("f", n), func(t *testing.T) {
			var results []check.Result
			if n > 0 {
				for _, p := range plans(t, n) {
					results = append(results, check.File(p, parser, grid.Options{}))
				}
			}
			whole := check.Report{Files: []check.FileJSON{}}
			var out bytes.Buffer
			jw := check.NewJSONWriter(&out, parse.Danish)
			for _, r := range results {
				f := check.FileJSON{File: r.Path, Tasks: []check.TaskJSON{}, Issues: []check.IssueJSON{},
					Metadata: check.MetadataJSON{Municipality: r.Plan.Metadata.Municipality, Solution: r.Plan.Metadata.Solution,
						Wave: r.Plan.Metadata.Wave, Found: check.Found(r.Plan.Metadata)}}
				if r.Err != nil {
					f.Error = grid.Message(r.Err, "da")
				}
				for _, tk := range r.Plan.Tasks {
					f.Tasks = append(f.Tasks, check.Task(tk))
				}
				for _, is := range r.Plan.Issues {
					f.Issues = append(f.Issues, check.Issue(is))
				}
				whole.Files = append(whole.Files, f)
				before := out.Len()
				if err := jw.Write(r); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(out.String()[before:], r.Path) || !strings.HasSuffix(out.String(), "}") {
					t.Fatalf("after Write(%s) the output does not hold the file's object: %q", r.Path, out.String()[before:])
				}
			}
			if err := jw.Close(); err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			if err := enc.Encode(whole); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != want.String() {
				i := 0
				for i < min(len(got), want.Len()) && got[i] == want.String()[i] {
					i++
				}
				t.Errorf("output differs at byte %d:\ngot  %q\nwant %q", i, got[max(0, i-80):min(len(got), i+80)], want.String()[max(0, i-80):min(want.Len(), i+80)])
			}
		})
	}
}
