package parse_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// issuesOf lists a plan's issues of the given codes as "cell code", a line
// each.
func issuesOf(plan *model.Plan, codes ...string) string {
	var out []string
	for _, is := range plan.Issues {
		for _, c := range codes {
			if is.Code == c {
				out = append(out, is.Pos.Cell+" "+is.Code)
			}
		}
	}
	return strings.Join(out, "\n")
}

// TestParser_ReadFile_struckTask: a task row struck through (its title
// cell, or most of its cells) instead of deleted was read as a live task in
// silence, and could count as overdue. It is still read as its status says
// (a strike may mean dropped or done), with a struck_task warning on the
// title cell; a row whose status says done or cancelled agrees with its
// strike and gets none. Streamed and whole reads agree.
func TestParser_ReadFile_struckTask(t *testing.T) {
	head := []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"}
	tests := []struct {
		name   string
		status any
		struck []string // the columns struck through in the task's row (3)
		want   model.Status
		issues string
	}{
		{"title struck, no status", nil, []string{"A"}, model.NotStarted, "A3 struck_task"},
		{"title struck, in progress", "I gang", []string{"A"}, model.InProgress, "A3 struck_task"},
		{"title struck, on hold", "På hold", []string{"A"}, model.OnHold, "A3 struck_task"},
		{"most of the row struck, not the title", nil, []string{"B", "C", "D", "E"}, model.NotStarted, "A3 struck_task"},
		{"the whole row struck", "I gang", []string{"A", "B", "C", "D", "E", "F"}, model.InProgress, "A3 struck_task"},
		{"only the status struck", "I gang", []string{"F"}, model.InProgress, ""},
		{"title struck, done", "Færdig", []string{"A"}, model.Done, ""},
		{"title struck, cancelled", "Udgået", []string{"A"}, model.Cancelled, ""},
		{"nothing struck", "I gang", nil, model.InProgress, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			task := []any{"Konverter data", "Kommune", "Leverandør", "01-02-2026", "10-02-2026", tt.status}
			for i, r := range [][]any{head, {}, task} {
				if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
					t.Fatal(err)
				}
			}
			strike, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Strike: true}})
			if err != nil {
				t.Fatal(err)
			}
			for _, col := range tt.struck {
				if err := f.SetCellStyle("Sheet1", col+"3", col+"3", strike); err != nil {
					t.Fatal(err)
				}
			}
			plan := readBothWays(t, f)
			if len(plan.Tasks) != 1 {
				t.Fatalf("%d tasks, want 1 (issues %+v)", len(plan.Tasks), plan.Issues)
			}
			if got := plan.Tasks[0].Status; got != tt.want {
				t.Errorf("status %q, want %q", got, tt.want)
			}
			if got := issuesOf(plan, parse.CodeStruckTask, parse.CodeDroppedTitle); got != tt.issues {
				t.Errorf("issues %q, want %q", got, tt.issues)
			}
		})
	}
}

// TestParser_Parse_droppedTitle: a task whose title says it was deleted or
// cancelled ("SLETTET – …", "UDGÅET: …", "(slettet)", "AFLYST") was read as a
// live task in silence. It is read as its status says, with a
// dropped_title warning on the title cell unless its status is cancelled; a
// title whose words are the task's own ("Slettede sager konverteres",
// "Aflyst møde genindkaldes") gets none.
func TestParser_Parse_droppedTitle(t *testing.T) {
	tests := []struct {
		title  string
		status string
		warned bool
	}{
		{"SLETTET – Konverter data", "", true},
		{"SLETTET - Konverter data", "I gang", true},
		{"UDGÅET: Konverter data", "", true},
		{"Udgået: Konverter data", "", true},
		{"udgaaet: Konverter data", "", true},
		{"(slettet) Konverter data", "", true},
		{"Konverter data (slettet)", "", true},
		{"Konverter data [udgår]", "", true},
		{"Konverter data (UDGÅET 12/3)", "", true},
		{"Konverter data – udgået", "", true},
		{"Konverter data: aflyst", "", true},
		{"AFLYST", "", true},
		{"Aflyst", "", true},
		{"UDGÅET Konverter data", "", true},
		{"Ikke relevant: Konverter data", "", true},
		{"Konverter data (ikke relevant)", "", true},
		{"CANCELLED - Data migration", "", true},
		{"UDGÅET: Konverter data", "Færdig", true},
		// Cancelled as its status says: nothing to add.
		{"UDGÅET: Konverter data", "Udgået", false},
		{"AFLYST", "Annulleret", false},
		// The word belongs to the task.
		{"Slettet data gendannes", "", false},
		{"Slettede sager konverteres", "", false},
		{"Aflyst møde genindkaldes", "", false},
		{"AFLYST MØDE GENINDKALDES", "", false},
		{"Konverter data (udgår hvis KY er klar)", "", false},
		{"Gennemgå udgåede ydelser", "", false},
		{"Konverter data", "", false},
		{"Ikke relevante felter ryddes op", "", false},
		{"Oprydning - data slettet i gammelt system", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.title+"|"+tt.status, func(t *testing.T) {
			plan, err := parseGrid(t, grid.Sheet{Name: "Plan", Rows: [][]grid.Cell{
				cells(hdr...),
				cells(tt.title, "Kommune", "Kommune", "01-02-2026", "10-02-2026", tt.status),
			}})
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Tasks) != 1 {
				t.Fatalf("%d tasks, want 1", len(plan.Tasks))
			}
			want := ""
			if tt.warned {
				want = "A2 dropped_title"
			}
			if got := issuesOf(plan, parse.CodeDroppedTitle, parse.CodeStruckTask); got != want {
				t.Errorf("issues %q, want %q", got, want)
			}
		})
	}
}

// TestParser_Parse_percentScale: a status 1 in a column whose other
// numbers are whole percents (0, 25, 50, 100) was read as a fraction, done;
// a person reads 1 %. It is 1 %, in progress, there — also when the
// evidence comes after it, and only within its own table; where the column
// holds both fractions and whole percents it is not read (percent_scale);
// where nothing tells, or the others are fractions, it is done as before.
func TestParser_Parse_percentScale(t *testing.T) {
	tests := []struct {
		name   string
		values []any // the status column's numbers, one task each
		want   string
		issues string
	}{
		{"whole percents before", []any{0, 25, 1, 100}, "not_started in_progress in_progress done", ""},
		{"whole percents after", []any{1, 50}, "in_progress in_progress", ""},
		{"only 100 beside", []any{100, 1}, "done in_progress", ""},
		{"whole percents typed as text", []any{"25", "1", "75"}, "in_progress in_progress in_progress", ""},
		{"nothing tells", []any{0, 1, 1}, "not_started done done", ""},
		{"fractions", []any{0.5, 1, 0.25}, "in_progress done in_progress", ""},
		{"alone", []any{1}, "done", ""},
		{"both kinds", []any{0.5, 50, 1}, "in_progress in_progress unknown", "F4 percent_scale"},
		{"a percent text does not count", []any{"50%", 1}, "in_progress done", ""},
		{"decimal commas as text", []any{"0,5", "50", 1}, "in_progress in_progress unknown", "F4 percent_scale"},
		{"1,0 as text among whole percents", []any{25, "1,0"}, "in_progress in_progress", ""},
		{"1,0 as text alone", []any{"1,0"}, "done", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := [][]grid.Cell{cells(hdr...)}
			for i, v := range tt.values {
				row := cells(fmt.Sprintf("Opgave %d", i+1), "Kommune", "Kommune", "01-02-2026", "10-02-2026", v)
				if s, ok := v.(string); ok && s != "" && s[len(s)-1] != '%' && !strings.Contains(s, ",") {
					row[5] = grid.Cell{Kind: grid.Number, AsText: true, Text: s, Num: float64(mustAtoi(t, s))}
				}
				rows = append(rows, row)
			}
			plan, err := parseGrid(t, grid.Sheet{Name: "Plan", Rows: rows})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, task := range plan.Tasks {
				got = append(got, string(task.Status))
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("statuses %q, want %q (issues %+v)", strings.Join(got, " "), tt.want, plan.Issues)
			}
			if got := issuesOf(plan, parse.CodePercentScale, parse.CodeUnknownStatus); got != tt.issues {
				t.Errorf("issues %q, want %q", got, tt.issues)
			}
		})
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestParser_Parse_percentScale_tables: the evidence is the table's own: a
// second table's whole percents say nothing of the first's 1, and a done
// column's tick makes a 1 done whatever its column.
func TestParser_Parse_percentScale_tables(t *testing.T) {
	done := []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status", "Færdig?"}
	plan, err := parseGrid(t, grid.Sheet{Name: "Plan", Rows: [][]grid.Cell{
		cells("Navn: Trin 1"),
		cells(hdr...),
		cells("A", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 1),
		{},
		cells("Navn: Trin 2"),
		cells(done...),
		cells("B", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 50, ""),
		cells("C", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 1, "Ja"),
		cells("D", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 1, ""),
	}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, task := range plan.Tasks {
		got = append(got, task.Title+":"+string(task.Status))
	}
	if want := "A:done B:in_progress C:done D:in_progress"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
}

// TestParser_ReadFile_percentScale: in a workbook, a 1 formatted as a
// percentage shows 100 %: done, whatever the column's other numbers; an
// unformatted 1 among whole percents is 1 %. Streamed and whole reads
// agree, and a struck-through row whose 1 turns out to be 1 % is said so.
func TestParser_ReadFile_percentScale(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"},
		{"A", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 25},
		{"B", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 1},
		{"C", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 1},
		{"D", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 1},
	}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9})
	if err != nil {
		t.Fatal(err)
	}
	strike, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Strike: true}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "F4", "F4", pct); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "A5", "A5", strike); err != nil {
		t.Fatal(err)
	}
	plan := readBothWays(t, f)
	var got []string
	for _, task := range plan.Tasks {
		got = append(got, task.Title+":"+string(task.Status))
	}
	if want := "A:in_progress B:in_progress C:done D:in_progress"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
	if got, want := issuesOf(plan, parse.CodeStruckTask, parse.CodePercentScale), "A5 struck_task"; got != want {
		t.Errorf("issues %q, want %q", got, want)
	}
}

// TestParser_Parse_farYear: a date with a two-digit year read decades from
// the plan's other dates ("15-03-89" in a plan of 2026–2028: 1989; "1/2-79":
// 1979) was read in silence — a task overdue since 1989 — and widened the
// span that dates without a year are fitted to. It is a far_year error on
// its cell and not read; a two-digit year near the plan is read as before,
// and so is one in a plan whose only other dates are as far (nothing
// tells which is wrong), and the existing date_uncertain reading stays.
func TestParser_Parse_farYear(t *testing.T) {
	row := func(title, start, end string) []grid.Cell {
		return cells(title, "Kommune", "Kommune", start, end, "")
	}
	tests := []struct {
		name   string
		rows   [][]grid.Cell
		want   string
		issues string
	}{
		{"end in 1989", [][]grid.Cell{
			row("A", "01-03-2026", "15-03-2027"),
			row("B", "01-03-2026", "15-03-89"),
			row("C", "01-01-2028", "15-03-2028"),
		}, "2|||A|Kommune|2026-03-01|2027-03-15|not_started\n3|||B|Kommune|2026-03-01||not_started\n4|||C|Kommune|2028-01-01|2028-03-15|not_started\n",
			"E3 error far_year"},
		{"start in 1979, day/month-year", [][]grid.Cell{
			row("A", "01-03-2026", "15-03-2026"),
			row("B", "1/2-79", "15-03-2026"),
		}, "2|||A|Kommune|2026-03-01|2026-03-15|not_started\n3|||B|Kommune||2026-03-15|not_started\n",
			"D3 error far_year"},
		{"2069 among two-digit years", [][]grid.Cell{
			row("A", "01.03.26", "15.03.26"),
			row("B", "01.04.26", "15.04.69"),
			row("C", "01.05.27", "15.05.27"),
		}, "2|||A|Kommune|2026-03-01|2026-03-15|not_started\n3|||B|Kommune|2026-04-01||not_started\n4|||C|Kommune|2027-05-01|2027-05-15|not_started\n",
			"E3 error far_year"},
		{"a month name and a two-digit year", [][]grid.Cell{
			row("A", "01-03-2026", "15-03-2026"),
			row("B", "01-03-2026", "15. marts 89"),
		}, "2|||A|Kommune|2026-03-01|2026-03-15|not_started\n3|||B|Kommune|2026-03-01||not_started\n",
			"E3 error far_year"},
		{"a week with a two-digit year", [][]grid.Cell{
			row("A", "01-03-2026", "15-03-2026"),
			row("B", "01-03-2026", "uge 34 '89"),
			row("C", "uge 10 '26", "uge 12 '26"),
		}, "2|||A|Kommune|2026-03-01|2026-03-15|not_started\n3|||B|Kommune|2026-03-01||not_started\n4|||C|Kommune|2026-03-02|2026-03-20|not_started\n",
			"E3 error far_year"},
		{"a year from the plan: read", [][]grid.Cell{
			row("A", "01-03-2026", "15-03-2026"),
			row("B", "01-03-2026", "15-03-31"),
		}, "2|||A|Kommune|2026-03-01|2026-03-15|not_started\n3|||B|Kommune|2026-03-01|2031-03-15|not_started\n", ""},
		{"two-digit years near each other: read", [][]grid.Cell{
			row("A", "01-03-26", "15-03-26"),
			row("B", "01-03-26", "15-03-27"),
		}, "2|||A|Kommune|2026-03-01|2026-03-15|not_started\n3|||B|Kommune|2026-03-01|2027-03-15|not_started\n", ""},
		{"one date alone: read", [][]grid.Cell{
			row("A", "", "15-03-89"),
		}, "2|||A|Kommune||1989-03-15|not_started\n", "D2 warning missing_date"},
		{"year first fits, day first years off: date_uncertain as before", [][]grid.Cell{
			row("A", "01-03-2026", "15-03-2026"),
			row("B", "01-03-2026", "26/06/20"),
		}, "2|||A|Kommune|2026-03-01|2026-03-15|not_started\n3|||B|Kommune|2026-03-01|2020-06-26|not_started\n",
			"D3 error start_after_end\nE3 warning date_uncertain"},
		{"year first fits, day first decades off: far_year", [][]grid.Cell{
			row("A", "01-03-2026", "15-03-2026"),
			row("B", "01-03-2026", "26/06/01"),
		}, "2|||A|Kommune|2026-03-01|2026-03-15|not_started\n3|||B|Kommune|2026-03-01||not_started\n",
			"E3 error far_year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			readsAs(t, []grid.Sheet{{Name: "Plan", Rows: append([][]grid.Cell{cells(hdr...)}, tt.rows...)}}, tt.want, tt.issues, false)
		})
	}
}

// TestParser_Parse_quietMessages: the new issues read in both languages —
// naming the cell's text and what to do, no formatting left over — and
// each code has a label for reports and the web.
func TestParser_Parse_quietMessages(t *testing.T) {
	rows := [][]grid.Cell{
		cells(hdr...),
		cells("UDGÅET: Konverter data", "Kommune", "Kommune", "01-02-2026", "10-02-2026", ""),
		cells("Test", "Kommune", "Kommune", "01-02-2026", "15-03-89", 0.5),
		cells("Afprøv", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 50),
		cells("Uddan", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 1),
	}
	want := map[parse.Lang]map[string]string{
		parse.Danish: {
			parse.CodeDroppedTitle: `opgavens tekst "UDGÅET: Konverter data" siger "UDGÅET", men den læses som en aktiv opgave (status tom = ikke startet), der kan tælle som forsinket — slet rækken, eller skriv status Udgået`,
			parse.CodeFarYear:      `Slutdato "15-03-89" har et tocifret år og læses som 15. marts 1989, 37 år fra planens øvrige datoer (01-02-2026–10-02-2026); datoen er ikke læst — skriv året med fire cifre`,
			parse.CodePercentScale: `status i F5 er 1, som kan være færdig (1 = 100 %) eller 1 %: kolonnen har både brøker ("0.5" i F3) og hele procenter ("50" i F4); status er ikke læst — skriv 1% eller 100%`,
		},
		parse.English: {
			parse.CodeDroppedTitle: `the task's text "UDGÅET: Konverter data" says "UDGÅET", but it is read as a live task (status empty = not started) that may count as overdue — delete the row, or set its status to Udgået (cancelled)`,
			parse.CodeFarYear:      `End date "15-03-89" has a two-digit year and reads as 15 March 1989, 37 years from the plan's other dates (01-02-2026–10-02-2026); the date is not read — write the year with four digits`,
			parse.CodePercentScale: `the status in F5 is 1, which may be done (1 = 100 %) or 1 %: the column holds both fractions ("0.5" in F3) and whole percents ("50" in F4); the status is not read — write 1% or 100%`,
		},
	}
	for lang, msgs := range want {
		t.Run(string(lang), func(t *testing.T) {
			plan, err := parse.New(parse.Options{Lang: lang}).Parse(&grid.Grid{File: "plan.xlsx", Sheets: []grid.Sheet{{Name: "Plan", Rows: rows}}})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, is := range plan.Issues {
				if _, ok := msgs[is.Code]; ok {
					got[is.Code] = is.Message
				}
			}
			for code, msg := range msgs {
				if got[code] != msg {
					t.Errorf("%s:\ngot  %s\nwant %s", code, got[code], msg)
				}
			}
		})
	}
	for _, code := range []string{parse.CodeStruckTask, parse.CodeDroppedTitle, parse.CodeDroppedNote, parse.CodePercentScale, parse.CodeFarYear} {
		for _, en := range []bool{false, true} {
			if got := model.ProblemLabel(code, en); got == code {
				t.Errorf("ProblemLabel(%q, %v) = %q: no label", code, en, got)
			}
		}
	}
}

// TestParser_ReadFile_struckRichText: a task's text struck through while
// editing the cell is struck in its text's runs, not in the cell's style:
// a struck_task warning too; a word struck inside the text is none.
func TestParser_ReadFile_struckRichText(t *testing.T) {
	for _, tt := range []struct {
		name   string
		runs   []excelize.RichTextRun
		issues string
	}{
		{"all of it", []excelize.RichTextRun{{Text: "Konverter data", Font: &excelize.Font{Strike: true}}}, "A2 struck_task"},
		{"one word", []excelize.RichTextRun{{Text: "Konverter "}, {Text: "alle", Font: &excelize.Font{Strike: true}}, {Text: " data fra KMD"}}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			head := []any{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"}
			task := []any{nil, "Kommune", "Leverandør", "01-02-2026", "10-02-2026", "I gang"}
			for i, r := range [][]any{head, task} {
				if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.SetCellRichText("Sheet1", "A2", tt.runs); err != nil {
				t.Fatal(err)
			}
			plan := readBothWays(t, f)
			if len(plan.Tasks) != 1 || plan.Tasks[0].Status != model.InProgress {
				t.Fatalf("tasks %+v, want one in progress", plan.Tasks)
			}
			if got := issuesOf(plan, parse.CodeStruckTask); got != tt.issues {
				t.Errorf("issues %q, want %q", got, tt.issues)
			}
		})
	}
}

// TestParser_Parse_droppedNote: a remark that says its task was deleted or
// cancelled ("Udgået", "Udgår: dækkes af KY") beside a status that keeps it
// live was read in silence; a dropped_note warning on the remark now. A
// remark that only mentions such a word, or a status that says cancelled,
// gets none.
func TestParser_Parse_droppedNote(t *testing.T) {
	head := cells("Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status", "Bemærkninger")
	tests := []struct {
		note, status string
		warned       bool
	}{
		{"Udgået", "", true},
		{"UDGÅET 12/3", "I gang", true},
		{"12/3: udgået", "", true},
		{"Udgår: dækkes af KY", "", true},
		{"Aflyst, se mail fra KOMBIT", "", true},
		{"Slettet.", "", true},
		{"Ikke relevant for os", "", false},
		{"Ikke relevant", "", true},
		{"Udgået", "Udgået", false},
		{"Slettede sager tjekkes først", "", false},
		{"Aflyst møde genindkaldes", "", false},
		{"Se mail", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.note+"|"+tt.status, func(t *testing.T) {
			plan, err := parseGrid(t, grid.Sheet{Name: "Plan", Rows: [][]grid.Cell{
				head,
				cells("Konverter data", "Kommune", "Kommune", "01-02-2026", "10-02-2026", tt.status, tt.note),
			}})
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if tt.warned {
				want = "G2 dropped_note"
			}
			if got := issuesOf(plan, parse.CodeDroppedNote, parse.CodeDroppedTitle); got != want {
				t.Errorf("issues %q, want %q", got, want)
			}
		})
	}
}

// TestParser_ReadFile_percentScaleStruck: a struck-through row whose status
// 1 is not read (its column holds fractions and whole percents) is said
// struck through too: it is no longer read as done.
func TestParser_ReadFile_percentScaleStruck(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status"},
		{"A", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 0.5},
		{"B", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 50},
		{"C", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 1},
	}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	strike, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Strike: true}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "A4", "A4", strike); err != nil {
		t.Fatal(err)
	}
	plan := readBothWays(t, f)
	if got, want := plan.Tasks[2].Status, model.Unknown; got != want {
		t.Errorf("C: status %q, want %q", got, want)
	}
	if got, want := issuesOf(plan, parse.CodeStruckTask, parse.CodePercentScale), "A4 struck_task\nF4 percent_scale"; got != want {
		t.Errorf("issues %q, want %q", got, want)
	}
}

// TestParser_Parse_percentScaleDoneColumn: "Nej" in a done column beside a
// status 1 contradicts it only when the 1 is done: beside whole percents
// the 1 is 1 % and agrees, with no status_conflict saying "read as done".
func TestParser_Parse_percentScaleDoneColumn(t *testing.T) {
	head := cells("Opgave", "Ansvarlig", "Udfører", "Startdato", "Slutdato", "Status", "Færdig?")
	for _, tt := range []struct {
		name   string
		other  any
		want   model.Status
		issues string
	}{
		{"beside whole percents", 50, model.InProgress, ""},
		{"nothing tells", 0, model.Done, "G3 status_conflict"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := parseGrid(t, grid.Sheet{Name: "Plan", Rows: [][]grid.Cell{
				head,
				cells("A", "Kommune", "Kommune", "01-02-2026", "10-02-2026", tt.other, ""),
				cells("B", "Kommune", "Kommune", "01-02-2026", "10-02-2026", 1, "Nej"),
			}})
			if err != nil {
				t.Fatal(err)
			}
			if got := plan.Tasks[1].Status; got != tt.want {
				t.Errorf("B: status %q, want %q", got, tt.want)
			}
			if got := issuesOf(plan, parse.CodeStatusConflict, parse.CodePercentScale); got != tt.issues {
				t.Errorf("issues %q, want %q", got, tt.issues)
			}
		})
	}
}
