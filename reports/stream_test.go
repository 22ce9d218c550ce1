package reports

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/udrul/udrul/store"
	"github.com/xuri/excelize/v2"
)

// streamOf is data with its tasks handed over as EachTask would by a store
// query: one task value reused for all, only the plans asked for; tweak
// may change a task on its way.
func streamOf(data *Data, summarize bool, tweak func(i int, t *store.PlanTask)) *Data {
	out := *data
	tasks := data.Tasks
	out.Tasks = nil
	out.EachTask = func(plans []store.Plan, fn func(*store.PlanTask) error) error {
		keep := map[int64]bool{}
		for _, p := range plans {
			keep[p.ID] = true
		}
		var t store.PlanTask
		for i := range tasks {
			if !keep[tasks[i].PlanID] {
				continue
			}
			t = tasks[i]
			if tweak != nil {
				tweak(i, &t)
			}
			if err := fn(&t); err != nil {
				return err
			}
		}
		return nil
	}
	if summarize {
		if err := out.Summarize(eachSlice(tasks)); err != nil {
			panic(err)
		}
	}
	return &out
}

// dump is every cell of every sheet: value, formula and fill.
func dump(t *testing.T, xlsx []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sb strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				formula, _ := f.GetCellFormula(sh, cell)
				fmt.Fprintf(&sb, "%s!%s %q %q %s\n", sh, cell, v, formula, fill(t, f, sh, cell))
			}
		}
	}
	return sb.String()
}

func write(t *testing.T, data *Data) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	err := Write(&buf, data)
	return buf.Bytes(), err
}

func TestWrite_streamedTasks(t *testing.T) {
	for _, english := range []bool{false, true} {
		data := sample(400, english)
		want, err := write(t, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, variant := range []string{"summarized", "counted by Write"} {
			t.Run(fmt.Sprintf("english=%v/%s", english, variant), func(t *testing.T) {
				s := streamOf(data, variant != "counted by Write", nil)
				got, err := write(t, s)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := dump(t, got), dump(t, want); g != w {
					t.Errorf("the workbook from streamed tasks differs from the one from the slice:\n%s", firstDiff(g, w))
				}
			})
		}
	}
}

func TestData_ForMunicipality_streamed(t *testing.T) {
	data := sample(300, false)
	want, err := write(t, data.ForMunicipality("Vejle"))
	if err != nil {
		t.Fatal(err)
	}
	s := streamOf(data, true, nil)
	md := s.ForMunicipality("Vejle")
	if h, w := md.Headline(), data.ForMunicipality("Vejle").Headline(); h.Tasks != w.Tasks || h.Done != w.Done || h.Tasks != 100 {
		t.Errorf("extract's headline: %d tasks, %.2f done; want %d, %.2f (100 tasks)", h.Tasks, h.Done, w.Tasks, w.Done)
	}
	got, err := write(t, md)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := dump(t, got), dump(t, want); g != w {
		t.Errorf("the extract from streamed tasks differs from the one from the slice:\n%s", firstDiff(g, w))
	}
}

// A sync between counting the tasks and listing them would make the sheets
// disagree: the report is refused, not written half old, half new.
func TestWrite_tasksChangedWhileWritten(t *testing.T) {
	for name, tweak := range map[string]func(i int, t *store.PlanTask){
		"title changed": func(i int, t *store.PlanTask) {
			if i == 250 {
				t.Title = "Ny titel"
			}
		},
		"end moved": func(i int, t *store.PlanTask) {
			if i == 3 {
				t.End = t.End.AddDays(7)
			}
		},
		"task removed": func(i int, t *store.PlanTask) {
			if i == 10 {
				t.PlanID = 99 // not one of the plans: as if gone
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			for _, english := range []bool{false, true} {
				data := sample(300, english)
				_, err := write(t, streamOf(data, true, tweak))
				want := "the tasks changed while the report was written"
				if !english {
					want = "opgaverne ændrede sig, mens rapporten blev skrevet"
				}
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("english=%v: got %v, want an error saying %q", english, err, want)
				}
			}
		})
	}
}

func TestWrite_streamFails(t *testing.T) {
	data := sample(3000, false)
	broken := errors.New("disk I/O error")
	s := streamOf(data, true, nil)
	each := s.EachTask
	n := 0
	s.EachTask = func(plans []store.Plan, fn func(*store.PlanTask) error) error {
		return each(plans, func(t *store.PlanTask) error {
			if n++; n == 2000 {
				return broken
			}
			return fn(t)
		})
	}
	if _, err := write(t, s); !errors.Is(err, broken) {
		t.Errorf("got %v, want the store's error", err)
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// A table longer than a sheet goes on in "Opgaver (2)", "Opgaver (3)", …
// each under the same header, and no row is lost.
func TestWrite_tableLongerThanASheet(t *testing.T) {
	data := sample(120, false)
	whole, err := write(t, data)
	if err != nil {
		t.Fatal(err)
	}
	defer func(n int) { sheetRows = n }(sheetRows)
	sheetRows = 50
	split, err := write(t, streamOf(data, true, nil))
	if err != nil {
		t.Fatal(err)
	}
	fw, err := excelize.OpenReader(bytes.NewReader(whole))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := excelize.OpenReader(bytes.NewReader(split))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(fs.GetSheetList(), ","), "Oversigt,Kommuner,Bølger,Prognose,Forsinkede,Skred,Datakvalitet,Ændringer,Opgaver,Opgaver (2),Opgaver (3),Kilder"; got != want {
		t.Fatalf("sheets: got %s, want %s", got, want)
	}
	want, _ := fw.GetRows("Opgaver")
	var got [][]string
	for i, sh := range []string{"Opgaver", "Opgaver (2)", "Opgaver (3)"} {
		rows, _ := fs.GetRows(sh)
		if len(rows) > 50 || !slices.Equal(rows[0], want[0]) {
			t.Errorf("%s: %d rows, header %q; want at most 50 under the header %q", sh, len(rows), rows[0], want[0])
		}
		if i > 0 {
			rows = rows[1:]
		}
		got = append(got, rows...)
		if tables, _ := fs.GetTables(sh); len(tables) != 1 {
			t.Errorf("%s: %d tables, want 1", sh, len(tables))
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the three sheets hold %d rows, want the %d of the one", len(got), len(want))
	}
}
