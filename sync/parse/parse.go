// Package parse finds the implementation plan in a grid of cells: the task
// tables (a header row anywhere, columns in any order, Danish or English
// names), the step of each task, the plan's own key/value lines, and the
// values in canonical form. Problems become issues with the cell they are in,
// and the rest of the sheet is still read.
package parse

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
)

// ErrNoTable is returned when no sheet holds a task table.
var ErrNoTable = errors.New("no task table found")

// Options configures a Parser. The zero value uses the built-in column
// names and status spellings and Danish messages.
type Options struct {
	Columns  *Columns      // nil: the built-in column names
	Statuses *StatusMapper // nil: the built-in status spellings
	Lang     Lang          // "" means Danish
	// Solutions are the solution codes recognised in titles and file names
	// when the plan does not say ("KY", "SAPA", ...). Nil: DefaultSolutions.
	Solutions []string
	// GoLive returns the go-live date of a plan's wave (wave may be empty:
	// the municipality's wave in the wave table), or the zero Date: its
	// year is the year of dates written without one ("uge 34") in a plan
	// whose other dates do not tell. Nil: no wave table.
	GoLive func(municipality, solution, wave string) model.Date
	// Now is the clock; its year is the last resort for a date written
	// without a year. Nil: time.Now.
	Now func() time.Time
}

// DefaultSolutions are the shared solutions recognised in titles and file
// names when a plan has no "Løsning:" line.
var DefaultSolutions = []string{"KY", "KSD", "SAPA", "KP", "FLIS", "SBSIP", "Støttesystemerne", "Serviceplatformen"}

// Parser turns grids into plans. It is safe for concurrent use.
type Parser struct {
	cols      *Columns
	status    *StatusMapper
	lang      Lang
	solutions []string
	goLive    func(municipality, solution, wave string) model.Date
	now       func() time.Time
}

// New returns a Parser.
func New(opts Options) *Parser {
	p := &Parser{cols: opts.Columns, status: opts.Statuses, lang: opts.Lang, solutions: opts.Solutions, goLive: opts.GoLive, now: opts.Now}
	if p.now == nil {
		p.now = time.Now
	}
	if p.cols == nil {
		p.cols, _ = NewColumns(nil)
	}
	if p.status == nil {
		p.status = NewStatusMapper(nil)
	}
	if p.lang == "" {
		p.lang = Danish
	}
	if p.solutions == nil {
		p.solutions = DefaultSolutions
	}
	return p
}

// Parse reads the plan in g. It returns ErrNoTable (wrapped with what was
// looked for) when no visible sheet holds a task table; every other problem
// is an issue in the plan.
func (p *Parser) Parse(g *grid.Grid) (*model.Plan, error) {
	rows := 0
	for _, sh := range g.Sheets {
		rows += len(sh.Rows)
	}
	return p.parse(g.Book(), rows)
}

// ParseBook reads the plan in b row by row, holding only the few rows the
// parser looks at together (a header and the row below it, a timeline's
// header and the three rows above it): the same plan as Parse of the whole
// grid. A read error ends it (the error is b's); the rows out of order
// of a sheet saved oddly end it with an error wrapping grid.ErrRowOrder,
// a value hidden in a merged range with grid.ErrMergedHidden: read such a
// file whole (ReadBytes does).
func (p *Parser) ParseBook(b *grid.Book) (*model.Plan, error) {
	return p.parse(b, 0)
}

// ReadBytes reads and parses the spreadsheet held in data (name is the
// file's name), streaming its rows: grid.ReadBytes and Parse in one pass
// without the whole grid, with the same plan and errors.
func (p *Parser) ReadBytes(name string, data []byte, opts grid.Options) (*model.Plan, error) {
	b, err := grid.OpenBytes(name, data, opts)
	if err != nil {
		return nil, err
	}
	return p.readBook(b)
}

// ReadFile reads and parses the spreadsheet at path as ReadBytes does; the
// plan's File is the file's name, as with grid.ReadFile.
func (p *Parser) ReadFile(path string, opts grid.Options) (*model.Plan, error) {
	b, err := grid.OpenFile(path, opts)
	if err != nil {
		return nil, err
	}
	return p.readBook(b)
}

func (p *Parser) readBook(b *grid.Book) (*model.Plan, error) {
	plan, err := p.ParseBook(b)
	if errors.Is(err, grid.ErrRowOrder) || errors.Is(err, grid.ErrMergedHidden) {
		// Rows saved out of order (no spreadsheet program writes them so,
		// but the format allows it), or a value hidden in a merged range,
		// which only shows once the ranges after the rows are read: read
		// the file whole (without the hidden value).
		g, err := b.Whole()
		if err != nil {
			return nil, err
		}
		return p.Parse(g)
	}
	return plan, err
}

func (p *Parser) parse(b *grid.Book, rows int) (*model.Plan, error) {
	plan := &model.Plan{File: b.File, Metadata: model.Metadata{Extra: map[string]string{}}}
	plan.Tasks = make([]model.Task, 0, rows)
	tables := 0
	var titles []titleLine
	var sheets []string
	st := &planState{ids: map[string]model.Pos{}, years: map[int]int{}, date1904: b.Date1904}
	lines := map[lineKey]model.Pos{}
	for {
		sh, err := b.NextSheet()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		sheets = append(sheets, sh.Name)
		if sh.Hidden || isInstructionSheet(sh.Name) {
			continue // NextSheet reads past its rows (their errors are the file's)
		}
		sp := sheetParser{p: p, name: sh.Name, w: window{src: sh}, plan: plan, sheetStep: sheetStep(sh.Name), ids: st.ids, st: st, lines: lines}
		if err := sp.run(); err != nil {
			return nil, err
		}
		tables += sp.tables
		titles = append(titles, sp.titles...)
	}
	if tables == 0 {
		return nil, noTableError{p.lang}
	}
	if len(plan.Tasks) == 0 {
		// A header with nothing under it is an empty plan, not a plan
		// with nothing to do: said once, where the tasks belong.
		plan.Issues = append(plan.Issues, p.lang.issue(st.header, CodeNoTasks))
	}
	p.resolveScale(plan, st)
	p.fillMetadata(plan, lines, titles)
	p.resolveYears(plan, st)
	p.checkAfter(plan, st)
	p.checkCopies(plan)
	for _, w := range b.Warnings { // what the reader read past: bytes that are not text, cells beyond the limits
		plan.Issues = append(plan.Issues, model.Issue{Pos: model.Pos{Sheet: w.Sheet, Row: w.Row, Cell: w.Cell()},
			Severity: model.SevWarning, Code: w.Code, Message: w.Message(string(p.lang))})
	}
	sortIssues(plan, sheets)
	return plan, nil
}

// titleLine is a line of text above a table, and where it is.
type titleLine struct {
	text string
	pos  model.Pos
}

// lineKey is a key/value line's value under a municipality key (muni) or a
// solution key; the first line with it is where the metadata was found.
type lineKey struct {
	muni  bool
	value string
}

var footerRe = regexp.MustCompile(`(?i)^\s*(i alt|total|totalt|subtotal|sum|summa|samlet|antal opgaver|antal|opgaver i alt)\s*:?\s*[0-9]*\s*$`)

// exampleIDs are the IDs of a template's example row, lower case without
// a closing dot; exampleRe its task text ("Eksempel: ...").
var (
	exampleIDs = map[string]bool{"eks": true, "eksempel": true, "ex": true, "example": true, "e.g": true, "eg": true}
	exampleRe  = regexp.MustCompile(`(?i)^(eksempel|example|eks\.)\s*[:\-–]`)
)

// isExample reports whether a row with this ID and task text is a
// template's example row. Most rows are told by their first letter.
func isExample(id, title string) bool {
	if id != "" && id[0]|0x20 == 'e' && exampleIDs[strings.TrimRight(strings.ToLower(id), ".:")] {
		return true
	}
	return title[0]|0x20 == 'e' && exampleRe.MatchString(title)
}

// pageRe matches a printed page's marker ("Side 2", "Side 2 af 5", "Page
// 3"), repeated with the header on each page: it names no step.
var pageRe = regexp.MustCompile(`(?i)^\s*(side|page|s\.|p\.)\s*[0-9]+\s*((af|of|/)\s*[0-9]+)?\s*$`)

var (
	stepRe        = regexp.MustCompile(`(?i)^\s*(trin|fase|phase|step|etape|del)\s*[0-9]+[a-z]?\b`)
	instructionRe = regexp.MustCompile(`(?i)^\s*(vejledning|instruktion|instruks|instructions?|readme|read me|læs mig|hjælp|help|om planen|forklaring|ændringslog|changelog)\b`)
)

// IsStepLabel reports whether s names a step ("Trin 0a", "Fase 2 - Test").
func IsStepLabel(s string) bool { return stepRe.MatchString(s) }

func sheetStep(name string) string {
	if IsStepLabel(name) {
		return CollapseSpace(name)
	}
	return ""
}

func isInstructionSheet(name string) bool { return instructionRe.MatchString(name) }

// sheetParser walks one sheet's rows.
type sheetParser struct {
	p         *Parser
	name      string // the sheet's
	w         window
	plan      *model.Plan
	sheetStep string
	tables    int
	titles    []titleLine          // title lines above tables, for metadata
	ids       map[string]model.Pos // the ID cell where each task ID was first seen
	st        *planState
	lines     map[lineKey]model.Pos // where metadata lines are, for fillMetadata
	gantt     *timeline             // the current table's timeline columns, if it is one

	inTable   bool
	colOf     [numRoles]int // 1-based column of each role, 0 when absent
	step      string        // current step from a marker line or section row
	candidate string        // a single-cell row that becomes the step if tasks follow
	// unplanned is the row of a task with only its text, between the
	// tasks of a step that a step row or column names: read as a task if
	// tasks follow it (it is no new step), else a note below them.
	unplanned int
	stepCol   string // last value of the step column (filled down)
	lastRow   int    // last task row of the current table
	// shown is, for the status, done, responsible, performer, start and
	// end columns, the last task row's cell there that held a value: a
	// range merged down from it shows that value on the rows below
	// (mergedDown).
	shown [6]shownCell
}

// shownCell is a cell that held a value, and its row.
type shownCell struct {
	row  int
	cell grid.Cell
}

func (sp *sheetParser) run() error {
	for {
		ok, err := sp.advance()
		if err != nil || !ok {
			return err
		}
		r, row, filled := sp.w.cur.r, sp.w.cur.cells, sp.w.filled
		if len(filled) == 0 {
			continue
		}
		if roles, tl, ok := sp.ganttHeader(r, row, filled); ok {
			sp.gantt = tl
			sp.startTable(r, roles)
			sp.unreadColumns(r, r)
			continue
		}
		if roles, ok := sp.header(row, filled); ok {
			sp.gantt = nil
			// A two-row header ("Dato" over "Start" and "Slut"): the row
			// below names the columns the first lacks.
			below, err := sp.w.peek()
			if err != nil {
				return err
			}
			top := r
			if below.r == r+1 && sp.subHeader(below.cells, &roles) {
				if _, err := sp.advance(); err != nil {
					return err
				}
				r++
			}
			sp.startTable(r, roles)
			sp.unreadColumns(top, r)
			continue
		}
		if sp.inTable && sp.gantt != nil {
			var done bool
			if filled, done = sp.ganttRow(r, row, filled); done {
				continue
			}
		}
		// A step label alone ("Trin 1 - Forberedelse", "Fase 1: Test") names
		// the step, even with a colon in it.
		if len(filled) == 1 && row[filled[0]].Kind == grid.Text && IsStepLabel(row[filled[0]].Text) {
			sp.step, sp.candidate = CollapseSpace(row[filled[0]].Text), ""
			continue
		}
		if key, value, ok := keyValue(row, filled, !sp.inTable); ok {
			sp.keyValue(key, value)
			continue
		}
		if !sp.inTable {
			if len(filled) == 1 && row[filled[0]].Kind == grid.Text {
				text := CollapseSpace(row[filled[0]].Text)
				if IsStepLabel(text) {
					sp.step = text
				} else {
					sp.titles = append(sp.titles, titleLine{text, model.Pos{Sheet: sp.name, Row: r, Cell: grid.Ref(r, filled[0]+1)}})
				}
			}
			continue
		}
		if len(filled) == 1 {
			sp.singleCell(r, filled[0]+1, row[filled[0]])
			continue
		}
		sp.taskRow(r)
	}
}

// advance moves to the next row and notes where the metadata lines are
// ("Kommune: Aarhus"), for fillMetadata to say where it found them.
func (sp *sheetParser) advance() (bool, error) {
	ok, err := sp.w.advance()
	if !ok || err != nil {
		return ok, err
	}
	if filled := sp.w.filled; len(filled) >= 1 && len(filled) <= 2 {
		row := sp.w.cur.cells
		if k, v, ok := keyValue(row, filled, true); ok {
			nk := NormalizeKey(k)
			for _, muni := range []bool{true, false} {
				if (muni && municipalityKeys[nk]) || (!muni && solutionKeys[nk]) {
					pos := model.Pos{Sheet: sp.name, Row: sp.w.cur.r, Cell: grid.Ref(sp.w.cur.r, filled[len(filled)-1]+1)}
					for _, value := range []string{v, trimKommune(v)} {
						if _, seen := sp.lines[lineKey{muni, value}]; !seen {
							sp.lines[lineKey{muni, value}] = pos
						}
					}
				}
			}
		}
	}
	return true, nil
}

// lookBehind is how many rows above the current one the parser reads: a
// timeline's years stand up to three rows above its header.
const lookBehind = 3

// window holds the rows of a sheet the parser may look at: the current
// row, the lookBehind rows above it and the row below it once peeked. Rows
// the source did not hand out are empty. Asking for any other row is a bug
// and panics, so no code comes to depend on the whole sheet.
type window struct {
	src    *grid.SheetRows
	cur    rowAt
	back   [lookBehind]rowAt // the rows handed out before cur, newest first
	ahead  rowAt
	peeked bool
	end    bool
	filled []int // cur's filled cells (indexes)
}

type rowAt struct {
	r     int
	cells []grid.Cell
}

// advance makes the next row the current one; false at the sheet's end.
func (w *window) advance() (bool, error) {
	next, err := w.peek()
	if err != nil || next.r == 0 {
		return false, err
	}
	w.peeked = false
	if w.cur.r != 0 {
		copy(w.back[1:], w.back[:lookBehind-1])
		w.back[0] = w.cur
	}
	w.cur = next
	w.filled = filledCells(w.filled[:0], next.cells)
	return true, nil
}

// peek returns the row after the current one (row 0 at the sheet's end).
func (w *window) peek() (rowAt, error) {
	if w.peeked || w.end {
		return w.ahead, nil
	}
	r, cells, err := w.src.Next()
	if err == io.EOF {
		w.end, w.ahead = true, rowAt{}
		return w.ahead, nil
	}
	if err != nil {
		return rowAt{}, err
	}
	w.ahead, w.peeked = rowAt{r, cells}, true
	return w.ahead, nil
}

// row returns the cells of row r, which must be in the window.
func (w *window) row(r int) []grid.Cell {
	switch {
	case r == w.cur.r:
		return w.cur.cells
	case r < w.cur.r && r >= w.cur.r-lookBehind:
		for _, b := range w.back {
			if b.r == r {
				return b.cells
			}
		}
		return nil
	case r == w.cur.r+1 && w.peeked && w.ahead.r == r:
		return w.ahead.cells
	case r == w.cur.r+1 && (w.peeked || w.end):
		return nil
	}
	panic(fmt.Sprintf("parse: row %d is outside the rows in hand (%d-%d)", r, w.cur.r-lookBehind, w.cur.r+1))
}

// cell returns the cell at 1-based row and column of the window.
func (w *window) cell(r, col int) grid.Cell {
	row := w.row(r)
	if col < 1 || col > len(row) {
		return grid.Cell{}
	}
	return row[col-1]
}

// ganttRow handles a row of a timeline table. It returns the row's filled
// cells outside the timeline, and done when the row was handled: a task
// (marks and a title or other values), or a step label alone.
func (sp *sheetParser) ganttRow(r int, row []grid.Cell, filled []int) ([]int, bool) {
	out := filled[:0]
	for _, i := range filled {
		if !sp.gantt.has(i + 1) {
			out = append(out, i)
		}
	}
	hasMarks := len(sp.ganttMarks(r)) > 0
	switch {
	case len(out) == 1 && row[out[0]].Kind == grid.Text && IsStepLabel(row[out[0]].Text):
		sp.step, sp.candidate = CollapseSpace(row[out[0]].Text), ""
		return out, true
	case hasMarks && len(out) == 0:
		sp.addIssue(sp.pos(r, RoleTitle), CodeNoTitle, sp.p.lang.word("dates"))
		return out, true
	case hasMarks || len(out) > 1:
		sp.taskRow(r)
		return out, true
	case len(out) == 0:
		return out, true // only noes in the timeline (0, -): nothing to read
	}
	return out, false
}

// header recognises a header row: a title column and at least two other
// known columns, with most of the row's cells known.
func (sp *sheetParser) header(row []grid.Cell, filled []int) ([numRoles]int, bool) {
	var colOf [numRoles]int
	if len(filled) < 3 {
		return colOf, false
	}
	matched, others := 0, 0
	for _, i := range filled {
		c := row[i]
		if c.Kind != grid.Text {
			continue
		}
		role := sp.p.cols.Role(c.Text)
		if role == RoleNone {
			continue
		}
		matched++
		if colOf[role] == 0 {
			colOf[role] = i + 1
			if role != RoleTitle && role != RoleNotes && role != RoleAfter {
				others++
			}
		}
	}
	// Exports of other tools (Planner, SharePoint lists, MS Project) have
	// many columns udrul does not know: a task column and three other known
	// columns make a header whatever else the row holds.
	return colOf, colOf[RoleTitle] != 0 && others >= 2 && (matched*2 >= len(filled) || others >= 3)
}

// subHeader reports whether row consists only of known column names, and
// adds those the header lacks to colOf.
func (sp *sheetParser) subHeader(row []grid.Cell, colOf *[numRoles]int) bool {
	added, n := 0, 0
	for i, c := range row {
		if c.IsEmpty() {
			continue
		}
		n++
		role := RoleNone
		if c.Kind == grid.Text {
			role = sp.p.cols.Role(c.Text)
		}
		if role == RoleNone {
			return false
		}
		if colOf[role] == 0 {
			colOf[role] = i + 1
			added++
		}
	}
	return n > 0 && added > 0
}

func (sp *sheetParser) startTable(r int, colOf [numRoles]int) {
	sp.reserve(r)
	sp.tables++
	if sp.st.header.Sheet == "" {
		sp.st.header = model.Pos{Sheet: sp.name, Row: r, Cell: grid.Ref(r, 1)}
	}
	sp.inTable = true
	sp.colOf = colOf
	sp.tableDates(r)
	sp.stepCol = ""
	sp.lastRow = 0
	sp.shown = [6]shownCell{}
	if sp.candidate != "" {
		// A single line just above a table names it, like "Navn: Trin 0a".
		sp.step, sp.candidate = sp.candidate, ""
	}
	required := []struct {
		role Role
		word string
	}{{RoleResponsible, "responsible"}, {RolePerformer, "performer"}, {RoleStart, "start"}, {RoleEnd, "end"}}
	if sp.gantt != nil {
		required = required[:2] // the timeline gives the dates
	}
	for _, req := range required {
		if colOf[req.role] == 0 {
			sp.addIssue(model.Pos{Sheet: sp.name, Row: r, Cell: grid.Ref(r, 1)}, CodeMissingColumn, sp.p.lang.word(req.word))
		}
	}
}

// unreadColumns warns about the columns of the header rows top..r that look
// as if they matter but are not read: a second column of a role already
// read ("Status" twice, "Slutdato" and "Deadline": only the first is read),
// and a revised date beside the one read ("Ny slutdato", "Revideret
// frist"). Either way the plan may say something else than udrul reads.
func (sp *sheetParser) unreadColumns(top, r int) {
	lang := sp.p.lang
	side := sp.sideTable(top, r)
	if side != 0 {
		sp.addIssue(model.Pos{Sheet: sp.name, Row: top, Cell: grid.Ref(top, side)}, CodeSideTable,
			grid.ColumnName(side), sp.headerText(top, r, side))
	}
	for hr := top; hr <= r; hr++ {
		for i, c := range sp.w.row(hr) {
			if c.Kind != grid.Text || side != 0 && i+1 >= side {
				continue
			}
			col := i + 1
			role := sp.p.cols.Role(c.Text)
			if role == RoleNone {
				role = revisedRole(c.Text)
				if role == RoleNone || sp.colOf[role] == 0 {
					continue
				}
				sp.addIssue(model.Pos{Sheet: sp.name, Row: hr, Cell: grid.Ref(hr, col)}, CodeUnreadColumn,
					grid.ColumnName(col), CollapseSpace(c.Text), lang.word(roleWords[role]),
					grid.ColumnName(sp.colOf[role]), sp.headerText(top, r, sp.colOf[role]))
				continue
			}
			if role == RoleNotes || sp.colOf[role] == 0 || sp.colOf[role] == col {
				continue // two remarks columns lose nothing udrul reads
			}
			sp.addIssue(model.Pos{Sheet: sp.name, Row: hr, Cell: grid.Ref(hr, col)}, CodeDuplicateColumn,
				grid.ColumnName(col), CollapseSpace(c.Text), lang.word(roleWords[role]),
				grid.ColumnName(sp.colOf[role]), sp.headerText(top, r, sp.colOf[role]))
		}
	}
}

// sideTable returns the first column of a second task table beside the
// one read, in the same header rows top..r (a second task column with two
// more columns of roles already read from it on), or 0. Its rows are not
// read: a header row is read once, from the left.
func (sp *sheetParser) sideTable(top, r int) int {
	dup := func(col int) Role {
		for hr := top; hr <= r; hr++ {
			if c := sp.w.cell(hr, col); c.Kind == grid.Text {
				if role := sp.p.cols.Role(c.Text); role != RoleNone && sp.colOf[role] != 0 && sp.colOf[role] != col {
					return role
				}
			}
		}
		return RoleNone
	}
	width := 0
	for hr := top; hr <= r; hr++ {
		width = max(width, len(sp.w.row(hr)))
	}
	for col := sp.colOf[RoleTitle] + 1; col <= width; col++ {
		if dup(col) != RoleTitle {
			continue
		}
		start := col
		for start > 1 && dup(start-1) != RoleNone {
			start--
		}
		n := 0
		for c := start; c <= width; c++ {
			if role := dup(c); role != RoleNone && role != RoleNotes {
				n++
			}
		}
		if n >= 3 {
			return start
		}
		return 0
	}
	return 0
}

// headerText is the name a header (rows top..r) gives column col.
func (sp *sheetParser) headerText(top, r, col int) string {
	for hr := r; hr >= top; hr-- {
		if t := CollapseSpace(cellText(sp.w.cell(hr, col))); t != "" {
			return t
		}
	}
	return ""
}

// revisedWords name a date as moved since it was first written ("Ny
// slutdato", "Revideret frist", "Forventet slut").
var revisedWords = map[string]bool{
	"ny": true, "nye": true, "nyt": true, "revideret": true, "rev": true, "ændret": true, "aendret": true,
	"justeret": true, "opdateret": true, "forventet": true, "aktuel": true, "aktuelle": true, "gældende": true,
	"new": true, "revised": true, "updated": true, "expected": true, "forecast": true, "current": true, "adjusted": true,
}

// revisedRole returns RoleEnd or RoleStart for a column name that says it
// holds a revised end or start ("Ny slutdato", "Revised due date"), and
// RoleNone for any other.
func revisedRole(text string) Role {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	revised := false
	for _, w := range words {
		revised = revised || revisedWords[w]
	}
	if !revised {
		return RoleNone
	}
	for _, w := range words {
		switch {
		case strings.HasPrefix(w, "slut"), strings.HasPrefix(w, "frist"), strings.HasPrefix(w, "deadline"),
			w == "due", w == "end", w == "finish", strings.HasPrefix(w, "færdig"), strings.HasPrefix(w, "afslut"):
			return RoleEnd
		case strings.HasPrefix(w, "start"), w == "opstart", w == "begin":
			return RoleStart
		}
	}
	return RoleNone
}

// reserve makes room for the tasks the rows below r could hold, as far as
// the source can tell, so that a large plan's tasks are not copied again
// and again as they grow.
func (sp *sheetParser) reserve(r int) {
	need := sp.w.src.RowsHint() - r
	tasks := sp.plan.Tasks
	if need < 256 || cap(tasks)-len(tasks) >= need {
		return
	}
	sp.plan.Tasks = append(make([]model.Task, 0, len(tasks)+need), tasks...)
}

// keyValue handles a "Key: value" line: a step marker ("Navn: Trin 0a"),
// plan metadata above or between tables, or a footer ("Antal opgaver: 9").
func (sp *sheetParser) keyValue(key, value string) {
	k := NormalizeKey(key)
	switch {
	case stepKeys[k] || ((k == "navn" || k == "name") && IsStepLabel(value)):
		sp.step = value
		sp.candidate = ""
		return
	case sp.inTable && sp.lastRow > 0:
		return // a footer below tasks
	}
	md := &sp.plan.Metadata
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	switch {
	case municipalityKeys[k]:
		set(&md.Municipality, trimKommune(value))
	case solutionKeys[k]:
		set(&md.Solution, value)
	case waveKeys[k]:
		set(&md.Wave, value)
	default:
		if h, ok := planHealth(key, value); ok {
			set(&md.Health, h)
			return
		}
		if _, ok := md.Extra[key]; !ok && value != "" {
			md.Extra[key] = value
		}
	}
}

var (
	stepKeys         = map[string]bool{"trin": true, "fase": true, "phase": true, "step": true, "etape": true}
	municipalityKeys = map[string]bool{"kommune": true, "kommunenavn": true, "municipality": true}
	solutionKeys     = map[string]bool{"løsning": true, "solution": true, "system": true, "it løsning": true, "fagsystem": true}
	waveKeys         = map[string]bool{"bølge": true, "wave": true, "udrulningsbølge": true, "bølge nr": true, "bølgenr": true}
)

// keyValue recognises "Key: value" in one cell, or "Key:" and "value" in two.
// Outside tables, a known metadata key without a colon also counts.
func keyValue(row []grid.Cell, filled []int, outside bool) (key, value string, ok bool) {
	first := row[filled[0]]
	if first.Kind != grid.Text {
		return "", "", false
	}
	text := CollapseSpace(first.Text)
	switch len(filled) {
	case 1:
		i := strings.IndexByte(text, ':')
		if i <= 0 || i > 40 || strings.Contains(text[:i], "http") {
			return "", "", false
		}
		return strings.TrimSpace(text[:i]), strings.TrimSpace(text[i+1:]), true
	case 2:
		second := CollapseSpace(row[filled[1]].Text)
		if k, found := strings.CutSuffix(text, ":"); found && len(k) <= 40 {
			return strings.TrimSpace(k), second, true
		}
		if outside {
			k := NormalizeKey(text)
			if municipalityKeys[k] || solutionKeys[k] || waveKeys[k] || stepKeys[k] {
				return text, second, true
			}
		}
	}
	return "", "", false
}

// singleCell handles a row inside a table with one filled cell: a section
// row naming the step of the rows below it, or a note or footer.
func (sp *sheetParser) singleCell(r, col int, c grid.Cell) {
	if c.Kind != grid.Text {
		return
	}
	text := CollapseSpace(c.Text)
	if IsStepLabel(text) {
		sp.step, sp.candidate = text, ""
		return
	}
	if pageRe.MatchString(text) {
		return // "Side 2" above a header repeated on each printed page
	}
	_, merged := sp.w.src.MergeAt(r, col)
	if merged || col == sp.colOf[RoleTitle] || col == 1 {
		// It names the step only if tasks follow it; a note below the last
		// task ("NB! - ikke endelige") names nothing.
		sp.candidate = text
	}
	sp.unplanned = 0
	if !merged && col == sp.colOf[RoleTitle] && sp.lastRow != 0 && sp.gantt == nil &&
		(sp.colOf[RoleStep] != 0 || IsStepLabel(sp.step)) && !band(sp.w.row(r), col) {
		// Between the tasks of "Trin 1" (or of a step column), a task
		// text alone is a task not yet planned: it does not rename the
		// step of the tasks below it.
		sp.unplanned = r
	}
}

// band reports whether a row filled in column col alone is coloured across
// other cells too, as a section row is drawn.
func band(row []grid.Cell, col int) bool {
	for i, c := range row {
		if _, ok := c.FillRGB(); ok && i+1 != col {
			return true
		}
	}
	return false
}

func (sp *sheetParser) cell(r int, role Role) grid.Cell {
	if sp.colOf[role] == 0 {
		return grid.Cell{}
	}
	return sp.w.cell(r, sp.colOf[role])
}

func (sp *sheetParser) pos(r int, role Role) model.Pos {
	pos := model.Pos{Sheet: sp.name, Row: r}
	if sp.colOf[role] != 0 {
		pos.Cell = grid.Ref(r, sp.colOf[role])
	}
	return pos
}

func (sp *sheetParser) addIssue(pos model.Pos, code string, args ...any) {
	sp.plan.Issues = append(sp.plan.Issues, sp.p.lang.issue(pos, code, args...))
}

func (sp *sheetParser) taskRow(r int) {
	titleCell := sp.cell(r, RoleTitle)
	title := CollapseSpace(cellText(titleCell))
	if title == "" && titleCell.Uncomputed {
		sp.addIssue(sp.pos(r, RoleTitle), CodeNoValue, sp.p.lang.word(roleWords[RoleTitle]))
		return
	}
	if title == "" && sp.stepRowWithStatus(r) {
		return
	}
	if title == "" {
		var what string
		switch {
		case !sp.cell(r, RoleStart).IsEmpty() || !sp.cell(r, RoleEnd).IsEmpty():
			what = sp.p.lang.word("dates")
		case !sp.cell(r, RoleResponsible).IsEmpty() || !sp.cell(r, RolePerformer).IsEmpty() || !sp.cell(r, RoleStatus).IsEmpty():
			what = sp.p.lang.word("values")
		default:
			return // only extra columns: a note beside the table
		}
		sp.addIssue(sp.pos(r, RoleTitle), CodeNoTitle, what)
		return
	}
	if strings.HasSuffix(title, ":") && sp.emptyFields(r) {
		return // "Bemærk:" and the like
	}
	if footerRe.MatchString(title) && (sp.cell(r, RoleStart).IsEmpty() && sp.cell(r, RoleEnd).IsEmpty() ||
		sp.cell(r, RoleID).IsEmpty() && sp.cell(r, RoleResponsible).IsEmpty() && sp.cell(r, RolePerformer).IsEmpty()) {
		// A total row: "I alt", "Antal opgaver: 25", with sums beside it,
		// or the table's first start, last end and overall progress (no
		// ID, no party: it is no task).
		return
	}
	if isExample(idText(sp.cell(r, RoleID)), title) {
		// A template's example row ("Eks.", "Eksempel: Afholde
		// opstartsmøde") shows how to fill the plan; it is no task of it.
		sp.addIssue(sp.pos(r, RoleTitle), CodeExampleRow, title)
		return
	}
	if isNumberTitle(title) {
		// "-123", "17": a number where the task text should be is a row
		// left from an export or a formula, not a task.
		sp.addIssue(sp.pos(r, RoleTitle), CodeNumberTitle, title)
		return
	}
	if u := sp.unplanned; u != 0 {
		sp.unplanned = 0
		// Only while its row is still the candidate step: a step row, a
		// marker or a new table since has taken it.
		if sp.candidate != "" && u >= r-lookBehind {
			sp.candidate = ""
			sp.taskRow(u) // read before this row, in the sheet's order
		}
	}
	if sp.candidate != "" {
		sp.step, sp.candidate = sp.candidate, ""
	}
	t := model.Task{
		Pos:   model.Pos{Sheet: sp.name, Row: r},
		Title: title,
		ID:    idText(sp.cell(r, RoleID)),
		Notes: CollapseSpace(cellText(sp.cell(r, RoleNotes))),
	}
	t.Step = sp.stepFor(r)
	t.Responsible = Party(cellText(sp.mergedDown(r, RoleResponsible, 2)))
	t.Performer = Party(cellText(sp.mergedDown(r, RolePerformer, 3)))
	idx := len(sp.plan.Tasks)
	var pendStart, pendEnd bool
	// The dates as Excel shows them: a date merged down over several
	// tasks is each one's.
	startCell, endCell := sp.mergedDown(r, RoleStart, 4), sp.mergedDown(r, RoleEnd, 5)
	short := len(sp.st.short) // dates with a two-digit year wait for the plan's (checkShortYears)
	t.Start, t.StartAs, pendStart = sp.date(r, startCell, RoleStart, "Start", idx, false)
	t.End, t.EndAs, pendEnd = sp.date(r, endCell, RoleEnd, "End", idx, true)
	// A week range in one cell ("uge 34-36") with the other date cell
	// empty gives both: the Monday of its first week, the Friday of its last.
	if endCell.IsEmpty() {
		t.End, t.EndAs, pendEnd = sp.rangeOther(r, startCell, RoleStart, idx, true, t.End, t.EndAs, pendEnd)
	}
	if startCell.IsEmpty() {
		t.Start, t.StartAs, pendStart = sp.rangeOther(r, endCell, RoleEnd, idx, false, t.Start, t.StartAs, pendStart)
	}
	if sp.gantt != nil && t.Start.IsZero() && t.End.IsZero() && !pendStart && !pendEnd {
		pendStart, pendEnd = sp.ganttSpan(r, idx, &t)
	}
	sp.status(r, &t)
	sp.health(r, &t)
	sp.after(r, idx, &t)
	// Formulas saved without their values: each field said unknown, not
	// read as empty (a status formula read as not started).
	var unknown [numRoles]bool
	for _, role := range valueRoles {
		if sp.colOf[role] != 0 && sp.cell(r, role).Uncomputed {
			unknown[role] = true
			sp.addIssue(sp.pos(r, role), CodeNoValue, sp.p.lang.word(roleWords[role]))
		}
	}
	if unknown[RoleStatus] || unknown[RoleDone] {
		t.Status = model.Unknown
	}
	sp.dropped(r, idx, &t)

	lang := sp.p.lang
	if pendStart || pendEnd || len(sp.st.short) > short {
		sp.st.checks = append(sp.st.checks, orderCheck{task: idx, pos: sp.pos(r, RoleStart)})
	} else if !t.Start.IsZero() && !t.End.IsZero() && t.Start.After(t.End) {
		sp.addIssue(sp.pos(r, RoleStart), CodeStartAfterEnd, fmtDate(t.Start), fmtDate(t.End))
	}
	if sp.colOf[RoleResponsible] != 0 && t.Responsible == "" && !unknown[RoleResponsible] {
		sp.addIssue(sp.pos(r, RoleResponsible), CodeMissingResponsible, title)
	}
	if sp.colOf[RolePerformer] != 0 && t.Performer == "" && !unknown[RolePerformer] {
		sp.addIssue(sp.pos(r, RolePerformer), CodeMissingPerformer, title)
	}
	for _, d := range []struct {
		role    Role
		date    model.Date
		word    string
		pending bool
		cell    grid.Cell
	}{{RoleStart, t.Start, "start", pendStart, startCell}, {RoleEnd, t.End, "end", pendEnd, endCell}} {
		if sp.colOf[d.role] != 0 && d.date.IsZero() && d.cell.IsEmpty() && !d.pending && sp.gantt == nil && !unknown[d.role] {
			sp.addIssue(sp.pos(r, d.role), CodeMissingDate, title, lang.word(d.word))
		}
	}
	if t.ID != "" {
		idPos := sp.pos(r, RoleID)
		if first, dup := sp.ids[t.ID]; dup {
			sp.addIssue(idPos, CodeDuplicateID, t.ID, first.Sheet+"!"+first.Cell)
		} else {
			sp.ids[t.ID] = idPos
		}
	}
	sp.lastRow = r
	if len(sp.plan.Tasks) == cap(sp.plan.Tasks) {
		sp.reserve(r)
	}
	sp.plan.Tasks = append(sp.plan.Tasks, t)
}

// emptyFields reports whether a row has nothing in its date, party and
// status columns.
func (sp *sheetParser) emptyFields(r int) bool {
	for _, role := range []Role{RoleStart, RoleEnd, RoleResponsible, RolePerformer, RoleStatus} {
		if !sp.cell(r, role).IsEmpty() {
			return false
		}
	}
	return true
}

func (sp *sheetParser) stepFor(r int) string {
	if sp.colOf[RoleStep] != 0 {
		if v := CollapseSpace(cellText(sp.cell(r, RoleStep))); v != "" {
			sp.stepCol = v
		}
		if sp.stepCol != "" {
			return sp.stepCol
		}
	}
	if sp.step != "" {
		return sp.step
	}
	return sp.sheetStep
}

// rangeOther reads the other end of a week range written in role's cell c
// (as shown: merged down, mergedDown), or returns d, as, pending unchanged
// when the cell holds no range.
func (sp *sheetParser) rangeOther(r int, c grid.Cell, role Role, idx int, end bool, d model.Date, as model.Written, pending bool) (model.Date, model.Written, bool) {
	if c.Kind != grid.Text || sp.colOf[role] == 0 {
		return d, as, pending
	}
	l, err := ParseLoose(c.Text)
	if err != nil || l.Precision != model.Week || l.From == l.To {
		return d, as, pending
	}
	if l.Year == 0 {
		sp.st.pending = append(sp.st.pending, pendingDate{task: idx, end: end, l: l, pos: sp.pos(r, role)})
		return model.Date{}, model.Written{}, true
	}
	first, last, _ := l.Span(l.Year)
	if end {
		return last, l.Written(), false
	}
	return first, l.Written(), false
}

// mergedDown returns role's cell on task row r (the status, done,
// responsible, performer, start or end column: slot 0 to 5 of shown) as
// Excel shows
// it: an empty cell inside a range merged down from a task row above
// shows that row's value over it (Excel saves it only in the range's
// top-left cell). Such a cell is read with that value, with a warning
// naming the range: a status "Færdig" merged over three tasks is not two
// tasks not started, "Leverandør" merged over a step's tasks not two tasks
// without a performer.
func (sp *sheetParser) mergedDown(r int, role Role, slot int) grid.Cell {
	c := sp.cell(r, role)
	col := sp.colOf[role]
	if col == 0 {
		return c
	}
	if !c.IsEmpty() {
		sp.shown[slot] = shownCell{r, c}
		return c
	}
	up := sp.shown[slot]
	if up.row == 0 {
		return c
	}
	m, ok := sp.w.src.MergeAt(up.row, col)
	if !ok || m.Bottom < r || m.Right < col {
		return c
	}
	shown := CollapseSpace(cellText(up.cell))
	if d, ok := up.cell.Date(); ok && up.cell.Kind == grid.Date {
		shown = fmtDate(d) // as Excel shows it, not the serial it keeps
	}
	sp.addIssue(sp.pos(r, role), CodeMergedRows, grid.Ref(r, col), mergeRef(m), shown)
	return up.cell
}

// stepRowWithStatus handles a step row that also fills the status or done
// column ("Trin 1 - Forberedelse" in column A, "Færdig" in G): it names the
// step of the tasks below. Its status is no task's: where it is merged down
// over task rows, Excel shows it beside them and mergedDown reads it so,
// with a warning on each; where it is not, it is not read, and a warning
// says so (the tasks below keep their own status, which may say otherwise).
func (sp *sheetParser) stepRowWithStatus(r int) bool {
	filled := sp.w.filled
	if len(filled) < 2 || sp.w.cur.r != r {
		return false
	}
	first := sp.w.cur.cells[filled[0]]
	if first.Kind != grid.Text || !IsStepLabel(first.Text) {
		return false
	}
	for _, role := range []Role{RoleResponsible, RolePerformer, RoleStart, RoleEnd} {
		if !sp.cell(r, role).IsEmpty() {
			return false
		}
	}
	status, done := sp.cell(r, RoleStatus), sp.cell(r, RoleDone)
	if status.IsEmpty() && done.IsEmpty() {
		return false
	}
	label := CollapseSpace(first.Text)
	sp.step, sp.candidate = label, ""
	for slot, c := range []grid.Cell{status, done} {
		if c.IsEmpty() {
			continue
		}
		role := []Role{RoleStatus, RoleDone}[slot]
		sp.shown[slot] = shownCell{r, c}
		col := sp.colOf[role]
		if m, ok := sp.w.src.MergeAt(r, col); ok && m.Top == r && m.Bottom > r {
			continue // read beside each task it covers (mergedDown)
		}
		sp.addIssue(sp.pos(r, role), CodeStepStatus, label, CollapseSpace(cellText(c)))
	}
	return true
}

// mergeRef names a merged range: A4:A6.
func mergeRef(m grid.Merge) string {
	return grid.Ref(m.Top, m.Left) + ":" + grid.Ref(m.Bottom, m.Right)
}

func (sp *sheetParser) status(r int, t *model.Task) {
	c := sp.mergedDown(r, RoleStatus, 0)
	var ok, one bool
	switch c.Kind {
	case grid.Number:
		t.RawStatus = c.Text
		t.Status, ok = sp.p.status.Number(c.Num)
		one = sp.scaleNumber(c, r)
	case grid.Empty:
		t.Status, ok = model.NotStarted, true
	default:
		t.RawStatus = CollapseSpace(c.Text)
		t.Status, ok = sp.p.status.Text(c.Text)
		if f, isNum := textFigure(t.RawStatus); isNum {
			// "0,5", " 50 ": a figure as text, read as the number.
			one = sp.scaleNumber(grid.Cell{Kind: grid.Number, Text: t.RawStatus, Num: f}, r)
		}
		if h := Health(c.Text); !ok && h != "" {
			// A traffic light in the status column is the owner's
			// assessment, not progress: the status is not known.
			t.Health, ok = h, true
		}
	}
	if !ok {
		sp.addIssue(sp.pos(r, RoleStatus), CodeUnknownStatus, t.RawStatus)
	}
	ticked := false
	var no grid.Cell // a done column's no beside a status 1
	if sp.colOf[RoleDone] != 0 {
		dc := sp.mergedDown(r, RoleDone, 1)
		yes, known := DoneAnswer(dc)
		said := ok && !c.IsEmpty() // the status column says something known
		switch {
		case !known:
			sp.addIssue(sp.pos(r, RoleDone), CodeUnknownStatus, CollapseSpace(dc.Text))
		case yes:
			ticked = true
			if said && (t.Status == model.NotStarted || t.Status == model.Cancelled || t.Status == model.OnHold) {
				// Ticked done while the status says not started,
				// cancelled or on hold (not "I gang": a tick is often
				// ahead of the word).
				sp.addIssue(sp.pos(r, RoleDone), CodeStatusConflict, CollapseSpace(cellText(dc)), sp.pos(r, RoleStatus).Cell, t.RawStatus)
			}
			t.Status = model.Done
			if t.RawStatus == "" {
				t.RawStatus = CollapseSpace(cellText(dc))
			}
		case !dc.IsEmpty() && said && t.Status == model.Done && one:
			// "Nej" beside a status 1: a conflict only if the 1 is done
			// (resolveScale).
			no = dc
		case !dc.IsEmpty() && said && t.Status == model.Done:
			// "Nej" under "Færdig?" while the status says done.
			sp.addIssue(sp.pos(r, RoleDone), CodeStatusConflict, CollapseSpace(cellText(dc)), sp.pos(r, RoleStatus).Cell, t.RawStatus)
		}
	}
	if one && !ticked {
		// Done, or 1 %: the column's other numbers decide (resolveScale).
		o := scaleOne{task: len(sp.plan.Tasks), pos: sp.pos(r, RoleStatus),
			col: colKey{sp.name, sp.tables, sp.colOf[RoleStatus]}, title: sp.pos(r, RoleTitle).Cell}
		if !no.IsEmpty() {
			o.no, o.noPos = CollapseSpace(cellText(no)), sp.pos(r, RoleDone)
		}
		sp.st.ones = append(sp.st.ones, o)
	}
}

// health reads the owner's traffic light: a health column's word or fill,
// or a status cell filled green, yellow or red with no text.
func (sp *sheetParser) health(r int, t *model.Task) {
	if sp.colOf[RoleHealth] != 0 {
		c := sp.cell(r, RoleHealth)
		switch {
		case c.Kind == grid.Text && !c.IsEmpty():
			if h := Health(c.Text); h != "" {
				t.Health = h
			} else {
				sp.addIssue(sp.pos(r, RoleHealth), CodeUnknownHealth, CollapseSpace(c.Text))
			}
		case c.IsEmpty():
			if h := FillHealth(c); h != "" {
				t.Health = h
			}
		}
	}
	if t.Health == "" && sp.colOf[RoleStatus] != 0 {
		if c := sp.cell(r, RoleStatus); c.IsEmpty() {
			t.Health = FillHealth(c)
		}
	}
}

// isNumberTitle reports whether a task text is only a number ("-123",
// "17", "3.5").
func isNumberTitle(s string) bool {
	if s == "" || !strings.ContainsRune("0123456789-+.,", rune(s[0])) {
		return false
	}
	_, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	return err == nil
}

// sortIssues orders issues as a person reads the workbook: by sheet, row and
// column.
func sortIssues(plan *model.Plan, sheets []string) {
	sheetIdx := make(map[string]int, len(sheets))
	for i, name := range sheets {
		sheetIdx[name] = i
	}
	col := func(ref string) int {
		_, c, _ := grid.ParseRef(ref)
		return c
	}
	sort.SliceStable(plan.Issues, func(i, j int) bool {
		a, b := plan.Issues[i].Pos, plan.Issues[j].Pos
		if a.Sheet != b.Sheet {
			return sheetIdx[a.Sheet] < sheetIdx[b.Sheet]
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return col(a.Cell) < col(b.Cell)
	})
}

func cellText(c grid.Cell) string {
	if c.Kind == grid.Empty {
		return ""
	}
	return c.Text
}

// idText returns a task ID as written; a number that a spreadsheet stored
// with binary noise (2.2000000000000002) is shown as it was typed.
func idText(c grid.Cell) string {
	if c.Kind == grid.Number && len(c.Text) > 12 {
		return strconv.FormatFloat(c.Num, 'g', 12, 64)
	}
	return CollapseSpace(cellText(c))
}

func fmtDate(d model.Date) string {
	return fmt.Sprintf("%02d-%02d-%04d", d.Day, int(d.Month), d.Year)
}

func filledCells(out []int, row []grid.Cell) []int {
	for i, c := range row {
		if !c.IsEmpty() {
			out = append(out, i)
		}
	}
	return out
}

// valueRoles are the columns of a task's fields whose formula, saved
// without its value, leaves the field unknown (the title's is said
// before: no task is read from it).
var valueRoles = [...]Role{RoleID, RoleResponsible, RolePerformer, RoleStart, RoleEnd, RoleStatus, RoleDone, RoleHealth, RoleAfter, RoleNotes}
