package parse

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
)

// date reads date cell c (as shown: merged down, mergedDown) of task idx:
// an exact date, or a loose one ("uge 34", "ultimo oktober") as its first
// day for a start and its last for an end. A date that waits for the rest of the plan — a loose one
// without a year (resolveYears), or one written a/b/yyyy whose order the
// column decides (resolveOrders) — is left pending (pending is true).
func (sp *sheetParser) date(r int, c grid.Cell, role Role, word string, idx int, end bool) (d model.Date, as model.Written, pending bool) {
	if c.IsEmpty() {
		return d, as, false
	}
	pos := sp.pos(r, role)
	lang := sp.p.lang
	bad := func() (model.Date, model.Written, bool) {
		sp.addIssue(pos, CodeBadDate, lang.word(word), strings.TrimSpace(c.Text))
		return model.Date{}, model.Written{}, false
	}
	if c.Kind == grid.Text {
		if nd, ok := numericDate(c.Text); ok {
			return sp.numericDate(nd, c, pos, role, word, idx, end)
		}
	}
	c = sp.serial(c)
	if d, ok := CellDate(c); ok {
		if c.Kind == grid.Text && monthShortYear(c.Text) {
			// "1. jun 89": a two-digit year, checked against the plan's
			// other dates as 15-03-89 is (checkShortYears).
			sp.st.short = append(sp.st.short, shortYear{pos: pos, word: word, nd: numDate{text: c.Text, yDigits: 2}, d: d, task: idx, end: end})
			return d, as, false
		}
		sp.st.written(d)
		return d, as, false
	}
	var l Loose
	switch c.Kind {
	case grid.Number, grid.Date:
		// "1.6" typed into a date column is stored as the number 1.6 (a
		// date cell of 1.6 days when the column is formatted as dates; a
		// CSV reader types it so too): a day and a month.
		var ok bool
		if l, ok = decimalDayMonth(c); !ok {
			return bad()
		}
		if !sp.textFile() {
			sp.addIssue(pos, CodeDateNumber, lang.word(word), l.Text, l.Day, monthName(l.From, lang))
		}
	case grid.Text:
		var err error
		l, err = ParseLoose(c.Text)
		var amb *AmbiguousError
		switch {
		case errors.As(err, &amb):
			sp.addIssue(pos, CodeAmbiguousDate, lang.word(word), amb.Text, amb.hint(lang))
			return model.Date{}, model.Written{}, false
		case err != nil:
			return bad()
		}
	default:
		return bad()
	}
	if l.Year == 0 {
		pd := pendingDate{task: idx, end: end, l: l, pos: pos}
		if c.Kind == grid.Text && l.Day <= 12 && l.Day != l.From && dayMonthSlashRe.MatchString(l.Text) {
			// 3/12 reads 3 December day first, 12 March month first: its
			// column's order decides it (resolveYears).
			pd.col = sp.st.orderCols[colKey{sp.name, sp.tables, sp.colOf[role]}]
		}
		sp.st.pending = append(sp.st.pending, pd)
		return d, as, true
	}
	first, last, _ := l.Span(l.Year)
	if !hasYear4(l.Text, l.Year) {
		// "uge 34 '26", "u34/89": a two-digit year, checked against the
		// plan's other dates as 15-03-89 is (checkShortYears).
		sp.st.short = append(sp.st.short, shortYear{pos: pos, word: word, nd: numDate{text: c.Text, yDigits: 2}, d: first, task: idx, end: end})
	} else {
		sp.st.written(first)
	}
	if end {
		return last, l.Written(), false
	}
	return first, l.Written(), false
}

// hasYear4 reports whether text holds year (1000–9999) in four digits.
func hasYear4(text string, year int) bool {
	d := [4]byte{byte('0' + year/1000%10), byte('0' + year/100%10), byte('0' + year/10%10), byte('0' + year%10)}
	for i := 0; i+4 <= len(text); i++ {
		if text[i] == d[0] && text[i+1] == d[1] && text[i+2] == d[2] && text[i+3] == d[3] {
			return true
		}
	}
	return false
}

// serial returns c with a bare serial number (a date whose format was
// lost) of a workbook of the 1904 date system counted from 1900, as the
// reader counts its date cells: read from 1900 as it is, it was four years
// and a day early. Other cells are returned as they are.
func (sp *sheetParser) serial(c grid.Cell) grid.Cell {
	return Serial1900(c, sp.st.date1904)
}

// Serial1900 returns c with a bare serial number of a workbook of the 1904
// date system (grid.Grid.Date1904) counted from 1900, as the reader counts
// its date cells; other cells, and every cell of another workbook, as they
// are. Read it before CellDate where a sheet's bare numbers may be dates.
func Serial1900(c grid.Cell, date1904 bool) grid.Cell {
	if c.Kind == grid.Number && !c.AsText && date1904 && c.Num >= 10000-date1904Shift {
		c.Num += date1904Shift
	}
	return c
}

// date1904Shift is the days between the 1900 and the 1904 date systems'
// zeros (1899-12-30 and 1904-01-01).
const date1904Shift = 1462

// textFile reports whether the plan was read from a text file (CSV), whose
// cells are the text as written: a number in it was typed, not stored.
func (sp *sheetParser) textFile() bool {
	switch strings.ToLower(filepath.Ext(sp.plan.File)) {
	case ".csv", ".txt", ".tsv":
		return true
	}
	return false
}

// decimalDayMonth reads a number cell in a date column as day.month: 1.6
// is 1 June, 15.10 (as written in text) 15 October. Its text is used, so a
// CSV file's "1.10" keeps its zero; a number whose text carries binary
// noise (1.6000000000000001) is read by its shortest form. The Loose has no
// year.
func decimalDayMonth(c grid.Cell) (Loose, bool) {
	if c.Num <= 0 || c.Num >= 32 {
		return Loose{}, false
	}
	text := strings.TrimSpace(c.Text)
	m := decimalRe.FindStringSubmatch(text)
	if m == nil || len(text) > 5 {
		// Binary noise, or a date cell's text: its shortest form.
		text = strconv.FormatFloat(c.Num, 'f', -1, 64)
		if m = decimalRe.FindStringSubmatch(text); m == nil {
			return Loose{}, false
		}
	}
	day, month := atoi(m[1]), atoi(m[2])
	if month < 1 || month > 12 || day < 1 || day > daysIn(2024, time.Month(month)) {
		return Loose{}, false
	}
	return Loose{Text: text, Precision: model.Exact, From: month, Day: day}, true
}

var decimalRe = regexp.MustCompile(`^(\d{1,2})[.,](\d{1,2})$`)

// dayMonthSlashRe is a day and a month written with a slash: 3/12, as
// ParseLoose reads it (spaces collapsed, no-break ones too; a closing dot).
var dayMonthSlashRe = regexp.MustCompile(`^\d{1,2}\s*/\s*\d{1,2}\.?$`)

// numDate is a date written in three numbers, day first by the Danish
// convention: 01-06-2026, 1.6.2026, 01/06/2026, 01-06-26.
type numDate struct {
	text    string
	a, b, y int  // the numbers as written, left to right
	yDigits int  // 2 or 4
	slash   bool // both separators are "/", as a US date is written
}

// numericDate recognises a date written in three numbers with the year
// last (a weekday in front and a time after are dropped, as ParseDate
// does).
func numericDate(s string) (numDate, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	text := s
	if s == "" {
		return numDate{}, false
	}
	if s[0] < '0' || s[0] > '9' {
		i := strings.IndexByte(s, ' ')
		if i <= 0 || i > 5 || !isWeekday(s[:i]) {
			return numDate{}, false
		}
		s = strings.TrimSpace(s[i+1:])
	}
	if i := strings.IndexAny(s, "T "); i >= 6 && strings.Contains(s[i:], ":") {
		s = strings.TrimSpace(s[:i])
	}
	if i := strings.Index(s, " kl"); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	var n, digits [3]int
	var sep [2]byte
	i := 0
	for p := range 3 {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' && j-i < 5 {
			n[p] = 10*n[p] + int(s[j]-'0')
			j++
		}
		digits[p], i = j-i, j
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if p < 2 {
			if i == len(s) || (s[i] != '-' && s[i] != '.' && s[i] != '/') {
				return numDate{}, false
			}
			sep[p] = s[i]
			i++
		}
	}
	if i != len(s) || digits[0] < 1 || digits[0] > 2 || digits[1] < 1 || digits[1] > 2 || (digits[2] != 2 && digits[2] != 4) {
		return numDate{}, false
	}
	return numDate{text: text, a: n[0], b: n[1], y: n[2], yDigits: digits[2], slash: sep[0] == '/' && sep[1] == '/'}, true
}

// readings returns the date read day first (the Danish convention) and,
// for a date written with slashes, month first; a zero Date where that
// reading is no real date in 1950–2199.
func (nd numDate) readings() (dayFirst, monthFirst model.Date) {
	ok := func(d model.Date, err error) model.Date {
		if err != nil || d.Year < 1950 || d.Year > 2199 {
			return model.Date{}
		}
		return d
	}
	dayFirst = ok(makeDate(nd.y, nd.b, nd.a, nd.yDigits))
	if nd.slash {
		monthFirst = ok(makeDate(nd.y, nd.a, nd.b, nd.yDigits))
	}
	return dayFirst, monthFirst
}

// uncertain reports whether a date with a two-digit year could as well be
// written in another order: all three numbers are 12 or less (01/02/03 is
// 1 February 2003 day first, but 2 January 2003 month first and 3 February
// 2001 year first). It returns a reading other than read to name.
func (nd numDate) uncertain(read model.Date) (other model.Date, ok bool) {
	if nd.yDigits != 2 || nd.a > 12 || nd.b > 12 || nd.y > 12 || nd.a < 1 || nd.b < 1 || nd.y < 1 {
		return other, false
	}
	dayFirst, monthFirst := nd.readings()
	yearFirst, err := makeDate(nd.a, nd.b, nd.y, 2)
	for _, d := range []model.Date{dayFirst, monthFirst, yearFirst} {
		if !d.IsZero() && d != read && (d != yearFirst || err == nil) {
			return d, true
		}
	}
	return other, false
}

// numericDate reads a date written in three numbers. Day first is the
// convention; a date written with slashes that reads two ways (11/05/2026),
// or only month first (11/25/2026), waits for its column's evidence
// (resolveOrders).
func (sp *sheetParser) numericDate(nd numDate, c grid.Cell, pos model.Pos, role Role, word string, idx int, end bool) (model.Date, model.Written, bool) {
	dayFirst, monthFirst := nd.readings()
	switch {
	case dayFirst.IsZero() && monthFirst.IsZero():
		sp.addIssue(pos, CodeBadDate, sp.p.lang.word(word), strings.TrimSpace(c.Text))
		return model.Date{}, model.Written{}, false
	case nd.slash && dayFirst != monthFirst:
		col := sp.orderCol(role)
		od := orderDate{task: idx, end: end, pos: pos, word: word, nd: nd, col: col, dayFirst: dayFirst, monthFirst: monthFirst}
		col.slashes++
		switch {
		case dayFirst.IsZero():
			col.monthOnly++
			if col.monthEx.text == "" {
				col.monthEx = example{nd.text, pos.Cell}
			}
		case monthFirst.IsZero():
			col.dayOnly++
			if col.dayEx.text == "" {
				col.dayEx = example{nd.text, pos.Cell}
			}
			if col.english == "" {
				// Only day first, in a plan whose headers do not say
				// month first: read now, as every day-first date.
				sp.readNumeric(nd, dayFirst, pos, word, idx, end)
				return dayFirst, model.Written{}, false
			}
			// In an English-language tool's export it waits: one such
			// date among many that read either way is a likely typo.
		}
		sp.st.orders = append(sp.st.orders, od)
		return model.Date{}, model.Written{}, true
	}
	if dayFirst.IsZero() {
		sp.addIssue(pos, CodeBadDate, sp.p.lang.word(word), strings.TrimSpace(c.Text))
		return model.Date{}, model.Written{}, false
	}
	sp.readNumeric(nd, dayFirst, pos, word, idx, end)
	return dayFirst, model.Written{}, false
}

// readNumeric counts a three-number date read as d among the plan's dates
// with a year. A two-digit year whose numbers are all 12 or less (01/02/03)
// is said on the cell at once; any other two-digit year waits for the plan's
// other dates (checkShortYears).
func (sp *sheetParser) readNumeric(nd numDate, d model.Date, pos model.Pos, word string, task int, end bool) {
	sp.plan.Issues = sp.p.readNumeric(sp.plan.Issues, sp.st, nd, d, pos, word, task, end)
}

func (p *Parser) readNumeric(issues []model.Issue, st *planState, nd numDate, d model.Date, pos model.Pos, word string, task int, end bool) []model.Issue {
	if nd.yDigits != 2 {
		st.written(d)
		return issues
	}
	if other, ok := nd.uncertain(d); ok {
		st.written(d)
		lang := p.lang
		return append(issues, lang.issue(pos, CodeDateUncertain, lang.word(word), strings.TrimSpace(nd.text), longDate(d, lang), longDate(other, lang), fmtDate(d)))
	}
	st.short = append(st.short, shortYear{pos: pos, word: word, nd: nd, d: d, task: task, end: end})
	return issues
}

// shortYear is a date written with a two-digit year, read as d: task's
// end date, or its start.
type shortYear struct {
	pos  model.Pos
	word string
	nd   numDate
	d    model.Date
	task int
	end  bool
}

// farYears is how far from the plan's other dates a date with a two-digit
// year may land before it is taken for a misread: "15-03-89" in a plan of
// 2026 is 1989, 37 years off (a task "overdue since 1989").
const farYears = 10

// checkShortYears says on the cell when a date with a two-digit year, read
// day first, lies more than a year (and at most farYears) away from the
// plan's dates with a four-digit year while the same numbers read year
// first lie among them ("26/06/20" in a plan of 2026: 26 June 2020, or 20
// June 2026?). A date with a two-digit year that lands more than farYears
// from the plan's other dates (those with a four-digit year, or when there
// are none the other two-digit ones around their middle year) is a
// far_year error and not read, whichever other reading fits ("26/06/01":
// 2001). Then it counts the others among the plan's dates.
func (p *Parser) checkShortYears(plan *model.Plan, st *planState) {
	if len(st.short) == 0 {
		return
	}
	lo, hi := st.lo, st.hi
	if lo.IsZero() {
		lo, hi = shortSpan(st.short)
	}
	far := make([]bool, len(st.short))
	if !lo.IsZero() {
		nearLo, nearHi := lo.AddDays(-366), hi.AddDays(366)
		near := func(d model.Date) bool { return !d.Before(nearLo) && !d.After(nearHi) }
		for i, s := range st.short {
			if near(s.d) {
				continue
			}
			off := s.d.Year - hi.Year
			if s.d.Before(lo) {
				off = lo.Year - s.d.Year
			}
			// Read day first it is near enough to be meant, and read year
			// first it lies among the plan's dates: said, as read. Further
			// off, it is as far as any (26/06/01 in a plan of 2026: 2001).
			yearFirst, err := makeDate(s.nd.a, s.nd.b, s.nd.y, 2)
			if err == nil && yearFirst != s.d && near(yearFirst) && !st.lo.IsZero() && off <= farYears {
				plan.Issues = append(plan.Issues, p.lang.issue(s.pos, CodeDateUncertain, p.lang.word(s.word), strings.TrimSpace(s.nd.text),
					longDate(s.d, p.lang), longDate(yearFirst, p.lang), fmtDate(s.d)))
				continue
			}
			if off > farYears {
				far[i] = true
				plan.Issues = append(plan.Issues, p.lang.issue(s.pos, CodeFarYear, p.lang.word(s.word), strings.TrimSpace(s.nd.text),
					longDate(s.d, p.lang), off, fmtDate(lo), fmtDate(hi)))
				if t := &plan.Tasks[s.task]; s.end {
					t.End, t.EndAs = model.Date{}, model.Written{}
				} else {
					t.Start, t.StartAs = model.Date{}, model.Written{}
				}
			}
		}
	}
	for i, s := range st.short {
		if !far[i] {
			st.written(s.d)
		}
	}
}

// shortSpan is the span of the dates with a two-digit year within farYears
// of their middle year, for a plan with no date written with four: zero
// with fewer than two such dates (one date alone has nothing to be far
// from).
func shortSpan(short []shortYear) (lo, hi model.Date) {
	if len(short) < 2 {
		return lo, hi
	}
	years := make([]int, len(short))
	for i, s := range short {
		years[i] = s.d.Year
	}
	sort.Ints(years)
	mid := years[len(years)/2]
	for _, s := range short {
		if s.d.Year < mid-farYears || s.d.Year > mid+farYears {
			continue
		}
		if lo.IsZero() || s.d.Before(lo) {
			lo = s.d
		}
		if s.d.After(hi) {
			hi = s.d
		}
	}
	return lo, hi
}

// longDate writes a date for people: "1. februar 2003", "1 February 2003".
func longDate(d model.Date, lang Lang) string {
	if lang == English {
		return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
	}
	return fmt.Sprintf("%d. %s %d", d.Day, danishMonths[d.Month], d.Year)
}

// monthName names month m (1–12) in lang.
func monthName(m int, lang Lang) string {
	if lang == English {
		return time.Month(m).String()
	}
	return danishMonths[m]
}

// example is a date as written and its cell, named in messages.
type example struct{ text, cell string }

// colOrder is what one date column of one table says about the order of
// its slash dates.
type colOrder struct {
	head              model.Pos // the column's header cell
	name              string    // the header's text
	english           string    // an English export's column name in the header row, if any
	dayOnly           int       // dates that can only be day first (25/11/2026)
	monthOnly         int       // dates that can only be month first (11/25/2026)
	slashes           int       // slash dates whose two readings differ
	weak              bool      // month-first evidence too thin to turn the column (a typo?)
	weakDay           bool      // day-first evidence too thin to turn an English export's column
	dayEx, monthEx    example
	month, mixed, set bool // decided: month first; both kinds
	listed            bool // in planState.orderList
}

type colKey struct {
	sheet      string
	table, col int
}

// orderDate is a slash date whose order its column decides.
type orderDate struct {
	task                 int
	end                  bool
	pos                  model.Pos
	word                 string
	nd                   numDate
	col                  *colOrder
	dayFirst, monthFirst model.Date // zero where that reading is no date
}

// englishHeads are column names that only exports of English-language
// tools write (Microsoft Planner, SharePoint lists, MS Project); with slash
// dates they suggest US month-first dates. Plain "Start date" or "Due
// date" are not among them: Danish plans use those too.
var englishHeads = map[string]bool{
	"task name": true, "bucket name": true, "assigned to": true, "created by": true, "created date": true,
	"completed date": true, "completed by": true, "% complete": true, "percent complete": true,
	"resource names": true, "is recurring": true, "checklist items": true, "completed checklist items": true,
	"task mode": true, "modified by": true, "item type": true,
}

// tableDates notes, when a table starts at header row r, what its header
// says about its date columns: their names, and whether the header is an
// English-language tool's export. Only rows r-1 and r are read, while they
// are at hand.
func (sp *sheetParser) tableDates(r int) {
	english := ""
	for row := max(r-1, 1); row <= r && english == ""; row++ {
		for _, c := range sp.w.row(row) {
			if c.Kind == grid.Text && englishHeads[strings.ToLower(CollapseSpace(c.Text))] {
				english = CollapseSpace(c.Text)
				break
			}
		}
	}
	for _, role := range []Role{RoleStart, RoleEnd} {
		col := sp.colOf[role]
		if col == 0 {
			continue
		}
		head := r
		name := CollapseSpace(cellText(sp.w.cell(r, col)))
		if name == "" && r > 1 { // a two-row header names it in the row above
			head, name = r-1, CollapseSpace(cellText(sp.w.cell(r-1, col)))
		}
		k := colKey{sp.name, sp.tables, col}
		if sp.st.orderCols == nil {
			sp.st.orderCols = map[colKey]*colOrder{}
		}
		if _, ok := sp.st.orderCols[k]; !ok {
			sp.st.orderCols[k] = &colOrder{head: model.Pos{Sheet: sp.name, Row: head, Cell: grid.Ref(head, col)}, name: name, english: english}
		}
	}
}

// orderCol returns the order evidence of role's column in the current
// table, counted among the file's once it has some.
func (sp *sheetParser) orderCol(role Role) *colOrder {
	k := colKey{sp.name, sp.tables, sp.colOf[role]}
	col, ok := sp.st.orderCols[k]
	if !ok { // every table starts with tableDates; this is a safeguard
		if sp.st.orderCols == nil {
			sp.st.orderCols = map[colKey]*colOrder{}
		}
		col = &colOrder{head: model.Pos{Sheet: sp.name}}
		sp.st.orderCols[k] = col
	}
	if !col.listed {
		col.listed = true
		sp.st.orderList = append(sp.st.orderList, col)
	}
	return col
}

// resolveOrders reads the slash dates that wait for their column's
// evidence, before the years of dates without one are resolved:
//   - a column with dates that can only be month first (11/25/2026) and
//     none that can only be day first is read month first, said once on its
//     header cell;
//   - a column with both kinds reads each of those its only way and refuses
//     its ambiguous dates (11/05/2026), each with an error;
//   - a column with only day-first evidence is read day first;
//   - a column with no evidence follows the file's other date columns
//     (said on its header when that makes it month first), and when none
//     tells, day first — month first, said on its header, when the file is
//     an export of an English-language tool ("Task Name", "Bucket Name").
func (p *Parser) resolveOrders(plan *model.Plan, st *planState) {
	if len(st.orders) == 0 {
		return
	}
	lang := p.lang
	var fileDay, fileMonth int
	var fileDayEx, fileMonthEx example
	for _, col := range st.orderList {
		// One or two dates that can only be month first among many that
		// can be either are more likely typos (09/13/2026 for 09/12/2026)
		// than a US export: outside an English-language tool's export,
		// month first takes such dates in more than a quarter of the
		// column's slash dates (a real US export has a day over 12 in most
		// of its dates). Thinner evidence turns nothing; those dates are
		// refused.
		if col.english == "" && col.monthOnly > 0 && col.dayOnly == 0 && col.monthOnly*4 <= col.slashes {
			col.weak = true
			continue
		}
		// The same the other way round: in an English-language tool's
		// export, whose slash dates are month first, one or two dates that
		// can only be day first (25/03/2026 among 03/04/2026, ...) are
		// refused as likely typos and the column stays month first.
		if col.english != "" && col.dayOnly > 0 && col.monthOnly == 0 && col.dayOnly*4 <= col.slashes {
			col.weakDay = true
			continue
		}
		fileDay += col.dayOnly
		fileMonth += col.monthOnly
		if fileDayEx.text == "" {
			fileDayEx = col.dayEx
		}
		if fileMonthEx.text == "" {
			fileMonthEx = col.monthEx
		}
	}
	decide := func(col *colOrder) {
		col.set = true
		why := ""
		switch {
		case col.weak:
			return
		case col.weakDay:
			col.month, why = true, fmt.Sprintf(lang.word("why_english_typo"), col.english, col.dayEx.text, col.dayEx.cell)
		case col.monthOnly > 0 && col.dayOnly > 0:
			col.mixed = true
			plan.Issues = append(plan.Issues, lang.issue(col.head, CodeDateOrder, fmt.Sprintf(lang.word("order_mixed_col"),
				colLetters(col.head.Cell), col.name, col.dayEx.text, col.dayEx.cell, col.monthEx.text, col.monthEx.cell)))
			return
		case col.monthOnly > 0:
			col.month, why = true, fmt.Sprintf(lang.word("why_col"), col.monthEx.text, col.monthEx.cell)
		case col.dayOnly > 0:
			if col.english != "" {
				// Day first against what the export's headers suggest:
				// said on the header, as month first is in a Danish plan.
				plan.Issues = append(plan.Issues, lang.issue(col.head, CodeDateOrder, fmt.Sprintf(lang.word("order_day_col"),
					colLetters(col.head.Cell), col.name, fmt.Sprintf(lang.word("why_col"), col.dayEx.text, col.dayEx.cell), col.english)))
			}
			return
		case fileMonth > 0 && fileDay > 0:
			col.mixed = true
			return // each ambiguous date says why
		case fileMonth > 0:
			col.month, why = true, fmt.Sprintf(lang.word("why_file"), fileMonthEx.text, fileMonthEx.cell)
		case fileDay > 0:
			if col.english != "" {
				plan.Issues = append(plan.Issues, lang.issue(col.head, CodeDateOrder, fmt.Sprintf(lang.word("order_day_col"),
					colLetters(col.head.Cell), col.name, fmt.Sprintf(lang.word("why_file"), fileDayEx.text, fileDayEx.cell), col.english)))
			}
			return
		case col.english != "":
			col.month, why = true, fmt.Sprintf(lang.word("why_english"), col.english)
		default:
			return
		}
		plan.Issues = append(plan.Issues, lang.issue(col.head, CodeDateOrder, fmt.Sprintf(lang.word("order_month_col"), colLetters(col.head.Cell), col.name, why)))
	}
	for _, od := range st.orders {
		col := od.col
		if !col.set {
			decide(col)
		}
		var d model.Date
		switch {
		case od.dayFirst.IsZero() && col.weak:
			plan.Issues = append(plan.Issues, lang.issue(od.pos, CodeAmbiguousDate, lang.word(od.word), strings.TrimSpace(od.nd.text),
				fmt.Sprintf(lang.word("month_typo"), longDate(od.monthFirst, lang), fmtDate(od.monthFirst))))
			continue
		case od.monthFirst.IsZero() && col.weakDay:
			plan.Issues = append(plan.Issues, lang.issue(od.pos, CodeAmbiguousDate, lang.word(od.word), strings.TrimSpace(od.nd.text),
				fmt.Sprintf(lang.word("day_typo"), longDate(od.dayFirst, lang), col.english, fmtDate(od.dayFirst))))
			continue
		case od.monthFirst.IsZero():
			d = od.dayFirst // the only reading
		case od.dayFirst.IsZero():
			d = od.monthFirst // the only reading
		case col.mixed:
			var why string
			if col.monthOnly > 0 && col.dayOnly > 0 {
				why = fmt.Sprintf(lang.word("order_mixed"), col.dayEx.text, col.dayEx.cell, col.monthEx.text, col.monthEx.cell)
			} else {
				why = fmt.Sprintf(lang.word("order_file_mixed"), fileDayEx.text, fileDayEx.cell, fileMonthEx.text, fileMonthEx.cell)
			}
			plan.Issues = append(plan.Issues, lang.issue(od.pos, CodeAmbiguousDate, lang.word(od.word), strings.TrimSpace(od.nd.text),
				fmt.Sprintf(lang.word("amb_order"), longDate(od.dayFirst, lang), longDate(od.monthFirst, lang), why, fmtDate(od.dayFirst), fmtDate(od.monthFirst))))
			continue
		case col.month:
			d = od.monthFirst
		default:
			d = od.dayFirst
		}
		t := &plan.Tasks[od.task]
		if od.end {
			t.End = d
		} else {
			t.Start = d
		}
		plan.Issues = p.readNumeric(plan.Issues, st, od.nd, d, od.pos, od.word, od.task, od.end)
	}
}

// colLetters returns the column letters of an A1 reference ("E" of "E3").
func colLetters(ref string) string {
	return strings.TrimRight(ref, "0123456789")
}
