package reports

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// rowFile holds the rows of the workbook's long tables (the task list and
// the findings' sheets) as the worksheet XML that excelize's StreamWriter
// writes for the same cells, byte for byte, in a temporary file: the zip
// puts them into their sheet's part when the workbook is saved (see
// parallelZip.splice). excelize's StreamWriter keeps every sheet's XML in
// a buffer of up to 32 MB until the workbook is saved (the task list's,
// the overdue sheet's and the data problems' were 70 MB of a national
// report's 76 MB peak heap), and makes each cell through a struct, a cell
// name and the text escaped twice (a third of the report's time); here a
// row is appended to one reused buffer. Each table has its own file (the
// task list is still written while the findings' sheets are, see Begin). Only the values these tables hold
// are written (text, whole numbers, nothing, a formula); any other value
// stops the report rather than be written differently (cellsSameAs tests
// the XML against excelize's).
type rowFile struct {
	f       *os.File
	bw      *bufio.Writer
	off     int64
	removed bool
	buf     []byte
	// parts are the rows of each sheet part (xl/worksheets/sheetN.xml).
	parts map[string]rowSpan
}

// rowSpan is a sheet's rows in the file.
type rowSpan struct{ off, n int64 }

func newRowFile() (*rowFile, error) {
	f, err := os.CreateTemp("", "udrul-report-sheet-")
	if err != nil {
		return nil, fmt.Errorf("a temporary file for the report's rows: %w", err)
	}
	// Unlinked at once where the system allows it, as findingLists'.
	removed := os.Remove(f.Name()) == nil
	return &rowFile{f: f, bw: bufio.NewWriterSize(f, 1<<16), removed: removed, parts: map[string]rowSpan{}}, nil
}

// close removes the file.
func (r *rowFile) close() {
	if r == nil {
		return
	}
	r.f.Close()
	if !r.removed {
		os.Remove(r.f.Name())
	}
}

// flush writes the row made in buf.
func (r *rowFile) flush() error {
	n, err := r.bw.Write(r.buf)
	r.off += int64(n)
	r.buf = r.buf[:0]
	if err != nil {
		return fmt.Errorf("keep the report's rows: %w", err)
	}
	return nil
}

// end records the rows written since off as the rows of the sheet part.
func (r *rowFile) end(part string, off int64) error {
	if _, ok := r.parts[part]; ok {
		return fmt.Errorf("the rows of %s are written twice", part)
	}
	r.parts[part] = rowSpan{off, r.off - off}
	return nil
}

// rows adds the rows of each sheet part to out, for the zip.
func (r *rowFile) rows(out map[string]io.Reader) error {
	if err := r.bw.Flush(); err != nil {
		return fmt.Errorf("keep the report's rows: %w", err)
	}
	for part, s := range r.parts {
		if _, ok := out[part]; ok {
			return fmt.Errorf("the rows of %s are written twice", part)
		}
		out[part] = io.NewSectionReader(r.f, s.off, s.n)
	}
	return nil
}

// sheetPart is the zip part of the sheet excelize made with NewSheet as
// sheetID (excelize's own naming); the zip refuses to save a workbook
// whose parts do not all take their rows.
func sheetPart(sheetID int) string { return "xl/worksheets/sheet" + strconv.Itoa(sheetID) + ".xml" }

// colNames are the column letters of the first columns.
var colNames = func() []string {
	out := make([]string, 64)
	for i := range out {
		out[i], _ = excelize.ColumnNumberToName(i + 1)
	}
	return out
}()

// startRow starts row n (1-based) in buf.
func (r *rowFile) startRow(n int) []byte {
	r.buf = append(r.buf, `<row r="`...)
	r.buf = strconv.AppendInt(r.buf, int64(n), 10)
	r.buf = append(r.buf, `">`...)
	return r.buf
}

// endRow ends the row in buf and writes it.
func (r *rowFile) endRow() error {
	r.buf = append(r.buf, `</row>`...)
	return r.flush()
}

// errCellValue is a value the rows' writer does not write.
var errCellValue = errors.New("a report cell's value cannot be written")

// cell appends the cell of column col (0-based) in row n with style and
// value v, as StreamWriter.SetRow writes a Cell{StyleID: style, Value: v}
// (or the formula cell v).
func (r *rowFile) cell(col, n, style int, v any) error {
	if col >= len(colNames) {
		return fmt.Errorf("%w: column %d", errCellValue, col+1)
	}
	b := append(r.buf, `<c r="`...)
	b = append(b, colNames[col]...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, '"')
	if style != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
	}
	switch v := v.(type) {
	case nil:
		b = append(b, `></c>`...)
	case int:
		b = append(b, `><v>`...)
		b = strconv.AppendInt(b, int64(v), 10)
		b = append(b, `</v></c>`...)
	case string:
		b = appendInlineStr(b, v)
	case excelize.Cell:
		if v.Value != nil || v.Formula == "" {
			return fmt.Errorf("%w: %T", errCellValue, v.Value)
		}
		b = append(b, ` t="str"><f>`...)
		b = appendEscaped(b, v.Formula, false)
		b = append(b, `</f></c>`...)
	default:
		return fmt.Errorf("%w: %T", errCellValue, v)
	}
	r.buf = b
	return nil
}

// appendInlineStr appends the rest of a text cell, as excelize's
// setInlineStr and writeCell make it: cut to a cell's 32,767 characters,
// space preserved when it leads or trails, escaped, and Excel's _xHHHH_
// escapes themselves escaped.
func appendInlineStr(b []byte, s string) []byte {
	if len(s) > excelize.TotalCellChars {
		s = truncateUTF16(s, excelize.TotalCellChars)
	}
	b = append(b, ` t="inlineStr"><is><t`...)
	if s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	if strings.Contains(s, "_x") {
		// Rare: escaped apart, as excelize does, then marshalled.
		b = append(b, bstrMarshal(string(appendEscaped(nil, s, true)))...)
	} else {
		b = appendEscaped(b, s, true)
	}
	return append(b, `</t></is></c>`...)
}

func isSpace(c byte) bool { return c == 9 || c == 10 || c == 13 || c == 32 }

// truncateUTF16 cuts s to at most n UTF-16 code units (excelize's
// truncateUTF16Units).
func truncateUTF16(s string, n int) string {
	cnt := 0
	for i, r := range s {
		if cnt += utf16.RuneLen(r); cnt > n {
			return s[:i]
		}
	}
	return s
}

// appendEscaped appends s escaped as encoding/xml.EscapeText does; with
// newlines set, a newline is kept as it is (excelize undoes its escape in
// text cells).
func appendEscaped(b []byte, s string, newlines bool) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		width := 1
		if c < utf8.RuneSelf {
			switch c {
			case '"':
				esc = "&#34;"
			case '\'':
				esc = "&#39;"
			case '&':
				esc = "&amp;"
			case '<':
				esc = "&lt;"
			case '>':
				esc = "&gt;"
			case '\t':
				esc = "&#x9;"
			case '\n':
				if newlines {
					i++
					continue
				}
				esc = "&#xA;"
			case '\r':
				esc = "&#xD;"
			default:
				if c < 0x20 {
					esc = "\uFFFD"
				} else {
					i++
					continue
				}
			}
		} else {
			r, w := utf8.DecodeRuneInString(s[i:])
			width = w
			if (r != utf8.RuneError || w != 1) && inCharRange(r) {
				i += w
				continue
			}
			esc = "\uFFFD"
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		i += width
		last = i
	}
	return append(b, s[last:]...)
}

// inCharRange is encoding/xml's isInCharacterRange.
func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

var (
	bstrExp       = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	bstrEscapeExp = regexp.MustCompile(`x[a-fA-F\d]{4}_`)
)

// bstrMarshal is excelize's: text that reads as Excel's escape of a
// character (_x0041_) is escaped itself (_x005F_x0041_), so that it is
// read back as written.
func bstrMarshal(s string) string {
	var out bytes.Buffer
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		out.WriteString(s[cursor:match[0]])
		sub := s[match[0]:match[1]]
		if sub == "_x005F_" {
			cursor = match[1]
			if match[1]+6 <= l && bstrEscapeExp.MatchString(s[match[1]:match[1]+6]) {
				if _, err := strconv.Unquote(`"\u` + s[match[1]+1:match[1]+5] + `"`); err == nil {
					out.WriteString(sub + "x005F" + sub)
					continue
				}
			}
			out.WriteString(sub + "x005F_")
			continue
		}
		cursor = match[1]
		if _, err := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`); err == nil {
			out.WriteString("_x005F" + sub)
		}
	}
	if cursor < l {
		out.WriteString(s[cursor:])
	}
	return out.String()
}

// row writes row n (1-based) of cells, as StreamWriter.SetRow writes them
// (nil: no cell).
func (r *rowFile) row(n int, cells []any) error {
	r.startRow(n)
	for i, v := range cells {
		if v == nil {
			continue
		}
		c, ok := v.(*excelize.Cell)
		if !ok {
			return fmt.Errorf("%w: %T", errCellValue, v)
		}
		val := c.Value
		if c.Formula != "" {
			val = *c
		}
		if err := r.cell(i, n, c.StyleID, val); err != nil {
			return err
		}
	}
	return r.endRow()
}
