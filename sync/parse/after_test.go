package parse_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

func TestSplitAfter(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		byRow     bool
		refs, bad []string
	}{
		{"one ID", "3", false, []string{"3"}, nil},
		{"comma, semicolon and space", "3, 5;7 9", false, []string{"3", "5", "7", "9"}, nil},
		{"MS Project link type and lag", "12FS+2d;4SS", false, []string{"12", "4"}, nil},
		{"lag written with spaces", "12 FS + 2 dage", false, []string{"12"}, nil},
		{"Danish link type", "7AS-1d", false, []string{"7"}, nil},
		{"dotted IDs", "1.2, 1.10", false, []string{"1.2", "1.10"}, nil},
		{"IDs with letters", "A3 B4", false, []string{"A3", "B4"}, nil},
		{"duplicates once", "3, 3FS", false, []string{"3"}, nil},
		{"row numbers", "4; 6", true, []string{"row:4", "row:6"}, nil},
		{"row with lag", "4FS+1d", true, []string{"row:4"}, nil},
		{"a word is no row number", "4 og test", true, []string{"row:4"}, []string{"og", "test"}},
		{"a dotted number is no row number", "1.2", true, nil, []string{"1.2"}},
		{"empty", " ; ,", false, nil, nil},
		{"the store's row form is no ID", "row:5 3", false, []string{"3"}, []string{"row:5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refs, bad := parse.SplitAfter(tt.text, tt.byRow)
			if !reflect.DeepEqual(refs, tt.refs) || !reflect.DeepEqual(bad, tt.bad) {
				t.Errorf("SplitAfter(%q, %v) = %q, %q; want %q, %q", tt.text, tt.byRow, refs, bad, tt.refs, tt.bad)
			}
		})
	}
}

func TestParser_Parse_dependencies(t *testing.T) {
	afters := func(p *model.Plan) string {
		var b strings.Builder
		for _, t := range p.Tasks {
			fmt.Fprintf(&b, "%d %s: %s\n", t.Pos.Row, t.Title, model.JoinAfter(t.After))
		}
		return b.String()
	}
	issues := func(p *model.Plan) string {
		var b strings.Builder
		for _, is := range p.Issues {
			fmt.Fprintf(&b, "%s!%s %s %s\n", is.Pos.Sheet, is.Pos.Cell, is.Severity, is.Code)
		}
		return b.String()
	}
	tests := []struct {
		name              string
		rows              [][]grid.Cell
		wantAfter, wantIs string
	}{
		{
			name: "by ID, forward and numeric cells",
			rows: [][]grid.Cell{
				cells("ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Forudgående"),
				cells(10, "Datavask", "Kommune", "Kommune", "01-06-2026", "05-06-2026", ""),
				cells(20, "Prøvekonvertering", "Leverandør", "Leverandør", "08-06-2026", "12-06-2026", 10),
				cells(30, "Validering", "Kommune", "Kommune", "15-06-2026", "19-06-2026", "20FS+2d; 40"),
				cells(40, "Test", "Kommune", "Kommune", "15-06-2026", "19-06-2026", ""),
			},
			wantAfter: "2 Datavask: \n3 Prøvekonvertering: 10\n4 Validering: 20, 40\n5 Test: \n",
		},
		{
			name: "by row number without an ID column",
			rows: [][]grid.Cell{
				cells("Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Afhænger af"),
				cells("Datavask", "Kommune", "Kommune", "01-06-2026", "05-06-2026", ""),
				cells("Prøvekonvertering", "Leverandør", "Leverandør", "08-06-2026", "12-06-2026", 2),
				cells("Validering", "Kommune", "Kommune", "15-06-2026", "19-06-2026", "2, 3"),
			},
			wantAfter: "2 Datavask: \n3 Prøvekonvertering: row:2\n4 Validering: row:2, row:3\n",
		},
		{
			name: "unreadable, unknown and own references are issues with the cell",
			rows: [][]grid.Cell{
				cells("Nr.", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Predecessors"),
				cells("A", "Datavask", "Kommune", "Kommune", "01-06-2026", "05-06-2026", "A"),
				cells("B", "Prøvekonvertering", "Leverandør", "Leverandør", "08-06-2026", "12-06-2026", "A, Z"),
			},
			wantAfter: "2 Datavask: \n3 Prøvekonvertering: A, Z\n",
			wantIs:    "Plan!G2 error self_dependency\nPlan!G3 error unknown_dependency\n",
		},
		{
			name: "rows: text, a row that is no task and the own row",
			rows: [][]grid.Cell{
				cells("Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Forgænger"),
				cells("Datavask", "Kommune", "Kommune", "01-06-2026", "05-06-2026", "efter kickoff"),
				cells("Prøvekonvertering", "Leverandør", "Leverandør", "08-06-2026", "12-06-2026", "1; 3; 2"),
			},
			wantAfter: "2 Datavask: \n3 Prøvekonvertering: row:1, row:2\n",
			wantIs:    "Plan!F2 error bad_dependency\nPlan!F3 error self_dependency\nPlan!F3 error unknown_dependency\n",
		},
		{
			name: "a remark in the column is one issue, not a reference per word",
			rows: [][]grid.Cell{
				cells("ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Afhængigheder"),
				cells(1, "Datavask", "Kommune", "Kommune", "01-06-2026", "05-06-2026", "afventer leverandøren"),
				cells(2, "Prøvekonvertering", "Leverandør", "Leverandør", "08-06-2026", "12-06-2026", "1; 7; 9"),
			},
			wantAfter: "2 Datavask: \n3 Prøvekonvertering: 1, 7, 9\n",
			wantIs:    "Plan!G2 error bad_dependency\nPlan!G3 error unknown_dependency\n",
		},
		{
			name: "a date cell is no reference",
			rows: [][]grid.Cell{
				cells("Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Forudgående"),
				cells("Datavask", "Kommune", "Kommune", "01-06-2026", "05-06-2026", ""),
				append(cells("Prøvekonvertering", "Leverandør", "Leverandør", "08-06-2026", "12-06-2026"),
					grid.Cell{Kind: grid.Date, Text: "46024", Num: 46024}),
			},
			wantAfter: "2 Datavask: \n3 Prøvekonvertering: \n",
			wantIs:    "Plan!F3 error bad_dependency\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := parseGrid(t, grid.Sheet{Name: "Plan", Rows: tt.rows})
			if err != nil {
				t.Fatal(err)
			}
			if got := afters(plan); got != tt.wantAfter {
				t.Errorf("dependencies:\n%s\nwant:\n%s", got, tt.wantAfter)
			}
			if got := issues(plan); got != tt.wantIs {
				t.Errorf("issues:\n%s\nwant:\n%s", got, tt.wantIs)
			}
		})
	}
}

func TestParser_Parse_dependencyMessage(t *testing.T) {
	plan, err := parse.New(parse.Options{Lang: parse.English}).Parse(&grid.Grid{File: "plan.xlsx", Sheets: []grid.Sheet{{Name: "Plan", Rows: [][]grid.Cell{
		cells("ID", "Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Afhængighed"),
		cells(1, "Datavask", "Kommune", "Kommune", "01-06-2026", "05-06-2026", "7"),
		cells(2, "Prøvekonvertering", "Leverandør", "Leverandør", "08-06-2026", "12-06-2026", "afventer leverandøren"),
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Issues) != 2 {
		t.Fatalf("issues = %+v, want two", plan.Issues)
	}
	for i, want := range []string{
		`task "Datavask" depends on ID 7, but the plan has no such task; the forecast ignores it`,
		`"afventer leverandøren" in the predecessors column is not readable as task IDs (the table has an ID column); it is not used (write e.g. 3; 5 or 12FS+2d)`,
	} {
		if got := plan.Issues[i].Message; got != want {
			t.Errorf("message %d = %q, want %q", i, got, want)
		}
	}
}

func FuzzSplitAfter(f *testing.F) {
	for _, s := range []string{"3", "12FS+2d; 4", "A3 B4", "1.2,,1.10", "4 og test", "99999999999999999999"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, byRow bool) {
		refs, _ := parse.SplitAfter(text, byRow)
		for _, r := range refs {
			if r == "" || strings.ContainsAny(r, ",; \t\n") {
				t.Fatalf("reference %q from %q holds a separator", r, text)
			}
			if _, ok := model.ParseRowRef(r); byRow != ok {
				t.Fatalf("reference %q from %q: a row %v, want %v", r, text, ok, byRow)
			}
		}
		if got := model.SplitAfter(model.JoinAfter(refs)); !reflect.DeepEqual(got, refs) && len(refs) > 0 {
			t.Fatalf("round trip of %q = %q", refs, got)
		}
	})
}

// TestParser_Parse_generatedDependencies: every layout, written with a
// dependency column by plangen and read back: the dependencies as written,
// and no dependency issue.
func TestParser_Parse_generatedDependencies(t *testing.T) {
	for _, layout := range plangen.Layouts {
		t.Run(string(layout), func(t *testing.T) {
			p := plangen.Generate(plangen.Spec{Seed: 3, Layout: layout, Municipality: "Aarhus", Solution: "KY", Wave: 2, Defects: true, Dependencies: true})
			deps := 0
			for _, tk := range p.Tasks {
				deps += len(tk.After)
			}
			if deps < 5 {
				t.Fatalf("the generated plan has %d dependencies; want some", deps)
			}
			plan := readPlan(t, p)
			compareTasks(t, plan.Tasks, p.Tasks)
			for _, is := range plan.Issues {
				if strings.HasSuffix(is.Code, "_dependency") {
					t.Errorf("issue %s at %s!%s: %s", is.Code, is.Pos.Sheet, is.Pos.Cell, is.Message)
				}
			}
		})
	}
}
