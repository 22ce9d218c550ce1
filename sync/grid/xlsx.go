package grid

// The xlsx reader streams each worksheet's XML itself (an encoding/xml token
// loop over the zip entry) instead of going through excelize: excelize's
// OpenReader holds every part of the package in memory, its Rows iterator
// returns each row dense up to its last cell (a cell in column XFD costs
// 16,384 strings per row), it stops quietly at a break in the XML (a
// damaged sheet read as a shorter plan), and reading merged ranges makes it
// decode the whole worksheet. Here memory follows the cells present and the
// limits, every XML error reaches the caller, merges come in the same pass,
// and the package's relationships say where the workbook and its sheets
// are. excelize still provides the colour tables and A1 references.

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"
)

// Relationship types, by their last path element (transitional and strict
// OOXML differ only before it).
const (
	relOfficeDocument = "officeDocument"
	relWorksheet      = "worksheet"
	relSharedStrings  = "sharedStrings"
	relStyles         = "styles"
	relTheme          = "theme"
)

// date1904Shift is the days between the 1900 and 1904 date systems' zeros.
const date1904Shift = 1462

// maxStray is how many cells with values beyond the limits a sheet may have
// before it is refused: a few stray cells far away (LibreOffice writes
// them) are reported and skipped, a sheet full of them is not a plan.
const maxStray = 1000

type xlsxPackage struct {
	zr    *zip.Reader
	files map[string]*zip.File // by lower-case name
	limit int64
}

func (p *xlsxPackage) file(name string) *zip.File {
	return p.files[strings.ToLower(strings.TrimPrefix(name, "/"))]
}

// maxPart is the most a part read whole (the workbook, relationships,
// styles) may inflate to: real ones are a few hundred KB.
const maxPart = 32 << 20

// maxSST is the most text the shared strings may hold (and a sixteenth of
// it the most strings): more than any plan.
const maxSST = 64 << 20

// errPartTooLarge is a part beyond maxPart.
var errPartTooLarge = errors.New("part too large")

// readPart reads a whole (small) part: the workbook, relationships, styles.
func (p *xlsxPackage) readPart(name string) ([]byte, error) {
	f := p.file(name)
	if f == nil {
		return nil, fs404(name)
	}
	if f.UncompressedSize64 > maxPart {
		return nil, errPartTooLarge
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, min(p.limit, maxPart)))
}

// partError is the error for a part that cannot be read.
func partError(whatDa, whatEn string, err error) *Error {
	if errors.Is(err, errPartTooLarge) {
		return fail(ErrTooLarge, "%[1]s fylder mere end %[3]d MiB; det er ikke en plan.", "%[2]s takes more than %[3]d MiB; that is not a plan.", whatDa, whatEn, maxPart>>20)
	}
	if errors.Is(err, zip.ErrChecksum) {
		return badChecksum("", whatDa, whatEn, err)
	}
	return damaged("", whatDa+" kan ikke læses.", whatEn+" cannot be read.", err)
}

// badChecksum is the error for a part whose bytes are not those its
// checksum was made of: the file was changed after it was saved (a bit
// flipped on a disk or in a copy), and Excel calls it damaged too.
// Saved again, it would keep what it says now: it is fetched again.
func badChecksum(sheet, whatDa, whatEn string, err error) *Error {
	return &Error{Kind: ErrCorrupt, Sheet: sheet, cause: err, detail: [2]string{
		whatDa + " stemmer ikke med sin kontrolsum (checksum): filen er ændret eller ødelagt, efter den blev gemt, fx under en kopiering. Hent den igen, hvor den kom fra (eller bed afsenderen om den igen), og prøv igen.",
		whatEn + " does not match its checksum: the file was changed or damaged after it was saved, in a copy for instance. Get it again from where it came from (or ask its sender again), and try again."}}
}

type errMissingPart string

func (e errMissingPart) Error() string { return "missing part " + string(e) }

func fs404(name string) error { return errMissingPart(name) }

type xRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
		Mode   string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

type rel struct{ typ, target string }

// rels reads the relationships of part ("" for the package's own) and
// returns them by ID, targets resolved to part names.
func (p *xlsxPackage) rels(part string) (map[string]rel, error) {
	dir, base := path.Split(part)
	name := dir + "_rels/" + base + ".rels"
	data, err := p.readPart(name)
	if err != nil {
		var missing errMissingPart
		if errors.As(err, &missing) {
			return map[string]rel{}, nil
		}
		return nil, err
	}
	var x xRels
	if err := xml.Unmarshal(data, &x); err != nil {
		return nil, err
	}
	out := make(map[string]rel, len(x.Rels))
	for _, r := range x.Rels {
		if strings.EqualFold(r.Mode, "External") {
			continue
		}
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = path.Clean(t[1:])
		} else {
			t = path.Clean(path.Join(dir, t))
		}
		typ := r.Type[strings.LastIndex(r.Type, "/")+1:]
		out[r.ID] = rel{typ: typ, target: t}
	}
	return out, nil
}

func relOf(rels map[string]rel, typ string) string {
	for _, r := range rels {
		if r.typ == typ {
			return r.target
		}
	}
	return ""
}

type xWorkbook struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []xSheetEntry `xml:"sheets>sheet"`
}

// xlsx is what the worksheets need from the rest of the package.
type xlsx struct {
	sst    []string
	isDate []bool   // by cellXfs index
	fill   []uint32 // by cellXfs index
	look   []Look   // by cellXfs index
	// sstStruck has bit i set for shared string i struck through in its
	// rich text runs; nil when none is.
	sstStruck []uint64
	date1904  bool
	lim       Limits
}

// xlsxBook is an opened workbook whose sheets are read one at a time.
type xlsxBook struct {
	p      *xlsxPackage
	x      *xlsx
	sheets []xSheetEntry
	rels   map[string]rel
	next   int // index of the next sheet in sheets
}

type xSheetEntry struct {
	Name  string     `xml:"name,attr"`
	State string     `xml:"state,attr"`
	Attrs []xml.Attr `xml:",any,attr"`
}

// openXLSX reads everything but the worksheets: the package's directory,
// the workbook's list of sheets, the shared strings and the styles.
func openXLSX(data []byte, opts Options) (*xlsxBook, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, damaged("", "det er ikke et gyldigt zip-arkiv, som en .xlsx-fil skal være.", "it is not a valid zip archive, which an .xlsx file must be.", err)
	}
	p := &xlsxPackage{zr: zr, files: make(map[string]*zip.File, len(zr.File)), limit: opts.MaxSize}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(opts.MaxSize) {
			return nil, fail(ErrTooLarge, "den ville fylde mere end %d MiB udpakket (en zip-bombe, eller en projektmappe langt større end en plan).",
				"it would inflate to more than %d MiB (a zip bomb, or a workbook far larger than a plan).", opts.MaxSize>>20)
		}
		p.files[strings.ToLower(f.Name)] = f
	}
	rootRels, err := p.rels("")
	if err != nil {
		return nil, partError("pakkens relationer (_rels/.rels)", "the package's relationships (_rels/.rels)", err)
	}
	wbPath := relOf(rootRels, relOfficeDocument)
	if wbPath == "" || p.file(wbPath) == nil {
		wbPath = "xl/workbook.xml"
	}
	if p.file(wbPath) == nil {
		return nil, otherZip(p)
	}
	wbData, err := p.readPart(wbPath)
	if err != nil {
		return nil, partError("projektmappen ("+wbPath+")", "the workbook ("+wbPath+")", err)
	}
	var wb xWorkbook
	if err := xml.Unmarshal(wbData, &wb); err != nil {
		return nil, damaged("", "projektmappens liste over ark kan ikke læses.", "the workbook's list of sheets cannot be read.", err)
	}
	wbRels, err := p.rels(wbPath)
	if err != nil {
		return nil, partError("projektmappens relationer", "the workbook's relationships", err)
	}
	x := &xlsx{lim: opts.Limits, date1904: wb.Pr.Date1904 == "1" || strings.EqualFold(wb.Pr.Date1904, "true")}
	if part := relOf(wbRels, relSharedStrings); part != "" && p.file(part) != nil {
		if x.sst, x.sstStruck, err = readSST(p.file(part)); err != nil {
			if errors.Is(err, errPartTooLarge) {
				return nil, fail(ErrTooLarge, "tabellen over tekster (sharedStrings.xml) rummer mere end %[1]d MiB tekst; det er ikke en plan.",
					"the table of texts (sharedStrings.xml) holds more than %[1]d MiB of text; that is not a plan.", maxSST>>20)
			}
			if errors.Is(err, zip.ErrChecksum) {
				return nil, badChecksum("", "tabellen over tekster (sharedStrings.xml)", "the table of texts (sharedStrings.xml)", err)
			}
			return nil, damaged("", "tabellen over tekster (sharedStrings.xml) er ødelagt.", "the table of texts (sharedStrings.xml) is broken.", err)
		}
	}
	if part := relOf(wbRels, relStyles); part != "" && p.file(part) != nil {
		var theme []string
		if tp := relOf(wbRels, relTheme); tp != "" && p.file(tp) != nil {
			theme = readTheme(p, tp)
		}
		if err := x.readStyles(p, part, theme); err != nil {
			return nil, partError("formateringen (styles.xml)", "the formatting (styles.xml)", err)
		}
	}
	return &xlsxBook{p: p, x: x, sheets: wb.Sheets, rels: wbRels}, nil
}

// nextSheet returns the next worksheet (chart, dialog and macro sheets are
// left out) and, unless it is hidden, a reader of its rows; io.EOF after
// the last.
func (b *xlsxBook) nextSheet() (name string, hidden bool, rows *sheetReader, err error) {
	for b.next < len(b.sheets) {
		s := b.sheets[b.next]
		b.next++
		rid := ""
		for _, a := range s.Attrs {
			if a.Name.Local == "id" {
				rid = a.Value
			}
		}
		r, ok := b.rels[rid]
		if !ok {
			return "", false, nil, damaged(s.Name, "arket mangler i pakken.", "the sheet is missing from the package.", nil)
		}
		if r.typ != relWorksheet {
			continue // a chart, dialog or macro sheet: no cells
		}
		f := b.p.file(r.target)
		if f == nil {
			return "", false, nil, damaged(s.Name, "arket mangler i pakken.", "the sheet is missing from the package.", nil)
		}
		hidden := s.State == "hidden" || s.State == "veryHidden"
		if hidden {
			return s.Name, true, nil, nil
		}
		rows, err := b.x.openSheet(f, s.Name)
		if err != nil {
			return "", false, nil, err
		}
		return s.Name, false, rows, nil
	}
	return "", false, nil, io.EOF
}

func readXLSX(name string, data []byte, opts Options) (*Grid, error) {
	b, err := openXLSX(data, opts)
	if err != nil {
		return nil, err
	}
	g := &Grid{File: name, Date1904: b.x.date1904}
	for {
		sname, hidden, rows, err := b.nextSheet()
		if err == io.EOF {
			return g, nil
		}
		if err != nil {
			return nil, err
		}
		sh := Sheet{Name: sname, Hidden: hidden}
		if !hidden {
			if err := rows.readAll(&sh); err != nil {
				return nil, err
			}
			g.Warnings = append(g.Warnings, rows.warns...)
		}
		g.Sheets = append(g.Sheets, sh)
	}
}

// tokens wraps a decoder over a zip entry and tracks the depth, so a part
// that ends before its root element closes is an error, not a short read.
type tokens struct {
	dec   *xml.Decoder
	depth int
	open  []xml.Name // RawToken does not match end tags to start tags
}

var errMismatch = errors.New("element closed by another element's end tag")

func newTokens(r io.Reader) *tokens {
	d := xml.NewDecoder(r)
	d.Strict = true
	return &tokens{dec: d}
}

// next returns the next token; io.EOF only after the root element closed.
func (t *tokens) next() (xml.Token, error) {
	tok, err := t.dec.RawToken()
	if err == io.EOF {
		if t.depth != 0 {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, io.EOF
	}
	if err != nil {
		return nil, err
	}
	switch tt := tok.(type) {
	case xml.StartElement:
		t.depth++
		t.open = append(t.open, tt.Name)
	case xml.EndElement:
		if t.depth == 0 || t.open[t.depth-1] != tt.Name {
			return nil, errMismatch
		}
		t.depth--
		t.open = t.open[:t.depth]
		if t.depth == 0 {
			return tok, io.EOF
		}
	}
	return tok, nil
}

// readSST reads the shared strings, and which of them are rich text
// struck through for the most part (a bit per string, nil when none is):
// a text struck through while editing the cell is struck in its runs,
// not in the cell's style.
func readSST(f *zip.File) ([]string, []uint64, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, nil, err
	}
	defer rc.Close()
	t := newFastTokens(rc)
	defer t.x.release()
	var (
		out           []string
		struck        []uint64
		buf           []byte
		inSI, inT     bool
		inR, inRPr    bool
		runStruck     bool
		rph, total    int
		struckLetters int // bytes of the string in struck runs
	)
	for {
		tok, err := t.next()
		switch {
		case tok == nil:
		case tok.kind == tokStart:
			switch string(tok.local) {
			case "si":
				inSI, buf, struckLetters = true, buf[:0], 0
			case "t":
				inT = inSI && rph == 0
			case "rPh":
				rph++
			case "r":
				inR, runStruck = inSI && rph == 0, false
			case "rPr":
				inRPr = inR
			case "strike":
				if inRPr {
					runStruck = true
					for _, a := range tok.attrs {
						if v := strings.TrimSpace(string(a.value)); string(a.local) == "val" && (v == "0" || strings.EqualFold(v, "false")) {
							runStruck = false
						}
					}
				}
			}
		case tok.kind == tokEnd:
			switch string(tok.local) {
			case "si":
				if total += len(buf); total > maxSST || len(out) >= maxSST>>4 {
					return nil, nil, errPartTooLarge
				}
				if struckLetters > 0 && 2*struckLetters > len(bytes.TrimSpace(buf)) {
					i := len(out)
					for len(struck) <= i>>6 {
						struck = append(struck, 0)
					}
					struck[i>>6] |= 1 << (i & 63)
				}
				out = append(out, string(buf))
				inSI = false
			case "t":
				inT = false
			case "rPh":
				rph--
			case "r":
				inR = false
			case "rPr":
				inRPr = false
			}
		case tok.kind == tokText:
			if inT {
				buf = append(buf, tok.text...)
				if inR && runStruck {
					struckLetters += len(bytes.TrimSpace(tok.text))
				}
			}
		}
		if err == io.EOF {
			return out, struck, nil
		}
		if err != nil {
			return nil, nil, err
		}
	}
}

// readTheme returns the theme's colours as RRGGBB in the order cells refer
// to them (lt1, dk1, lt2, dk2, accent1…6, hlink, folHlink); nil if unreadable.
func readTheme(p *xlsxPackage, part string) []string {
	f := p.file(part)
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	t := newTokens(rc)
	var colours []string
	in, depth := false, 0
	for {
		tok, err := t.next()
		if se, ok := tok.(xml.StartElement); ok {
			switch {
			case se.Name.Local == "clrScheme":
				in, depth = true, t.depth
			case in && t.depth == depth+1:
				colours = append(colours, "")
			case in && (se.Name.Local == "srgbClr" || se.Name.Local == "sysClr") && len(colours) > 0:
				for _, a := range se.Attr {
					if (a.Name.Local == "val" && se.Name.Local == "srgbClr") || a.Name.Local == "lastClr" {
						colours[len(colours)-1] = a.Value
					}
				}
			}
		}
		if ee, ok := tok.(xml.EndElement); ok && ee.Name.Local == "clrScheme" {
			break
		}
		if err != nil {
			break
		}
	}
	if len(colours) >= 4 {
		colours[0], colours[1] = colours[1], colours[0]
		colours[2], colours[3] = colours[3], colours[2]
	}
	return colours
}

type xColor struct {
	RGB     string  `xml:"rgb,attr"`
	Indexed *int    `xml:"indexed,attr"`
	Theme   *int    `xml:"theme,attr"`
	Tint    float64 `xml:"tint,attr"`
}

type xStyles struct {
	NumFmts []xNumFmt `xml:"numFmts>numFmt"`
	Fonts   []xFont   `xml:"fonts>font"`
	Fills   []xFill   `xml:"fills>fill"`
	Xfs     []xXf     `xml:"cellXfs>xf"`
}

// xFont is a font of styles.xml; only its strike-through is read.
type xFont struct {
	Strike *xBoolProp `xml:"strike"`
}

// xBoolProp is a boolean property element: present is true unless its val
// says 0 or false.
type xBoolProp struct {
	Val string `xml:"val,attr"`
}

// on reports whether the property is set.
func (b *xBoolProp) on() bool {
	if b == nil {
		return false
	}
	v := strings.TrimSpace(b.Val)
	return v != "0" && !strings.EqualFold(v, "false")
}

type xNumFmt struct {
	ID   int    `xml:"numFmtId,attr"`
	Code string `xml:"formatCode,attr"`
}

type xFill struct {
	Pattern *xPattern `xml:"patternFill"`
}

type xPattern struct {
	Type string `xml:"patternType,attr"`
	Fg   xColor `xml:"fgColor"`
}

type xXf struct {
	NumFmt int `xml:"numFmtId,attr"`
	Font   int `xml:"fontId,attr"`
	Fill   int `xml:"fillId,attr"`
}

func (x *xlsx) readStyles(p *xlsxPackage, part string, theme []string) error {
	f := p.file(part)
	if f == nil {
		return fs404(part)
	}
	if f.UncompressedSize64 > maxPart {
		return errPartTooLarge
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	st, err := decodeStyles(io.LimitReader(rc, min(p.limit, maxPart)))
	if err != nil {
		return err
	}
	const isDate, isPct = 1, 2
	custom := map[int]uint8{}
	for _, nf := range st.NumFmts {
		var k uint8
		if isDateFormat(nf.Code) {
			k |= isDate
		}
		if isPercentFormat(nf.Code) {
			k |= isPct
		}
		custom[nf.ID] = k
	}
	fills := make([]uint32, len(st.Fills))
	for i, f := range st.Fills {
		if f.Pattern != nil && f.Pattern.Type == "solid" {
			fills[i] = colour(f.Pattern.Fg, theme)
		}
	}
	x.isDate = make([]bool, len(st.Xfs))
	x.fill = make([]uint32, len(st.Xfs))
	x.look = make([]Look, len(st.Xfs))
	for i, xf := range st.Xfs {
		pct := false
		if k, ok := custom[xf.NumFmt]; ok {
			x.isDate[i], pct = k&isDate != 0, k&isPct != 0
		} else {
			x.isDate[i], pct = builtinDate(xf.NumFmt), xf.NumFmt == 9 || xf.NumFmt == 10
		}
		if pct {
			x.look[i] |= LookPercent
		}
		if xf.Font >= 0 && xf.Font < len(st.Fonts) && st.Fonts[xf.Font].Strike.on() {
			x.look[i] |= LookStruck
		}
		if xf.Fill >= 0 && xf.Fill < len(fills) {
			x.fill[i] = fills[xf.Fill]
		}
	}
	return nil
}

// decodeStyles reads what xml.Unmarshal into xStyles reads — the same
// values, and an error where it gives one — in one pass of the tokenizer
// that looks only at the number formats, fills and cell formats and
// reflects on nothing: styles.xml has a dozen other sections and, as
// excelize writes it, two dozen namespace declarations, and unmarshalling
// it was a seventh of the CPU of reading a small plan.
func decodeStyles(r io.Reader) (xStyles, error) {
	var st xStyles
	t := newFastTokens(r)
	defer t.x.release()
	var path [4]string // the local names of the open elements, from the root
	root := false
	fontsCap := 0
	for {
		tok, err := t.next()
		if tok != nil && tok.kind == tokStart {
			root = true
			d := t.depth // the root is 1
			if d <= len(path) {
				path[d-1] = string(tok.local)
			}
			var e error
			switch local := string(tok.local); {
			case d == 3 && path[1] == "numFmts" && local == "numFmt":
				st.NumFmts = append(st.NumFmts, xNumFmt{})
				nf := &st.NumFmts[len(st.NumFmts)-1]
				for _, a := range tok.attrs {
					switch string(a.local) {
					case "numFmtId":
						nf.ID, e = attrInt(string(a.value), e)
					case "formatCode":
						nf.Code = string(a.value)
					}
				}
			case d == 2 && local == "fonts" && st.Fonts == nil:
				// Room for the fonts it counts (a few): one allocation.
				for _, a := range tok.attrs {
					if n, err := strconv.Atoi(string(a.value)); string(a.local) == "count" && err == nil && n > 1 {
						fontsCap = min(n, 64)
					}
				}
			case d == 3 && path[1] == "fonts" && local == "font":
				if st.Fonts == nil && fontsCap > 0 {
					st.Fonts = make([]xFont, 0, fontsCap)
				}
				st.Fonts = append(st.Fonts, xFont{})
			case d == 4 && path[1] == "fonts" && path[2] == "font" && local == "strike":
				f := &st.Fonts[len(st.Fonts)-1]
				if f.Strike == nil {
					f.Strike = &xBoolProp{}
				}
				for _, a := range tok.attrs {
					if string(a.local) == "val" {
						f.Strike.Val = string(a.value)
					}
				}
			case d == 3 && path[1] == "fills" && local == "fill":
				st.Fills = append(st.Fills, xFill{})
			case d == 4 && path[1] == "fills" && path[2] == "fill" && local == "patternFill":
				f := &st.Fills[len(st.Fills)-1]
				if f.Pattern == nil {
					f.Pattern = &xPattern{}
				}
				for _, a := range tok.attrs {
					if string(a.local) == "patternType" {
						f.Pattern.Type = string(a.value)
					}
				}
			case d == 5 && path[1] == "fills" && path[2] == "fill" && path[3] == "patternFill" && local == "fgColor":
				c := &st.Fills[len(st.Fills)-1].Pattern.Fg
				for _, a := range tok.attrs {
					switch string(a.local) {
					case "rgb":
						c.RGB = string(a.value)
					case "indexed":
						if c.Indexed == nil {
							c.Indexed = new(int)
						}
						*c.Indexed, e = attrInt(string(a.value), e)
					case "theme":
						if c.Theme == nil {
							c.Theme = new(int)
						}
						*c.Theme, e = attrInt(string(a.value), e)
					case "tint":
						if string(a.value) == "" {
							c.Tint = 0
						} else if v, err := strconv.ParseFloat(strings.TrimSpace(string(a.value)), 64); err != nil {
							e = cmp.Or(e, err)
						} else {
							c.Tint = v
						}
					}
				}
			case d == 3 && path[1] == "cellXfs" && local == "xf":
				st.Xfs = append(st.Xfs, xXf{})
				xf := &st.Xfs[len(st.Xfs)-1]
				for _, a := range tok.attrs {
					switch string(a.local) {
					case "numFmtId":
						xf.NumFmt, e = attrInt(string(a.value), e)
					case "fontId":
						xf.Font, e = attrInt(string(a.value), e)
					case "fillId":
						xf.Fill, e = attrInt(string(a.value), e)
					}
				}
			}
			if e != nil {
				return st, e
			}
		}
		if err == io.EOF {
			if !root {
				return st, io.EOF
			}
			return st, nil
		}
		if err != nil {
			return st, err
		}
	}
}

// attrInt reads an integer attribute as xml.Unmarshal does (empty is 0,
// spaces around it allowed); an earlier error is kept.
func attrInt(v string, prev error) (int, error) {
	if v == "" {
		return 0, prev
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, cmp.Or(prev, err)
	}
	return int(n), prev
}

// colour resolves a fill colour to 0xRRGGBB|FillSet, or 0.
func colour(c xColor, theme []string) uint32 {
	hex := ""
	switch {
	case len(c.RGB) == 8:
		hex = c.RGB[2:]
	case len(c.RGB) == 6:
		hex = c.RGB
	case c.Theme != nil && *c.Theme >= 0 && *c.Theme < len(theme) && len(theme[*c.Theme]) == 6:
		hex = excelize.ThemeColor(theme[*c.Theme], c.Tint)
		hex = hex[len(hex)-6:]
	case c.Indexed != nil && *c.Indexed >= 0 && *c.Indexed < len(excelize.IndexedColorMapping):
		hex = excelize.IndexedColorMapping[*c.Indexed]
	}
	if hex == "" {
		return 0
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return 0
	}
	return uint32(v) | FillSet
}

// builtinDate reports whether a built-in number format shows a date.
func builtinDate(id int) bool {
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)
}

// isDateFormat reports whether a custom number format shows a date: it
// has a day or year, or a month outside a time, once quoted text, escapes
// and [colour]/[locale] sections are removed.
func isDateFormat(code string) bool {
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i]
	}
	var b strings.Builder
	inQuote, inBracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQuote:
			inQuote = c != '"'
		case inBracket:
			inBracket = c != ']'
		case c == '"':
			inQuote = true
		case c == '[':
			inBracket = true
		case c == '\\' || c == '_' || c == '*':
			i++
		default:
			b.WriteByte(c | 0x20)
		}
	}
	s := b.String()
	if strings.ContainsAny(s, "dy") {
		return true
	}
	return strings.Contains(s, "m") && !strings.ContainsAny(s, "hs")
}

// isPercentFormat reports whether a custom number format shows a
// percentage: a % in its first section outside quoted text and escapes.
func isPercentFormat(code string) bool {
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i]
	}
	inQuote := false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case inQuote:
			inQuote = c != '"'
		case c == '"':
			inQuote = true
		case c == '\\' || c == '_' || c == '*':
			i++
		case c == '%':
			return true
		}
	}
	return false
}

// colCell is a cell waiting for its row to end.
type colCell struct {
	col  int
	cell Cell
}

// sheetReader streams one worksheet's rows, within the limits.
type sheetReader struct {
	x    *xlsx
	f    *zip.File
	name string
	rc   io.ReadCloser
	t    *fastTokens

	row, nextCol, cells  int
	inData, inCell, inIS bool
	inV, inT             bool
	rph                  int
	c                    struct {
		col, style int
		typ        string
		v          []byte
		// formula: the cell has a formula; value: it has a value (a
		// v element, or an inline string's is).
		formula, value bool
	}
	pending               []colCell
	root                  bool
	stray, strayR, strayC int
	dimRows               int // the last row the sheet's dimension names

	// merges are the sheet's merged ranges, complete once the rows end.
	merges []Merge
	// warns are what was read past, complete once the rows end.
	warns []Warning
	done  error // io.EOF once the sheet ended, or the error that ended it
}

func (x *xlsx) openSheet(f *zip.File, name string) (*sheetReader, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, damaged(name, "arket kan ikke pakkes ud.", "the sheet cannot be inflated.", err)
	}
	return &sheetReader{x: x, f: f, name: name, rc: rc, t: newFastTokens(rc)}, nil
}

// readAll reads the whole sheet into sh: rows in any order, each once.
func (s *sheetReader) readAll(sh *Sheet) error {
	for {
		row, cells, err := s.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if row <= len(sh.Rows) && sh.Rows[row-1] != nil {
			s.close()
			return damaged(sh.Name, fmt.Sprintf("række %d står to gange i arket.", row), fmt.Sprintf("row %d appears twice in the sheet.", row), nil)
		}
		for len(sh.Rows) < row {
			sh.Rows = append(sh.Rows, nil)
		}
		sh.Rows[row-1] = cells
	}
	for len(sh.Rows) > 0 && sh.Rows[len(sh.Rows)-1] == nil {
		sh.Rows = sh.Rows[:len(sh.Rows)-1]
	}
	sh.Merges = s.merges
	s.warns = append(s.warns, sh.hideMerged()...)
	return nil
}

func (s *sheetReader) close() {
	if s.rc != nil {
		s.rc.Close()
		s.rc = nil
		s.t.x.release()
	}
}

// flush ends a row: it returns its cells (nil when none is kept).
func (s *sheetReader) flush() ([]Cell, error) {
	x, row := s.x, s.row
	if len(s.pending) == 0 {
		return nil, nil
	}
	n := 0
	for _, pc := range s.pending {
		if row > x.lim.Rows || pc.col > x.lim.Columns {
			if pc.cell.Kind != Empty {
				if s.stray == 0 {
					s.strayR, s.strayC = row, pc.col
				}
				s.stray++
			}
			continue
		}
		n = max(n, pc.col)
	}
	if s.stray > maxStray {
		return nil, tooManyStray(x.lim, s.strayR, s.strayC).in(s.name, "")
	}
	if n == 0 {
		s.pending = s.pending[:0]
		return nil, nil
	}
	s.cells += n
	if s.cells > x.lim.Cells {
		return nil, tooManyCells(x.lim).in(s.name, Ref(row, n))
	}
	out := make([]Cell, n)
	for _, pc := range s.pending {
		if pc.col <= n {
			out[pc.col-1] = pc.cell
		}
	}
	s.pending = s.pending[:0]
	return out, nil
}

// next returns the next row with cells kept, in the order of the file (row
// numbers may repeat or go back in a damaged or odd file: readAll decides),
// and io.EOF after the last. Its errors are *Error values naming the sheet.
func (s *sheetReader) next() (int, []Cell, error) {
	if s.done != nil {
		return 0, nil, s.done
	}
	row, cells, err := s.scan()
	if err != nil {
		s.done = err
		s.close()
	}
	return row, cells, err
}

func (s *sheetReader) scan() (int, []Cell, error) {
	t, c := s.t, &s.c
	for {
		tok, err := t.next()
		switch {
		case tok == nil:
		case tok.kind == tokStart:
			if t.depth == 1 {
				if string(tok.local) != "worksheet" {
					return 0, nil, damaged(s.name, "delen, der skulle være arket, er ikke et regneark.", "the part that should be the sheet is not a worksheet.", nil)
				}
				s.root = true
			}
			switch string(tok.local) {
			case "sheetData":
				s.inData = true
			case "dimension":
				for _, a := range tok.attrs {
					if m, ok := parseRange(string(a.value)); ok && string(a.local) == "ref" {
						s.dimRows = m.Bottom
					}
				}
			case "row":
				if !s.inData {
					break
				}
				r := s.row + 1
				for _, a := range tok.attrs {
					if string(a.local) == "r" {
						if v, ok := atoi(a.value); ok && v > 0 && v <= 1<<20 {
							r = v
						} else {
							return 0, nil, damaged(s.name, fmt.Sprintf("en række har et ugyldigt nummer (%.20q).", a.value), fmt.Sprintf("a row has an invalid number (%.20q).", a.value), nil)
						}
					}
				}
				s.row, s.nextCol = r, 1
			case "c":
				if !s.inData || s.row == 0 {
					break
				}
				s.inCell = true
				c.col, c.style, c.typ, c.v, c.formula, c.value = s.nextCol, 0, "", c.v[:0], false, false
				for _, a := range tok.attrs {
					switch string(a.local) {
					case "r":
						rr, cc, ok := parseRef(string(a.value))
						if !ok || rr != s.row {
							return 0, nil, damaged(s.name, fmt.Sprintf("en celle i række %d har en ugyldig adresse (%.20q).", s.row, a.value), fmt.Sprintf("a cell in row %d has an invalid reference (%.20q).", s.row, a.value), nil)
						}
						c.col = cc
					case "t":
						c.typ = cellType(a.value)
					case "s":
						st, ok := atoi(a.value)
						if !ok || st < 0 {
							return 0, nil, damaged(s.name, "en celle har en ugyldig formatering.", "a cell has an invalid style.", nil)
						}
						c.style = st
					}
				}
			case "v":
				s.inV = s.inCell
				c.value = c.value || s.inCell
			case "is":
				s.inIS = s.inCell
				c.value = c.value || s.inCell
			case "f":
				c.formula = c.formula || s.inCell
			case "t":
				s.inT = s.inIS && s.rph == 0
			case "rPh":
				s.rph++
			case "mergeCell":
				for _, a := range tok.attrs {
					if string(a.local) == "ref" {
						if m, ok := parseRange(string(a.value)); ok {
							s.merges = append(s.merges, m)
						}
					}
				}
			}
		case tok.kind == tokEnd:
			switch string(tok.local) {
			case "sheetData":
				s.inData = false
			case "row":
				if s.inData {
					out, e := s.flush()
					if e != nil {
						return 0, nil, e
					}
					if out != nil && err == nil {
						return s.row, out, nil
					}
				}
			case "c":
				if !s.inCell {
					break
				}
				s.inCell = false
				s.nextCol = c.col + 1
				cell, e := s.x.cell(c.typ, c.style, c.v)
				if e != nil {
					return 0, nil, e.in(s.name, Ref(s.row, c.col))
				}
				// A formula saved without the value it gives (by a program
				// that does not calculate: a script, an export) is empty
				// here, which it is not in Excel: marked, for the parser
				// to say so.
				cell.Uncomputed = c.formula && !c.value
				if cell.Kind != Empty || cell.Fill != 0 || cell.Uncomputed {
					s.pending = append(s.pending, colCell{c.col, cell})
				}
			case "v":
				s.inV = false
			case "is":
				s.inIS = false
			case "t":
				s.inT = false
			case "rPh":
				s.rph--
			}
		case tok.kind == tokText:
			if s.inV || s.inT {
				c.v = append(c.v, tok.text...)
			}
		}
		if err == io.EOF {
			break
		}
		if errors.Is(err, zip.ErrChecksum) {
			return 0, nil, badChecksum(s.name, "arkets indhold", "the sheet's content", err)
		}
		if err != nil {
			what := [2]string{"arkets indhold holder op midt i det (filen er afkortet).", "the sheet's content stops part-way (the file is truncated)."}
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				line := t.x.line()
				what = [2]string{fmt.Sprintf("arkets XML er ugyldig ved linje %d (fx et tegn som &nbsp; der ikke hører til i et regneark).", line),
					fmt.Sprintf("the sheet's XML is invalid at line %d (for example an entity such as &nbsp; that has no place in a spreadsheet).", line)}
			}
			return 0, nil, damaged(s.name, what[0], what[1], err)
		}
	}
	if !s.root {
		return 0, nil, damaged(s.name, "arket er tomt, ikke engang et tomt regneark.", "the sheet's part is empty, not even an empty worksheet.", nil)
	}
	if s.stray > 0 {
		s.warns = []Warning{beyondLimits(s.name, s.stray, s.x.lim, s.strayR, s.strayC)}
	}
	return 0, nil, io.EOF
}

// rowsHint guesses how many rows the sheet has: the rows its dimension
// names if it is past the rows read, or else as many as the rest of its
// XML holds at the size of the rows so far; never more than its XML could
// hold (a row takes at least 40 bytes) or the limits allow.
func (s *sheetReader) rowsHint() int {
	size := s.f.UncompressedSize64
	n := uint64(s.dimRows)
	if s.dimRows <= s.row && s.row > 0 {
		read := uint64(max(s.t.x.offset(), 1))
		n = uint64(s.row) + (max(size, read)-read)*uint64(s.row)/read
	}
	return int(min(n, size/40, uint64(s.x.lim.Rows)))
}

func appendMerge(merges []Merge, se xml.StartElement) []Merge {
	for _, a := range se.Attr {
		if a.Name.Local == "ref" {
			if m, ok := parseRange(a.Value); ok {
				merges = append(merges, m)
			}
		}
	}
	return merges
}

// scanMerges reads a worksheet's merged ranges alone: they come after its
// rows, so a reader streaming the rows that needs them before it gets there
// reads the part a second time. It inflates the part looking for the first
// "mergeCells" and tokenizes only from the element's '<' on (inflating is a
// tenth of tokenizing; tokenizing the whole sheet again for its merges cost
// a seventh of reading it). The result is a guess the caller must check
// against the merges the rows' own read finds: the word might
// stand in a comment or CDATA section, or a sheet hold two lists. A break
// in the XML ends the scan quietly (the merges found so far): the rows' own
// read reports it.
// mergeBufs are scanMerges' buffers (37 MB of a first sync's allocations of
// 600 plans when each scan made its own).
var mergeBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

func scanMerges(f *zip.File) []Merge {
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	word := []byte("mergeCells")
	const back = 64 // how far before the word its '<' may be (a prefix)
	bp := mergeBufs.Get().(*[]byte)
	defer mergeBufs.Put(bp)
	buf := *bp
	keep := 0 // bytes kept from the previous chunk, for a word across chunks
	for {
		n, err := io.ReadFull(rc, buf[keep:])
		chunk := buf[:keep+n]
		if i := bytes.Index(chunk, word); i >= 0 {
			lt := bytes.LastIndexByte(chunk[max(0, i-back):i], '<')
			if lt < 0 {
				return nil // the caller's check finds the merges missing
			}
			rest := chunk[max(0, i-back)+lt:]
			return mergesIn(io.MultiReader(bytes.NewReader(rest), rc))
		}
		if err != nil {
			return nil
		}
		keep = min(len(chunk), back+len(word))
		copy(buf, chunk[len(chunk)-keep:])
	}
}

// mergesIn reads the mergeCell elements of the element r starts with.
func mergesIn(r io.Reader) []Merge {
	t := newTokens(r)
	var merges []Merge
	for {
		tok, err := t.next()
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "mergeCell" {
			merges = appendMerge(merges, se)
		}
		if err != nil {
			return merges
		}
	}
}

// cell types a cell's value by its type attribute and style.
func (x *xlsx) cell(typ string, style int, v []byte) (Cell, *Error) {
	var fill uint32
	var look Look
	isDate := false
	if style < len(x.fill) {
		fill, isDate, look = x.fill[style], x.isDate[style], x.look[style]
	}
	var c Cell
	switch typ {
	case "s":
		if len(v) == 0 {
			break
		}
		i, err := strconv.Atoi(strings.TrimSpace(string(v)))
		if err != nil || i < 0 || i >= len(x.sst) {
			return c, damaged("", "en celle henviser til en tekst, der ikke findes.", "a cell refers to a text that does not exist.", nil)
		}
		c = typeNumber(x.sst[i])
		if i>>6 < len(x.sstStruck) && x.sstStruck[i>>6]&(1<<(i&63)) != 0 {
			look |= LookStruck
		}
	case "inlineStr", "str":
		c = typeNumber(string(v))
	case "b":
		switch string(v) {
		case "1", "true":
			c = Cell{Kind: Bool, Text: "TRUE", Num: 1}
		case "0", "false":
			c = Cell{Kind: Bool, Text: "FALSE"}
		}
	case "e":
		if len(v) > 0 {
			c = Cell{Kind: Text, Text: string(v)}
		}
	case "d":
		if len(v) == 0 {
			break
		}
		s := string(v)
		tm, err := time.Parse("2006-01-02T15:04:05", s[:min(len(s), 19)])
		if err != nil {
			if tm, err = time.Parse("2006-01-02", s[:min(len(s), 10)]); err != nil {
				c = Cell{Kind: Text, Text: s}
				break
			}
		}
		serial := tm.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
		c = Cell{Kind: Date, Text: strconv.FormatFloat(serial, 'f', -1, 64), Num: serial}
	default: // "n" or none: a number
		if len(v) == 0 {
			break
		}
		c = typeNumber(string(v))
		c.AsText = false // the file's number
		if c.Kind == Number && isDate {
			c.Kind = Date
			if x.date1904 {
				c.Num += date1904Shift
				c.Text = strconv.FormatFloat(c.Num, 'f', -1, 64)
			}
		}
	}
	c.Fill, c.Look = fill, look
	return c, nil
}

// parseRef reads an A1 reference ("XFD1048576") without allocating.
func parseRef(s string) (row, col int, ok bool) {
	i := 0
	for ; i < len(s) && i < 3; i++ {
		ch := s[i] | 0x20
		if ch < 'a' || ch > 'z' {
			break
		}
		col = col*26 + int(ch-'a'+1)
	}
	if i == 0 || i == len(s) || len(s)-i > 7 {
		return 0, 0, false
	}
	for _, ch := range s[i:] {
		if ch < '0' || ch > '9' {
			return 0, 0, false
		}
		row = row*10 + int(ch-'0')
	}
	return row, col, row > 0 && row <= 1<<20 && col <= 16384
}

// parseRange reads "A1:C3" or "A1".
func parseRange(s string) (Merge, bool) {
	a, b, found := strings.Cut(s, ":")
	if !found {
		b = a
	}
	r1, c1, ok1 := parseRef(a)
	r2, c2, ok2 := parseRef(b)
	if !ok1 || !ok2 {
		return Merge{}, false
	}
	return Merge{Top: min(r1, r2), Left: min(c1, c2), Bottom: max(r1, r2), Right: max(c1, c2)}, true
}

// atoi is strconv.Atoi of a value held as bytes, without a string for the
// common short ones.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		n, err := strconv.Atoi(string(b))
		return n, err == nil
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			n, err := strconv.Atoi(string(b))
			return n, err == nil
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// cellType is a cell's type attribute as a string, the known ones without
// allocating.
func cellType(b []byte) string {
	for _, t := range [...]string{"s", "n", "str", "inlineStr", "b", "e", "d"} {
		if string(b) == t {
			return t
		}
	}
	return string(b)
}
