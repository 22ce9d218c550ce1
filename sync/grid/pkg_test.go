package grid_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// The parts of a hand-written xlsx package: tests write broken and odd
// workbooks that no library would save.
const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`
	rootRels     = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="%s"/></Relationships>`
	relNS        = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	mainNS       = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
)

// pkgSheet is one sheet of a hand-written package.
type pkgSheet struct {
	name  string
	kind  string // worksheet (default), chartsheet, dialogsheet, macrosheet
	state string // hidden, veryHidden
	xml   string // the part's whole XML; sheetXML(rows) for a worksheet
}

// pkg describes a hand-written workbook.
type pkg struct {
	dir      string // folder of the workbook part (default xl)
	workbook string // its file name (default workbook.xml)
	date1904 bool
	sheets   []pkgSheet
	strings  []string // shared strings, if any
	styles   string   // styles.xml, if any
	theme    string   // theme1.xml, if any
}

func sheetXML(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ` + mainNS + `>` + body + `</worksheet>`
}

// bytes builds the package as a zip archive.
func (p pkg) bytes(t testing.TB) []byte {
	t.Helper()
	if p.dir == "" {
		p.dir = "xl"
	}
	if p.workbook == "" {
		p.workbook = "workbook.xml"
	}
	parts := map[string]string{
		"[Content_Types].xml": contentTypes,
		"_rels/.rels":         fmt.Sprintf(rootRels, p.dir+"/"+p.workbook),
	}
	var sheets, rels strings.Builder
	for i, s := range p.sheets {
		kind := s.kind
		if kind == "" {
			kind = "worksheet"
		}
		target := fmt.Sprintf("%ss/part%d.xml", kind, i+1)
		parts[p.dir+"/"+target] = s.xml
		state := ""
		if s.state != "" {
			state = ` state="` + s.state + `"`
		}
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>`, s.name, i+1, state, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s%s" Target="%s"/>`, i+1, relNS, kind, target)
	}
	n := len(p.sheets)
	if p.strings != nil {
		var b strings.Builder
		for _, s := range p.strings {
			fmt.Fprintf(&b, "<si><t>%s</t></si>", s)
		}
		parts[p.dir+"/strs.xml"] = `<?xml version="1.0"?><sst ` + mainNS + `>` + b.String() + `</sst>`
		n++
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%ssharedStrings" Target="strs.xml"/>`, n, relNS)
	}
	if p.styles != "" {
		parts[p.dir+"/styles.xml"] = p.styles
		n++
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%sstyles" Target="styles.xml"/>`, n, relNS)
	}
	if p.theme != "" {
		parts[p.dir+"/theme/theme1.xml"] = p.theme
		n++
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%stheme" Target="theme/theme1.xml"/>`, n, relNS)
	}
	pr := ""
	if p.date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	parts[p.dir+"/"+p.workbook] = `<?xml version="1.0"?><workbook ` + mainNS + `>` + pr + `<sheets>` + sheets.String() + `</sheets></workbook>`
	parts[p.dir+"/_rels/"+p.workbook+".rels"] = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`
	return zipParts(t, parts)
}

func zipParts(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// plainSheet is a worksheet with inline-string rows: row r holds cells.
func plainSheet(rows ...[]string) string {
	var b strings.Builder
	b.WriteString("<sheetData>")
	for r, cells := range rows {
		fmt.Fprintf(&b, `<row r="%d">`, r+1)
		for c, v := range cells {
			if v != "" {
				fmt.Fprintf(&b, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+c, r+1, v)
			}
		}
		b.WriteString("</row>")
	}
	b.WriteString("</sheetData>")
	return b.String()
}
