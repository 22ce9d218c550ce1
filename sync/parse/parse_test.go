package parse_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// readPlan writes p into a temporary folder and reads it back as a user's
// file would be read.
func readPlan(t *testing.T, p *plangen.Plan) *model.Plan {
	t.Helper()
	path, err := p.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	g, err := grid.ReadFile(path, grid.Options{})
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	plan, err := parse.New(parse.Options{}).Parse(g)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return plan
}

// compareTasks compares every canonical field and the position.
func compareTasks(t *testing.T, got, want []model.Task) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d tasks, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		g.Notes, w.Notes = "", ""
		if w.Status != model.Unknown && w.RawStatus == "" {
			g.RawStatus = ""
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("task %d:\n got  %+v\n want %+v", i, g, w)
		}
	}
}

func TestParser_Parse_layouts(t *testing.T) {
	for _, layout := range plangen.Layouts {
		for seed := uint64(1); seed <= 4; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", layout, seed), func(t *testing.T) {
				p := plangen.Generate(plangen.Spec{Seed: seed, Layout: layout, Municipality: "Ringkøbing-Skjern", Solution: "KSD", Wave: 3, Defects: seed%2 == 0})
				plan := readPlan(t, p)
				compareTasks(t, plan.Tasks, p.Tasks)
				want := p.ExpectedMetadata()
				if got := plan.Metadata; got.Municipality != want.Municipality || got.Solution != want.Solution || got.Wave != want.Wave {
					t.Errorf("metadata = %+v, want %+v", got, want)
				}
				got := map[plangen.ExpectedIssue]bool{}
				for _, is := range plan.Issues {
					got[plangen.ExpectedIssue{Sheet: is.Pos.Sheet, Cell: is.Pos.Cell, Code: is.Code}] = true
				}
				for _, w := range p.Issues {
					if !got[w] {
						t.Errorf("missing issue %+v; got %+v", w, plan.Issues)
					}
				}
			})
		}
	}
}

// cells builds a row: strings are text, numbers are numbers, nil is empty.
func cells(vals ...any) []grid.Cell {
	row := make([]grid.Cell, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case string:
			if x != "" {
				row[i] = grid.Cell{Kind: grid.Text, Text: x}
			}
		case int:
			row[i] = grid.Cell{Kind: grid.Number, Text: fmt.Sprint(x), Num: float64(x)}
		case float64:
			row[i] = grid.Cell{Kind: grid.Number, Text: fmt.Sprint(x), Num: x}
		}
	}
	return row
}

func parseGrid(t *testing.T, sheets ...grid.Sheet) (*model.Plan, error) {
	t.Helper()
	return parse.New(parse.Options{}).Parse(&grid.Grid{File: "plan.xlsx", Sheets: sheets})
}

func summary(tasks []model.Task) string {
	var b strings.Builder
	for _, t := range tasks {
		fmt.Fprintf(&b, "%d|%s|%s|%s|%s|%s|%s|%s\n", t.Pos.Row, t.Step, t.ID, t.Title, t.Responsible, t.Start, t.End, t.Status)
	}
	return b.String()
}

var hdr = []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"}

func TestParser_Parse_grids(t *testing.T) {
	tests := []struct {
		name   string
		sheets []grid.Sheet
		want   string
		md     model.Metadata
	}{
		{
			name: "two tables in one sheet without markers, steps from section rows",
			sheets: []grid.Sheet{{Name: "Plan", Rows: [][]grid.Cell{
				cells("Trin 1"),
				cells(hdr...),
				cells("A", "Kommune", "Kommune", "01-06-2026", "02-06-2026", "I gang"),
				nil,
				cells("Forberedelse"),
				cells(hdr...),
				cells("B", "Kombit", "Kommune", "03-06-2026", "04-06-2026", "Færdig"),
			}}},
			want: "3|Trin 1||A|Kommune|2026-06-01|2026-06-02|in_progress\n7|Forberedelse||B|KOMBIT|2026-06-03|2026-06-04|done\n",
		},
		{
			name: "a two-row header",
			sheets: []grid.Sheet{{Name: "Plan", Rows: [][]grid.Cell{
				cells("ID", "Opgave", "Ansvarlig", "Udfører", "Dato", "", "Status"),
				cells("", "", "", "", "Start", "Slut", ""),
				cells("1", "A", "Kommune", "Kommune", "01-06-2026", "02-06-2026", "Færdig"),
			}}},
			want: "3||1|A|Kommune|2026-06-01|2026-06-02|done\n",
		},
		{
			name: "step labels with a colon are steps, not key/value lines",
			sheets: []grid.Sheet{{Name: "Plan", Rows: [][]grid.Cell{
				cells(hdr...),
				cells("Fase 1: Forberedelse"),
				cells("A", "Kommune", "Kommune", "01-06-2026", "02-06-2026", ""),
				cells("Fase 2: Test"),
				cells("B", "Kommune", "Kommune", "01-06-2026", "02-06-2026", ""),
			}}},
			want: "3|Fase 1: Forberedelse||A|Kommune|2026-06-01|2026-06-02|not_started\n5|Fase 2: Test||B|Kommune|2026-06-01|2026-06-02|not_started\n",
		},
		{
			name: "unmerged section row without a step word, and footers",
			sheets: []grid.Sheet{{Name: "Plan", Rows: [][]grid.Cell{
				cells(hdr...),
				cells("Opstart"),
				cells("A", "Kommune", "Kommune", "01-06-2026", "02-06-2026", ""),
				cells("B", "Kommune", "Kommune", "01-06-2026", "02-06-2026", "0%"),
				nil,
				cells("Antal opgaver: 2"),
				cells("NB! - ikke endelige"),
				cells("I alt:", "", "", "", "", ""),
				cells("I alt", 2),
				cells("Total", "", "", "", "", 2),
			}}},
			want: "3|Opstart||A|Kommune|2026-06-01|2026-06-02|not_started\n4|Opstart||B|Kommune|2026-06-01|2026-06-02|not_started\n",
		},
		{
			name: "step from sheet name, instruction and hidden sheets skipped, serial dates",
			sheets: []grid.Sheet{
				{Name: "Vejledning", Rows: [][]grid.Cell{cells(hdr...), cells("Ikke en opgave", "Kommune", "Kommune", "01-06-2026", "02-06-2026", "")}},
				{Name: "Gammel", Hidden: true, Rows: [][]grid.Cell{cells(hdr...), cells("Gammel opgave", "Kommune", "Kommune", "01-06-2026", "02-06-2026", "")}},
				{Name: "Trin 2 - Test", Rows: [][]grid.Cell{cells(hdr...), cells("C", "Leverandøren", "Kommune", 46174, 46175.0, 0.5)}},
			},
			want: "2|Trin 2 - Test||C|Leverandør|2026-06-01|2026-06-02|in_progress\n",
		},
		{
			name: "step column filled down, extra columns, key/value metadata in two cells",
			sheets: []grid.Sheet{{Name: "Ark1", Rows: [][]grid.Cell{
				cells("Implementeringsplan"),
				cells("Kommune", "Aarhus Kommune"),
				cells("Løsning:", "KY"),
				cells("Bølge:", 2),
				cells("Projektleder:", "navn@aarhus.dk"),
				nil,
				cells("Fase", "Nr.", "Aktivitet", "Varighed", "Ansv.", "Udføres af", "Fra", "Til", "Fremdrift"),
				cells("Trin 0a", 1.1, "A", 3, "Kommune", "Kommune", "1/6-2026", "1. juni 2026", "Udført"),
				cells("", 1.2, "B", 3, "Kommune", "Kommune", "1.6.2026", "2026-06-01", "Lukket"),
			}}},
			want: "8|Trin 0a|1.1|A|Kommune|2026-06-01|2026-06-01|done\n9|Trin 0a|1.2|B|Kommune|2026-06-01|2026-06-01|done\n",
			md:   model.Metadata{Municipality: "Aarhus", Solution: "KY", Wave: "2"},
		},
		{
			name: "english headers anywhere in the sheet",
			sheets: []grid.Sheet{{Name: "Sheet1", Rows: [][]grid.Cell{
				nil, nil,
				cells("", "", "Task", "Owner", "Performed by", "Start date", "Due date", "Progress"),
				cells("", "", "A", "Supplier", "KOMBIT", "2026-06-01", "2026-06-03", "Cancelled"),
			}}},
			want: "4|||A|Leverandør|2026-06-01|2026-06-03|cancelled\n",
		},
		{
			name: "title starting with = stays text, whitespace collapsed",
			sheets: []grid.Sheet{{Name: "Plan", Rows: [][]grid.Cell{
				cells(hdr...),
				cells("=SUM(A1)\u00a0 og\nmere", "Kommune", "Kommune", "01-06-2026", "02-06-2026", ""),
			}}},
			want: "2|||=SUM(A1) og mere|Kommune|2026-06-01|2026-06-02|not_started\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := parseGrid(t, tt.sheets...)
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(plan.Tasks); got != tt.want {
				t.Errorf("tasks:\n%s\nwant:\n%s", got, tt.want)
			}
			if tt.md.Municipality != "" {
				got := plan.Metadata
				if got.Municipality != tt.md.Municipality || got.Solution != tt.md.Solution || got.Wave != tt.md.Wave {
					t.Errorf("metadata = %+v, want %+v", got, tt.md)
				}
				if got.Extra["Projektleder"] != "navn@aarhus.dk" {
					t.Errorf("extra metadata = %v, want Projektleder", got.Extra)
				}
			}
		})
	}
}

func TestParser_Parse_issues(t *testing.T) {
	plan, err := parseGrid(t, grid.Sheet{Name: "Plan", Rows: [][]grid.Cell{
		cells("ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"),
		cells("1", "A", "", "Kommune", "05-06-2026", "01-06-2026", "Måske"),
		cells("1", "B", "Kommune", "Kommune", "snart", "", "I gang"),
		cells("", "", "Kommune", "", "01-06-2026", "", ""),
	}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, is := range plan.Issues {
		got = append(got, fmt.Sprintf("%s %s %s", is.Pos.Cell, is.Severity, is.Code))
	}
	want := []string{
		"C2 warning missing_responsible", "E2 error start_after_end", "G2 warning unknown_status",
		"A3 error duplicate_id", "E3 error bad_date", "F3 warning missing_date",
		"B4 error no_title",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("issues:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(plan.Tasks) != 2 {
		t.Errorf("got %d tasks, want 2 (the rest of the sheet is still read)", len(plan.Tasks))
	}
	if plan.Tasks[0].Status != model.Unknown || plan.Tasks[0].RawStatus != "Måske" {
		t.Errorf("unknown status kept as %v %q", plan.Tasks[0].Status, plan.Tasks[0].RawStatus)
	}
}

func TestParser_Parse_noTable(t *testing.T) {
	_, err := parseGrid(t, grid.Sheet{Name: "Ark1", Rows: [][]grid.Cell{
		cells("Navn", "Adresse"), cells("Jens", "Vej 1"),
	}})
	if !errors.Is(err, parse.ErrNoTable) {
		t.Fatalf("err = %v, want ErrNoTable", err)
	}
	for _, name := range []string{"Opgave", "Ansvarlig", "Startdato", "Slutdato", "Status"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not say it looked for %q", err, name)
		}
	}
}

func TestParser_Parse_emptiedSheet(t *testing.T) {
	plan, err := parseGrid(t, grid.Sheet{Name: "Plan", Rows: [][]grid.Cell{cells(hdr...)}})
	if err != nil {
		t.Fatalf("a table with no tasks is a plan with no tasks, not an error: %v", err)
	}
	if len(plan.Tasks) != 0 {
		t.Errorf("got %d tasks", len(plan.Tasks))
	}
}

func TestParser_Parse_configuredNames(t *testing.T) {
	cols, err := parse.NewColumns(map[parse.Role][]string{parse.RoleTitle: {"Hvad"}, parse.RoleEnd: {"Senest"}})
	if err != nil {
		t.Fatal(err)
	}
	p := parse.New(parse.Options{Columns: cols, Statuses: parse.NewStatusMapper(map[string]model.Status{"Venter": model.NotStarted}), Lang: parse.English})
	plan, err := p.Parse(&grid.Grid{Sheets: []grid.Sheet{{Name: "S", Rows: [][]grid.Cell{
		cells("Hvad", "Ansvarlig", "Senest", "Status"),
		cells("A", "Kommune", "01-06-2026", "Venter"),
		cells("B", "", "01-06-2026", "Hmm"),
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(plan.Tasks); got != "2|||A|Kommune||2026-06-01|not_started\n3|||B|||2026-06-01|unknown\n" {
		t.Errorf("tasks:\n%s", got)
	}
	for _, is := range plan.Issues {
		if is.Code == parse.CodeUnknownStatus && !strings.Contains(is.Message, "is not known") {
			t.Errorf("message %q is not in English", is.Message)
		}
	}
}

func BenchmarkParser_Parse(b *testing.B) {
	p := plangen.Generate(plangen.Spec{Seed: 1, Layout: plangen.CSVDanish, Municipality: "Aarhus", Solution: "KY", Wave: 1, Tasks: 10000})
	path, err := p.Write(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	g, err := grid.ReadFile(path, grid.Options{})
	if err != nil {
		b.Fatal(err)
	}
	parser := parse.New(parse.Options{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parser.Parse(g); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Tasks))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
