package gsheets

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/udrul/udrul/sync/grid"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"
)

// A native spreadsheet is read in bounded memory, in two spreadsheets.get
// requests (developers.google.com/sheets/api/reference/rest/v4/
// spreadsheets/get):
//
//  1. metaFields: the sheets' titles, IDs, hidden flags, merges and grid
//     sizes (gridProperties rowCount and columnCount: the grid, not the
//     extent of its content), no cells.
//  2. dataFields with ranges: per sheet, the grid within limits.rows and
//     limits.columns, and, only where the grid is larger, the ranges
//     beyond them, whose cells are counted as the file readers count them
//     (a warning, or a refusal beyond grid.MaxStray) but never kept.
//
// The answer to the second is decoded row by row as it arrives, never
// whole: memory follows the limits, not the spreadsheet. A sheet with more
// cells than limits.cells stops the read at the row that crossed it (the
// syncer's grid.Bound refuses it there, in the file readers' words), and so
// does a sheet with more than grid.MaxStray cells beyond the limits.
//
// A range must lie within the grid (Google answers 400 "exceeds grid
// limits" otherwise): that is why the grid sizes are asked first.
const (
	metaFields = "spreadsheetId,properties/title,sheets(properties(sheetId,title,hidden,sheetType,gridProperties(rowCount,columnCount))," +
		"merges(startRowIndex,endRowIndex,startColumnIndex,endColumnIndex))"
	dataFields = "sheets(properties/sheetId,data(startRow,startColumn,rowData/values(effectiveValue,formattedValue,effectiveFormat/numberFormat/type)))"
)

// part is one range asked of a sheet: where it starts (0-based), and
// whether it lies beyond the limits (counted, not kept).
type part struct {
	r0, c0 int
	beyond bool
}

// sheetRead is what is asked of one sheet and what its answer held.
type sheetRead struct {
	index      int // in the grid's sheets
	id         int64
	rows, cols int // within the limits and the grid
	parts      []part
	read       bool
	cells      int  // kept so far, each row counted to its last filled cell
	over       bool // more than limits.cells: read up to the row that crossed
	stray      int  // cells with values beyond the limits (counted up to MaxStray+1)
	strayR     int
	strayC     int
	strayLimit bool // more than grid.MaxStray: the read stopped
}

// errStop ends a read whose outcome is known: a refusal.
var errStop = errors.New("read stopped: the sheet is refused")

// layout is a sheet's ID and its rows within the limits, by grid sheet.
type layout struct {
	id   int64
	rows int
}

// readSpreadsheet reads a native spreadsheet within the limits: the grid,
// what to hash to tell a change (the grid sizes and merges, then a digest
// of the cells' answer), and each grid sheet's layout (nil when the plan is
// refused: there is nothing more to ask).
func (s *Source) readSpreadsheet(ctx context.Context, it named) (*grid.Grid, []byte, []layout, error) {
	g, data, layouts, err := s.readOnce(ctx, it)
	var changed *layoutChanged
	if errors.As(err, &changed) {
		// Edited between the two requests (rows deleted, a sheet
		// renamed): once more, from its new grid sizes.
		g, data, layouts, err = s.readOnce(ctx, it)
		if errors.As(err, &changed) {
			err = s.explain(s.c.msg("spreadsheet", it.name), changed.err)
		}
	}
	return g, data, layouts, err
}

// layoutChanged is a 400 to the cells request: a range no longer within
// its sheet's grid ("exceeds grid limits"), or naming a sheet no longer
// there ("Unable to parse range"): the spreadsheet changed after its grid
// sizes were read.
type layoutChanged struct{ err error }

func (e *layoutChanged) Error() string { return e.err.Error() }

// readOnce is readSpreadsheet's one try.
func (s *Source) readOnce(ctx context.Context, it named) (*grid.Grid, []byte, []layout, error) {
	opts := s.readOpts()
	lim := opts.Limits
	meta, err := s.c.sheets.Spreadsheets.Get(it.key).Fields(metaFields).Context(ctx).Do()
	if err != nil {
		return nil, nil, nil, s.explain(s.c.msg("spreadsheet", it.name), err)
	}
	meta.ServerResponse = googleapi.ServerResponse{}
	data, err := json.Marshal(meta)
	if err != nil {
		return nil, nil, nil, err
	}
	g := &grid.Grid{}
	if meta.Properties != nil {
		g.File = meta.Properties.Title
	}
	var plan []*sheetRead
	var ranges []string
	var rowsIn []layout
	for _, sh := range meta.Sheets {
		p := sh.Properties
		if p == nil {
			continue
		}
		out := grid.Sheet{Name: p.Title, Hidden: p.Hidden, Link: fmt.Sprintf("%s#gid=%d&range=", SheetURL(meta.SpreadsheetId), p.SheetId)}
		for _, m := range sh.Merges {
			out.Merges = append(out.Merges, grid.Merge{Top: int(m.StartRowIndex) + 1, Left: int(m.StartColumnIndex) + 1, Bottom: int(m.EndRowIndex), Right: int(m.EndColumnIndex)})
		}
		g.Sheets = append(g.Sheets, out)
		gp := p.GridProperties
		if gp == nil || gp.RowCount <= 0 || gp.ColumnCount <= 0 || p.SheetType != "" && p.SheetType != "GRID" {
			// Not a grid (a chart; a connected sheet, DATA_SOURCE, which
			// takes no ranges and holds no plan), or an empty one.
			rowsIn = append(rowsIn, layout{id: p.SheetId})
			continue
		}
		allRows, allCols := int(gp.RowCount), int(gp.ColumnCount)
		rows, cols := min(allRows, lim.Rows), min(allCols, lim.Columns)
		rowsIn = append(rowsIn, layout{id: p.SheetId, rows: rows})
		title := quoteTitle(p.Title)
		sr := &sheetRead{index: len(g.Sheets) - 1, id: p.SheetId, rows: rows, cols: cols}
		ranges = append(ranges, fmt.Sprintf("%s!A1:%s%d", title, columnName(cols), rows))
		sr.parts = append(sr.parts, part{})
		// Beyond the limits, in row order: the columns right of them in
		// the rows read, then the rows below them.
		if allCols > cols {
			ranges = append(ranges, fmt.Sprintf("%s!%s1:%s%d", title, columnName(cols+1), columnName(allCols), rows))
			sr.parts = append(sr.parts, part{c0: cols, beyond: true})
		}
		if allRows > rows {
			ranges = append(ranges, fmt.Sprintf("%s!A%d:%s%d", title, rows+1, columnName(allCols), allRows))
			sr.parts = append(sr.parts, part{r0: rows, beyond: true})
		}
		plan = append(plan, sr)
	}
	if len(ranges) == 0 {
		return g, data, rowsIn, nil
	}
	digest, err := s.readCells(ctx, it, g, plan, ranges, lim)
	if err != nil {
		return nil, nil, nil, err
	}
	data = append(append(data, '\n'), digest...)
	// The verdicts on what lies beyond the limits, sheet by sheet in
	// grid.Bound's order: a sheet over limits.cells is refused by Bound
	// before anything after it counts.
	for _, sr := range plan {
		if sr.over || sr.cells > lim.Cells {
			// grid.Bound refuses the sheet, at the row where its cells
			// pass limits.cells, before anything beyond them counts
			// (rows with values right of the limits counted to the last
			// column read, as far as they were read). No colours: the
			// plan is refused.
			return g, data, nil, nil
		}
		if err := grid.BoundCounted(g, g.Sheets[sr.index].Name, sr.stray, sr.strayR, sr.strayC, opts); err != nil {
			return nil, nil, nil, err
		}
		if !sr.read {
			return nil, nil, nil, s.c.fail(errBadAnswer, "badAnswer", s.c.msg("spreadsheet", it.name), "no cells for sheet "+g.Sheets[sr.index].Name)
		}
	}
	for i := range g.Sheets {
		sh := &g.Sheets[i]
		for len(sh.Rows) > 0 && sh.Rows[len(sh.Rows)-1] == nil {
			sh.Rows = sh.Rows[:len(sh.Rows)-1]
		}
	}
	return g, data, rowsIn, nil
}

// named is the spreadsheet read.
type named struct{ key, name string }

// errBadAnswer is an answer from Google that is not what was asked for.
var errBadAnswer = errors.New("unexpected answer from google")

// columnName is a column's letters in A1 notation (1 is A), also beyond
// Excel's last column (XFD): a Google sheet may have up to 18,278 (ZZZ).
func columnName(col int) string {
	var b []byte
	for ; col > 0; col = (col - 1) / 26 {
		b = append([]byte{byte('A' + (col-1)%26)}, b...)
	}
	return string(b)
}

// quoteTitle is a sheet title in A1 notation: in single quotes, a quote
// doubled.
func quoteTitle(t string) string { return "'" + strings.ReplaceAll(t, "'", "''") + "'" }

// readCells asks for the ranges and decodes the answer as it arrives into
// g's sheets. It returns a digest of the answer read.
func (s *Source) readCells(ctx context.Context, it named, g *grid.Grid, plan []*sheetRead, ranges []string, lim grid.Limits) ([]byte, error) {
	what := s.c.msg("spreadsheet", it.name)
	q := url.Values{"fields": {dataFields}, "alt": {"json"}, "prettyPrint": {"false"}, "ranges": ranges}
	u := googleapi.ResolveRelative(s.c.sheets.BasePath, "v4/spreadsheets/"+url.PathEscape(it.key)) + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.c.http.Do(req)
	if err != nil {
		return nil, s.explain(what, err)
	}
	defer resp.Body.Close()
	if err := googleapi.CheckResponse(resp); err != nil {
		var ge *googleapi.Error
		if errors.As(err, &ge) && ge.Code == http.StatusBadRequest && (strings.Contains(ge.Message, "exceeds grid limits") || strings.Contains(ge.Message, "Unable to parse range")) {
			return nil, &layoutChanged{err: err}
		}
		return nil, s.explain(what, err)
	}
	h := sha256.New()
	d := &cellReader{dec: json.NewDecoder(io.TeeReader(resp.Body, h)), g: g, plan: plan, lim: lim, byID: map[int64]*sheetRead{}}
	for _, sr := range plan {
		d.byID[sr.id] = sr
	}
	switch err := d.spreadsheet(); {
	case errors.Is(err, errStop):
	case errors.Is(err, errBadAnswer):
		return nil, s.c.fail(errBadAnswer, "badAnswer", what, err.Error())
	case err != nil:
		return nil, s.explain(what, err)
	}
	return digest(h), nil
}

func digest(h hash.Hash) []byte { return fmt.Appendf(nil, "cells sha256 %x", h.Sum(nil)) }

// cellReader decodes spreadsheets.get's answer to dataFields token by
// token, a row at a time, in whatever order its fields come.
type cellReader struct {
	dec   *json.Decoder
	g     *grid.Grid
	plan  []*sheetRead
	byID  map[int64]*sheetRead
	next  int // the next sheet asked, for an answer whose data comes before its properties
	lim   grid.Limits
	stray strayRow
}

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errBadAnswer}, args...)...)
}

func (d *cellReader) delim(want json.Delim) error {
	t, err := d.dec.Token()
	if err != nil {
		return err
	}
	if t != want {
		return bad("%v where %v was expected", t, want)
	}
	return nil
}

// object reads an object, calling field for each key with the decoder at
// its value.
func (d *cellReader) object(field func(key string) error) error {
	if err := d.delim('{'); err != nil {
		return err
	}
	for d.dec.More() {
		t, err := d.dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if err := field(key); err != nil {
			return err
		}
	}
	return d.delim('}')
}

// array reads an array, calling elem for each element.
func (d *cellReader) array(elem func(i int) error) error {
	if err := d.delim('['); err != nil {
		return err
	}
	for i := 0; d.dec.More(); i++ {
		if err := elem(i); err != nil {
			return err
		}
	}
	return d.delim(']')
}

// skip reads past one value without keeping it.
func (d *cellReader) skip() error {
	depth := 0
	for {
		t, err := d.dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

func (d *cellReader) spreadsheet() error {
	err := d.object(func(key string) error {
		if key != "sheets" {
			return d.skip()
		}
		return d.array(func(int) error { return d.sheet() })
	})
	if err != nil {
		return err
	}
	for _, sr := range d.plan {
		if !sr.read {
			return bad("no cells for sheet %d", sr.id)
		}
	}
	return nil
}

// sheet reads one sheet's answer. Google sends its properties first; if
// its data come first, the sheet is the next one asked, checked against its
// ID once that comes.
func (d *cellReader) sheet() error {
	var sr *sheetRead
	var id *int64
	take := func() error {
		if sr != nil {
			return nil
		}
		if id != nil {
			sr = d.byID[*id]
			if sr == nil {
				return nil // a sheet not asked for: skipped
			}
		} else {
			for d.next < len(d.plan) && d.plan[d.next].read {
				d.next++
			}
			if d.next == len(d.plan) {
				return bad("more sheets than asked for")
			}
			sr = d.plan[d.next]
		}
		if sr.read {
			return bad("sheet %d answered twice", sr.id)
		}
		sr.read = true
		return nil
	}
	err := d.object(func(key string) error {
		switch key {
		case "properties":
			var p struct {
				SheetID int64 `json:"sheetId"`
			}
			if err := d.dec.Decode(&p); err != nil {
				return err
			}
			if sr != nil && sr.id != p.SheetID {
				return bad("sheet %d answered for sheet %d", p.SheetID, sr.id)
			}
			id = &p.SheetID
			return nil
		case "data":
			if err := take(); err != nil {
				return err
			}
			if sr == nil {
				return d.skip()
			}
			return d.array(func(k int) error {
				if k >= len(sr.parts) {
					return bad("more ranges than asked for in sheet %d", sr.id)
				}
				return d.gridData(sr, sr.parts[k])
			})
		}
		return d.skip()
	})
	if err != nil {
		return err
	}
	if id != nil && sr == nil {
		if s := d.byID[*id]; s != nil && !s.read {
			s.read = true // asked for, answered without data: no cells
		}
	}
	return nil
}

// gridData reads one range's answer.
func (d *cellReader) gridData(sr *sheetRead, p part) error {
	var startRow, startCol int
	err := d.object(func(key string) error {
		switch key {
		case "startRow":
			return d.dec.Decode(&startRow)
		case "startColumn":
			return d.dec.Decode(&startCol)
		case "rowData":
			if p.beyond {
				return d.array(func(r int) error {
					// The decoder fills only the fields present: the
					// elements are cleared, or a cell would keep the
					// value of the one before it.
					clear(d.stray.Values[:cap(d.stray.Values)])
					d.stray.Values = d.stray.Values[:0]
					if err := d.dec.Decode(&d.stray); err != nil {
						return err
					}
					return d.count(sr, p, p.r0+r)
				})
			}
			return d.array(func(r int) error {
				var rd sheets.RowData
				if err := d.dec.Decode(&rd); err != nil {
					return err
				}
				return d.row(sr, p, p.r0+r, &rd)
			})
		}
		return d.skip()
	})
	if err != nil {
		return err
	}
	if startRow != p.r0 || startCol != p.c0 {
		return bad("range at row %d, column %d answered for row %d, column %d", startRow+1, startCol+1, p.r0+1, p.c0+1)
	}
	return nil
}

// strayRow is a row beyond the limits, decoded only as far as needed to
// tell a cell with a value (as toCell does: an effective value, or a
// formatted one that is not blank), into one reused value.
type strayRow struct {
	Values []struct {
		EffectiveValue json.RawMessage `json:"effectiveValue"`
		FormattedValue string          `json:"formattedValue"`
	} `json:"values"`
}

// count counts the cells with values of a row beyond the limits (d.stray).
func (d *cellReader) count(sr *sheetRead, p part, row int) error {
	n := 0
	for j, v := range d.stray.Values {
		if (len(v.EffectiveValue) == 0 || string(v.EffectiveValue) == "null") && strings.TrimSpace(v.FormattedValue) == "" {
			continue
		}
		if sr.stray == 0 {
			sr.strayR, sr.strayC = row+1, p.c0+j+1
		}
		sr.stray++
		n++
	}
	if n > 0 && p.c0 > 0 {
		// A row with values right of the limits reaches to the last
		// column read, as grid.Bound cuts it: it counts so towards
		// limits.cells.
		sh := &d.g.Sheets[sr.index]
		for len(sh.Rows) <= row {
			sh.Rows = append(sh.Rows, nil)
		}
		for len(sh.Rows[row]) < p.c0 {
			sh.Rows[row] = append(sh.Rows[row], grid.Cell{})
			sr.cells++
		}
	}
	if sr.stray > grid.MaxStray {
		sr.strayLimit = true
		return errStop
	}
	return nil
}

// row keeps a row within the limits.
func (d *cellReader) row(sr *sheetRead, p part, row int, rd *sheets.RowData) error {
	if row >= sr.rows || p.c0+len(rd.Values) > sr.cols {
		return bad("row %d beyond the range asked for", row+1)
	}
	cells := rowCells(rd, p.c0)
	sh := &d.g.Sheets[sr.index]
	for len(sh.Rows) <= row {
		sh.Rows = append(sh.Rows, nil)
	}
	sh.Rows[row] = cells
	sr.cells += len(cells)
	if sr.cells > d.lim.Cells {
		sr.over = true
		return errStop
	}
	return nil
}

// rowCells are a row's cells, starting at column c0 (0-based), up to its
// last with a value.
func rowCells(rd *sheets.RowData, c0 int) []grid.Cell {
	var cells []grid.Cell
	for c, v := range rd.Values {
		col := c0 + c
		cell := toCell(v)
		if cell.Kind == grid.Empty {
			continue
		}
		for len(cells) < col {
			cells = append(cells, grid.Cell{})
		}
		cells = append(cells, cell)
	}
	return cells
}
