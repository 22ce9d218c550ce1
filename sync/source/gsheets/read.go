package gsheets

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/udrul/udrul/sync/grid"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"
)

// A native spreadsheet is read with one spreadsheets.get request
// (developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get)
// asking, by sheetFields, for every sheet's title, ID, hidden flag, merges
// and cells, without ranges: Google then answers each grid sheet's cells as
// one GridData from A1 ("the number of GridData objects returned is
// dependent on the number of ranges requested on this sheet"), rowData
// running to the sheet's last row with content, a row without content as
// {}, and each row's values to its last cell with content.
//
// The answer is decoded token by token as it arrives, never whole, so
// memory follows the limits, not the spreadsheet: the cells within
// limits.rows and limits.columns are kept; those beyond are decoded one at
// a time into a light reused value and only counted (grid.BoundCounted then
// tells of them in the file readers' words). The read stops as soon as the
// outcome is a refusal: a sheet with more cells than limits.cells (kept up
// to the row that crossed it, where the syncer's grid.Bound refuses it), or
// with more than grid.MaxStray cells with values beyond the limits. The size
// cap (max_file_size_mib) applies to the bytes read.
const sheetFields = "spreadsheetId,properties/title,sheets(properties(sheetId,title,hidden),merges(startRowIndex,endRowIndex,startColumnIndex,endColumnIndex)," +
	"data(startRow,startColumn,rowData/values(effectiveValue,formattedValue,effectiveFormat/numberFormat/type)))"

// sheetRead is what one sheet's answer held.
type sheetRead struct {
	index   int // in the grid's sheets
	id      int64
	named   bool // its properties were read
	cells   int  // kept, each row counted to its last filled cell (as grid.Bound counts)
	over    bool // more than limits.cells: kept up to the row that crossed
	stray   int  // cells with values beyond the limits (counted up to MaxStray+1)
	strayR  int  // the first of them (1-based), in row order
	strayC  int
	decided bool // the outcome is a refusal: nothing more of it is needed
}

// errStop ends a read whose outcome is known: a refusal.
var errStop = errors.New("read stopped: the sheet is refused")

// errBadAnswer is an answer from Google that is not what was asked for.
var errBadAnswer = errors.New("unexpected answer from google")

// layout is a sheet's ID and the rows read of it, by grid sheet.
type layout struct {
	id   int64
	rows int
}

// named is the spreadsheet read.
type named struct{ key, name string }

// readSpreadsheet reads a native spreadsheet within the limits with one
// request: the grid, what to hash to tell a change (a digest of the
// answer), and each grid sheet's layout (nil when the plan is refused:
// there is nothing more to ask).
func (s *Source) readSpreadsheet(ctx context.Context, it named) (*grid.Grid, []byte, []layout, error) {
	opts := s.readOpts()
	what := s.c.msg("spreadsheet", it.name)
	q := url.Values{"fields": {sheetFields}, "includeGridData": {"true"}, "alt": {"json"}, "prettyPrint": {"false"}}
	u := googleapi.ResolveRelative(s.c.sheets.BasePath, "v4/spreadsheets/"+url.PathEscape(it.key)) + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	resp, err := s.c.http.Do(req)
	if err != nil {
		return nil, nil, nil, s.explain(what, err)
	}
	defer resp.Body.Close()
	if err := googleapi.CheckResponse(resp); err != nil {
		return nil, nil, nil, s.explain(what, err)
	}
	d, data, err := readAnswer(resp.Body, opts.Limits)
	switch {
	case errors.Is(err, errBadAnswer):
		return nil, nil, nil, s.c.fail(errBadAnswer, "badAnswer", what, err.Error())
	case err != nil:
		return nil, nil, nil, s.explain(what, err)
	}
	layouts, err := d.finish(it.key, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	return d.g, data, layouts, nil
}

// readAnswer decodes an answer within lim, and digests it to tell a
// change: the whole answer, read to its end whatever the decoder had
// buffered, so the same answer gives the same digest however it arrived;
// an answer whose read stopped at a refusal, as far as it was read.
func readAnswer(body io.Reader, lim grid.Limits) (*cellReader, []byte, error) {
	h := sha256.New()
	tee := io.TeeReader(body, h)
	d := &cellReader{dec: json.NewDecoder(tee), g: &grid.Grid{}, lim: lim}
	switch err := d.spreadsheet(); {
	case errors.Is(err, errStop):
	case err != nil:
		return nil, nil, err
	default:
		// What follows the answer's last brace (a newline at most; the
		// size cap still applies).
		if _, err := io.Copy(io.Discard, tee); err != nil {
			return nil, nil, err
		}
	}
	return d, fmt.Appendf(nil, "spreadsheet sha256 %x", h.Sum(nil)), nil
}

// finish completes the grid read (links, rows trimmed) and gives each grid
// sheet's layout, or nil when a sheet has more cells than limits.cells
// (the syncer's grid.Bound refuses it at the row that crossed them), or
// Bound's words for what lies beyond the limits: a warning, or a refusal.
func (d *cellReader) finish(key string, opts grid.Options) ([]layout, error) {
	g := d.g
	id := d.id
	if id == "" {
		id = key // the read stopped before it
	}
	layouts := make([]layout, len(g.Sheets))
	for i, sr := range d.sheets {
		sh := &g.Sheets[i]
		sh.Link = fmt.Sprintf("%s#gid=%d&range=", SheetURL(id), sr.id)
		for len(sh.Rows) > 0 && sh.Rows[len(sh.Rows)-1] == nil {
			sh.Rows = sh.Rows[:len(sh.Rows)-1]
		}
		layouts[i] = layout{id: sr.id, rows: len(sh.Rows)}
	}
	// The verdicts, sheet by sheet in grid.Bound's order: a sheet over
	// limits.cells is refused by Bound before anything after it counts.
	for _, sr := range d.sheets {
		if sr.over {
			// No colours: the plan is refused.
			return nil, nil
		}
		if err := grid.BoundCounted(g, g.Sheets[sr.index].Name, sr.stray, sr.strayR, sr.strayC, opts); err != nil {
			return nil, err
		}
	}
	return layouts, nil
}

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

// cellReader decodes spreadsheets.get's answer to sheetFields token by
// token, a cell at a time, in whatever order its fields come.
type cellReader struct {
	dec    *json.Decoder
	g      *grid.Grid
	lim    grid.Limits
	id     string // the spreadsheet's ID, as answered
	sheets []*sheetRead
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
	return d.object(func(key string) error {
		switch key {
		case "spreadsheetId":
			return d.dec.Decode(&d.id)
		case "properties":
			var p struct {
				Title string `json:"title"`
			}
			if err := d.dec.Decode(&p); err != nil {
				return err
			}
			d.g.File = p.Title
			return nil
		case "sheets":
			return d.array(func(int) error { return d.sheet() })
		}
		return d.skip()
	})
}

// sheet reads one sheet's answer: Google sends its properties first, then
// its data, then its merges; if its data come before its properties, the
// sheet is named once they come.
func (d *cellReader) sheet() error {
	d.g.Sheets = append(d.g.Sheets, grid.Sheet{})
	sr := &sheetRead{index: len(d.g.Sheets) - 1}
	d.sheets = append(d.sheets, sr)
	sh := func() *grid.Sheet { return &d.g.Sheets[sr.index] }
	err := d.object(func(key string) error {
		switch key {
		case "properties":
			var p struct {
				SheetID int64  `json:"sheetId"`
				Title   string `json:"title"`
				Hidden  bool   `json:"hidden"`
			}
			if err := d.dec.Decode(&p); err != nil {
				return err
			}
			sr.id, sr.named = p.SheetID, true
			sh().Name, sh().Hidden = p.Title, p.Hidden
			if sr.decided {
				return errStop
			}
			return nil
		case "merges":
			return d.array(func(int) error {
				var m struct {
					R0 int `json:"startRowIndex"`
					R1 int `json:"endRowIndex"`
					C0 int `json:"startColumnIndex"`
					C1 int `json:"endColumnIndex"`
				}
				if err := d.dec.Decode(&m); err != nil {
					return err
				}
				sh().Merges = append(sh().Merges, grid.Merge{Top: m.R0 + 1, Left: m.C0 + 1, Bottom: m.R1, Right: m.C1})
				return nil
			})
		case "data":
			return d.array(func(k int) error {
				if k > 0 {
					// Without ranges, one GridData per sheet.
					return bad("more than one range of cells for sheet %q", sh().Name)
				}
				return d.gridData(sr)
			})
		}
		return d.skip()
	})
	if err == nil && (sr.decided || sr.stray > grid.MaxStray) {
		err = errStop // the first sheet's refusal wins, as in grid.Bound
	}
	return err
}

// gridData reads a sheet's cells, from A1.
func (d *cellReader) gridData(sr *sheetRead) error {
	return d.object(func(key string) error {
		switch key {
		case "startRow", "startColumn":
			var n int
			if err := d.dec.Decode(&n); err != nil {
				return err
			}
			if n != 0 {
				return bad("cells from %s %d where the whole sheet was asked for", key, n+1)
			}
			return nil
		case "rowData":
			return d.array(func(r int) error {
				if sr.decided {
					// The outcome is known; the sheet's name is still
					// to come (after its data): read past the rest.
					return d.skip()
				}
				return d.row(sr, r)
			})
		}
		return d.skip()
	})
}

// strayCell is a cell beyond the limits, decoded only as far as needed to
// tell whether it has a value (as toCell does: an effective value, or a
// formatted one that is not blank).
type strayCell struct {
	EffectiveValue json.RawMessage `json:"effectiveValue"`
	FormattedValue string          `json:"formattedValue"`
}

// row reads row r (0-based): within the limits its cells up to
// limits.columns are kept, up to the last with a value; those right of
// them, and every cell of a row below limits.rows, are counted.
func (d *cellReader) row(sr *sheetRead, r int) error {
	within := r < d.lim.Rows
	if !within && sr.stray > grid.MaxStray {
		// Refused for what lies beyond, and every row within the
		// limits read (Bound's cells verdict comes first): done.
		if err := d.decide(sr); err != nil {
			return err
		}
		return d.skip() // the sheet is named after its data: read past
	}
	var cells []grid.Cell
	right := false // a value right of limits.columns
	err := d.object(func(key string) error {
		if key != "values" {
			return d.skip()
		}
		return d.array(func(c int) error {
			if c < len(cells) {
				return bad("row %d's cells answered twice", r+1)
			}
			if within && c < d.lim.Columns {
				var v sheets.CellData
				if err := d.dec.Decode(&v); err != nil {
					return err
				}
				if cell := toCell(&v); cell.Kind != grid.Empty {
					for len(cells) < c {
						cells = append(cells, grid.Cell{})
					}
					cells = append(cells, cell)
				}
				return nil
			}
			if !within && sr.stray > grid.MaxStray {
				return d.skip() // counted enough
			}
			var v strayCell
			if err := d.dec.Decode(&v); err != nil {
				return err
			}
			if (len(v.EffectiveValue) == 0 || string(v.EffectiveValue) == "null") && strings.TrimSpace(v.FormattedValue) == "" {
				return nil
			}
			right = within
			if sr.stray > grid.MaxStray {
				return nil // counted enough
			}
			if sr.stray == 0 {
				sr.strayR, sr.strayC = r+1, c+1
			}
			sr.stray++
			return nil
		})
	})
	if err != nil || !within {
		if err == nil && sr.stray > grid.MaxStray && !d.moreWithin(r) {
			return d.decide(sr)
		}
		return err
	}
	if right {
		// grid.Bound cuts such a row at limits.columns: it counts so
		// towards limits.cells.
		for len(cells) < d.lim.Columns {
			cells = append(cells, grid.Cell{})
		}
	}
	if len(cells) > 0 {
		rows := &d.g.Sheets[sr.index].Rows
		if len(*rows) > r {
			return bad("row %d answered twice", r+1)
		}
		for len(*rows) < r {
			*rows = append(*rows, nil)
		}
		*rows = append(*rows, cells)
	}
	sr.cells += len(cells)
	if sr.cells > d.lim.Cells {
		sr.over = true
		return d.decide(sr)
	}
	if sr.stray > grid.MaxStray && !d.moreWithin(r) {
		return d.decide(sr)
	}
	return nil
}

// moreWithin tells whether rows after r may still be within the limits.
func (d *cellReader) moreWithin(r int) bool { return r+1 < d.lim.Rows }

// decide marks a sheet whose outcome is a refusal: the read stops
// (errStop) once the sheet is named; until then the rest of its rows are
// read past.
func (d *cellReader) decide(sr *sheetRead) error {
	sr.decided = true
	if sr.named {
		return errStop
	}
	return nil
}
