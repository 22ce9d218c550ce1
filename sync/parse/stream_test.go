package parse_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/grid/gridtest"
	"github.com/udrul/udrul/sync/parse"
)

// wholeGrid is the reference: the whole grid read, then parsed.
func wholeGrid(parser *parse.Parser, name string, data []byte, opts grid.Options) (*model.Plan, error) {
	g, err := grid.ReadBytes(name, data, opts)
	if err != nil {
		return nil, err
	}
	return parser.Parse(g)
}

// samePlan compares the streamed plan and error with the whole grid's.
func samePlan(t *testing.T, got *model.Plan, gotErr error, want *model.Plan, wantErr error) {
	t.Helper()
	if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
		t.Fatalf("error = %v, want %v", gotErr, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("plans differ:\ngot  %d tasks, %d issues, %+v\nwant %d tasks, %d issues, %+v\n%s",
			len(got.Tasks), len(got.Issues), got.Metadata, len(want.Tasks), len(want.Issues), want.Metadata, firstDiff(got, want))
	}
}

func firstDiff(got, want *model.Plan) string {
	for i := range min(len(got.Tasks), len(want.Tasks)) {
		if !reflect.DeepEqual(got.Tasks[i], want.Tasks[i]) {
			return fmt.Sprintf("task %d:\n got  %+v\n want %+v", i, got.Tasks[i], want.Tasks[i])
		}
	}
	for i := range min(len(got.Issues), len(want.Issues)) {
		if !reflect.DeepEqual(got.Issues[i], want.Issues[i]) {
			return fmt.Sprintf("issue %d:\n got  %+v\n want %+v", i, got.Issues[i], want.Issues[i])
		}
	}
	return ""
}

// generated writes every layout of the project's plan generator (with
// and without the rarer defects and dependency columns, standard and
// repeated plans) and the example plans into dir.
func generated(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	for i, layout := range plangen.Layouts {
		for _, v := range []struct {
			defects, deps bool
			tasks         int
		}{{false, false, 0}, {true, false, 0}, {true, true, 0}, {false, true, 120}} {
			p := plangen.Generate(plangen.Spec{Seed: uint64(i*7 + v.tasks), Layout: layout, Municipality: parse.Municipalities[i*9%len(parse.Municipalities)],
				Solution: "KSD", Wave: i%4 + 1, Defects: v.defects, Dependencies: v.deps, Tasks: v.tasks})
			sub := filepath.Join(dir, fmt.Sprintf("%s-%v-%v-%d", layout, v.defects, v.deps, v.tasks))
			if err := os.MkdirAll(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			path, err := p.Write(sub)
			if err != nil {
				t.Fatal(err)
			}
			paths = append(paths, path)
		}
	}
	ex, err := plangen.WriteExamples(filepath.Join(dir, "examples"), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ex {
		if ext := strings.ToLower(filepath.Ext(p)); ext == ".xlsx" || ext == ".csv" || ext == ".txt" {
			paths = append(paths, p)
		}
	}
	return paths
}

// TestParser_ReadFile_equalsWholeGrid reads every generated layout both
// ways: streamed through the parser, and read whole then parsed.
func TestParser_ReadFile_equalsWholeGrid(t *testing.T) {
	paths := generated(t, t.TempDir())
	for _, lang := range []parse.Lang{parse.Danish, parse.English} {
		parser := parse.New(parse.Options{Lang: lang, Now: fixedNow})
		for _, path := range paths {
			t.Run(string(lang)+"/"+filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				want, wantErr := wholeGrid(parser, filepath.Base(path), data, grid.Options{Lang: string(lang)})
				got, gotErr := parser.ReadFile(path, grid.Options{Lang: string(lang)})
				if got != nil {
					got.File = filepath.Base(path)
				}
				samePlan(t, got, gotErr, want, wantErr)
				if want != nil && len(want.Tasks) == 0 {
					t.Error("no tasks: the comparison proves little")
				}
			})
		}
	}
}

// TestParser_ReadFile_hostileEqualsWholeGrid reads the hostile files both
// ways: the same refusals, with sheet and cell, or the same plan.
func TestParser_ReadFile_hostileEqualsWholeGrid(t *testing.T) {
	if testing.Short() {
		t.Skip("writes large files")
	}
	files, err := gridtest.All(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	parser := parse.New(parse.Options{Now: fixedNow})
	opts := grid.Options{MaxSize: 4 << 30}
	for _, f := range files {
		t.Run(f.Name, func(t *testing.T) {
			if fi, err := os.Stat(f.Path); err == nil && raceDetector && fi.Size() > 64<<20 {
				t.Skip("under the race detector: the run without it reads this file")
			}
			got, gotErr := parser.ReadFile(f.Path, opts)
			if got != nil {
				got.File = f.Name
			}
			g, err := grid.ReadFile(f.Path, opts)
			var want *model.Plan
			wantErr := err
			if err == nil {
				want, wantErr = parser.Parse(g)
			}
			g = nil
			samePlan(t, got, gotErr, want, wantErr)
		})
	}
}

// poisoned hands out g's rows as a Book and overwrites each row once it
// has left the parser's window (the current row, three above it and one
// below): a parser that kept a row, or asked for one again, reads
// "GIFT 2026" where the sheet had something else.
func poisoned(g *grid.Grid, window int) *grid.Book {
	i := 0
	var b *grid.Book
	b = grid.NewBook(g.File, func() (*grid.SheetRows, error) {
		if i >= len(g.Sheets) {
			b.Warnings = g.Warnings
			return nil, io.EOF
		}
		sh := &g.Sheets[i]
		i++
		var handed [][]grid.Cell
		r := 0
		return grid.NewSheetRows(sh.Name, sh.Hidden, func() (int, []grid.Cell, error) {
			for r < len(sh.Rows) {
				r++
				row := sh.Rows[r-1]
				if len(row) == 0 {
					continue
				}
				cp := append([]grid.Cell(nil), row...)
				handed = append(handed, cp)
				if old := len(handed) - 1 - window; old >= 0 {
					for c := range handed[old] {
						handed[old][c] = grid.Cell{Kind: grid.Text, Text: "GIFT 2026", Fill: grid.FillSet | 0xff0000}
					}
				}
				return r, cp, nil
			}
			return 0, nil, io.EOF
		}, sh.MergeAt), nil
	})
	return b
}

// TestParser_ParseBook_window parses every generated layout from a source
// that spoils each row as soon as it is out of the window: the plan is
// the one of the whole grid.
func TestParser_ParseBook_window(t *testing.T) {
	parser := parse.New(parse.Options{Now: fixedNow})
	for _, path := range generated(t, t.TempDir()) {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			g, err := grid.ReadFile(path, grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want, wantErr := parser.Parse(g)
			got, gotErr := parser.ParseBook(poisoned(g, 5))
			samePlan(t, got, gotErr, want, wantErr)
		})
	}
	t.Run("a spoiled row is seen", func(t *testing.T) {
		// The check itself: with a window of one row, a two-row header
		// and a timeline's year row above are read spoiled.
		g := &grid.Grid{File: "plan.xlsx", Sheets: []grid.Sheet{{Name: "Plan", Rows: [][]grid.Cell{
			cells("", "", "", 2026),
			cells("ID", "Opgave", "Ansvarlig", 34, 35, 36),
			cells("1", "Møde", "Kommune", "x", "x", ""),
		}}}}
		want, _ := parser.Parse(g)
		got, _ := parser.ParseBook(poisoned(g, 0))
		if reflect.DeepEqual(got, want) {
			t.Error("a spoiled year row gave the same plan: the test source spoils nothing")
		}
	})
}

// TestParser_ReadBytes_rowsOutOfOrder: rows saved out of order (allowed by
// the format) are read whole, with the same plan; a row saved twice is
// refused as before.
func TestParser_ReadBytes_rowsOutOfOrder(t *testing.T) {
	parser := parse.New(parse.Options{Now: fixedNow})
	row := func(r int, vals ...string) string {
		var b strings.Builder
		fmt.Fprintf(&b, `<row r="%d">`, r)
		for i, v := range vals {
			fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, grid.Ref(r, i+1), v)
		}
		b.WriteString(`</row>`)
		return b.String()
	}
	hdr := row(1, "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status")
	t2 := row(2, "Møde", "Kommune", "Kommune", "01-06-2026", "02-06-2026", "I gang")
	t3 := row(3, "Test", "Kommune", "Leverandør", "03-06-2026", "04-06-2026", "")
	for _, tc := range []struct {
		name, rows string
		wantErr    bool
	}{
		{"in order", hdr + t2 + t3, false},
		{"out of order", hdr + t3 + t2, false},
		{"twice", hdr + t2 + t2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "Aarhus KY.xlsx")
			if err := gridtest.WriteXLSX(path, gridtest.Sheet{Name: "Plan", Rows: func(w io.Writer) { io.WriteString(w, tc.rows) }}); err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			want, wantErr := wholeGrid(parser, "Aarhus KY.xlsx", data, grid.Options{})
			got, gotErr := parser.ReadBytes("Aarhus KY.xlsx", data, grid.Options{})
			samePlan(t, got, gotErr, want, wantErr)
			if (gotErr != nil) != tc.wantErr {
				t.Errorf("error = %v, want error: %v", gotErr, tc.wantErr)
			}
			if gotErr == nil && len(got.Tasks) != 2 {
				t.Errorf("got %d tasks, want 2", len(got.Tasks))
			}
			if errors.Is(gotErr, grid.ErrRowOrder) {
				t.Errorf("error = %v: the rows out of order reached the caller", gotErr)
			}
		})
	}
}

// FuzzParseStreamEqualsGrid: any text file gives the same plan (or the
// same refusal) streamed as read whole, and the same again from a source
// that spoils rows once they leave the window.
func FuzzParseStreamEqualsGrid(f *testing.F) {
	dir := f.TempDir()
	for i, layout := range []plangen.Layout{plangen.CSVDanish, plangen.CSVUTF8, plangen.UnicodeText} {
		p := plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: layout, Municipality: "Aarhus", Solution: "KY", Wave: 1, Defects: true})
		path, err := p.Write(dir)
		if err != nil {
			f.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		f.Add(data)
	}
	f.Add([]byte("Kommune: Aarhus\n\nOpgave;Dato\n;Start;Slut\nA;1-6-2026;2-6-2026\n"))
	f.Add([]byte(";;;2026;;\nID;Opgave;Ansvarlig;34;35;36\n1;Møde;Kommune;x;x;\nTrin 1\n2;Test;Kommune;;x;x\n"))
	f.Add([]byte("Aarhus Kommune KY\nOpgave,Ansvarlig,Udfører,Start,Slut,Status\nA,Kommune,Kommune,uge 34,uge 35,\n"))
	parser := parse.New(parse.Options{Now: fixedNow})
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := wholeGrid(parser, "plan.csv", data, grid.Options{})
		got, gotErr := parser.ReadBytes("plan.csv", data, grid.Options{})
		samePlan(t, got, gotErr, want, wantErr)
		g, err := grid.ReadBytes("plan.csv", data, grid.Options{})
		if err != nil {
			return
		}
		got, gotErr = parser.ParseBook(poisoned(g, 5))
		samePlan(t, got, gotErr, want, wantErr)
	})
}

// TestParser_ReadBytes_mergedSectionRow: a section row whose one cell is
// neither in column A nor the task column names the step only when it is
// merged, and the merged ranges come after the rows in the file: the
// streaming parser reads them ahead.
func TestParser_ReadBytes_mergedSectionRow(t *testing.T) {
	parser := parse.New(parse.Options{Now: fixedNow})
	row := inlineRow
	rows := row(1, "ID", "Ansvarlig", "Opgave", "Udfører", "Startdato", "Slutdato") +
		row(2, "", "Forberedelse af data", "", "", "", "") +
		row(3, "1", "Kommune", "Møde", "Kommune", "01-06-2026", "02-06-2026")
	for _, tc := range []struct {
		name, tail, want string
	}{
		{"merged", `<mergeCells count="1"><mergeCell ref="B2:F2"/></mergeCells>`, "Forberedelse af data"},
		{"not merged", ``, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "Aarhus KY.xlsx")
			err := gridtest.WriteXLSX(path, gridtest.Sheet{Name: "Plan", Rows: func(w io.Writer) { io.WriteString(w, rows) },
				Tail: func(w io.Writer) { io.WriteString(w, tc.tail) }})
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			want, wantErr := wholeGrid(parser, "Aarhus KY.xlsx", data, grid.Options{})
			got, gotErr := parser.ReadBytes("Aarhus KY.xlsx", data, grid.Options{})
			samePlan(t, got, gotErr, want, wantErr)
			if gotErr != nil || len(got.Tasks) != 1 {
				t.Fatalf("got %v, want one task", gotErr)
			}
			if got.Tasks[0].Step != tc.want {
				t.Errorf("step = %q, want %q", got.Tasks[0].Step, tc.want)
			}
		})
	}
}

// TestParser_ReadBytes_hiddenInMerge: Excel shows a merged range's top-left
// value over the whole range and never saves a value in its other cells; a
// value written there anyway (by a generator, or by hand in the XML) is not
// read — neither a step name that would move the tasks below it to another
// step, nor a date — and a warning names its cell. Streamed and whole-grid
// reading agree (the merged ranges come after the rows in the file).
func TestParser_ReadBytes_hiddenInMerge(t *testing.T) {
	parser := parse.New(parse.Options{Now: fixedNow})
	row := inlineRow
	rows := row(1, "Trin", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato") +
		row(2, "Trin 1", "Møde", "Kommune", "Kommune", "01-06-2026", "02-06-2026") +
		row(3, "Trin 2", "Test", "Kommune", "Kommune", "03-06-2026", "04-06-2026") +
		row(4, "", "Drift", "Kommune", "Kommune", "05-06-2026", "15-06-2026")
	for _, tc := range []struct {
		name, tail string
		steps      []string
		end        string // the last task's end
		issues     []string
	}{
		{"merged", `<mergeCells count="2"><mergeCell ref="A2:A4"/><mergeCell ref="E4:F4"/></mergeCells>`,
			[]string{"Trin 1", "Trin 1", "Trin 1"}, "", []string{"A3 merged_hidden", "F4 missing_date", "F4 merged_hidden"}},
		{"not merged", ``, []string{"Trin 1", "Trin 2", "Trin 2"}, "2026-06-15", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "Aarhus KY.xlsx")
			err := gridtest.WriteXLSX(path, gridtest.Sheet{Name: "Plan", Rows: func(w io.Writer) { io.WriteString(w, rows) },
				Tail: func(w io.Writer) { io.WriteString(w, tc.tail) }})
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			want, wantErr := wholeGrid(parser, "Aarhus KY.xlsx", data, grid.Options{})
			got, gotErr := parser.ReadBytes("Aarhus KY.xlsx", data, grid.Options{})
			samePlan(t, got, gotErr, want, wantErr)
			if gotErr != nil || len(got.Tasks) != 3 {
				t.Fatalf("got %v, want three tasks", gotErr)
			}
			var steps []string
			for _, task := range got.Tasks {
				steps = append(steps, task.Step)
			}
			if !reflect.DeepEqual(steps, tc.steps) {
				t.Errorf("steps = %q, want %q", steps, tc.steps)
			}
			if end := got.Tasks[2].End; end.String() != tc.end && !(tc.end == "" && end.IsZero()) {
				t.Errorf("end = %s, want %q", end, tc.end)
			}
			var issues []string
			for _, is := range got.Issues {
				if is.Code == grid.CodeMergedHidden || is.Code == parse.CodeMissingDate {
					issues = append(issues, is.Pos.Cell+" "+is.Code)
					if is.Code == grid.CodeMergedHidden && !strings.Contains(is.Message, "A2:A4") && !strings.Contains(is.Message, "E4:F4") {
						t.Errorf("the warning does not name the range: %s", is.Message)
					}
				}
			}
			if !reflect.DeepEqual(issues, tc.issues) {
				t.Errorf("issues = %q, want %q", issues, tc.issues)
			}
		})
	}
}

// inlineRow is a worksheet row of inline strings, its empty values left out.
func inlineRow(r int, vals ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for i, v := range vals {
		if v != "" {
			fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, grid.Ref(r, i+1), v)
		}
	}
	b.WriteString(`</row>`)
	return b.String()
}
