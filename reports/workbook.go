package reports

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/model"
	"github.com/xuri/excelize/v2"
)

// Sheet names, Danish and English.
var sheetNames = map[string][2]string{
	"overview": {"Oversigt", "Overview"},
	"matrix":   {"Kommuner", "Municipalities"},
	"waves":    {"Bølger", "Waves"},
	"overdue":  {"Forsinkede", "Overdue"},
	"slipped":  {"Skred", "Slipped"},
	"quality":  {"Datakvalitet", "Data quality"},
	"changes":  {"Ændringer", "Changes"},
	"tasks":    {"Opgaver", "Tasks"},
	"sources":  {"Kilder", "Sources"},
	"forecast": {"Prognose", "Forecast"},
}

// SheetNames returns the report's sheet names in order.
func SheetNames(english bool) []string {
	var out []string
	for _, k := range []string{"overview", "matrix", "waves", "forecast", "overdue", "slipped", "quality", "changes", "tasks", "sources"} {
		out = append(out, sheetNames[k][idx(english)])
	}
	return out
}

func idx(english bool) int {
	if english {
		return 1
	}
	return 0
}

// writer builds one workbook.
type writer struct {
	f   *excelize.File
	d   *Data
	en  bool
	err error

	sHeader, sTitle, sSub, sDate, sDateTime, sPct, sInt, sText, sWrap int
	sRAG                                                              map[string]int // fills for red, amber, green, and "" (none)
	sRAGPct                                                           map[string]int
	sRAGDate                                                          map[string]int
	tables                                                            int
	dates                                                             map[model.Date]any // see dateValue
	verify                                                            bool               // check the task list against Counts
	// lists, when set, are the findings' sheets' rows, made while the
	// report was begun (Begin).
	lists *findingLists
	// rows are the long tables' rows (see rowFile), one file each: the
	// task list's are still written while the others are (Begin).
	rows []*rowFile
}

// longTables are the tables whose rows are written by a rowFile.
var longTables = map[string]bool{"tasks": true, "overdue": true, "slipped": true, "quality": true}

// close lets go of what the workbook holds.
func (w *writer) close() {
	for _, r := range w.rows {
		r.close()
	}
	w.f.Close()
}

func (w *writer) l(da, en string) string {
	if w.en {
		return en
	}
	return da
}

func (w *writer) sheet(key string) string { return sheetNames[key][idx(w.en)] }

// Write writes the report for d to out.
func Write(out io.Writer, d *Data) error {
	d, verify, err := d.prepared()
	if err != nil {
		return err
	}
	w := &writer{f: excelize.NewFile(), d: d, en: d.English, verify: verify}
	defer w.close()
	w.styles()
	if err := w.sheets(w.tasks); err != nil {
		return err
	}
	return w.save(out)
}

// sheets writes the workbook's sheets in their order, tasks being the
// task list's step, and stops at the first error.
func (w *writer) sheets(tasks func()) error {
	for _, step := range []func(){w.overview, w.matrix, w.waves, w.forecast, w.overdue, w.slipped, w.quality, w.changes, tasks, w.sources} {
		if w.err != nil {
			break
		}
		step()
	}
	return w.err
}

// save ends the workbook and writes it to out.
func (w *writer) save(out io.Writer) error {
	f := w.f
	// The overview (the first sheet) is the active one already; setting it
	// would make excelize decode every streamed sheet again.
	if err := f.SetDocProps(&excelize.DocProperties{Title: w.title(), Creator: "udrul", Language: w.l("da-DK", "en-GB")}); err != nil {
		return err
	}
	// Marked, so that a report saved beside the plans is never read as one.
	if err := provenance.Mark(f, provenance.Report); err != nil {
		return err
	}
	rows := map[string]io.Reader{}
	for _, r := range w.rows {
		if err := r.rows(rows); err != nil {
			return err
		}
	}
	// The zip goes straight to out: f.Write would first build the whole
	// workbook in a buffer (as large as the file, for nothing).
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { z := newParallelZip(out); z.splice = rows; return z })
	buf, err := f.WriteToBuffer()
	if err == nil && buf.Len() > 0 {
		err = errors.New("the workbook was written to a buffer, not to the file")
	}
	return err
}

func (w *writer) title() string {
	y, wk := w.d.AsOf.Time().ISOWeek()
	if m := w.d.Municipality; m != "" {
		return w.l(fmt.Sprintf("Udrulning – %s – status uge %d %d (pr. %s)", m, wk, y, danishDate(w.d.AsOf)),
			fmt.Sprintf("Rollout – %s – status week %d %d (as of %s)", m, wk, y, w.d.AsOf))
	}
	return w.l(fmt.Sprintf("Udrulning – status uge %d %d (pr. %s)", wk, y, danishDate(w.d.AsOf)),
		fmt.Sprintf("Rollout – status week %d %d (as of %s)", wk, y, w.d.AsOf))
}

func danishDate(d model.Date) string { return fmt.Sprintf("%02d-%02d-%d", d.Day, d.Month, d.Year) }

func (w *writer) must(err error) {
	if err != nil && w.err == nil {
		w.err = err
	}
}

func (w *writer) style(s *excelize.Style) int {
	id, err := w.f.NewStyle(s)
	w.must(err)
	return id
}

var ragColors = map[string][2]string{ // fill, font
	model.LevelRed:   {"FFC7CE", "9C0006"},
	model.LevelAmber: {"FFEB9C", "9C5700"},
	model.LevelGreen: {"C6EFCE", "006100"},
}

func (w *writer) styles() {
	border := []excelize.Border{{Type: "bottom", Color: "BFBFBF", Style: 1}}
	dateFmt := "dd-mm-yyyy"
	if w.en {
		dateFmt = "yyyy-mm-dd"
	}
	w.sHeader = w.style(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}, Border: border})
	w.sTitle = w.style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: "1F4E78"}})
	w.sSub = w.style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "1F4E78"}})
	w.sDate = w.style(&excelize.Style{CustomNumFmt: &dateFmt})
	dateTimeFmt := dateFmt + " hh:mm"
	w.sDateTime = w.style(&excelize.Style{CustomNumFmt: &dateTimeFmt})
	pct := "0%"
	w.sPct = w.style(&excelize.Style{CustomNumFmt: &pct})
	w.sInt = w.style(&excelize.Style{NumFmt: 1})
	w.sText = w.style(&excelize.Style{NumFmt: 49}) // "@": text, never a formula
	w.sWrap = w.style(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	w.sRAG, w.sRAGPct, w.sRAGDate = map[string]int{}, map[string]int{}, map[string]int{}
	// In a fixed order: the same report is the same file.
	for _, level := range []string{model.LevelRed, model.LevelAmber, model.LevelGreen} {
		c := ragColors[level]
		fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c[0]}}
		font := &excelize.Font{Color: c[1], Bold: true}
		w.sRAG[level] = w.style(&excelize.Style{Fill: fill, Font: font, NumFmt: 1})
		w.sRAGPct[level] = w.style(&excelize.Style{Fill: fill, Font: font, CustomNumFmt: &pct})
		w.sRAGDate[level] = w.style(&excelize.Style{Fill: fill, Font: &excelize.Font{Color: c[1]}, CustomNumFmt: &dateFmt})
	}
	w.sRAG[""], w.sRAGPct[""], w.sRAGDate[""] = w.sInt, w.sPct, w.sDate
}

// Column kinds.
const (
	colText = iota
	colInt
	colDate
	colPct
	colWrap
	colTime // a time.Time, shown in the report's time zone
)

type column struct {
	da, en string
	kind   int
	width  float64 // 0: fit the content
}

// cell is a value with an optional colour level for its row.
type row struct {
	values []any
	level  string   // colours the level column(s)
	levelC []int    // which columns take the level's colour (0-based)
	levels []string // per column, when set: a colour for each cell
}

// table writes a sheet holding one table with a frozen header, filter
// buttons (an Excel table), widths that fit, and landscape print setup,
// streaming the rows.
func (w *writer) table(key string, cols []column, rows []row, note string) {
	w.tableFunc(key, cols, len(rows), func(i int) row { return rows[i] }, note)
}

// tableFunc is table with the rows made one at a time by rowAt, so that a
// sheet of many rows is never held in memory.
func (w *writer) tableFunc(key string, cols []column, n int, rowAt func(i int) row, note string) {
	t := w.newTable(key, cols, n, rowAt, note)
	for r := 0; r < n && t != nil && w.err == nil; r++ {
		t.add(rowAt(r))
	}
	t.close()
}

// sheetRows is how many rows a sheet holds (tests make it fewer).
var sheetRows = excelize.TotalRows

// tableWriter streams the rows of one sheet's table.
type tableWriter struct {
	w     *writer
	key   string
	cols  []column
	note  string
	sw    *excelize.StreamWriter
	first int // the header's row
	n     int // rows written to the sheet
	part  int // the sheet's number: a table too long for one goes on
	// The row's cells, reused: SetRow takes pointers to them, so no cell
	// is copied into an interface value.
	cells  []excelize.Cell
	vals   []any
	base   []int // each column's style without a level
	widths []float64
	ref    []byte
	// rows, for a long table, takes the rows after the header (the zip
	// puts them in the sheet's part): from off in its file.
	rows *rowFile
	off  int64
}

// newTable starts the sheet key with its header: n rows are expected, and
// the widths of the columns without one are fitted to the header and the
// first 2,000 rows (rowAt). It returns nil after an error.
func (w *writer) newTable(key string, cols []column, n int, rowAt func(i int) row, note string) *tableWriter {
	if w.err != nil {
		return nil
	}
	t := &tableWriter{w: w, key: key, cols: cols, note: note, cells: make([]excelize.Cell, len(cols)), vals: make([]any, len(cols)),
		base: make([]int, len(cols)), widths: make([]float64, len(cols))}
	// Widths from the header and a sample of the rows.
	fit := false
	for i, c := range cols {
		t.widths[i] = c.width
		if c.width == 0 {
			t.widths[i] = float64(utf8.RuneCountInString(w.l(c.da, c.en))) + 4 // bold header text
			fit = true
		}
	}
	for r := 0; fit && rowAt != nil && r < n && r < 2000; r++ {
		rw := rowAt(r)
		for i, c := range cols {
			if c.width != 0 || i >= len(rw.values) {
				continue
			}
			l := 0.0
			switch c.kind {
			case colDate:
				l = 11
			case colTime:
				l = 16
			default:
				l = float64(utf8.RuneCountInString(fmt.Sprint(rw.values[i])))
			}
			t.widths[i] = max(t.widths[i], l+2)
		}
	}
	for i, c := range cols {
		if c.width == 0 {
			t.widths[i] = min(max(t.widths[i], 8), 60)
		}
		t.base[i] = w.kindStyle(c.kind)
	}
	if longTables[key] {
		var err error
		if t.rows, err = newRowFile(); err != nil {
			w.must(err)
			return nil
		}
		w.rows = append(w.rows, t.rows)
	}
	t.start(w.sheet(key), n > 0)
	if w.err != nil {
		return nil
	}
	return t
}

// start begins a sheet of the table: name, print setup (with titles when
// rows are to come), frozen header, widths, note and header.
func (t *tableWriter) start(name string, titles bool) {
	w := t.w
	if _, err := w.f.NewSheet(name); err != nil {
		w.must(err)
		return
	}
	w.printSetup(name, titles)
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		w.must(err)
		return
	}
	t.sw, t.first, t.n = sw, 1, 0
	if t.rows != nil {
		t.off = t.rows.off
	}
	if t.note != "" {
		t.first = 3
	}
	w.must(sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: t.first, TopLeftCell: fmt.Sprintf("A%d", t.first+1), ActivePane: "bottomLeft"}))
	for i, width := range t.widths {
		w.must(sw.SetColWidth(i+1, i+1, width))
		// The column's style for its cells left out (empty, uncoloured):
		// text stays text, a date typed in is shown as the others.
		w.must(sw.SetColStyle(i+1, i+1, t.base[i]))
	}
	if t.note != "" {
		w.must(sw.SetRow("A1", []any{excelize.Cell{StyleID: w.sSub, Value: t.note}}))
	}
	header := make([]any, len(t.cols))
	for i, c := range t.cols {
		header[i] = excelize.Cell{StyleID: w.sHeader, Value: w.l(c.da, c.en)}
	}
	w.must(sw.SetRow(fmt.Sprintf("A%d", t.first), header, excelize.RowOpts{Height: 30}))
}

// kindStyle is the style of a column kind's cells without a level.
func (w *writer) kindStyle(kind int) int {
	switch kind {
	case colInt:
		return w.sInt
	case colDate:
		return w.sDate
	case colTime:
		return w.sDateTime
	case colPct:
		return w.sPct
	case colWrap:
		return w.sWrap
	}
	return w.sText
}

// add writes the next row.
func (t *tableWriter) add(rw row) {
	if t == nil || t.w.err != nil {
		return
	}
	w := t.w
	for i, c := range t.cols {
		var v any
		if i < len(rw.values) {
			v = rw.values[i]
		}
		switch c.kind {
		case colDate:
			if d, ok := v.(model.Date); ok {
				v = w.dateValue(d)
			}
		case colTime:
			if tm, ok := v.(time.Time); ok {
				v = w.localTime(tm)
			}
		}
		style := t.base[i]
		level := ""
		if rw.level != "" {
			for _, lc := range rw.levelC {
				if lc == i {
					level = rw.level
				}
			}
		}
		if i < len(rw.levels) && rw.levels[i] != "" {
			level = rw.levels[i]
		}
		if level != "" {
			switch c.kind {
			case colPct:
				style = w.sRAGPct[level]
			case colDate:
				style = w.sRAGDate[level]
			default:
				style = w.sRAG[level]
			}
		}
		if level == "" && (v == nil || v == "") {
			// Nothing to show and no colour: no cell (an empty cell reads
			// and filters as a missing one).
			t.vals[i] = nil
			continue
		}
		if pc, ok := v.(excelize.Cell); ok { // a prepared cell: a link
			pc.StyleID = style
			t.cells[i] = pc
		} else {
			t.cells[i] = excelize.Cell{StyleID: style, Value: v}
		}
		t.vals[i] = &t.cells[i]
	}
	if t.first+1+t.n > sheetRows {
		// A sheet holds 1,048,576 rows: the table goes on in the next,
		// "Opgaver (2)", under the same header.
		t.close()
		t.part++
		t.start(fmt.Sprintf("%s (%d)", w.sheet(t.key), t.part+1), true)
		if w.err != nil {
			return
		}
	}
	n := t.first + 1 + t.n
	t.n++
	if t.rows != nil {
		w.must(t.rows.row(n, t.vals))
		return
	}
	t.ref = strconv.AppendInt(append(t.ref[:0], 'A'), int64(n), 10)
	w.must(t.sw.SetRow(string(t.ref), t.vals))
}

// close ends the table: its range as an Excel table, or "(none)" under the
// header.
func (t *tableWriter) close() {
	if t == nil || t.w.err != nil {
		return
	}
	w := t.w
	if t.n > 0 {
		w.tables++
		last, _ := excelize.CoordinatesToCellName(len(t.cols), t.first+t.n)
		show := false
		w.must(t.sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A%d:%s", t.first, last), Name: fmt.Sprintf("T%d_%s", w.tables, t.key),
			StyleName: "TableStyleLight1", ShowRowStripes: &show}))
		if t.rows != nil {
			w.must(t.rows.end(sheetPart(t.sw.SheetID), t.off))
		}
	} else {
		w.must(t.sw.SetRow(fmt.Sprintf("A%d", t.first+1), []any{w.l("(ingen)", "(none)")}))
	}
	w.must(t.sw.Flush())
}

// dateValue is d as a cell's value: nil for no date, else the date's
// serial number (what excelize writes for its time, in a date-formatted
// cell: a real date to Excel), boxed once per distinct date (a portfolio's
// tasks share few).
func (w *writer) dateValue(d model.Date) any {
	if d.IsZero() {
		return nil
	}
	v, ok := w.dates[d]
	if !ok {
		if w.dates == nil {
			w.dates = map[model.Date]any{}
		}
		v = dateSerial(d)
		w.dates[d] = v
	}
	return v
}

// serialEpoch is the day before Excel's day 1 for dates after February
// 1900 (Excel counts a 29 February 1900 that never was).
var serialEpoch = model.NewDate(1899, 12, 30)

// dateSerial is d as Excel's serial day number, the value excelize writes
// for d's time: before March 1900 (before Excel's 29 February 1900 that
// never was) counted from 31 December 1899, day 0; a date before 1900 is
// no Excel date, and excelize writes its time as text.
func dateSerial(d model.Date) any {
	if d.Before(model.NewDate(1900, 3, 1)) {
		if day0 := model.NewDate(1899, 12, 31); d.After(day0) {
			return day0.DaysUntil(d)
		}
		return d.Time().Format(time.RFC3339Nano)
	}
	return serialEpoch.DaysUntil(d)
}

// printSetup prints a sheet landscape on A4, fitted to the page width,
// repeating its header rows.
func (w *writer) printSetup(name string, titles bool) {
	orientation, size, fit := "landscape", 9, 1
	w.must(w.f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: &orientation, Size: &size, FitToWidth: &fit, FitToHeight: new(int)}))
	yes := true
	w.must(w.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &yes}))
	top, bottom, side := 0.5, 0.5, 0.4
	w.must(w.f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Top: &top, Bottom: &bottom, Left: &side, Right: &side}))
	w.must(w.f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddFooter: "&L" + strings.ReplaceAll(w.title(), "&", "&&") + "&R&P / &N"}))
	if titles {
		w.printTitles(name)
	}
}

// printTitles repeats a sheet's header rows on every printed page.
func (w *writer) printTitles(name string) {
	w.must(w.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$3", name), Scope: name}))
}

func (w *writer) statusWord(s model.Status) string { return model.StatusLabel(s, w.en) }

// healthWord names the owner's traffic light ("" when there is none).
func (w *writer) healthWord(h string) string {
	if h == "" {
		return ""
	}
	return w.levelWord(h)
}

func (w *writer) levelWord(l string) string {
	if l == "" {
		return ""
	}
	return model.LevelLabel(l, w.en)
}

// localTime is t's wall-clock time in the report's time zone, as the time
// excelize writes as a date-time cell (it writes a time's UTC instant).
func (w *writer) localTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	loc := w.d.Location
	if loc == nil {
		loc = time.UTC
	}
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// timeText is t in the report's time zone as text, for headings.
func (w *writer) timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	loc := w.d.Location
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(w.l("02-01-2006 15:04", "2006-01-02 15:04"))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func asTime(d model.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}
