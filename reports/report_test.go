package reports

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
	"github.com/xuri/excelize/v2"
)

func d(s string) model.Date { v, _ := model.ParseISODate(s); return v }

var copenhagen, _ = time.LoadLocation("Europe/Copenhagen")

// sample builds report data for n tasks over three plans.
func sample(n int, english bool) *Data {
	plans := []store.Plan{
		{ID: 1, Municipality: "Aarhus", Solution: "KY", Wave: "1", State: "ok", Location: "/share/KY_Aarhus.xlsx", SourceID: 1},
		{ID: 2, Municipality: "Aarhus", Solution: "KSD", Wave: "2", State: "held", StateReason: "the sheet has no tasks any more (it had 12): held until it recovers or is accepted", Location: "/share/KSD_Aarhus.csv", SourceID: 1},
		{ID: 3, Municipality: "Vejle", Solution: "KY", Wave: "1", State: "ok", Location: "/share/KY_Vejle.xlsx", SourceID: 2, Health: model.HealthAmber},
	}
	data := &Data{AsOf: d("2026-11-25"), English: english, Plans: plans, Calendar: workdays.New(), RedOverdueDays: 10,
		PlanStatus:      map[int64]string{1: model.LevelRed, 2: model.LevelRed, 3: model.LevelGreen},
		MunicipalStatus: map[string]string{"Aarhus": model.LevelRed, "Vejle": model.LevelGreen},
		Issues: map[int64][]model.Issue{1: {{Pos: model.Pos{Sheet: "Plan", Cell: "F14"}, Severity: model.SevError, Code: "bad_date", Message: "Slutdato \"32-13-2026\" kan ikke læses",
			Link: "https://docs.google.com/spreadsheets/d/X/edit#gid=0&range=F14"}}},
		Sources: []store.Source{{ID: 1, Name: "share", Kind: "files", Location: "/share", State: "failing", LastSyncAt: time.Date(2026, 11, 25, 5, 30, 0, 0, time.UTC)},
			{ID: 2, Name: "vejle", Kind: "files", Location: "/vejle", State: "ok"}},
		Waves:        []Wave{{Solution: "KY", Wave: "1", GoLive: d("2027-01-15"), Milestones: map[string]model.Date{"test": d("2026-12-01")}}},
		History:      []Snapshot{{AsOf: d("2026-11-18"), Headline: Headline{Plans: 3, Tasks: n, Done: 0.4, Overdue: 1}}},
		ChangesSince: time.Date(2026, 11, 18, 8, 0, 0, 0, time.UTC),
		Location:     copenhagen,
		Changes: []store.RunChange{{Change: store.Change{TaskID: 1, Field: "end", Old: "2026-11-01", New: "2026-11-20", At: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}, Plan: "Aarhus/KY", Title: "Datavask"},
			{Change: store.Change{TaskID: 2, Field: "status", Old: "in_progress", New: "done", At: time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC)}, Plan: "Aarhus/KY", Title: "Test"}},
	}
	statuses := []model.Status{model.Done, model.InProgress, model.NotStarted}
	for i := range n {
		p := &plans[i%3]
		t := store.PlanTask{Plan: &plans[i%3], Task: store.Task{ID: int64(i + 1), PlanID: p.ID, Task: model.Task{
			Pos: model.Pos{Sheet: "Plan", Row: i + 2}, Step: "Trin 1", ID: fmt.Sprintf("1.%d", i), Title: fmt.Sprintf("Opgave %d", i),
			Responsible: "Kommune", Performer: "Leverandør", Start: d("2026-10-01"), End: d("2026-11-02").AddDays(i % 40), Status: statuses[i%3]}}}
		t.BaselineEnd = d("2026-11-02")
		if i == 0 {
			t.Title = "=SUM(A1:A9)" // text from a sheet stays text
		}
		if i == 1 {
			t.EndAs = model.Written{Text: "uge 45 2026", Precision: model.Week}
			t.Health, t.Status = model.HealthGreen, model.OnHold
		}
		data.Tasks = append(data.Tasks, t)
		if t.Status != model.Done && t.End.Before(data.AsOf) {
			days := data.Calendar.Between(t.End, data.AsOf)
			level := model.LevelAmber
			if days > 10 {
				level = model.LevelRed
			}
			data.Findings = append(data.Findings, model.Finding{Kind: "overdue", Level: level, PlanID: p.ID, TaskID: t.ID, Municipality: p.Municipality,
				Solution: p.Solution, Wave: p.Wave, Days: days, FirstSeen: d("2026-11-20")})
		}
	}
	data.Findings = append(data.Findings, model.Finding{Kind: "slipped_week", Level: model.LevelAmber, PlanID: 1, TaskID: 2, Municipality: "Aarhus", Solution: "KY",
		Days: 5, Old: "2026-11-13", New: "2026-11-20"})
	return data
}

func writeRead(t *testing.T, data *Data) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, data); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func fill(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil || len(st.Fill.Color) == 0 {
		return ""
	}
	return st.Fill.Color[0]
}

func TestWrite(t *testing.T) {
	data := sample(60, false)
	f := writeRead(t, data)
	if got, want := strings.Join(f.GetSheetList(), ","), "Oversigt,Kommuner,Bølger,Prognose,Forsinkede,Skred,Datakvalitet,Ændringer,Opgaver,Kilder"; got != want {
		t.Fatalf("sheets = %s, want %s", got, want)
	}
	cell := func(sheet, ref string) string {
		v, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	t.Run("tasks: every task, real date cells, text stays text", func(t *testing.T) {
		rows, _ := f.GetRows("Opgaver")
		if len(rows) != 61 || rows[0][0] != "Kommune" || rows[0][5] != "Opgave" || rows[0][9] != "Slutdato" {
			t.Fatalf("rows = %d, header = %v", len(rows), rows[0])
		}
		if formula, _ := f.GetCellFormula("Opgaver", "F2"); formula != "" || cell("Opgaver", "F2") != "=SUM(A1:A9)" {
			t.Errorf("a title starting with = became a formula %q (value %q)", formula, cell("Opgaver", "F2"))
		}
		raw, _ := f.GetCellValue("Opgaver", "J2", excelize.Options{RawCellValue: true})
		if raw != "46328" { // 2026-11-02
			t.Errorf("end date cell holds %q, want the serial 46328", raw)
		}
		if got := cell("Opgaver", "J2"); got != "02-11-2026" {
			t.Errorf("end date shows %q, want 02-11-2026", got)
		}
		// Empty cells are left out, and take their column's style: a
		// number typed into an empty number cell shows as the others, text into
		// a text column stays text.
		for _, tc := range []struct {
			ref    string
			numFmt int
			custom string
		}{{"Q2", 1, ""}, {"K3", 49, ""}} {
			if v := cell("Opgaver", tc.ref); v != "" {
				t.Fatalf("%s holds %q, want it empty", tc.ref, v)
			}
			id, err := f.GetCellStyle("Opgaver", tc.ref)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if custom := st.CustomNumFmt; st.NumFmt != tc.numFmt || (tc.custom != "") != (custom != nil) || custom != nil && *custom != tc.custom {
				t.Errorf("empty %s: number format %d %v, want %d %q", tc.ref, st.NumFmt, custom, tc.numFmt, tc.custom)
			}
		}
		panes, _ := f.GetPanes("Opgaver")
		if !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("header not frozen: %+v", panes)
		}
		if tables, _ := f.GetTables("Opgaver"); len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:U61") {
			t.Errorf("tables = %+v, want one with filters over A1:U61", tables)
		}
		if got, want := strings.Join(rows[2][8:15], "|"), "01-10-2026|03-11-2026||uge 45 2026|På hold||Grøn"; got != want {
			t.Errorf("dates, as written, status, owner's rating = %q, want %q", got, want)
		}
		if got := fill(t, f, "Opgaver", "O3"); got != "C6EFCE" {
			t.Errorf("owner's green rating fill = %q, want green", got)
		}
	})
	t.Run("overdue: most late first, coloured", func(t *testing.T) {
		first, _ := f.GetCellValue("Forsinkede", "A2")
		second, _ := f.GetCellValue("Forsinkede", "A3")
		var a, b int
		fmt.Sscan(first, &a)
		fmt.Sscan(second, &b)
		if a < b || a <= 10 {
			t.Errorf("days late %d then %d: want the most late first", a, b)
		}
		if got := fill(t, f, "Forsinkede", "A2"); got != "FFC7CE" {
			t.Errorf("red fill = %q", got)
		}
		rows, _ := f.GetRows("Forsinkede")
		for _, r := range rows {
			if len(r) > 12 && r[6] == "Opgave 1" {
				if r[10] != "uge 45 2026" || r[12] != "Grøn" {
					t.Errorf("overdue row shows %q as written and %q as the owner's rating, want uge 45 2026 and Grøn", r[10], r[12])
				}
				return
			}
		}
		t.Errorf("Opgave 1 (overdue, on hold) not in the overdue sheet: %v", rows)
	})
	t.Run("matrix coloured by plan status", func(t *testing.T) {
		rows, _ := f.GetRows("Kommuner")
		if rows[0][2] != "KSD færdig" || rows[1][0] != "Aarhus" || rows[2][0] != "Vejle" {
			t.Fatalf("matrix = %v", rows)
		}
		if got := fill(t, f, "Kommuner", "B2"); got != "FFC7CE" {
			t.Errorf("Aarhus status fill = %q, want red", got)
		}
		if got := fill(t, f, "Kommuner", "G3"); got != "C6EFCE" {
			t.Errorf("Vejle KY fill = %q, want green", got)
		}
		if got := rows[2][8]; got != "Gul" {
			t.Errorf("Vejle KY owner's rating = %q, want Gul beside udrul's green", got)
		}
	})
	t.Run("overview figures and charts", func(t *testing.T) {
		if got := cell("Oversigt", "A4"); got != "Planer" {
			t.Errorf("A4 = %q", got)
		}
		if got := cell("Oversigt", "B5"); got != "60" {
			t.Errorf("tasks = %q", got)
		}
		if got := cell("Oversigt", "C7"); got != "1" { // overdue a week ago
			t.Errorf("overdue a week ago = %q", got)
		}
	})
	t.Run("data quality, slips, changes, sources", func(t *testing.T) {
		if f, _ := f.GetCellFormula("Datakvalitet", "I2"); !strings.Contains(f, "range=F14") {
			t.Errorf("link to the cell = %q", f)
		}
		if cell("Datakvalitet", "E2") != "F14" || cell("Datakvalitet", "C2") != "/share/KY_Aarhus.xlsx" {
			t.Errorf("data quality row = %q %q", cell("Datakvalitet", "C2"), cell("Datakvalitet", "E2"))
		}
		if cell("Skred", "A2") != "denne uge" || cell("Skred", "G2") != "13-11-2026" || cell("Skred", "H2") != "20-11-2026" {
			t.Errorf("slip row = %q %q %q", cell("Skred", "A2"), cell("Skred", "G2"), cell("Skred", "H2"))
		}
		if cell("Ændringer", "D4") != "slutdato" {
			t.Errorf("change = %q", cell("Ændringer", "D4"))
		}
		rows, _ := f.GetRows("Kilder")
		if len(rows) != 4 || rows[3][3] != "Holdt tilbage" || !strings.HasPrefix(rows[3][6], "arket har ingen opgaver længere (det havde 12)") {
			t.Errorf("sources = %v, want the source and the held plan", rows)
		}
	})
}

func TestWrite_english(t *testing.T) {
	f := writeRead(t, sample(5, true))
	if got := strings.Join(f.GetSheetList(), ","); got != "Overview,Municipalities,Waves,Forecast,Overdue,Slipped,Data quality,Changes,Tasks,Sources" {
		t.Errorf("sheets = %s", got)
	}
	if v, _ := f.GetCellValue("Tasks", "J1"); v != "End date" {
		t.Errorf("J1 = %q", v)
	}
}

func TestWrite_forMunicipality(t *testing.T) {
	data := sample(30, false).ForMunicipality("vejle")
	if len(data.Plans) != 1 || len(data.Tasks) != 10 || len(data.Changes) != 0 {
		t.Fatalf("extract: %d plans, %d tasks, %d changes", len(data.Plans), len(data.Tasks), len(data.Changes))
	}
	f := writeRead(t, data)
	rows, _ := f.GetRows("Opgaver")
	for _, r := range rows[1:] {
		if r[0] != "Vejle" {
			t.Fatalf("another municipality's task in the extract: %v", r)
		}
	}
}

// TestWrite_libreOffice converts the report with LibreOffice, as a reader
// without Excel would open it.
func TestWrite_libreOffice(t *testing.T) {
	bin, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	var buf bytes.Buffer
	if err := Write(&buf, sample(200, false)); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, buf.Bytes(), 0o644)
	out, err := exec.Command(bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir, path).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	fi, err := os.Stat(filepath.Join(dir, "report.pdf"))
	if err != nil || fi.Size() < 10000 {
		t.Fatalf("no PDF from LibreOffice: %v\n%s", err, out)
	}
}

func TestFileName(t *testing.T) {
	if got := FileName(d("2026-11-25"), ""); got != "udrul-rapport-2026-W48.xlsx" {
		t.Errorf("FileName = %s", got)
	}
	if got := FileName(d("2027-01-01"), "Lyngby-Taarbæk"); got != "udrul-rapport-2026-W53-Lyngby-Taarbæk.xlsx" {
		t.Errorf("FileName = %s", got)
	}
}

// TestWrite_localTimes: the change sheet's and Kilder's times are date-time
// cells in the report's time zone, as the heading is.
func TestWrite_localTimes(t *testing.T) {
	for _, tt := range []struct {
		name                     string
		english                  bool
		heading, change, lastRun string
	}{
		{"danish", false, "Ændringer siden 18-11-2026 09:00", "24-11-2026 10:00", "25-11-2026 06:30"},
		{"english", true, "Changes since 2026-11-18 09:00", "2026-11-24 10:00", "2026-11-25 06:30"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := sample(6, tt.english)
			f := writeRead(t, data)
			changes, sources := SheetNames(tt.english)[7], SheetNames(tt.english)[9]
			if got, _ := f.GetCellValue(changes, "A1"); got != tt.heading {
				t.Errorf("heading = %q, want %q", got, tt.heading)
			}
			if got, _ := f.GetCellValue(changes, "A4"); got != tt.change {
				t.Errorf("change time shows %q, want %q (local time)", got, tt.change)
			}
			if typ, _ := f.GetCellType(changes, "A4"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("change time is text (type %v), want a date-time cell", typ)
			}
			raw, _ := f.GetCellValue(changes, "A4", excelize.Options{RawCellValue: true})
			if !strings.HasPrefix(raw, "46350.41666") { // 2026-11-24 10:00
				t.Errorf("change time serial = %q, want 46350.41666…", raw)
			}
			if got, _ := f.GetCellValue(sources, "E2"); got != tt.lastRun {
				t.Errorf("Kilder last sync = %q, want %q", got, tt.lastRun)
			}
			if raw, _ := f.GetCellValue(sources, "E2", excelize.Options{RawCellValue: true}); !strings.HasPrefix(raw, "46351.27") {
				t.Errorf("Kilder last sync serial = %q", raw)
			}
		})
	}
}

// TestWrite_words: statuses, kinds and states are words in the report's
// language, never codes.
func TestWrite_words(t *testing.T) {
	for _, tt := range []struct {
		name            string
		english         bool
		from, to, state string
		kind            string
		oldEnd          string
	}{
		{"danish", false, "I gang", "Færdig", "Kan ikke læses", "Trin i forkert rækkefølge", "01-11-2026"},
		{"english", true, "In progress", "Done", "Failing", "Steps out of order", "2026-11-01"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := sample(6, tt.english)
			data.Findings = append(data.Findings, model.Finding{Kind: "step_order", Level: model.LevelAmber, PlanID: 1, Municipality: "Aarhus", Solution: "KY", Message: "x"})
			f := writeRead(t, data)
			names := SheetNames(tt.english)
			if from, _ := f.GetCellValue(names[7], "E5"); from != tt.from {
				t.Errorf("status change from %q, want %q", from, tt.from)
			}
			if to, _ := f.GetCellValue(names[7], "F5"); to != tt.to {
				t.Errorf("status change to %q, want %q", to, tt.to)
			}
			if old, _ := f.GetCellValue(names[7], "E4"); old != tt.oldEnd {
				t.Errorf("end date change from %q, want %q", old, tt.oldEnd)
			}
			if st, _ := f.GetCellValue(names[9], "D2"); st != tt.state {
				t.Errorf("source state = %q, want %q", st, tt.state)
			}
			rows, _ := f.GetRows(names[6])
			if got, want := rows[1][6], model.ProblemLabel("bad_date", tt.english); got != want || got == "bad_date" {
				t.Errorf("data quality problem = %q, want %q", got, want)
			}
			if got := rows[len(rows)-1][6]; got != tt.kind {
				t.Errorf("data quality kind = %q, want %q", got, tt.kind)
			}
		})
	}
}

// TestWrite_extractFigures: a municipality's extract shows its own
// figures, not the nation's.
func TestWrite_extractFigures(t *testing.T) {
	national := writeRead(t, sample(30, false))
	extract := writeRead(t, sample(30, false).ForMunicipality("vejle"))
	for _, tt := range []struct {
		label, cell     string
		national, vejle string
	}{
		{"plans", "B4", "3", "1"},
		{"data problems", "B9", "1", "0"},
		{"failing sources", "B10", "1", "0"},
		{"red plans", "B11", "2", "0"},
	} {
		t.Run(tt.label, func(t *testing.T) {
			if got, _ := national.GetCellValue("Oversigt", tt.cell); got != tt.national {
				t.Errorf("national %s = %s, want %s", tt.label, got, tt.national)
			}
			if got, _ := extract.GetCellValue("Oversigt", tt.cell); got != tt.vejle {
				t.Errorf("Vejle's %s = %s, want %s", tt.label, got, tt.vejle)
			}
		})
	}
	if got, _ := extract.GetCellValue("Oversigt", "A1"); !strings.Contains(got, "Vejle") {
		t.Errorf("extract title %q does not name Vejle", got)
	}
	rows, _ := extract.GetRows("Kilder")
	if len(rows) != 2 || rows[1][0] != "vejle" {
		t.Errorf("extract's sources = %v, want only Vejle's", rows)
	}
}
