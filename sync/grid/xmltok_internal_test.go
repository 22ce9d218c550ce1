package grid

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

// xmlTokSeeds are worksheet and shared-strings XML as Excel, LibreOffice
// and excelize write them, and what other producers and broken files do.
var xmlTokSeeds = []string{
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:C3"/><sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>46174</v></c><c r="C1" t="inlineStr"><is><t xml:space="preserve"> Møde &amp; test </t></is></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>`,
	`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r='1'><x:c r='A1' t='str'><x:v>a&lt;b&gt;c&quot;d&apos;e</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
	`<sst count="2" uniqueCount="2"><si><t>Opgave</t></si><si><r><t>Sta</t></r><r><rPr><b/></rPr><t>tus</t></r><rPh sb="0" eb="1"><t>x</t></rPh></si></sst>`,
	"\ufeff<a>\n  <b c = \"1\"\td='2'\n/>\r\n</a>",
	`<a><!-- a comment -- not --><![CDATA[<b>&amp;]]></a>`,
	`<a><!-- mergeCells --><![CDATA[x]]]]><![CDATA[>]]><?pi data?></a>`,
	`<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`,
	`<a>&#229;&#xE5;&#X41;&#0;&#xD800;&#1114112;&#;</a>`,
	`<a b="&#60;"/><a b="<"/>`,
	`<a>]]></a>`,
	"<a>\r\r\n\n&amp;\r</a>",
	"<a b=\"x\ry\r\nz\"/>",
	`<a:b:c/>`,
	`<a:/>`,
	`<:a/>`,
	`<a b/>`,
	`<a b=c/>`,
	`<a></b>`,
	`<a`,
	`<a b="`,
	`text only`,
	"<a>\xff</a>",
	"<a>\x01</a>",
	"<é/>",
	`<?xml version="1.0" encoding="windows-1252"?><a/>`,
	`<?xml version="1.1"?><a/>`,
	`<a>&nbsp;</a>`,
	`<a>&amp</a>`,
	`</a>`,
	`<a/ >`,
	`<a><b></a></b>`,
	`<?xml?><a x.y-z_1="1" _b="2"/>`,
	`<![CDATA[x]]>`,
	`<!-->`,
	`<!---->`,
}

// chunked reads at most n bytes at a time.
type chunked struct {
	r io.Reader
	n int
}

func (c chunked) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

// FuzzXMLTok_equalsRawToken: the hand-written tokenizer gives the tokens
// encoding/xml's RawToken gives (in strict mode), at the same offsets and
// lines, and fails where it fails, for any input read in any chunks into a
// buffer of any size.
func FuzzXMLTok_equalsRawToken(f *testing.F) {
	for i, s := range xmlTokSeeds {
		f.Add(s, uint8(i*7))
	}
	f.Fuzz(func(t *testing.T, data string, chunk uint8) {
		d := xml.NewDecoder(strings.NewReader(data))
		d.Strict = true
		x := newXMLTok(chunked{strings.NewReader(data), 1 + int(chunk%32)})
		if chunk >= 128 {
			x.buf = make([]byte, 1+int(chunk%16)) // grows as it must
		}
		for i := 0; ; i++ {
			want, wantErr := d.RawToken()
			got, err := x.next()
			if wantErr != nil {
				if err == nil || (wantErr == io.EOF) != (err == io.EOF) {
					t.Fatalf("token %d: error = %v (token %s), want %v", i, err, show(got), wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("token %d: error %v, want %s", i, err, showXML(want))
			}
			if g, w := show(got), showXML(want); g != w {
				t.Fatalf("token %d = %s, want %s", i, g, w)
			}
			wl, _ := d.InputPos()
			if g, w := x.offset(), d.InputOffset(); g != w {
				t.Fatalf("token %d: offset %d, want %d", i, g, w)
			}
			if g := x.line(); g != wl {
				t.Fatalf("token %d: line %d, want %d", i, g, wl)
			}
		}
	})
}

// show prints a token of the tokenizer as showXML prints encoding/xml's.
func show(t *rawTok) string {
	if t == nil {
		return "nil"
	}
	switch t.kind {
	case tokStart:
		var b strings.Builder
		fmt.Fprintf(&b, "start %q:%q", t.space, t.local)
		for _, a := range t.attrs {
			fmt.Fprintf(&b, " %q:%q=%q", a.space, a.local, a.value)
		}
		return b.String()
	case tokEnd:
		return fmt.Sprintf("end %q:%q", t.space, t.local)
	case tokText:
		return fmt.Sprintf("text %q", t.text)
	case tokOther:
		return "other"
	}
	return fmt.Sprintf("kind %d", t.kind)
}

func showXML(tok xml.Token) string {
	switch tt := tok.(type) {
	case xml.StartElement:
		var b strings.Builder
		fmt.Fprintf(&b, "start %q:%q", tt.Name.Space, tt.Name.Local)
		for _, a := range tt.Attr {
			fmt.Fprintf(&b, " %q:%q=%q", a.Name.Space, a.Name.Local, a.Value)
		}
		return b.String()
	case xml.EndElement:
		return fmt.Sprintf("end %q:%q", tt.Name.Space, tt.Name.Local)
	case xml.CharData:
		return fmt.Sprintf("text %q", []byte(tt))
	case xml.Comment, xml.ProcInst, xml.Directive:
		return "other"
	}
	return fmt.Sprintf("%T", tok)
}

// TestXMLTok_handsOver: the tokenizer reads what writers write itself and
// hands what it does not know to encoding/xml (the fuzz target proves the
// tokens the same either way; this, that the fast path is taken).
func TestXMLTok_handsOver(t *testing.T) {
	tests := []struct {
		name string
		xml  string
		fast bool
	}{
		{"as excelize writes a sheet", xmlTokSeeds[0], true},
		{"prefixes and single quotes", xmlTokSeeds[1], true},
		{"rich text and phonetics", xmlTokSeeds[2], true},
		{"comments, CDATA and instructions", xmlTokSeeds[5], true},
		{"carriage returns", xmlTokSeeds[10], true},
		{"a DOCTYPE", xmlTokSeeds[6], false},
		{"an element name outside ASCII", "<a><é/></a>", false},
		{"an unknown entity", `<a>&nbsp;</a>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newXMLTok(strings.NewReader(tt.xml))
			for {
				if _, err := x.next(); err != nil {
					break
				}
			}
			if got := x.dec == nil; got != tt.fast {
				t.Errorf("read alone = %v, want %v", got, tt.fast)
			}
		})
	}
}

// BenchmarkXMLTok compares tokenizing a 20,000-row sheet both ways.
func BenchmarkXMLTok(b *testing.B) {
	var sb bytes.Buffer
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for r := 1; r <= 20000; r++ {
		fmt.Fprintf(&sb, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="inlineStr"><is><t>Møde &amp; test %d</t></is></c><c r="C%d" s="1"><v>46174</v></c></row>`, r, r, r%50, r, r, r)
	}
	sb.WriteString(`</sheetData></worksheet>`)
	data := sb.Bytes()
	b.Run("rawtoken", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			d := xml.NewDecoder(bytes.NewReader(data))
			d.Strict = true
			for {
				if _, err := d.RawToken(); err != nil {
					break
				}
			}
		}
	})
	b.Run("xmltok", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			x := newXMLTok(bytes.NewReader(data))
			for {
				if _, err := x.next(); err != nil {
					break
				}
			}
		}
	})
}

// TestXMLTok_longTokens: tokens longer than the buffer, arriving in small
// reads, are read whole and as RawToken reads them; one longer than
// xmlTokMax is read by encoding/xml.
func TestXMLTok_longTokens(t *testing.T) {
	tests := []struct {
		name string
		xml  string
		fast bool
	}{
		{"a long attribute value", `<a b="` + strings.Repeat("x&amp;", 20000) + `"/>`, true},
		{"a long text", `<a>` + strings.Repeat("Møde ", 100000) + `</a>`, true},
		{"a text past the most a token may take", `<a>` + strings.Repeat("x", xmlTokMax+1) + `</a>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := xml.NewDecoder(strings.NewReader(tt.xml))
			d.Strict = true
			x := newXMLTok(chunked{strings.NewReader(tt.xml), 1000})
			for i := 0; ; i++ {
				want, wantErr := d.RawToken()
				got, err := x.next()
				if (err != nil) != (wantErr != nil) {
					t.Fatalf("token %d: error = %v, want %v", i, err, wantErr)
				}
				if err != nil {
					break
				}
				if g, w := show(got), showXML(want); g != w {
					t.Fatalf("token %d = %.80s…, want %.80s…", i, g, w)
				}
			}
			if got := x.dec == nil; got != tt.fast {
				t.Errorf("read alone = %v, want %v", got, tt.fast)
			}
		})
	}
}

// TestXMLTok_release reads part of a document, releases the tokenizer (its
// buffer goes back to be used by the next), and reads on: an error, never
// a token of another reader's bytes, and the position of the last token
// read stays what it was. A tokenizer made after it reads its own input
// whole, whichever buffer it was given.
func TestXMLTok_release(t *testing.T) {
	tests := []struct {
		name  string
		input string
		reads int // tokens read before the release
	}{
		{"in the middle", xmlTokSeeds[0], 3},
		{"at the start", xmlTokSeeds[2], 0},
		{"at the end", "<a/>", 2},
		{"handed over to encoding/xml", `<a><!DOCTYPE x><b/></a>`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newXMLTok(strings.NewReader(tt.input))
			for range tt.reads {
				if _, err := x.next(); err != nil && err != io.EOF {
					t.Fatalf("next before the release: %v", err)
				}
			}
			off, line := x.offset(), x.line()
			x.release()
			x.release() // twice is once
			if off2, line2 := x.offset(), x.line(); off2 != off || line2 != line {
				t.Errorf("after the release: offset %d, line %d; want %d, %d", off2, line2, off, line)
			}
			for range 3 {
				if tok, err := x.next(); err == nil {
					t.Fatalf("next after the release = %+v, %v; want an error", tok, err)
				}
			}
			// The next tokenizer (often given the same buffer) reads its
			// own input as one made with a buffer of its own.
			next := xmlTokSeeds[1]
			got, want := tokensOf(t, newXMLTok(strings.NewReader(next))), tokensOf(t, &xmlTok{r: strings.NewReader(next), buf: make([]byte, xmlTokBuf), lines: 1})
			if got != want {
				t.Errorf("a tokenizer after the release read\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// tokensOf reads every token of x, as text.
func tokensOf(t *testing.T, x *xmlTok) string {
	t.Helper()
	defer x.release()
	var b strings.Builder
	for {
		tok, err := x.next()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			return b.String() + "error: " + err.Error()
		}
		fmt.Fprintf(&b, "%d %s:%s %q", tok.kind, tok.space, tok.local, tok.text)
		for _, a := range tok.attrs {
			fmt.Fprintf(&b, " %s:%s=%q", a.space, a.local, a.value)
		}
		b.WriteByte('\n')
	}
}
