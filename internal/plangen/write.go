package plangen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// column roles in a layout's table.
const (
	cID = iota
	cTitle
	cResp
	cPerf
	cStart
	cEnd
	cStatus
	cStep
	cNotes
	cDur
)

type column struct {
	header string
	role   int
}

func cols(spec ...any) []column {
	var out []column
	for i := 0; i < len(spec); i += 2 {
		out = append(out, column{spec[i].(string), spec[i+1].(int)})
	}
	return out
}

var layoutColumns = map[Layout][]column{
	Blocks:      cols("ID", cID, "Opgave", cTitle, "Ansvarlig", cResp, "Udfører", cPerf, "Startdato", cStart, "Slutdato", cEnd, "Status", cStatus),
	TabPerStep:  cols("ID", cID, "Opgave", cTitle, "Ansvarlig", cResp, "Udfører", cPerf, "Startdato", cStart, "Slutdato", cEnd, "Status", cStatus),
	SectionRows: cols("Opgave", cTitle, "Startdato", cStart, "Slutdato", cEnd, "Ansvarlig", cResp, "Udfører", cPerf, "Status", cStatus, "Bemærkninger", cNotes, "ID", cID),
	TextDates:   cols("ID", cID, "Opgave", cTitle, "Ansv.", cResp, "Udføres af", cPerf, "Start\u00a0dato", cStart, "Slut-\ndato", cEnd, "Fremdrift", cStatus, "Trin", cStep),
	StepColumn:  cols("Trin", cStep, "ID", cID, "Opgave", cTitle, "Ansvarlig", cResp, "Udfører", cPerf, "Startdato", cStart, "Varighed (dage)", cDur, "Slutdato", cEnd, "Status", cStatus),
	English:     cols("Phase", cStep, "Task ID", cID, "Task", cTitle, "Owner", cResp, "Performed by", cPerf, "Start date", cStart, "Due date", cEnd, "Progress", cStatus, "Comments", cNotes),
	CSVDanish:   cols("Trin", cStep, "ID", cID, "Opgave", cTitle, "Ansvarlig", cResp, "Udfører", cPerf, "Startdato", cStart, "Slutdato", cEnd, "Status", cStatus),
	CSVUTF8:     cols("Fase", cStep, "Nr.", cID, "Aktivitet", cTitle, "Ansvarlig", cResp, "Udføres af", cPerf, "Start", cStart, "Deadline", cEnd, "Status", cStatus, "Kommentar", cNotes),
	UnicodeText: cols("Trin", cStep, "ID", cID, "Opgave", cTitle, "Ansvarlig", cResp, "Udfører", cPerf, "Startdato", cStart, "Slutdato", cEnd, "Status", cStatus),
}

// cAfter is the plan's own dependency column, written when
// Spec.Dependencies asks for it.
const cAfter = 101

// columns are the plan's columns: its layout's, and the dependency column
// last when the plan has one.
func (p *Plan) columns() []column {
	cs := layoutColumns[p.Layout]
	if p.deps {
		cs = append(cs[:len(cs):len(cs)], column{"Forudgående", cAfter})
	}
	return cs
}

func (p *Plan) colOf(role int) int {
	for i, c := range p.columns() {
		if c.role == role {
			return i + 1
		}
	}
	return 0
}

func ref(row, col int) string {
	r, _ := excelize.CoordinatesToCellName(col, row)
	return r
}

// ExpectedMetadata is what a parser can know of the plan from the file.
func (p *Plan) ExpectedMetadata() model.Metadata {
	md := model.Metadata{Municipality: p.Municipality, Solution: p.Solution}
	switch p.Layout {
	case Blocks, English, CSVUTF8, WeekDates, GanttMarks, GanttFill:
		md.Wave = strconv.Itoa(p.Wave)
	}
	return md
}

// Write writes the plan into dir and returns the file's path. It sets the
// sheet and row of every task in the truth, and the expected issues.
func (p *Plan) Write(dir string) (string, error) {
	path := filepath.Join(dir, p.FileName())
	p.Issues = nil
	var data []byte
	var err error
	switch p.Layout {
	case CSVDanish, CSVUTF8, UnicodeText:
		data, err = p.csvBytes()
	default:
		data, err = p.xlsxBytes()
	}
	if err != nil {
		return "", fmt.Errorf("generate %s: %w", p.FileName(), err)
	}
	return path, os.WriteFile(path, data, 0o644)
}

// prepare decides how each task is written (spellings, text dates) and the
// rarer defects, once, before positions are known.
func (p *Plan) prepare() {
	rng := p.rng
	textDates := []func(model.Date) string{
		func(d model.Date) string { return fmt.Sprintf("%02d-%02d-%d", d.Day, d.Month, d.Year) },
		func(d model.Date) string { return fmt.Sprintf("%d.%d.%d", d.Day, d.Month, d.Year) },
		func(d model.Date) string { return fmt.Sprintf("%02d.%02d.%d", d.Day, d.Month, d.Year) },
		func(d model.Date) string { return fmt.Sprintf("%d/%d-%d", d.Day, d.Month, d.Year) },
		func(d model.Date) string { return fmt.Sprintf("%02d/%02d/%d", d.Day, d.Month, d.Year) },
		func(d model.Date) string { return fmt.Sprintf("%d. %s %d", d.Day, danishMonths[d.Month-1], d.Year) },
		func(d model.Date) string { return d.String() },
		func(d model.Date) string { return fmt.Sprintf("%02d-%02d-%02d", d.Day, d.Month, d.Year%100) },
	}
	spell := map[string][]string{
		"Kommune":    {"Kommune", "kommune", "Kommunen", "Kommune "},
		"Leverandør": {"Leverandør", "leverandør", "Leverandøren"},
		"KOMBIT":     {"KOMBIT", "Kombit"},
	}
	for i := range p.raw {
		r := &p.raw[i]
		t := p.Tasks[i]
		switch p.Layout {
		case TextDates, CSVUTF8, UnicodeText:
			r.startText = textDates[rng.IntN(len(textDates))](t.Start)
			r.endText = textDates[rng.IntN(len(textDates))](t.End)
		case CSVDanish:
			r.startText = textDates[0](t.Start)
			r.endText = textDates[0](t.End)
		}
		if p.Layout == TextDates {
			if v, ok := spell[r.resp]; ok {
				r.resp = v[rng.IntN(len(v))]
			}
			if v, ok := spell[r.perf]; ok {
				r.perf = v[rng.IntN(len(v))]
			}
			r.title = "  " + strings.ReplaceAll(r.title, " ", []string{" ", "\u00a0", "  "}[rng.IntN(3)]) + " "
		}
		if p.Layout == English {
			switch t.Status {
			case model.Done, model.InProgress, model.NotStarted:
				if rng.IntN(2) == 0 {
					r.numeric = true
					r.statusNum = map[model.Status]float64{model.Done: 1, model.InProgress: 0.5, model.NotStarted: 0}[t.Status]
					r.status = strconv.FormatFloat(r.statusNum, 'f', -1, 64)
				} else {
					r.status = map[model.Status]string{model.Done: "Done", model.InProgress: "In progress", model.NotStarted: "Not started"}[t.Status]
				}
				p.Tasks[i].RawStatus = r.status
			}
		}
	}
	if p.Defects && len(p.Tasks) > 8 {
		// An unreadable date: the end date becomes empty in the truth (a
		// timeline has no date cell to get wrong).
		for i := len(p.Tasks) / 2; i < len(p.Tasks) && !p.Layout.gantt(); i++ {
			t := &p.Tasks[i]
			if !t.Start.After(t.End) && p.raw[i].resp != "" {
				t.End = model.Date{}
				p.raw[i].endText = "32-13-" + strconv.Itoa(t.Start.Year)
				p.badDate = i
				break
			}
		}
		// A duplicated ID: a later task repeats an earlier one's.
		first := -1
		for i, t := range p.Tasks {
			if t.ID == "" {
				continue
			}
			if first < 0 {
				first = i
			} else if i > len(p.Tasks)/3 {
				p.Tasks[i].ID = p.Tasks[first].ID
				p.dupID = i
				break
			}
		}
	}
	switch {
	case p.Layout == WeekDates:
		p.prepareWeekDates()
	case p.Layout.gantt():
		p.prepareGantt()
	}
}

var danishMonths = []string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"}

// cellValue returns what to write for a task's column: a string, a number,
// or a date (as model.Date).
func (p *Plan) cellValue(i, role int) any {
	t, r := p.Tasks[i], p.raw[i]
	switch role {
	case cID:
		return t.ID
	case cTitle:
		return r.title
	case cResp:
		return r.resp
	case cPerf:
		return r.perf
	case cStart:
		return p.dateValue(r.startText, t.Start)
	case cEnd:
		if p.ranges[i] {
			return "" // the week range in the start cell gives the end
		}
		return p.dateValue(r.endText, t.End)
	case cHealth:
		return healthWords[r.health]
	case cStatus:
		if r.numeric {
			return r.statusNum
		}
		return r.status
	case cStep:
		return t.Step
	case cNotes:
		return r.notes
	case cDur:
		return t.Start.DaysUntil(t.End)
	case cAfter:
		return strings.Join(t.After, "; ")
	}
	return ""
}

// dateValue is a date as text when it is written so, a bare serial number
// in the English layout (whose formatting was lost), else a date cell.
func (p *Plan) dateValue(text string, d model.Date) any {
	switch {
	case text != "":
		return text
	case p.Layout == English && !d.IsZero():
		return float64(model.NewDate(1899, 12, 30).DaysUntil(d))
	}
	return d
}

// expectIssues records the planted issues of task i written at row.
func (p *Plan) expectIssues(sheet string, i, row int) {
	t := p.Tasks[i]
	add := func(role int, code string) {
		p.Issues = append(p.Issues, ExpectedIssue{Sheet: sheet, Cell: ref(row, p.colOf(role)), Code: code})
	}
	if !t.Start.IsZero() && !t.End.IsZero() && t.Start.After(t.End) {
		add(cStart, "start_after_end")
	}
	if t.Responsible == "" {
		add(cResp, "missing_responsible")
	}
	if t.Status == model.Unknown {
		add(cStatus, "unknown_status")
	}
	if i == p.badDate {
		add(cEnd, "bad_date")
	}
	if i == p.dupID {
		add(cID, "duplicate_id")
	}
}

func (p *Plan) xlsxBytes() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	w := &xw{f: f}
	var err error
	switch p.Layout {
	case Blocks:
		err = p.writeBlocks(w)
	case TabPerStep:
		err = p.writeTabs(w)
	case SectionRows:
		err = p.writeSections(w)
	case TextDates, StepColumn, English, WeekDates:
		err = p.writeTable(w)
	case GanttMarks, GanttFill:
		err = p.writeGantt(w)
	default:
		err = fmt.Errorf("layout %q is not an xlsx layout", p.Layout)
	}
	if err == nil {
		err = w.err
	}
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// xw writes cells, remembering the first error.
type xw struct {
	f      *excelize.File
	sheet  string
	err    error
	styles map[string]int
}

func (w *xw) style(numFmt string, builtin int) int {
	if w.styles == nil {
		w.styles = map[string]int{}
	}
	key := numFmt + "/" + strconv.Itoa(builtin)
	if id, ok := w.styles[key]; ok {
		return id
	}
	st := &excelize.Style{NumFmt: builtin}
	if numFmt != "" {
		st.CustomNumFmt = &numFmt
	}
	id, err := w.f.NewStyle(st)
	if err != nil && w.err == nil {
		w.err = err
	}
	w.styles[key] = id
	return id
}

func (w *xw) set(row, col int, v any) {
	if w.err != nil {
		return
	}
	switch x := v.(type) {
	case model.Date:
		if x.IsZero() {
			return
		}
		v = x.Time()
	case string:
		if x == "" {
			return
		}
	}
	w.err = w.f.SetCellValue(w.sheet, ref(row, col), v)
}

func (w *xw) setStyle(row, col, style int) {
	if w.err == nil {
		w.err = w.f.SetCellStyle(w.sheet, ref(row, col), ref(row, col), style)
	}
}

func (w *xw) newSheet(name string) {
	if w.err != nil {
		return
	}
	if w.sheet == "" {
		w.err = w.f.SetSheetName("Sheet1", name)
	} else {
		_, w.err = w.f.NewSheet(name)
	}
	w.sheet = name
}

// taskRow writes task i at row with the layout's columns; dateStyle is the
// style of date cells (0: leave as written).
func (p *Plan) taskRow(w *xw, i, row, dateStyle int) {
	for c, col := range p.columns() {
		v := p.cellValue(i, col.role)
		w.set(row, c+1, v)
		if _, isDate := v.(model.Date); isDate && dateStyle != 0 {
			w.setStyle(row, c+1, dateStyle)
		}
	}
	p.Tasks[i].Pos = model.Pos{Sheet: w.sheet, Row: row}
	p.expectIssues(w.sheet, i, row)
}

func (p *Plan) header(w *xw, row int) {
	for c, col := range p.columns() {
		w.set(row, c+1, col.header)
	}
}

// noTitleRow writes, after task i, a row with dates but no title.
func (p *Plan) noTitleRow(w *xw, i, row int) int {
	if !p.Defects || i != p.noTitleAfter {
		return row
	}
	row++
	t := p.Tasks[i]
	w.set(row, p.colOf(cStart), t.Start.String())
	w.set(row, p.colOf(cEnd), t.End.String())
	p.Issues = append(p.Issues, ExpectedIssue{Sheet: w.sheet, Cell: ref(row, p.colOf(cTitle)), Code: "no_title"})
	return row
}

func (p *Plan) stepTasks(step string) []int {
	var out []int
	for i, t := range p.Tasks {
		// Section-row plans carry the section's name in the step.
		if t.Step == step || strings.HasPrefix(t.Step, step+" - ") {
			out = append(out, i)
		}
	}
	return out
}

func (p *Plan) writeBlocks(w *xw) error {
	w.newSheet("Implementeringsplan")
	dates := w.style("dd-mm-yyyy", 0)
	w.set(1, 1, "Implementeringsplan for "+p.Solution)
	w.set(2, 1, "Kommune:")
	w.set(2, 2, p.Municipality)
	w.set(3, 1, "Bølge:")
	w.set(3, 2, p.Wave)
	row := 5
	for n, s := range Steps {
		idx := p.stepTasks(s.Label)
		if len(idx) == 0 && (n > 0 || len(p.Tasks) > 0) {
			continue
		}
		w.set(row, 1, "Navn: "+s.Label)
		p.header(w, row+1)
		row += 2
		for _, i := range idx {
			p.taskRow(w, i, row, dates)
			row = p.noTitleRow(w, i, row) + 1
		}
		row++
	}
	return w.err
}

func (p *Plan) writeTabs(w *xw) error {
	w.newSheet("Vejledning")
	w.set(1, 1, "Vejledning til implementeringsplanen")
	w.set(3, 1, "Udfyld venligst Startdato og Slutdato for alle opgaver.")
	w.set(4, 1, "Status:")
	w.set(4, 2, "Ikke startet / I gang / Færdig")
	w.set(5, 1, "Ansvarlig:")
	w.set(5, 2, "Kommune eller Leverandør")
	for n, s := range Steps {
		idx := p.stepTasks(s.Label)
		if len(idx) == 0 && (n > 0 || len(p.Tasks) > 0) {
			continue
		}
		w.newSheet(s.Label)
		dates := w.style("", 14)
		p.header(w, 1)
		row := 2
		for _, i := range idx {
			p.taskRow(w, i, row, dates)
			row = p.noTitleRow(w, i, row) + 1
		}
	}
	// A hidden sheet with an old copy of the plan: it is not the plan.
	w.newSheet("Gammel plan")
	p.header(w, 1)
	w.set(2, 2, "Gammel opgave der ikke længere gælder")
	w.set(2, 3, "Kommune")
	w.set(2, 4, "Kommune")
	w.set(2, 5, "2025-01-01")
	w.set(2, 6, "2025-02-01")
	if w.err == nil {
		w.err = w.f.SetSheetVisible("Gammel plan", false)
	}
	if w.err == nil {
		idx, _ := w.f.GetSheetIndex("Trin 0a")
		w.f.SetActiveSheet(idx)
	}
	return w.err
}

func (p *Plan) writeSections(w *xw) error {
	w.newSheet("Plan")
	dates := w.style("d. mmm yyyy", 0)
	last := ref(1, len(p.columns()))
	w.set(1, 1, fmt.Sprintf("%s Kommune – %s implementeringsplan (NB! - ikke endelige)", p.Municipality, p.Solution))
	if w.err == nil {
		w.err = w.f.MergeCell(w.sheet, "A1", last)
	}
	p.header(w, 3)
	row := 4
	for _, s := range Steps {
		idx := p.stepTasks(s.Label)
		if len(idx) == 0 {
			continue
		}
		label := s.Label + " - " + s.Name
		w.set(row, 1, label)
		if w.err == nil {
			w.err = w.f.MergeCell(w.sheet, ref(row, 1), ref(row, len(p.columns())))
		}
		row++
		for n, i := range idx {
			p.Tasks[i].Step = label
			p.taskRow(w, i, row, dates)
			row = p.noTitleRow(w, i, row) + 1
			if n == 1 {
				row++ // a blank row inside the table
			}
		}
	}
	w.set(row+1, 1, fmt.Sprintf("Antal opgaver: %d", len(p.Tasks)))
	w.set(row+2, 1, "NB! - ikke endelige")
	return w.err
}

func (p *Plan) writeTable(w *xw) error {
	var dates int
	row := 1
	switch p.Layout {
	case TextDates:
		w.newSheet("Ark1")
		w.set(1, 1, "Kommune: "+p.Municipality)
		w.set(2, 1, "Løsning: "+p.Solution)
		row = 4
	case StepColumn:
		w.newSheet("Opgaver")
		dates = w.style(`dd\-mm\-yyyy`, 0)
	case WeekDates:
		w.newSheet("Plan")
		w.set(1, 1, "Kommune: "+p.Municipality)
		w.set(2, 1, "Løsning: "+p.Solution)
		w.set(3, 1, "Bølge: "+strconv.Itoa(p.Wave))
		dates = w.style("dd-mm-yyyy", 0)
		row = 5
	case English:
		w.newSheet("Plan")
		w.set(1, 1, "Rollout plan")
		w.set(2, 1, "Municipality: "+p.Municipality)
		w.set(3, 1, "Solution: "+p.Solution)
		w.set(4, 1, "Wave: "+strconv.Itoa(p.Wave))
		row = 6
	}
	p.header(w, row)
	pct := w.style("0%", 0)
	stepStart, prevStep := 0, ""
	for i := range p.Tasks {
		row++
		if p.Layout == English {
			p.taskRow(w, i, row, 0)
			if p.raw[i].numeric {
				w.setStyle(row, p.colOf(cStatus), pct)
			}
		} else {
			p.taskRow(w, i, row, dates)
		}
		if p.Layout == StepColumn {
			p.endFormula(w, i, row)
			// The step is written once per step, in a vertically merged cell.
			step := p.Tasks[i].Step
			if step == prevStep {
				if w.err == nil {
					w.err = w.f.SetCellValue(w.sheet, ref(row, 1), nil)
				}
			} else {
				p.mergeStep(w, stepStart, row-1)
				stepStart, prevStep = row, step
			}
		}
		row = p.noTitleRow(w, i, row)
	}
	if p.Layout == StepColumn {
		p.mergeStep(w, stepStart, row)
	}
	return w.err
}

func (p *Plan) mergeStep(w *xw, from, to int) {
	if from > 0 && to > from && w.err == nil {
		w.err = w.f.MergeCell(w.sheet, ref(from, 1), ref(to, 1))
	}
}

// endFormula writes the end date as start + duration with its cached value,
// as Excel saves it.
func (p *Plan) endFormula(w *xw, i, row int) {
	t := p.Tasks[i]
	if t.End.IsZero() || t.Start.IsZero() || p.raw[i].endText != "" {
		return
	}
	sc, dc, ec := p.colOf(cStart), p.colOf(cDur), p.colOf(cEnd)
	serial := model.NewDate(1899, 12, 30).DaysUntil(t.End)
	cell := ref(row, ec)
	if w.err == nil {
		w.err = w.f.SetCellValue(w.sheet, cell, serial)
	}
	if w.err == nil {
		w.err = w.f.SetCellFormula(w.sheet, cell, ref(row, sc)+"+"+ref(row, dc))
	}
	w.setStyle(row, ec, w.style(`dd\-mm\-yyyy`, 0))
}

func (p *Plan) csvBytes() ([]byte, error) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	sheet := strings.TrimSuffix(p.FileName(), filepath.Ext(p.FileName()))
	row := 0
	write := func(rec ...string) {
		row++
		_ = cw.Write(rec)
	}
	switch p.Layout {
	case CSVDanish:
		cw.Comma = ';'
	case UnicodeText:
		cw.Comma = '\t'
	case CSVUTF8:
		write("Kommune:", p.Municipality)
		write("Bølge:", strconv.Itoa(p.Wave))
		row++
		_ = cw.Write(nil) // encoding/csv writes an empty line for no fields
	}
	var hdr []string
	for _, c := range p.columns() {
		hdr = append(hdr, c.header)
	}
	write(hdr...)
	for i := range p.Tasks {
		var rec []string
		for _, c := range p.columns() {
			v := p.cellValue(i, c.role)
			switch x := v.(type) {
			case model.Date:
				rec = append(rec, x.String())
			case string:
				if c.role == cNotes && x != "" {
					x = "Aftalt på styregruppemøde,\nse referat"
				}
				rec = append(rec, x)
			default:
				rec = append(rec, fmt.Sprint(x))
			}
		}
		write(rec...)
		p.Tasks[i].Pos = model.Pos{Sheet: sheet, Row: row}
		p.expectIssues(sheet, i, row)
		if p.Defects && i == p.noTitleAfter {
			rec := make([]string, len(hdr))
			rec[p.colOf(cStart)-1] = p.Tasks[i].Start.String()
			rec[p.colOf(cEnd)-1] = p.Tasks[i].End.String()
			write(rec...)
			p.Issues = append(p.Issues, ExpectedIssue{Sheet: sheet, Cell: ref(row, p.colOf(cTitle)), Code: "no_title"})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	switch p.Layout {
	case CSVDanish:
		return charmap.Windows1252.NewEncoder().Bytes(buf.Bytes())
	case CSVUTF8:
		return append([]byte("\xef\xbb\xbf"), buf.Bytes()...), nil
	case UnicodeText:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(buf.Bytes())
	}
	return buf.Bytes(), nil
}
