package grid

// A tokenizer for the XML of worksheets and shared strings, the parts a
// read spends its time in: encoding/xml's RawToken reads a byte at a time
// through an interface, builds a string for every name and value and an
// Attr slice for every element — two thirds of the CPU of reading a plan.
// xmlTok reads the same tokens from a buffer, names and values as slices
// of it, for the XML spreadsheet writers produce: elements with prefixes,
// attributes in either quotes, the five predefined entities and character
// references, any white space. Comments, processing instructions and CDATA
// sections are each read by encoding/xml on their own bytes; at anything
// else (a DOCTYPE, a name outside ASCII, an entity other than the five, a
// character XML does not allow, invalid UTF-8, a token longer than
// xmlTokMax, any error) it hands the rest of the input, from the start of
// that token, to encoding/xml's RawToken for good. So its tokens are
// RawToken's tokens, at the same offsets and lines
// (FuzzXMLTok_equalsRawToken), and every error is RawToken's error.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tokStart tokKind = iota + 1
	tokEnd
	tokText  // character data, CDATA included
	tokOther // a comment, processing instruction or directive
)

// rawAttr is an attribute of a start element; its slices are valid until
// the next token.
type rawAttr struct {
	space, local, value []byte
}

// rawTok is one token; its slices are valid until the next token.
type rawTok struct {
	kind         tokKind
	space, local []byte // of a start or end element
	attrs        []rawAttr
	text         []byte // of character data
}

// xmlTokMax is the most a single token may take in the buffer; a longer
// one is read by encoding/xml.
const xmlTokMax = 8 << 20

type xmlTok struct {
	r        io.Reader
	buf      []byte
	pooled   *[]byte // buf as it came from xmlTokBufs, until released
	pos, end int     // buf[pos:end] is read and not yet tokenized
	rerr     error   // the reader's error (io.EOF at the end) once it gave one
	base     int64   // input offset of buf[0]
	lines    int     // line breaks before buf[counted]
	counted  int
	tok      rawTok
	scratch  []byte // decoded text and values
	needEnd  bool   // the last start element closed itself
	endName  []byte // its name, space ':' local
	endSpace int    // length of the space in endName, -1 for none

	// dec reads the rest once the tokenizer handed over to encoding/xml,
	// from input offset decBase on line decLine.
	dec     *xml.Decoder
	decBase int64
	decLine int
}

// xmlTokBuf is the size of a tokenizer's buffer as it begins.
const xmlTokBuf = 32 << 10

// xmlTokBufs are the buffers of the tokenizers released (a workbook's
// sheets, shared strings and styles are each read by one: 50 MB of a first
// sync's allocations of 600 plans, each buffer cleared as it was made).
var xmlTokBufs = sync.Pool{New: func() any { b := make([]byte, xmlTokBuf); return &b }}

func newXMLTok(r io.Reader) *xmlTok {
	bp := xmlTokBufs.Get().(*[]byte)
	return &xmlTok{r: r, buf: *bp, pooled: bp, lines: 1}
}

// errReleased is what a tokenizer reads once released.
var errReleased = errors.New("xml: read after the reader was closed")

// release gives the buffer back to be used by another tokenizer: the
// tokens it gave are no longer valid, and it reads nothing more.
func (t *xmlTok) release() {
	if t.pooled == nil {
		return
	}
	off, line := t.offset(), t.line() // they stay those of the last token
	// pooled is the buffer as given: the one read into, or the one
	// given up when it grew (the grown one is let go).
	xmlTokBufs.Put(t.pooled)
	t.buf, t.pooled, t.pos, t.end, t.counted, t.dec = nil, nil, 0, 0, 0, nil
	t.base, t.lines = off, line
	t.r, t.rerr = bytes.NewReader(nil), errReleased
	t.tok = rawTok{}
}

// offset is the input offset of the end of the last token.
func (t *xmlTok) offset() int64 {
	if t.dec != nil {
		return t.decBase + t.dec.InputOffset()
	}
	return t.base + int64(t.pos)
}

// line is the line of the end of the last token (as xml.Decoder.InputPos).
func (t *xmlTok) line() int {
	if t.dec != nil {
		l, _ := t.dec.InputPos()
		return t.decLine + l - 1
	}
	t.count()
	return t.lines
}

func (t *xmlTok) count() {
	if t.pos > t.counted {
		t.lines += bytes.Count(t.buf[t.counted:t.pos], []byte{'\n'})
		t.counted = t.pos
	}
}

// more reads more input into the buffer, growing it when full; false when
// there is no more (t.rerr says why) or the token would grow past
// xmlTokMax.
func (t *xmlTok) more() bool {
	if t.rerr != nil {
		return false
	}
	if t.pos > 0 {
		t.count()
		n := copy(t.buf, t.buf[t.pos:t.end])
		t.base += int64(t.pos)
		t.end, t.pos, t.counted = n, 0, 0
	}
	if t.end == len(t.buf) {
		if len(t.buf) >= xmlTokMax {
			return false
		}
		nb := make([]byte, 2*len(t.buf))
		copy(nb, t.buf[:t.end])
		t.buf = nb
	}
	// The buffer is filled: a token is scanned again from its start after
	// each read, so that a long one costs its length a few times over, not
	// once per read.
	start := t.end
	for t.end < len(t.buf) {
		n, err := t.r.Read(t.buf[t.end:])
		t.end += n
		if err != nil {
			t.rerr = err
			break
		}
	}
	return t.end > start
}

// handOver gives the rest of the input, from buf[pos] on, to encoding/xml.
func (t *xmlTok) handOver() {
	rest := bytes.Clone(t.buf[t.pos:t.end])
	var r io.Reader
	switch t.rerr {
	case nil:
		r = io.MultiReader(bytes.NewReader(rest), t.r)
	case io.EOF:
		r = bytes.NewReader(rest)
	default:
		r = io.MultiReader(bytes.NewReader(rest), errReader{t.rerr})
	}
	t.decBase, t.decLine = t.offset(), t.line()
	t.dec = xml.NewDecoder(r)
	t.dec.Strict = true
	t.buf = nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// next returns the next token as RawToken would, and io.EOF at the end.
func (t *xmlTok) next() (*rawTok, error) {
	if t.dec != nil {
		return t.decoded()
	}
	if t.needEnd {
		t.needEnd = false
		t.tok = rawTok{kind: tokEnd, attrs: t.tok.attrs[:0]}
		if t.endSpace >= 0 {
			t.tok.space, t.tok.local = t.endName[:t.endSpace], t.endName[t.endSpace+1:]
		} else {
			t.tok.local = t.endName
		}
		return &t.tok, nil
	}
	for {
		if t.pos == t.end && !t.more() {
			if t.rerr == io.EOF {
				return nil, io.EOF
			}
			t.handOver()
			return t.decoded()
		}
		n, st := t.scan()
		switch st {
		case scanOK:
			t.pos += n
			return &t.tok, nil
		case scanMore:
			if t.more() {
				continue
			}
			if t.rerr == io.EOF && t.buf[t.pos] != '<' {
				// Character data ends at the end of the input.
				if n, st = t.text(true); st == scanOK {
					t.pos += n
					return &t.tok, nil
				}
			}
		}
		t.handOver()
		return t.decoded()
	}
}

type scanState uint8

const (
	scanOK      scanState = iota
	scanMore              // the token goes on past the buffer
	scanHandOff           // encoding/xml must read it
)

// scan reads the token at buf[pos] into t.tok, returning its length.
func (t *xmlTok) scan() (int, scanState) {
	b := t.buf[t.pos:t.end]
	t.scratch = t.scratch[:0]
	t.tok.attrs = t.tok.attrs[:0]
	if b[0] != '<' {
		t.tok.kind = tokText
		return t.text(false)
	}
	if len(b) < 2 {
		return 0, scanMore
	}
	switch b[1] {
	case '/':
		t.tok.kind = tokEnd
		i, st := t.name(b, 2, &t.tok.space, &t.tok.local)
		if st != scanOK {
			return 0, st
		}
		i = skipSpace(b, i)
		if i == len(b) {
			return 0, scanMore
		}
		if b[i] != '>' {
			return 0, scanHandOff
		}
		return i + 1, scanOK
	case '?':
		return t.other(b, 2, "?>")
	case '!':
		if len(b) < 4 {
			return 0, scanMore
		}
		if b[2] == '-' && b[3] == '-' {
			return t.other(b, 4, "-->")
		}
		if len(b) < 9 {
			return 0, scanMore
		}
		if string(b[2:9]) == "[CDATA[" {
			return t.other(b, 9, "]]>")
		}
		return 0, scanHandOff
	}
	t.tok.kind = tokStart
	i, st := t.name(b, 1, &t.tok.space, &t.tok.local)
	if st != scanOK {
		return 0, st
	}
	for {
		i = skipSpace(b, i)
		if i == len(b) {
			return 0, scanMore
		}
		switch b[i] {
		case '/':
			if i+1 == len(b) {
				return 0, scanMore
			}
			if b[i+1] != '>' {
				return 0, scanHandOff
			}
			// The end element follows: its name is kept apart from the
			// buffer, which the next read may move.
			t.needEnd = true
			t.endName = append(t.endName[:0], t.tok.space...)
			t.endSpace = -1
			if t.tok.space != nil {
				t.endSpace = len(t.endName)
				t.endName = append(t.endName, ':')
			}
			t.endName = append(t.endName, t.tok.local...)
			return i + 2, scanOK
		case '>':
			return i + 1, scanOK
		}
		var a rawAttr
		if i, st = t.name(b, i, &a.space, &a.local); st != scanOK {
			return 0, st
		}
		i = skipSpace(b, i)
		if i == len(b) {
			return 0, scanMore
		}
		if b[i] != '=' {
			return 0, scanHandOff
		}
		i = skipSpace(b, i+1)
		if i == len(b) {
			return 0, scanMore
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return 0, scanHandOff
		}
		j := bytes.IndexByte(b[i+1:], q)
		if j < 0 {
			return 0, scanMore
		}
		v, ok := t.decode(b[i+1:i+1+j], true)
		if !ok {
			return 0, scanHandOff
		}
		a.value = v
		t.tok.attrs = append(t.tok.attrs, a)
		i += j + 2
	}
}

// skipSpace returns the index of the first byte at or after i that is not
// XML white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// name reads a name of ASCII letters, digits, '_', '.', '-' and at most one
// ':' inside it, starting with a letter or '_', at b[i]; anything else is
// encoding/xml's to read.
func (t *xmlTok) name(b []byte, i int, space, local *[]byte) (int, scanState) {
	start, colon := i, -1
	if i == len(b) {
		return 0, scanMore
	}
	if c := b[i] | 0x20; !(c >= 'a' && c <= 'z') && b[i] != '_' {
		return 0, scanHandOff
	}
	for i++; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '.', c == '-':
		case c == ':':
			if colon >= 0 {
				return 0, scanHandOff
			}
			colon = i
		case c >= utf8.RuneSelf:
			return 0, scanHandOff
		default:
			if colon == i-1 {
				return 0, scanHandOff // "a:": a name without a local part
			}
			if colon >= 0 {
				*space, *local = b[start:colon], b[colon+1:i]
			} else {
				*space, *local = nil, b[start:i]
			}
			return i, scanOK
		}
	}
	return 0, scanMore
}

// text reads character data up to the next '<' (or, atEOF, the end).
func (t *xmlTok) text(atEOF bool) (int, scanState) {
	b := t.buf[t.pos:t.end]
	n := bytes.IndexByte(b, '<')
	if n < 0 {
		if !atEOF {
			return 0, scanMore
		}
		n = len(b)
	}
	v, ok := t.decode(b[:n], false)
	if !ok {
		return 0, scanHandOff
	}
	t.tok.kind, t.tok.text = tokText, v
	return n, scanOK
}

// other reads a comment, processing instruction or CDATA section: the
// bytes up to the first end mark after b[from] are given to encoding/xml
// alone, which must read them as one token and nothing more, as it would
// in the stream (each ends at its mark, whatever follows).
func (t *xmlTok) other(b []byte, from int, mark string) (int, scanState) {
	j := bytes.Index(b[from:], []byte(mark))
	if j < 0 {
		return 0, scanMore
	}
	n := from + j + len(mark)
	d := xml.NewDecoder(bytes.NewReader(b[:n]))
	d.Strict = true
	tok, err := d.RawToken()
	if err != nil || d.InputOffset() != int64(n) {
		return 0, scanHandOff
	}
	if _, err := d.RawToken(); err != io.EOF {
		return 0, scanHandOff
	}
	if cd, ok := tok.(xml.CharData); ok {
		t.scratch = append(t.scratch, cd...)
		t.tok.kind, t.tok.text = tokText, t.scratch
	} else {
		t.tok.kind = tokOther
	}
	return n, scanOK
}

// plain marks the bytes text and values hold as they are: printable
// ASCII but '&', ']' and '<' (which the decoder looks at) and tab and
// line feed.
var plain = func() (p [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		p[c] = c != '&' && c != ']' && c != '<'
	}
	p['\t'], p['\n'] = true, true
	return p
}()

// decode returns raw character data (or an attribute value, inValue) as
// encoding/xml reads it — entities and character references replaced,
// line ends made '\n' — and false where it would fail, or where it is not
// sure.
func (t *xmlTok) decode(raw []byte, inValue bool) ([]byte, bool) {
	i := 0
	for i < len(raw) && plain[raw[i]] {
		i++
	}
	if i == len(raw) {
		return raw, true
	}
	if inValue && bytes.IndexByte(raw, '<') >= 0 {
		return nil, false
	}
	if !inValue && bytes.Contains(raw, []byte("]]>")) {
		return nil, false
	}
	start := len(t.scratch)
	out := append(t.scratch, raw[:i]...)
	var prev byte // the byte before, as the decoder sees it (0 after an entity)
	for ; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '&':
			r, n, ok := entityAt(raw[i:])
			if !ok {
				return nil, false
			}
			out = utf8.AppendRune(out, r)
			i += n - 1
			prev = 0
			continue
		case c == '\r':
			out = append(out, '\n')
		case c == '\n' && prev == '\r':
		default:
			out = append(out, c)
		}
		prev = c
	}
	t.scratch = out
	v := out[start:]
	for j := 0; j < len(v); {
		if v[j] < utf8.RuneSelf {
			if v[j] < 0x20 && v[j] != '\t' && v[j] != '\n' && v[j] != '\r' {
				return nil, false
			}
			j++
			continue
		}
		r, size := utf8.DecodeRune(v[j:])
		if r == utf8.RuneError && size == 1 || !inCharRange(r) {
			return nil, false
		}
		j += size
	}
	return v, true
}

func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// entityAt reads the entity or character reference b starts with ("&amp;",
// "&#229;", "&#xE5;"): its rune and length; false for any other (which
// encoding/xml refuses in strict mode).
func entityAt(b []byte) (rune, int, bool) {
	end := bytes.IndexByte(b, ';')
	if end < 0 {
		return 0, 0, false
	}
	switch string(b[1:end]) {
	case "lt":
		return '<', end + 1, true
	case "gt":
		return '>', end + 1, true
	case "amp":
		return '&', end + 1, true
	case "apos":
		return '\'', end + 1, true
	case "quot":
		return '"', end + 1, true
	}
	if end < 3 || b[1] != '#' {
		return 0, 0, false
	}
	digits, base := b[2:end], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	for _, c := range digits {
		if !(c >= '0' && c <= '9' || base == 16 && (c|0x20) >= 'a' && (c|0x20) <= 'f') {
			return 0, 0, false
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 64)
	if err != nil || n > unicode.MaxRune {
		return 0, 0, false
	}
	return rune(n), end + 1, true
}

// drain reads the input left after the last token to its end, for the
// reader's own checks there (a zip part's checksum); their error, or nil.
func (t *xmlTok) drain() error {
	if t.rerr == nil {
		if _, err := io.Copy(io.Discard, t.r); err != nil {
			t.rerr = err
		} else {
			t.rerr = io.EOF
		}
	}
	if t.rerr == io.EOF {
		return nil
	}
	return t.rerr
}

// decoded returns encoding/xml's next token as a rawTok.
func (t *xmlTok) decoded() (*rawTok, error) {
	tok, err := t.dec.RawToken()
	if err != nil {
		return nil, err
	}
	t.tok = rawTok{attrs: t.tok.attrs[:0]}
	switch tt := tok.(type) {
	case xml.StartElement:
		t.tok.kind = tokStart
		t.tok.space, t.tok.local = nameBytes(tt.Name.Space), []byte(tt.Name.Local)
		for _, a := range tt.Attr {
			t.tok.attrs = append(t.tok.attrs, rawAttr{nameBytes(a.Name.Space), []byte(a.Name.Local), []byte(a.Value)})
		}
	case xml.EndElement:
		t.tok.kind = tokEnd
		t.tok.space, t.tok.local = nameBytes(tt.Name.Space), []byte(tt.Name.Local)
	case xml.CharData:
		t.tok.kind, t.tok.text = tokText, tt
	default:
		t.tok.kind = tokOther
	}
	return &t.tok, nil
}

// nameBytes is a name's space as the tokenizer has it: nil for none.
func nameBytes(s string) []byte {
	if s == "" {
		return nil
	}
	return []byte(s)
}

// fastTokens is tokens over an xmlTok: it tracks the depth, so that a part
// that ends before its root element closes is an error, not a short read,
// and matches end tags to start tags as tokens.next does.
type fastTokens struct {
	x     *xmlTok
	depth int
	names []byte // the open elements' names, space 0 local, one after another
	ends  []int  // where each ends in names
}

func newFastTokens(r io.Reader) *fastTokens {
	return &fastTokens{x: newXMLTok(r)}
}

// next returns the next token; io.EOF only after the root element closed
// (with its end element).
func (t *fastTokens) next() (*rawTok, error) {
	tok, err := t.x.next()
	if err == io.EOF {
		if t.depth != 0 {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, io.EOF
	}
	if err != nil {
		return nil, err
	}
	switch tok.kind {
	case tokStart:
		t.depth++
		t.names = append(append(append(t.names, tok.space...), 0), tok.local...)
		t.ends = append(t.ends, len(t.names))
	case tokEnd:
		if t.depth == 0 {
			return nil, errMismatch
		}
		from := 0
		if t.depth > 1 {
			from = t.ends[t.depth-2]
		}
		open := t.names[from:t.ends[t.depth-1]]
		sp := bytes.IndexByte(open, 0)
		if !bytes.Equal(open[:sp], tok.space) || !bytes.Equal(open[sp+1:], tok.local) {
			return nil, errMismatch
		}
		t.depth--
		t.names, t.ends = t.names[:from], t.ends[:t.depth]
		if t.depth == 0 {
			// The part is read to its end, so that the zip checks it
			// (its checksum and size are checked there): a part whose
			// root element closes before a byte changed after it was
			// saved was read as if whole.
			if err := t.x.drain(); err != nil {
				return nil, err
			}
			return tok, io.EOF
		}
	}
	return tok, nil
}
