package grid

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding names, as DecodeText reports them.
const (
	EncUTF8        = "utf-8"
	EncUTF8BOM     = "utf-8 (bom)"
	EncUTF16       = "utf-16"
	EncWindows1252 = "windows-1252"
)

// textBody is a text file's bytes once its encoding is decided: UTF-8 (with
// any invalid bytes replaced by U+FFFD) or Windows-1252, to be decoded as
// it is read.
type textBody struct {
	data     []byte
	enc      string
	cp1252   bool
	invalid  int // invalid UTF-8 sequences replaced
	multi    int // valid multi-byte UTF-8 sequences
	mixed    bool
	crOnly   bool
	utf16Err error
}

// decideEncoding reads the evidence: a byte order mark decides; otherwise
// a file that is valid UTF-8 is UTF-8, one with more valid multi-byte UTF-8
// characters (æ, ø, å) than invalid bytes is UTF-8 with those bytes
// replaced (and a warning for each cell), and one with no valid multi-byte
// character, or more invalid bytes than valid ones, is Windows-1252 (what
// Danish Excel writes as "CSV"). One stray byte never turns a UTF-8 file
// into mojibake.
func decideEncoding(data []byte) textBody {
	b := textBody{data: data, enc: EncUTF8}
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		b.data, b.enc = data[3:], EncUTF8BOM
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, _, err := transform.Bytes(dec, data)
		b.data, b.enc, b.utf16Err = out, EncUTF16, err
	}
	if b.enc != EncUTF16 {
		for i := 0; i < len(b.data); {
			c := b.data[i]
			if c < utf8.RuneSelf {
				i++
				continue
			}
			r, n := utf8.DecodeRune(b.data[i:])
			if r == utf8.RuneError && n <= 1 {
				b.invalid++
			} else {
				b.multi++
			}
			i += max(n, 1)
		}
		switch {
		case b.invalid == 0:
		case b.multi > b.invalid || b.enc == EncUTF8BOM:
			b.data = bytes.ToValidUTF8(b.data, []byte("\uFFFD"))
		default:
			b.enc, b.cp1252, b.mixed = EncWindows1252, true, b.multi > 0
		}
	}
	b.crOnly = bytes.IndexByte(b.data, '\n') < 0 && bytes.IndexByte(b.data, '\r') >= 0
	return b
}

// reader returns the body as UTF-8 text, line breaks normalised.
func (b textBody) reader() io.Reader {
	var r io.Reader = bytes.NewReader(b.data)
	if b.cp1252 {
		r = transform.NewReader(r, charmap.Windows1252.NewDecoder())
	}
	if b.crOnly {
		r = crReader{r}
	}
	return r
}

// sample returns the first bytes of the text, decoded.
func (b textBody) sample(n int) string {
	head := b.data[:min(len(b.data), n)]
	if b.cp1252 {
		out, _, _ := transform.Bytes(charmap.Windows1252.NewDecoder(), head)
		head = out
	}
	s := string(head)
	if b.crOnly {
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s
}

// crReader turns old Mac line endings (CR only) into line feeds.
type crReader struct{ r io.Reader }

func (c crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// DecodeText turns the bytes of a text file into UTF-8 (see decideEncoding)
// and names the encoding it decided on.
func DecodeText(data []byte) (string, string, error) {
	b := decideEncoding(data)
	if b.utf16Err != nil {
		return "", EncUTF16, fail(ErrCorrupt, "ugyldig UTF-16", "invalid UTF-16").because(b.utf16Err)
	}
	out, err := io.ReadAll(b.reader())
	if err != nil {
		return "", b.enc, fail(ErrCorrupt, "", "").because(err)
	}
	return string(out), b.enc, nil
}

// DetectDelimiter picks the field separator of CSV text among ';', ',' and
// tab: the one that splits the first lines into the most fields, most
// consistently, with quoted fields respected.
func DetectDelimiter(text string) rune {
	sample := text
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	best, bestScore := ';', -1.0
	for _, d := range []rune{';', ',', '\t'} {
		if !strings.ContainsRune(sample, d) {
			continue
		}
		r := csv.NewReader(strings.NewReader(sample))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord, r.ReuseRecord = d, true, -1, true
		counts := map[int]int{}
		records := 0
		for records < 50 {
			rec, err := r.Read()
			if err != nil {
				break // io.EOF, or a record cut by the sample's end
			}
			records++
			if len(rec) > 1 {
				counts[len(rec)]++
			}
		}
		if records == 0 {
			continue
		}
		// Score: the most common field count (>1), weighted by how many
		// records have it.
		for n, c := range counts {
			score := float64(c) / float64(records) * float64(n)
			if score > bestScore {
				best, bestScore = d, score
			}
		}
	}
	return best
}

// openCSV decides a text file's encoding and delimiter and returns a reader
// of its rows, as one sheet named after the file, and the warnings known
// before the rows are read.
func openCSV(name string, data []byte, opts Options) (*csvReader, []Warning, error) {
	b := decideEncoding(data)
	if b.utf16Err != nil {
		return nil, nil, damaged("", "teksten er ugyldig UTF-16.", "the text is invalid UTF-16.", b.utf16Err)
	}
	sample := b.sample(64 << 10)
	if strings.ContainsRune(sample[:min(len(sample), 4096)], 0) {
		return nil, nil, fail(ErrNotSpreadsheet, "den indeholder binære data", "it contains binary data")
	}
	sheet := strings.TrimSuffix(name, filepath.Ext(name))
	lim := opts.withDefaults().Limits
	r := newCSVReader(b.reader(), DetectDelimiter(sample), lim, sheet, b.invalid > 0 && !b.cp1252)
	eol := byte('\n')
	if b.crOnly {
		eol = '\r'
	}
	r.lines = min(bytes.Count(b.data, []byte{eol})+1, lim.Rows)
	var warns []Warning
	if b.mixed {
		warns = append(warns, warn(sheet, 0, 0, CodeMixedEncoding,
			"filen blander tegnsæt (%[1]d tegn er gyldig UTF-8, %[2]d byte er ikke); den er læst som Windows-1252. Gem den igen som CSV UTF-8.",
			"the file mixes encodings (%[1]d characters are valid UTF-8, %[2]d bytes are not); it was read as Windows-1252. Save it again as CSV UTF-8.",
			b.multi, b.invalid))
	}
	return r, warns, nil
}

// readCSV reads delimited text as one sheet named after the file.
func readCSV(name string, data []byte, opts Options) (*Grid, error) {
	r, warns, err := openCSV(name, data, opts)
	if err != nil {
		return nil, err
	}
	rows, err := r.readAll()
	if err != nil {
		return nil, err
	}
	g := &Grid{File: name, Sheets: []Sheet{{Name: r.sheet, Rows: rows}}}
	g.Warnings = append(warns, r.warns...)
	return g, nil
}

// ParseCSV splits text into rows of cells with the given delimiter. Quoted
// fields may hold delimiters, quotes and line breaks; a stray quote inside an
// unquoted field is kept as text. The default limits apply.
func ParseCSV(text string, delim rune) ([][]Cell, error) {
	rows, _, err := parseCSV(strings.NewReader(text), delim, Options{}.withDefaults().Limits, "", false)
	return rows, err
}

// errLongLine is a line beyond MaxLineBytes.
var errLongLine = errors.New("line too long")

// lineLimiter stops a read when a line grows beyond MaxLineBytes, before the
// CSV reader buffers it whole.
// It also stops a record (a row, which quoted line breaks may spread over
// several lines) growing beyond MaxRecordBytes: a quote that is never
// closed would otherwise make the rest of the file one field.
type lineLimiter struct {
	r        io.Reader
	run      int   // bytes since the last line feed
	line     int   // line feeds seen
	total    int64 // bytes read
	recStart int64 // where the record being read starts
}

// errLongRecord is a record beyond MaxRecordBytes.
var errLongRecord = errors.New("record too long")

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.run = 0
			l.line++
		} else if l.run++; l.run > MaxLineBytes {
			return 0, errLongLine
		}
	}
	l.total += int64(n)
	if l.total-l.recStart > MaxRecordBytes+64<<10 { // the CSV reader reads ahead
		return 0, errLongRecord
	}
	return n, err
}

// maxTextWarnings is how many cells with replaced bytes are named one by one.
const maxTextWarnings = 10

func parseCSV(in io.Reader, delim rune, lim Limits, sheet string, replaced bool) ([][]Cell, []Warning, error) {
	r := newCSVReader(in, delim, lim, sheet, replaced)
	rows, err := r.readAll()
	if err != nil {
		return nil, nil, err
	}
	return rows, r.warns, nil
}

// csvReader streams the rows of delimited text, within the limits.
type csvReader struct {
	ll       *lineLimiter
	r        *csv.Reader
	lim      Limits
	sheet    string
	replaced bool

	row, lastEnd, cells   int
	stray, strayR, strayC int
	badText               int

	// warns are what was read past, complete once the rows end.
	warns []Warning
	done  error
	lines int // how many rows the text could hold, within the limits
}

func newCSVReader(in io.Reader, delim rune, lim Limits, sheet string, replaced bool) *csvReader {
	ll := &lineLimiter{r: in}
	r := csv.NewReader(ll)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord, r.ReuseRecord = delim, true, -1, true
	return &csvReader{ll: ll, r: r, lim: lim, sheet: sheet, replaced: replaced}
}

// readAll reads every row, from row 1.
func (c *csvReader) readAll() ([][]Cell, error) {
	var rows [][]Cell
	for {
		row, cells, err := c.next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		for len(rows) < row-1 {
			rows = append(rows, nil)
		}
		rows = append(rows, cells)
	}
}

// next returns the next row with cells (row numbers as a spreadsheet shows
// them, ascending), and io.EOF after the last. An error names the sheet.
func (c *csvReader) next() (int, []Cell, error) {
	if c.done != nil {
		return 0, nil, c.done
	}
	row, cells, err := c.scan()
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Sheet == "" {
			e.Sheet = c.sheet
		}
		c.done = err
	}
	return row, cells, err
}

func (c *csvReader) scan() (int, []Cell, error) {
	r, ll, lim := c.r, c.ll, c.lim
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errLongLine) {
			return 0, nil, fail(ErrTooLarge, "linje %[1]d er længere end %[2]d byte; det er ikke en plan (måske et felt uden afsluttende anførselstegn)",
				"line %[1]d is longer than %[2]d bytes; that is not a plan (perhaps a field without its closing quote)", ll.line+1, MaxLineBytes)
		}
		if errors.Is(err, errLongRecord) {
			return 0, nil, fail(ErrTooLarge, "rækken efter række %[1]d er længere end %[2]d byte; det er ikke en plan (måske et felt uden afsluttende anførselstegn)",
				"the row after row %[1]d is longer than %[2]d bytes; that is not a plan (perhaps a field without its closing quote)", c.row, MaxRecordBytes)
		}
		if err != nil {
			return 0, nil, fail(ErrCorrupt, "række %[1]d kan ikke læses", "row %[1]d cannot be read", c.row+1).because(err)
		}
		ll.recStart = r.InputOffset()
		// encoding/csv skips blank lines; a spreadsheet shows them as empty
		// rows, and row numbers must match what the user sees.
		start, _ := r.FieldPos(0)
		endLine, _ := r.FieldPos(len(rec) - 1)
		endLine += strings.Count(rec[len(rec)-1], "\n")
		c.row += max(start-c.lastEnd-1, 0) + 1
		c.lastEnd = endLine
		row := c.row
		n := len(rec)
		for n > 0 && strings.TrimSpace(rec[n-1]) == "" {
			n--
		}
		if n == 0 {
			continue
		}
		if row > lim.Rows || n > lim.Columns {
			for i := range rec[:n] {
				if (row > lim.Rows || i+1 > lim.Columns) && strings.TrimSpace(rec[i]) != "" {
					if c.stray == 0 {
						c.strayR, c.strayC = row, i+1
					}
					c.stray++
				}
			}
			if c.stray > maxStray {
				return 0, nil, fail(ErrTooLarge, "filen har mere end %[1]d felter med indhold uden for det område, udrul læser (højst %[2]d rækker og %[3]d kolonner; første: %[4]s). Det er ikke en plan; slet indholdet eller øg grænserne under limits: i konfigurationen.",
					"the file has more than %[1]d fields with values outside the area udrul reads (at most %[2]d rows and %[3]d columns; the first: %[4]s). That is not a plan; delete them or raise the limits under limits: in the configuration.",
					maxStray, lim.Rows, lim.Columns, Ref(c.strayR, c.strayC))
			}
			if row > lim.Rows {
				continue
			}
			n = min(n, lim.Columns)
			for n > 0 && strings.TrimSpace(rec[n-1]) == "" {
				n--
			}
			if n == 0 {
				continue
			}
		}
		c.cells += n
		if c.cells > lim.Cells {
			return 0, nil, fail(ErrTooLarge, "filen har flere end %[1]d felter — mere end en plan. Øg limits.cells i konfigurationen, hvis den virkelig er en plan.",
				"the file has more than %[1]d fields — more than a plan. Raise limits.cells in the configuration if it really is one.", lim.Cells)
		}
		cellsRow := make([]Cell, n)
		for i, v := range rec[:n] {
			if len(v) > MaxFieldChars && utf8.RuneCountInString(v) > MaxFieldChars {
				return 0, nil, fail(ErrTooLarge, "feltet %[1]s har mere end %[2]d tegn, som er det mest, en celle i Excel kan rumme",
					"field %[1]s has more than %[2]d characters, the most an Excel cell can hold", Ref(row, i+1), MaxFieldChars)
			}
			if line, ok := swallowedRow(v, c.r.Comma); ok {
				return 0, nil, fail(ErrCorrupt, "feltet %[1]s rækker over flere linjer, og en af dem ligner en hel række (%[2]q): et anførselstegn er nok ikke lukket, og rækkerne under er læst som tekst i feltet. Luk anførselstegnet (eller fjern det), og gem filen igen.",
					"field %[1]s runs over several lines, and one of them looks like a whole row (%[2]q): a quote is probably not closed, and the rows below were read as text in the field. Close the quote (or remove it) and save the file again.",
					Ref(row, i+1), line)
			}
			cellsRow[i] = typeNumber(strings.Clone(v))
			if c.replaced && strings.ContainsRune(v, utf8.RuneError) {
				c.badText++
				if c.badText <= maxTextWarnings {
					c.warns = append(c.warns, warn(c.sheet, row, i+1, CodeInvalidText,
						"cellen indeholder byte, der ikke er gyldig UTF-8; de er erstattet med �. Ret teksten, og gem filen som CSV UTF-8",
						"the cell holds bytes that are not valid UTF-8; they were replaced by �. Fix the text and save the file as CSV UTF-8"))
				}
			}
		}
		return row, cellsRow, nil
	}
	if c.badText > maxTextWarnings {
		c.warns = append(c.warns, warn(c.sheet, 0, 0, CodeInvalidText,
			"yderligere %[1]d celler indeholder byte, der ikke er gyldig UTF-8",
			"%[1]d more cells hold bytes that are not valid UTF-8", c.badText-maxTextWarnings))
	}
	if c.stray > 0 {
		c.warns = append(c.warns, warn(c.sheet, c.strayR, c.strayC, CodeBeyondLimits,
			"%[1]d felt(er) med indhold ligger uden for det område, udrul læser (højst %[2]d rækker og %[3]d kolonner), og er ikke læst; det første er %[4]s",
			"%[1]d field(s) with values lie outside the area udrul reads (at most %[2]d rows and %[3]d columns) and were not read; the first is %[4]s",
			c.stray, lim.Rows, lim.Columns, Ref(c.strayR, c.strayC)))
	}
	return 0, nil, io.EOF
}

// swallowedRow reports whether a field that runs over several lines holds
// a line that looks like a row of its own (three delimiters or more): the
// sign of a quote never closed, which makes the CSV reader take the rows
// below as the field's text. Notes over several lines do not hold rows.
func swallowedRow(v string, delim rune) (string, bool) {
	if !strings.Contains(v, "\n") {
		return "", false
	}
	lines := strings.Split(v, "\n")
	for _, l := range lines[1:] {
		if strings.Count(l, string(delim)) >= 3 {
			if len(l) > 60 {
				l = l[:60] + "…"
			}
			return strings.TrimRight(l, "\r"), true
		}
	}
	return "", false
}
