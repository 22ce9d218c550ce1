package fakegoogle

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/udrul/udrul/sync/grid"
	"google.golang.org/api/sheets/v4"
)

// Sheets' spreadsheets.get, as developers.google.com/sheets/api/reference/
// rest/v4/spreadsheets/get documents it:
//
//   - Grid data comes with includeGridData=true, or when the field mask
//     asks for it ("if a field mask is set, the includeGridData parameter
//     is ignored").
//   - ranges (A1 notation, repeated) limit the answer to the sheets they
//     intersect, in the spreadsheet's order, each with one GridData per
//     range asked of it, in the order asked (Sheet.data), with startRow and
//     startColumn (omitted when 0, as proto3 JSON omits zero values).
//     Without ranges every sheet comes, each grid sheet's cells as one
//     GridData from A1 ("the number of GridData objects returned is
//     dependent on the number of ranges requested on this sheet").
//   - A range beyond a sheet's grid (gridProperties rowCount/columnCount)
//     is a 400: "Range ('Plan'!A1:Z2000) exceeds grid limits. Max rows:
//     1000, max columns: 26". Whole columns or rows (A:C, 1:5) stop at the
//     grid.
//   - rowData runs from the range's first row to its last row with
//     content; rows and cells without content before that are {}. Rows end
//     at their last cell with content.
//
// The answer is written row by row, so a sheet with a far row costs the
// fake no more memory than its content: its empty rows are never held.

// SetCell puts a text cell at row, col (1-based) of a spreadsheet's sheet i,
// as one more GridData, and grows the sheet's grid to hold it: a sheet with
// content far away, as a user makes by typing in row 1,000,000.
func SetCell(ss *sheets.Spreadsheet, i, row, col int, text string) {
	sh := ss.Sheets[i]
	sh.Data = append(sh.Data, &sheets.GridData{StartRow: int64(row - 1), StartColumn: int64(col - 1),
		RowData: []*sheets.RowData{{Values: []*sheets.CellData{cellData(grid.Cell{Kind: grid.Text, Text: text})}}}})
	gp := sh.Properties.GridProperties
	gp.RowCount = max(gp.RowCount, int64(row))
	gp.ColumnCount = max(gp.ColumnCount, int64(col))
}

// SetGrid sets the size of sheet i's grid (rows and columns a user added,
// empty).
func SetGrid(ss *sheets.Spreadsheet, i, rows, cols int) {
	gp := ss.Sheets[i].Properties.GridProperties
	gp.RowCount, gp.ColumnCount = int64(rows), int64(cols)
}

// cellRe is one end of a range's cells: a column, a row, or both.
var cellRe = regexp.MustCompile(`^([A-Z]*)(\d*)$`)

// span is a range's cells, 0-based, end exclusive.
type span struct{ r0, r1, c0, c1 int }

// splitRange splits an A1 range into its sheet title ("" for none) and its
// cells: a quoted title (a quote in it doubled), Plan!A:C, Plan, A1:C3.
func splitRange(rg string) (title, cells string, hasTitle, ok bool) {
	if strings.HasPrefix(rg, "'") {
		i := 1
		for {
			j := strings.IndexByte(rg[i:], '\'')
			if j < 0 {
				return "", "", false, false
			}
			i += j
			if i+1 < len(rg) && rg[i+1] == '\'' {
				i += 2
				continue
			}
			break
		}
		title = strings.ReplaceAll(rg[1:i], "''", "'")
		rest := rg[i+1:]
		if rest == "" {
			return title, "", true, true
		}
		if rest[0] != '!' {
			return "", "", false, false
		}
		return title, rest[1:], true, true
	}
	if t, c, found := strings.Cut(rg, "!"); found {
		return t, c, true, true
	}
	if cellRe.MatchString(strings.SplitN(rg, ":", 2)[0]) {
		return "", rg, false, true
	}
	return rg, "", true, true // a sheet's title alone
}

// parseRange resolves an A1 range against the spreadsheet: the sheet's
// index and the span, or Google's 400 message.
func parseRange(ss *sheets.Spreadsheet, rg string) (int, span, error) {
	bad := fmt.Errorf("Unable to parse range: %s", rg)
	title, cells, hasTitle, ok := splitRange(rg)
	if !ok || rg == "" {
		return 0, span{}, bad
	}
	idx := -1
	if !hasTitle && len(ss.Sheets) > 0 {
		idx = 0 // no sheet: the first
	}
	for i, sh := range ss.Sheets {
		if hasTitle && sh.Properties.Title == title {
			idx = i
		}
	}
	if idx < 0 || ss.Sheets[idx].Properties.GridProperties == nil {
		return 0, span{}, bad
	}
	if ss.Sheets[idx].Properties.SheetType == "DATA_SOURCE" {
		// "For a DATA_SOURCE sheet, you can not request a specific range."
		return 0, span{}, fmt.Errorf("Unable to parse range: %s (a data source sheet takes no range)", rg)
	}
	gp := ss.Sheets[idx].Properties.GridProperties
	rows, cols := int(gp.RowCount), int(gp.ColumnCount)
	sp := span{0, rows, 0, cols}
	if cells != "" {
		from, to, pair := strings.Cut(cells, ":")
		if !pair {
			to = from // one cell, column or row
		}
		a, b := cellRe.FindStringSubmatch(from), cellRe.FindStringSubmatch(to)
		if a == nil || b == nil || from == "" || to == "" {
			return 0, span{}, bad
		}
		if a[1] != "" {
			sp.c0 = colIndex(a[1])
		}
		if a[2] != "" {
			n, _ := strconv.Atoi(a[2])
			sp.r0 = n - 1
		}
		if b[1] != "" {
			sp.c1 = colIndex(b[1]) + 1
		}
		if b[2] != "" {
			n, _ := strconv.Atoi(b[2])
			sp.r1 = n
		}
	}
	if sp.r0 < 0 || sp.r1 < sp.r0 || sp.c1 < sp.c0 {
		return 0, span{}, bad
	}
	if sp.r1 > rows || sp.c1 > cols || sp.r0 >= rows || sp.c0 >= cols {
		return 0, span{}, fmt.Errorf("Range (%s) exceeds grid limits. Max rows: %d, max columns: %d", rg, rows, cols)
	}
	return idx, sp, nil
}

// colIndex is a column's 0-based index from its letters.
func colIndex(letters string) int {
	n := 0
	for _, ch := range letters {
		n = n*26 + int(ch-'A'+1)
	}
	return n - 1
}

// cellsOf indexes a sheet's cells by row: a row's cells by column.
type cellsOf map[int]map[int]*sheets.CellData

func indexCells(sh *sheets.Sheet) cellsOf {
	out := cellsOf{}
	for _, data := range sh.Data {
		for i, rd := range data.RowData {
			if rd == nil {
				continue
			}
			row := int(data.StartRow) + i
			for j, v := range rd.Values {
				if !hasContent(v) {
					continue
				}
				if out[row] == nil {
					out[row] = map[int]*sheets.CellData{}
				}
				out[row][int(data.StartColumn)+j] = v
			}
		}
	}
	return out
}

func hasContent(v *sheets.CellData) bool {
	return v != nil && (v.EffectiveValue != nil || v.UserEnteredValue != nil || v.FormattedValue != "" || v.EffectiveFormat != nil ||
		v.UserEnteredFormat != nil || v.Note != "")
}

func (s *Server) sheetGet(w http.ResponseWriter, r *http.Request) {
	id := sheetRe.FindStringSubmatch(r.URL.Path)[1]
	f := s.files[id]
	qs := r.URL.Query()
	switch {
	case f == nil || f.trashed:
		writeError(w, http.StatusNotFound, "NOT_FOUND", "", "", "Requested entity was not found.", nil)
		return
	case f.Forbidden || f.DriveID != "" && (s.drives[f.DriveID] == nil || !s.drives[f.DriveID].member):
		writeError(w, http.StatusForbidden, "PERMISSION_DENIED", "", "", "The caller does not have permission", nil)
		return
	case f.Sheet == nil:
		writeError(w, http.StatusBadRequest, "FAILED_PRECONDITION", "", "", "This operation is not supported for this document", nil)
		return
	}
	ss := f.Sheet
	var top mask // nil: everything
	if fields := qs.Get("fields"); fields != "" {
		var err error
		if top, err = parseMask(fields); err != nil {
			writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "", "", "Invalid field selection "+fields, nil)
			return
		}
	}
	// The sheets answered, each with its spans (nil: the whole grid).
	type asked struct {
		sheet int
		spans []span
	}
	var sel []asked
	if ranges := qs["ranges"]; len(ranges) > 0 {
		bySheet := map[int][]span{}
		for _, rg := range ranges {
			i, sp, err := parseRange(ss, rg)
			if err != nil {
				writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "", "", err.Error(), nil)
				return
			}
			bySheet[i] = append(bySheet[i], sp)
		}
		for i := range ss.Sheets {
			if sps, ok := bySheet[i]; ok {
				sel = append(sel, asked{i, sps})
			}
		}
	} else {
		for i := range ss.Sheets {
			sel = append(sel, asked{sheet: i})
		}
	}
	withData := qs.Get("includeGridData") == "true"
	if top != nil {
		withData = true // the mask decides
	}
	// Encode outside the lock: Put replaces a spreadsheet, never changes it.
	s.mu.Unlock()
	defer s.mu.Lock()

	skeleton := *ss
	skeleton.Sheets = nil
	head := toMap(&skeleton, top)
	sheetsMask, wantSheets := top["sheets"]
	if top == nil {
		wantSheets = true
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	keys := sortedMapKeys(head)
	if wantSheets {
		keys = append(keys, "sheets")
		sort.Strings(keys)
	}
	bw.WriteString("{")
	for n, k := range keys {
		if n > 0 {
			bw.WriteString(",")
		}
		writeKey(bw, k)
		if k != "sheets" {
			writeValue(bw, head[k])
			continue
		}
		bw.WriteString("[")
		for n, a := range sel {
			if n > 0 {
				bw.WriteString(",")
			}
			sh := *ss.Sheets[a.sheet]
			cells := indexCells(&sh)
			sh.Data = nil
			obj := toMap(&sh, sheetsMask)
			dataMask, wantData := sheetsMask["data"]
			if sheetsMask == nil {
				wantData = true
			}
			wantData = wantData && withData
			spans := a.spans
			if spans == nil {
				gp := sh.Properties.GridProperties
				if gp == nil {
					wantData = false
				} else {
					spans = []span{{0, int(gp.RowCount), 0, int(gp.ColumnCount)}}
				}
			}
			// Google's order: properties, data, then the rest.
			order := []string{}
			if _, ok := obj["properties"]; ok {
				order = append(order, "properties")
			}
			if wantData {
				order = append(order, "data")
			}
			for _, k := range sortedMapKeys(obj) {
				if k != "properties" {
					order = append(order, k)
				}
			}
			bw.WriteString("{")
			for n, k := range order {
				if n > 0 {
					bw.WriteString(",")
				}
				writeKey(bw, k)
				if k == "data" {
					writeGridData(bw, cells, spans, dataMask)
					continue
				}
				writeValue(bw, obj[k])
			}
			bw.WriteString("}")
		}
		bw.WriteString("]")
	}
	bw.WriteString("}")
	bw.Flush()
}

// writeGridData writes one GridData per span, row by row.
func writeGridData(bw *bufio.Writer, cells cellsOf, spans []span, m mask) {
	want := func(k string) (mask, bool) {
		if m == nil {
			return nil, true
		}
		sub, ok := m[k]
		return sub, ok
	}
	rowMask, wantRows := want("rowData")
	valuesMask, wantValues := rowMask["values"]
	if rowMask == nil {
		wantValues = true
	}
	var rows []int
	for r := range cells {
		rows = append(rows, r)
	}
	sort.Ints(rows)
	bw.WriteString("[")
	for n, sp := range spans {
		if n > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("{")
		comma := false
		field := func(k string) {
			if comma {
				bw.WriteString(",")
			}
			comma = true
			writeKey(bw, k)
		}
		if _, ok := want("startRow"); ok && sp.r0 != 0 {
			field("startRow")
			bw.WriteString(strconv.Itoa(sp.r0))
		}
		if _, ok := want("startColumn"); ok && sp.c0 != 0 {
			field("startColumn")
			bw.WriteString(strconv.Itoa(sp.c0))
		}
		// The last row with content in the span.
		last := -1
		for _, r := range rows {
			if r < sp.r0 || r >= sp.r1 {
				continue
			}
			for c := range cells[r] {
				if c >= sp.c0 && c < sp.c1 {
					last = r
					break
				}
			}
		}
		if wantRows && last >= 0 {
			field("rowData")
			bw.WriteString("[")
			for r := sp.r0; r <= last; r++ {
				if r > sp.r0 {
					bw.WriteString(",")
				}
				row := cells[r]
				end := -1
				for c := range row {
					if c >= sp.c0 && c < sp.c1 && c > end {
						end = c
					}
				}
				if end < 0 || !wantValues {
					bw.WriteString("{}")
					continue
				}
				bw.WriteString(`{"values":[`)
				for c := sp.c0; c <= end; c++ {
					if c > sp.c0 {
						bw.WriteString(",")
					}
					if v := row[c]; v != nil {
						writeValue(bw, toMap(v, valuesMask))
					} else {
						bw.WriteString("{}")
					}
				}
				bw.WriteString("]}")
			}
			bw.WriteString("]")
		}
		bw.WriteString("}")
	}
	bw.WriteString("]")
}

// toMap is v's JSON as a map, with the mask m applied (nil: all of it).
func toMap(v any, m mask) map[string]any {
	b, _ := json.Marshal(v)
	var x map[string]any
	json.Unmarshal(b, &x)
	if m != nil {
		x, _ = m.apply(x).(map[string]any)
	}
	return x
}

func sortedMapKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func writeKey(bw *bufio.Writer, k string) {
	b, _ := json.Marshal(k)
	bw.Write(b)
	bw.WriteString(":")
}

func writeValue(bw *bufio.Writer, v any) {
	b, _ := json.Marshal(v)
	bw.Write(b)
}
