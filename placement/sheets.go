package placement

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/xuri/excelize/v2"
)

// Column names recognised in criteria and proposal sheets (compared on
// letters and digits, lower case).
var colNames = map[string][]string{
	"municipality": {"kommune", "municipality", "kommunenavn"},
	"size":         {"størrelse", "size", "borgere", "indbyggere", "sager", "cases", "citizens"},
	"preferred":    {"ønsketbølge", "preferredwave", "ønske", "preference"},
	"earliest":     {"tidligstebølge", "tidligst", "earliestwave", "earliest"},
	"latest":       {"senestebølge", "senest", "latestwave", "latest"},
	"contract":     {"kontraktudløb", "kontraktudløber", "kontraktensudløb", "contractend", "contractends"},
	"remarks":      {"bemærkninger", "bemærkning", "remarks", "kommentar"},
	"proposed":     {"foreslåetbølge", "proposedwave"},
	"answer":       {"svar", "answer", "response"},
	"requested":    {"ønsketbølgesvar", "requestedwave", "ønsketbølgeisvar"},
}

func colKey(s string) string { return parse.Compact(s) }

// header finds the first row naming a municipality column and at least one
// other known or wanted column; it returns the 1-based columns by role and
// by header text.
func header(sh *grid.Sheet, extra []string) (row int, roles map[string]int, byName map[string]int) {
	for r, cells := range sh.Rows {
		roles, byName = map[string]int{}, map[string]int{}
		for c, cell := range cells {
			k := colKey(cell.Text)
			if k == "" {
				continue
			}
			byName[k] = c + 1
			for role, names := range colNames {
				for _, n := range names {
					if k == n && roles[role] == 0 {
						roles[role] = c + 1
					}
				}
			}
		}
		if roles["municipality"] != 0 && len(byName) >= 2 {
			return r + 1, roles, byName
		}
	}
	return 0, nil, nil
}

var thousands = regexp.MustCompile(`^\d{1,3}(\.\d{3})+$`)

// negation marks an answer that says no ("Accepterer ikke", "not
// accepted", "nej").
var negation = regexp.MustCompile(`\b(ikke|not|nej|no)\b`)

// danishNumber is a number with thousands points and a decimal comma
// (12.345,67); plainNumber one without thousands separators (9000, 2,5,
// 2.5).
var (
	danishNumber = regexp.MustCompile(`^-?\d{1,3}(\.\d{3})+(,\d+)?$`)
	plainNumber  = regexp.MustCompile(`^-?\d+([.,]\d+)?$`)
)

// waveIndex reads a wave name ("2", "Bølge 2") as an index+1 into waves.
func waveIndex(s string, waves []Wave) int {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "bølge"), "wave"))
	for i, w := range waves {
		if strings.EqualFold(w.Name, s) {
			return i + 1
		}
	}
	return 0
}

// ReadCriteria reads a criteria sheet: per municipality its size, preferred
// wave, earliest and latest wave, contract end, remarks and the criteria's
// columns. Unknown municipalities and missing or unreadable values are
// issues with their cells; those rows are still read where they can be.
// Its messages are in English when english is set, else in Danish.
func ReadCriteria(path string, waves []Wave, criteria []Criterion, sizeColumn string, english bool) ([]Municipality, []model.Issue, error) {
	g, err := grid.ReadFile(path, grid.Options{Lang: lang(english)})
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", tr(english, "kriteriearket", "criteria"), path, grid.Localize(err, lang(english)))
	}
	var out []Municipality
	var issues []model.Issue
	problem := func(sh string, r, c int, code, msg string) {
		issues = append(issues, model.Issue{Pos: model.Pos{Sheet: sh, Row: r, Cell: grid.Ref(r, max(c, 1))}, Severity: model.SevError, Code: code, Message: msg})
	}
	for si := range g.Sheets {
		sh := &g.Sheets[si]
		if sh.Hidden {
			continue
		}
		hr, roles, byName := header(sh, nil)
		if hr == 0 {
			continue
		}
		if sizeColumn != "" {
			roles["size"] = byName[colKey(sizeColumn)]
		}
		seen := map[string]int{}
		for r := hr + 1; r <= len(sh.Rows); r++ {
			text := func(col int) string {
				if col == 0 {
					return ""
				}
				return parse.CollapseSpace(sh.Cell(r, col).Text)
			}
			num := func(col int, what string) (float64, bool) {
				c := sh.Cell(r, col)
				if col == 0 || c.IsEmpty() {
					return 0, false
				}
				if c.Kind == grid.Number && !c.AsText {
					// A workbook's number: its text is the number in
					// digits (1.234 is "1.234", never a thousands point).
					return c.Num, true
				}
				if thousands.MatchString(strings.TrimSpace(c.Text)) { // Danish 350.000, as a CSV file or a text cell says it
					v, _ := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(c.Text), ".", ""), 64)
					return v, true
				}
				if c.Kind == grid.Number {
					return c.Num, true
				}
				// 12.345,67 (Danish), 2,5 or 2.5; anything else ("1.6.2027",
				// a date in the wrong column) is no number, not 162027.
				t := strings.TrimSpace(c.Text)
				v, err := 0.0, error(strconv.ErrSyntax)
				switch {
				case danishNumber.MatchString(t):
					v, err = strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(t, ".", ""), ",", "."), 64)
				case plainNumber.MatchString(t):
					v, err = strconv.ParseFloat(strings.ReplaceAll(t, ",", "."), 64)
				}
				if err != nil {
					problem(sh.Name, r, col, "bad_number", tr(english, "%s: %q er ikke et tal", "%s %q is not a number", what, c.Text))
					return 0, false
				}
				return v, true
			}
			name := strings.TrimSuffix(text(roles["municipality"]), " Kommune")
			if name == "" {
				continue
			}
			m := Municipality{Name: name, Values: map[string]float64{}, Remarks: text(roles["remarks"])}
			if canon, ok := knownMunicipality(name); ok {
				m.Name = canon
			} else {
				problem(sh.Name, r, roles["municipality"], "unknown_municipality", tr(english, "%q er ikke en af de 98 kommuner; rækken er udeladt", "%q is not one of the 98 municipalities; the row is left out", name))
				continue
			}
			if prev, dup := seen[m.Name]; dup {
				problem(sh.Name, r, roles["municipality"], "duplicate_municipality", tr(english, "%s står også i række %d; denne række er udeladt", "%s is also on row %d; this row is left out", m.Name, prev))
				continue
			}
			seen[m.Name] = r
			if v, ok := num(roles["size"], tr(english, "størrelsen", "size")); ok {
				m.Size = v
			} else if roles["size"] != 0 && sh.Cell(r, roles["size"]).IsEmpty() {
				problem(sh.Name, r, roles["size"], "missing_value", tr(english, "størrelsen mangler", "no size"))
			}
			for _, f := range []struct {
				role string
				dst  *int
			}{{"preferred", &m.Preferred}, {"earliest", &m.Earliest}, {"latest", &m.Latest}} {
				if s := text(roles[f.role]); s != "" {
					if *f.dst = waveIndex(s, waves); *f.dst == 0 {
						problem(sh.Name, r, roles[f.role], "unknown_wave", tr(english, "bølge %q er ikke en af bølgerne (%s)", "wave %q is not one of the waves (%s)", s, waveNames(waves)))
					}
				}
			}
			if c := sh.Cell(r, roles["contract"]); roles["contract"] != 0 && !c.IsEmpty() {
				if d, ok := parse.CellDate(parse.Serial1900(c, g.Date1904)); ok {
					m.ContractEnd = d
				} else {
					problem(sh.Name, r, roles["contract"], "bad_date", tr(english, "kontraktudløbet %q er ikke en dato", "contract end %q is not a date", c.Text))
				}
			}
			for _, cr := range criteria {
				col := byName[colKey(cr.Name)]
				if col == 0 {
					continue
				}
				if v, ok := num(col, cr.Name); ok {
					m.Values[cr.Name] = v
				} else if sh.Cell(r, col).IsEmpty() {
					problem(sh.Name, r, col, "missing_value", tr(english, "%s mangler", "no %s", cr.Name))
				}
			}
			out = append(out, m)
		}
		for _, cr := range criteria {
			if byName[colKey(cr.Name)] == 0 {
				problem(sh.Name, hr, 1, "missing_column", tr(english, "kriteriearket har ingen kolonne %q", "the criteria sheet has no column %q", cr.Name))
			}
		}
		break
	}
	if out == nil {
		return nil, issues, errors.New(tr(english, "kriteriearket %s: der er ingen tabel med en kolonne Kommune", "criteria %s: no table with a Kommune column found", path))
	}
	return out, issues, nil
}

// Response is a municipality's answer in the hearing.
type Response struct {
	Municipality string
	Proposed     int // index+1
	Accept       bool
	Requested    int // index+1 of the wave asked for, when not accepting
	Remark       string
	Row          int
}

// knownMunicipality is one of the 98 municipalities' names as written in
// any case, in its own spelling.
func knownMunicipality(name string) (string, bool) {
	for _, m := range parse.Municipalities {
		if strings.EqualFold(m, name) {
			return m, true
		}
	}
	return "", false
}

// ReadResponses reads a proposal workbook with the municipalities'
// answers; its messages are in English when english is set, else Danish.
//
// A row is read only when its answer is plain: Accepterer (or Ja, OK,
// Enig; an empty answer: the proposal stands), or Ønsker anden bølge with
// one of the waves. A negative answer ("Accepterer ikke", "Nej") with a wave asks for
// that wave. Any other row — a no or a request without a wave (or with a
// wave that is none of them), an answer that is neither, an acceptance
// that also names another wave, a municipality answering twice with
// different answers — is refused in words (*ResponsesError): the whole
// workbook, since a re-plan from part of the answers is not the one asked
// for.
func ReadResponses(path string, waves []Wave, english bool) ([]Response, []model.Issue, error) {
	g, err := grid.ReadFile(path, grid.Options{Lang: lang(english)})
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", tr(english, "høringssvarene", "responses"), path, grid.Localize(err, lang(english)))
	}
	var out []Response
	var issues []model.Issue
	for si := range g.Sheets {
		sh := &g.Sheets[si]
		hr, roles, _ := header(sh, nil)
		if hr == 0 || roles["proposed"] == 0 {
			continue
		}
		var refused []string
		refuse := func(r, col int, msg string) {
			refused = append(refused, fmt.Sprintf("%s!%s: %s", sh.Name, grid.Ref(r, max(col, 1)), msg))
		}
		colName := func(role, da, en string) string {
			if c := roles[role]; c != 0 {
				if t := parse.CollapseSpace(sh.Cell(hr, c).Text); t != "" {
					return t
				}
			}
			return tr(english, da, en)
		}
		answerCol, reqCol := colName("answer", "Svar", "Svar"), colName("requested", "Ønsket bølge (svar)", "Ønsket bølge (svar)")
		type seenRow struct {
			row  int
			resp Response
		}
		seen := map[string]seenRow{}
		for r := hr + 1; r <= len(sh.Rows); r++ {
			name := parse.CollapseSpace(sh.Cell(r, roles["municipality"]).Text)
			if name == "" {
				continue
			}
			// Named as the criteria name it ("Sorø Kommune", "sorø
			// kommune": Sorø).
			base := name
			if n := len(base) - len(" kommune"); n > 0 && strings.EqualFold(base[n:], " kommune") {
				base = base[:n]
			}
			if canon, ok := knownMunicipality(base); ok {
				name = canon
			}
			resp := Response{Municipality: name, Proposed: waveIndex(sh.Cell(r, roles["proposed"]).Text, waves), Row: r, Accept: true}
			if roles["remarks"] != 0 {
				resp.Remark = parse.CollapseSpace(sh.Cell(r, roles["remarks"]).Text)
			}
			written := parse.CollapseSpace(sh.Cell(r, roles["answer"]).Text)
			answer := strings.ToLower(written)
			req := ""
			if roles["requested"] != 0 {
				req = strings.TrimSpace(sh.Cell(r, roles["requested"]).Text)
			}
			ansRef, reqRef := grid.Ref(r, max(roles["answer"], 1)), grid.Ref(r, max(roles["requested"], 1))
			whereReq := tr(english, fmt.Sprintf("i %s (%s)", reqCol, reqRef), fmt.Sprintf("in %s (%s)", reqCol, reqRef))
			if roles["requested"] == 0 {
				whereReq = tr(english, fmt.Sprintf("i en kolonne %s (den mangler)", reqCol), fmt.Sprintf("in a column %s (it is missing)", reqCol))
			}
			// "Accepterer ikke" starts like an acceptance and is none;
			// "Ønsker ikke anden bølge" names another wave and is none.
			negated := negation.MatchString(answer)
			asks := strings.Contains(answer, "anden") || strings.Contains(answer, "another") || strings.Contains(answer, "ønsker")
			ok := true
			switch {
			case answer == "" && req == "":
				// No answer: the proposal stands.
			case answer == "":
				refuse(r, roles["answer"], tr(english,
					fmt.Sprintf("%s (række %d) beder om bølge %q %s, men har intet svar: skriv Ønsker anden bølge i %s, eller tøm %s", name, r, req, whereReq, ansRef, reqRef),
					fmt.Sprintf("%s (row %d) asks for wave %q %s but gives no answer: write Ønsker anden bølge in %s, or empty %s", name, r, req, whereReq, ansRef, reqRef)))
				ok = false
			case (strings.HasPrefix(answer, "accept") || plainYes[strings.Trim(answer, ".! ")]) && !negated && !asks: // "Accepterer, men ønsker anden bølge" asks
				if req != "" && waveIndex(req, waves) != resp.Proposed {
					refuse(r, roles["requested"], tr(english,
						fmt.Sprintf("%s (række %d) svarer %q, men beder også om bølge %q %s: skriv Ønsker anden bølge i %s, hvis kommunen vil have den bølge, ellers tøm %s", name, r, written, req, whereReq, ansRef, reqRef),
						fmt.Sprintf("%s (row %d) answers %q but also asks for wave %q %s: write Ønsker anden bølge in %s if the municipality wants that wave, else empty %s", name, r, written, req, whereReq, ansRef, reqRef)))
					ok = false
				}
			case negated && asks && negatedRequest.MatchString(answer):
				refuse(r, roles["answer"], tr(english,
					fmt.Sprintf("%s (række %d) svarer %q, som både kan læses som ja og nej: skriv Accepterer eller Ønsker anden bølge i %s", name, r, written, ansRef),
					fmt.Sprintf("%s (row %d) answers %q, which reads both as yes and as no: write Accepterer or Ønsker anden bølge in %s", name, r, written, ansRef)))
				ok = false
			case asks || negated:
				resp.Accept = false
				switch resp.Requested = waveIndex(req, waves); {
				case resp.Requested != 0:
				case req == "":
					refuse(r, roles["requested"], tr(english,
						fmt.Sprintf("%s (række %d) svarer %q, men angiver ingen bølge: skriv den bølge, kommunen ønsker (%s), %s, eller skriv Accepterer i %s", name, r, written, oneOf(waves, " eller "), whereReq, ansRef),
						fmt.Sprintf("%s (row %d) answers %q but names no wave: write the wave the municipality asks for (%s) %s, or write Accepterer in %s", name, r, written, oneOf(waves, " or "), whereReq, ansRef)))
					ok = false
				default:
					refuse(r, roles["requested"], tr(english,
						fmt.Sprintf("%s (række %d) beder om bølge %q, som ikke er en af bølgerne (%s): ret den %s", name, r, req, waveNames(waves), whereReq),
						fmt.Sprintf("%s (row %d) asks for wave %q, which is none of the waves (%s): correct it %s", name, r, req, waveNames(waves), whereReq)))
					ok = false
				}
			default:
				refuse(r, roles["answer"], tr(english,
					fmt.Sprintf("%s (række %d) svarer %q, som hverken er Accepterer eller Ønsker anden bølge: skriv et af dem i %s (%s)", name, r, written, answerCol, ansRef),
					fmt.Sprintf("%s (row %d) answers %q, which is neither Accepterer nor Ønsker anden bølge: write one of them in %s (%s)", name, r, written, answerCol, ansRef)))
				ok = false
			}
			key := strings.ToLower(name)
			if prev, dup := seen[key]; dup {
				// The same answer twice is one answer; two answers cannot
				// both be applied, and which is meant cannot be told.
				if ok && (prev.resp.Proposed != resp.Proposed || prev.resp.Accept != resp.Accept || prev.resp.Requested != resp.Requested) {
					refuse(r, roles["municipality"], tr(english,
						fmt.Sprintf("%s står både i række %d og række %d med hver sit svar: slet den ene række", name, prev.row, r),
						fmt.Sprintf("%s is on both row %d and row %d, with different answers: delete one of the rows", name, prev.row, r)))
				}
				continue
			}
			if ok {
				seen[key] = seenRow{r, resp}
				out = append(out, resp)
			}
		}
		if len(refused) > 0 {
			return nil, issues, &ResponsesError{Path: path, Rows: refused, english: english}
		}
		return out, issues, nil
	}
	return nil, issues, errors.New(tr(english, "høringssvarene %s: der er intet ark med kolonnerne Kommune og Foreslået bølge", "responses %s: no sheet with Kommune and Foreslået bølge columns", path))
}

// oneOf lists the waves' names as a choice: "1, 2 eller 3".
func oneOf(waves []Wave, or string) string {
	names := make([]string, len(waves))
	for i, w := range waves {
		names[i] = w.Name
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + or + names[len(names)-1]
}

// plainYes are answers that accept as plainly as Accepterer does.
var plainYes = map[string]bool{"ja": true, "ok": true, "okay": true, "enig": true, "godkendt": true, "yes": true, "agreed": true}

// negatedRequest is an answer that denies a request for another wave
// ("Ønsker ikke anden bølge"): no request, and no plain acceptance either.
var negatedRequest = regexp.MustCompile(`\b(ikke|not|no)\s+(ønsker|anden|another|want)`)

// ResponsesError is a hearing workbook with answers that cannot be read
// safely: each row's problem, with its cell and what to write.
type ResponsesError struct {
	Path    string
	Rows    []string
	english bool
}

func (e *ResponsesError) Error() string {
	return tr(e.english, "høringssvarene %s kan ikke læses sikkert, og intet er ændret; ret disse rækker, og kør igen:\n  %s",
		"the answers in %s cannot be read safely, and nothing was changed; correct these rows and run again:\n  %s", e.Path, strings.Join(e.Rows, "\n  "))
}

// Calendar is the yearly placement process, with dates for a year.
func Calendar(year int) [][3]string {
	d := func(m time.Month, day int) string { return model.NewDate(year, m, day).String() }
	return [][3]string{
		{"Juni", "Fastsættelse af kriterier", d(6, 1) + " – " + d(6, 30)},
		{"August", "Indsamling af data", d(8, 1) + " – " + d(8, 31)},
		{"September", "Eventuel dialog med kommuner", d(9, 1) + " – " + d(9, 30)},
		{"Oktober", "Udmelding om bølger", d(10, 1) + " – " + d(10, 15)},
		{"Oktober til december", "Høringsperiode i forhold til kommuner", d(10, 15) + " – " + d(12, 1)},
		{"December", "Endelig fastsættelse", d(12, 1) + " – " + d(12, 15)},
	}
}

// WriteProposal writes the proposal workbook: each municipality with its
// wave, the reasons and how its preference was met, columns for the
// hearing's answers, a sheet per wave with its load against capacity, and
// the process calendar.
func WriteProposal(out io.Writer, p *Problem, r *Result, solution string, year int) error {
	f := excelize.NewFile()
	defer f.Close()
	var ferr error
	must := func(err error) {
		if err != nil && ferr == nil {
			ferr = err
		}
	}
	must(provenance.Mark(f, provenance.Proposal)) // never read as a plan
	style := func(s *excelize.Style) int { id, err := f.NewStyle(s); must(err); return id }
	hdr := style(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	title := style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: "1F4E78"}})
	wrap := style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	answer := style(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}, Alignment: &excelize.Alignment{Vertical: "top"}})
	green := style(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C6EFCE"}}, Font: &excelize.Font{Color: "006100"}, Alignment: &excelize.Alignment{Vertical: "top"}})
	amber := style(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFEB9C"}}, Font: &excelize.Font{Color: "9C5700"}, Alignment: &excelize.Alignment{Vertical: "top"}})

	sheet := "Forslag"
	must(f.SetSheetName("Sheet1", sheet))
	must(f.SetCellValue(sheet, "A1", fmt.Sprintf("Forslag til bølgeplan for %s (%d)", solution, year)))
	must(f.SetCellStyle(sheet, "A1", "A1", title))
	cols := []string{"Kommune", "Størrelse", "Ønsket bølge", "Foreslået bølge", "Idriftsættelse", "Ønske opfyldt", "Begrundelse", "Svar", "Ønsket bølge (svar)", "Bemærkning"}
	widths := []float64{18, 12, 10, 10, 14, 14, 70, 22, 12, 30}
	for i, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 3)
		must(f.SetCellStr(sheet, cell, c))
		col, _ := excelize.ColumnNumberToName(i + 1)
		must(f.SetColWidth(sheet, col, col, widths[i]))
	}
	must(f.SetCellStyle(sheet, "A3", "J3", hdr))
	must(f.SetRowHeight(sheet, 3, 30))
	dateFmt := "dd-mm-yyyy"
	dateStyle := style(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top"}})
	for i, pl := range r.Placements {
		m := p.Municipalities[i]
		row := 4 + i
		pref := ""
		if m.Preferred > 0 {
			pref = p.Waves[m.Preferred-1].Name
		}
		vals := []any{m.Name, m.Size, pref, p.Waves[pl.Wave].Name}
		for c, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(c+1, row)
			must(f.SetCellValue(sheet, cell, v))
		}
		if gl := p.Waves[pl.Wave].GoLive; !gl.IsZero() {
			must(f.SetCellValue(sheet, fmt.Sprintf("E%d", row), gl.Time()))
			must(f.SetCellStyle(sheet, fmt.Sprintf("E%d", row), fmt.Sprintf("E%d", row), dateStyle))
		}
		met := map[bool]string{true: "ja", false: "nej"}[pl.Preference == "met"]
		if pl.Preference == "no preference" {
			met = "–"
		} else if pl.Preference != "met" {
			met = "nej (" + strings.TrimSuffix(strings.TrimPrefix(pl.Preference, "not met: "), " waves") + " bølger)"
		}
		must(f.SetCellStr(sheet, fmt.Sprintf("F%d", row), met))
		st := green
		if strings.HasPrefix(met, "nej") {
			st = amber
		}
		must(f.SetCellStyle(sheet, fmt.Sprintf("F%d", row), fmt.Sprintf("F%d", row), st))
		reasons := strings.Join(pl.Reasons, "; ")
		must(f.SetCellStr(sheet, fmt.Sprintf("G%d", row), reasons))
		must(f.SetRowHeight(sheet, row, 15*float64(1+len([]rune(reasons))/80)))
		must(f.SetCellStyle(sheet, fmt.Sprintf("G%d", row), fmt.Sprintf("G%d", row), wrap))
		must(f.SetCellStyle(sheet, fmt.Sprintf("H%d", row), fmt.Sprintf("J%d", row), answer))
	}
	last := 3 + len(r.Placements)
	top := style(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}})
	if last >= 4 {
		must(f.SetCellStyle(sheet, "A4", fmt.Sprintf("D%d", last), top))
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("H4:H%d", last)
	must(dv.SetDropList([]string{"Accepterer", "Ønsker anden bølge"}))
	must(f.AddDataValidation(sheet, dv))
	var names []string
	for _, w := range p.Waves {
		names = append(names, w.Name)
	}
	dv2 := excelize.NewDataValidation(true)
	dv2.Sqref = fmt.Sprintf("I4:I%d", last)
	must(dv2.SetDropList(names))
	must(f.AddDataValidation(sheet, dv2))
	must(f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 3, TopLeftCell: "B4", ActivePane: "bottomRight"}))
	must(f.AutoFilter(sheet, fmt.Sprintf("A3:J%d", last), nil))

	for w, wave := range p.Waves {
		name := "Bølge " + wave.Name
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		must(f.SetCellValue(name, "A1", name))
		must(f.SetCellStyle(name, "A1", "A1", title))
		load := r.Load[w]
		capText := func(used, limit float64) string {
			if limit == 0 {
				return fmt.Sprintf("%.0f (ingen grænse)", used)
			}
			return fmt.Sprintf("%.0f af %.0f (%.0f%%)", used, limit, 100*used/limit)
		}
		rows := [][]any{{"Idriftsættelse", wave.GoLive.String()}, {"Kommuner", capText(float64(load.Count), float64(wave.Capacity))}, {"Størrelse", capText(load.Size, wave.MaxSize)}}
		for i, rv := range rows {
			must(f.SetSheetRow(name, fmt.Sprintf("A%d", 3+i), &rv))
		}
		must(f.SetSheetRow(name, "A7", &[]any{"Kommune", "Størrelse", "Ønsket bølge"}))
		must(f.SetCellStyle(name, "A7", "C7", hdr))
		n := 8
		for i, pl := range r.Placements {
			if pl.Wave != w {
				continue
			}
			m := p.Municipalities[i]
			pref := ""
			if m.Preferred > 0 {
				pref = p.Waves[m.Preferred-1].Name
			}
			must(f.SetSheetRow(name, fmt.Sprintf("A%d", n), &[]any{m.Name, m.Size, pref}))
			n++
		}
		must(f.SetColWidth(name, "A", "A", 18))
		must(f.SetColWidth(name, "B", "C", 24))
	}

	cal := "Proces"
	if _, err := f.NewSheet(cal); err != nil {
		return err
	}
	must(f.SetCellValue(cal, "A1", fmt.Sprintf("Proces for indplacering af kommuner i bølger %d", year)))
	must(f.SetCellStyle(cal, "A1", "A1", title))
	must(f.SetSheetRow(cal, "A3", &[]any{"Periode", "Begivenhed", "Datoer"}))
	must(f.SetCellStyle(cal, "A3", "C3", hdr))
	for i, c := range Calendar(year) {
		must(f.SetSheetRow(cal, fmt.Sprintf("A%d", 4+i), &[]any{c[0], c[1], c[2]}))
	}
	must(f.SetColWidth(cal, "A", "A", 22))
	must(f.SetColWidth(cal, "B", "B", 40))
	must(f.SetColWidth(cal, "C", "C", 26))
	orientation, size, fit := "landscape", 9, 1
	must(f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &orientation, Size: &size, FitToWidth: &fit, FitToHeight: new(int)}))
	yes := true
	must(f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &yes}))
	if ferr != nil {
		return ferr
	}
	return f.Write(out)
}
