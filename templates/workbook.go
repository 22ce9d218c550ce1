package templates

import (
	"fmt"
	"io"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/workdays"
	"github.com/xuri/excelize/v2"
)

// Instance is a standard plan made concrete for one municipality.
type Instance struct {
	Municipality string
	Solution     string
	Wave         string
	GoLive       model.Date
	English      bool
	// Gantt writes the plan as a timeline (WriteGantt) where a command
	// chooses between the two.
	Gantt bool
	// Keep holds tasks as the municipality has them (by title): a task
	// marked done keeps its dates and status; others keep their status
	// and get the standard dates (used when re-basing on a new go-live).
	Keep map[string]model.Task
}

// Task is a dated standard task.
type DatedTask struct {
	Step   string
	ID     string
	Title  string
	Resp   string
	Perf   string
	Start  model.Date
	End    model.Date
	Status model.Status
	Raw    string
}

// Dates computes the tasks' dates from the go-live, in working days.
func (p *Plan) Dates(in Instance, cal *workdays.Calendar) []DatedTask {
	var out []DatedTask
	for _, st := range p.Steps {
		for i, t := range st.Tasks {
			start := cal.Add(in.GoLive, t.Offset)
			if !cal.IsWorkday(start) {
				start = cal.Add(start, 1)
			}
			end := cal.Add(start, max(t.Duration-1, 0))
			dt := DatedTask{Step: st.Label, ID: fmt.Sprintf("%s.%d", strings.TrimPrefix(st.Label, "Trin "), i+1), Title: t.Title,
				Resp: t.Responsible, Perf: t.Performer, Start: start, End: end, Status: model.NotStarted}
			if k, ok := in.Keep[normTitle(t.Title)]; ok {
				dt.Status, dt.Raw = k.Status, k.RawStatus
				if k.Status == model.Done {
					dt.Start, dt.End = k.Start, k.End
				}
			}
			out = append(out, dt)
		}
	}
	return out
}

func normTitle(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// KeepFrom indexes a plan's current tasks by title for Instance.Keep.
func KeepFrom(tasks []model.Task) map[string]model.Task {
	out := map[string]model.Task{}
	for _, t := range tasks {
		out[normTitle(t.Title)] = t
	}
	return out
}

// Status words offered in the drop-down, Danish and English; all are
// spellings udrul reads.
var statusWords = [2][]string{
	{"Ikke startet", "I gang", "Færdig", "Annulleret"},
	{"Not started", "In progress", "Done", "Cancelled"},
}

var statusOf = map[model.Status][2]string{
	model.NotStarted: {"Ikke startet", "Not started"}, model.InProgress: {"I gang", "In progress"},
	model.Done: {"Færdig", "Done"}, model.Cancelled: {"Annulleret", "Cancelled"},
}

// Write writes the ready-to-fill workbook: the plan's key/value lines, one
// table per step, drop-down lists for Status, Ansvarlig and Udfører, date
// validation, a frozen and protected header, an instructions sheet, and
// widths and print setup that fit.
func (p *Plan) Write(out io.Writer, in Instance, cal *workdays.Calendar) error {
	f := excelize.NewFile()
	defer f.Close()
	l, lang := in.l, in.lang()
	sheet := l("Implementeringsplan", "Implementation plan")
	w := &xw{f: f, sheet: sheet}
	w.must(f.SetSheetName("Sheet1", sheet))
	title := w.style(titleStyle())
	key := w.style(keyStyle())
	header := w.style(headerStyle(&excelize.Alignment{WrapText: true, Vertical: "center"}, &excelize.Protection{Locked: true}))
	stepStyle := w.style(stepRowStyle())
	dateFmt := dateFormat
	// The cells a municipality fills in: unlocked, with a light rule below.
	rule := []excelize.Border{{Type: "bottom", Color: "D9D9D9", Style: 1}}
	date := w.style(&excelize.Style{CustomNumFmt: &dateFmt, Protection: &excelize.Protection{Locked: false}, Border: rule})
	text := w.style(&excelize.Style{NumFmt: 49, Protection: &excelize.Protection{Locked: false}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Border: rule})

	w.head(in, fmt.Sprintf(l("Implementeringsplan for %s", "Implementation plan for %s"), in.Solution), title, key)

	cols := []string{l("ID", "ID"), l("Opgave", "Task"), l("Ansvarlig", "Responsible"), l("Udfører", "Performed by"),
		l("Startdato", "Start date"), l("Slutdato", "Due date"), l("Status", "Status"), l("Bemærkninger", "Remarks")}
	widths := []float64{15, 50, 14, 16, 12, 12, 14, 36}
	for i, wd := range widths {
		c, _ := excelize.ColumnNumberToName(i + 1)
		w.must(f.SetColWidth(sheet, c, c, wd))
	}
	tasks := p.Dates(in, cal)
	// Start and end (E and F) are dates, the rest text.
	columnStyle := func(i int) int {
		if i == 4 || i == 5 {
			return date
		}
		return text
	}
	row := 7
	parties := []string{model.PartyMunicipality, model.PartySupplier, model.PartyKOMBIT}
	lo, hi := in.GoLive.AddDays(-3*365), in.GoLive.AddDays(3*365)
	for _, st := range p.Steps {
		w.set(fmt.Sprintf("A%d", row), l("Navn: ", "Name: ")+st.Label, stepStyle)
		row++
		for i, h := range cols {
			c, _ := excelize.CoordinatesToCellName(i+1, row)
			w.set(c, h, header)
		}
		first := row + 1
		for _, t := range tasks {
			if t.Step != st.Label {
				continue
			}
			row++
			status := ""
			if t.Status != model.NotStarted || t.Raw != "" {
				status = statusOf[t.Status][lang]
			}
			vals := []any{t.ID, t.Title, t.Resp, t.Perf, t.Start.Time(), t.End.Time(), status, ""}
			for i, v := range vals {
				c, _ := excelize.CoordinatesToCellName(i+1, row)
				w.set(c, v, columnStyle(i))
			}
		}
		// Room for the municipality's own tasks.
		for range 3 {
			row++
			for i := range cols {
				c, _ := excelize.CoordinatesToCellName(i+1, row)
				w.must(f.SetCellStyle(sheet, c, c, columnStyle(i)))
			}
		}
		w.validate(fmt.Sprintf("G%d:G%d", first, row), statusWords[lang], l("Vælg en status fra listen.", "Pick a status from the list."))
		w.validate(fmt.Sprintf("C%d:D%d", first, row), parties, "")
		w.dates(fmt.Sprintf("E%d:F%d", first, row), lo, hi, l("Skriv en dato, fx 01-06-2026.", "Enter a date, e.g. 2026-06-01."))
		row += 2
	}
	w.must(f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 5, TopLeftCell: "A6", ActivePane: "bottomLeft"}))
	w.must(f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true,
		FormatColumns: true, FormatRows: true, InsertRows: true, DeleteRows: true, Sort: true, AutoFilter: true}))
	w.landscape()
	yes := true
	w.must(f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &yes}))
	w.must(f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$4", sheet), Scope: sheet}))

	// The instructions, on a sheet of their own (udrul skips it).
	guide := l("Vejledning", "Instructions")
	if _, err := f.NewSheet(guide); err != nil {
		return err
	}
	lines := []string{
		l("Vejledning til implementeringsplanen", "How to fill in the implementation plan"),
		"",
		l("Planen er dateret ud fra bølgens idriftsættelse; ret datoerne hvis I aftaler andet.", "The plan is dated from the wave's go-live; change the dates if you agree otherwise."),
		l("Vælg Status, Ansvarlig og Udfører fra listerne. Datoer skrives som datoer (fx 01-06-2026).", "Pick Status, Responsible and Performed by from the lists. Enter dates as dates."),
		l("Egne opgaver kan skrives i de tomme rækker under hvert trin, eller i nye rækker.", "Add your own tasks in the empty rows under each step, or insert rows."),
		l("Planens hoved (kommune, løsning, bølge) er låst, så planen kan læses automatisk.", "The plan's head (municipality, solution, wave) is locked so the plan can be read automatically."),
		l("Slet ikke opgaver der ikke er relevante: sæt Status til Annulleret.", "Do not delete tasks that do not apply: set their Status to Cancelled."),
	}
	for i, s := range lines {
		c := fmt.Sprintf("A%d", i+1)
		st := 0
		if i == 0 {
			st = title
		}
		w.f.SetCellValue(guide, c, s)
		if st != 0 {
			w.must(f.SetCellStyle(guide, c, c, st))
		}
	}
	w.must(f.SetColWidth(guide, "A", "A", 110))
	if err := w.err; err != nil {
		return err
	}
	return f.Write(out)
}

// The looks both layouts share: the head, the step rows and the
// white-on-navy column headers (the navy of udrul's reports).
const (
	navy       = "1F4E78"
	dateFormat = "dd-mm-yyyy"
)

func titleStyle() *excelize.Style {
	return &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: navy}}
}

func keyStyle() *excelize.Style { return &excelize.Style{Font: &excelize.Font{Bold: true}} }

func stepRowStyle() *excelize.Style {
	return &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: navy}}
}

// headerStyle is a column header, aligned and protected as its layout needs.
func headerStyle(a *excelize.Alignment, p *excelize.Protection) *excelize.Style {
	return &excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: solid(navy), Alignment: a, Protection: p}
}

// solid is a cell filled with one colour.
func solid(color string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
}

// l picks the instance's language of a text.
func (in Instance) l(da, en string) string {
	if in.English {
		return en
	}
	return da
}

// lang is the instance's language as an index of statusOf's pairs.
func (in Instance) lang() int {
	if in.English {
		return 1
	}
	return 0
}

type xw struct {
	f     *excelize.File
	sheet string
	err   error
}

// head writes the plan's head as udrul reads it: the title in A1, then
// municipality, solution, wave and go-live with their values in A2:B5.
func (w *xw) head(in Instance, title string, titleID, keyID int) {
	w.set("A1", title, titleID)
	for i, kv := range [][2]any{
		{in.l("Kommune:", "Municipality:"), in.Municipality},
		{in.l("Løsning:", "Solution:"), in.Solution},
		{in.l("Bølge:", "Wave:"), in.Wave},
		{in.l("Idriftsættelse:", "Go-live:"), in.GoLive.Time()},
	} {
		w.set(fmt.Sprintf("A%d", i+2), kv[0], keyID)
		w.set(fmt.Sprintf("B%d", i+2), kv[1], 0)
	}
	dateFmt := dateFormat
	w.must(w.f.SetCellStyle(w.sheet, "B5", "B5", w.style(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "left"}})))
}

// landscape prints the sheet landscape on A4, one page wide.
func (w *xw) landscape() {
	orientation, a4, fit := "landscape", 9, 1
	w.must(w.f.SetPageLayout(w.sheet, &excelize.PageLayoutOptions{Orientation: &orientation, Size: &a4, FitToWidth: &fit, FitToHeight: new(int)}))
}

func (w *xw) must(err error) {
	if err != nil && w.err == nil {
		w.err = err
	}
}

func (w *xw) style(s *excelize.Style) int {
	id, err := w.f.NewStyle(s)
	w.must(err)
	return id
}

func (w *xw) set(cell string, v any, style int) {
	if s, ok := v.(string); ok && s == "" {
		if style != 0 {
			w.must(w.f.SetCellStyle(w.sheet, cell, cell, style))
		}
		return
	}
	if s, ok := v.(string); ok {
		w.must(w.f.SetCellStr(w.sheet, cell, s))
	} else {
		w.must(w.f.SetCellValue(w.sheet, cell, v))
	}
	if style != 0 {
		w.must(w.f.SetCellStyle(w.sheet, cell, cell, style))
	}
}

func (w *xw) validate(sqref string, list []string, msg string) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	w.must(dv.SetDropList(list))
	if msg != "" {
		dv.SetError(excelize.DataValidationErrorStyleStop, "", msg)
	} else {
		dv.SetError(excelize.DataValidationErrorStyleInformation, "", "")
	}
	w.must(w.f.AddDataValidation(w.sheet, dv))
}

func (w *xw) dates(sqref string, lo, hi model.Date, msg string) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	serial := func(d model.Date) int { return model.NewDate(1899, 12, 30).DaysUntil(d) }
	w.must(dv.SetRange(serial(lo), serial(hi), excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween))
	dv.SetError(excelize.DataValidationErrorStyleStop, "", msg)
	w.must(w.f.AddDataValidation(w.sheet, dv))
}
