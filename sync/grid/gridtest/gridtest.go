// Package gridtest writes hostile and odd spreadsheet files for tests and
// benchmarks of the readers: sparse far cells, million-row sheets, many
// merged ranges, long CSV lines. The files are streamed to disk, so
// writing them costs little memory.
package gridtest

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

const (
	relNS  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	mainNS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
)

// Sheet writes one worksheet's sheetData rows (and anything after
// sheetData, such as mergeCells, through tail).
type Sheet struct {
	Name string
	Rows func(w io.Writer)
	Tail func(w io.Writer)
}

// WriteXLSX writes a workbook of the given worksheets to path.
func WriteXLSX(path string, sheets ...Sheet) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	zw := zip.NewWriter(bw)
	put := func(name string, write func(w io.Writer)) {
		if err != nil {
			return
		}
		var w io.Writer
		if w, err = zw.Create(name); err == nil {
			write(w)
		}
	}
	text := func(s string) func(io.Writer) { return func(w io.Writer) { io.WriteString(w, s) } }
	put("[Content_Types].xml", text(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`))
	put("_rels/.rels", text(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="`+relNS+`officeDocument" Target="xl/workbook.xml"/></Relationships>`))
	var list, rels strings.Builder
	for i, s := range sheets {
		fmt.Fprintf(&list, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s.Name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%sworksheet" Target="worksheets/sheet%d.xml"/>`, i+1, relNS, i+1)
	}
	put("xl/workbook.xml", text(`<?xml version="1.0" encoding="UTF-8"?><workbook `+mainNS+`><sheets>`+list.String()+`</sheets></workbook>`))
	put("xl/_rels/workbook.xml.rels", text(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`))
	for i, s := range sheets {
		put(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet `+mainNS+`><sheetData>`)
			if s.Rows != nil {
				s.Rows(w)
			}
			io.WriteString(w, `</sheetData>`)
			if s.Tail != nil {
				s.Tail(w)
			}
			io.WriteString(w, `</worksheet>`)
		})
	}
	if err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// header writes a small plan table's first rows.
func header(w io.Writer) {
	io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>Opgave</t></is></c><c r="B1" t="inlineStr"><is><t>Status</t></is></c></row>`)
}

// FarColumn is a sheet with one number in column XFD on each of rows rows.
func FarColumn(rows int) Sheet {
	return Sheet{Name: "Plan", Rows: func(w io.Writer) {
		for r := 1; r <= rows; r++ {
			fmt.Fprintf(w, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, r, r)
		}
	}}
}

// FullRows is a sheet with a number in column A of each of rows rows.
func FullRows(rows int) Sheet {
	return Sheet{Name: "Plan", Rows: func(w io.Writer) {
		for r := 1; r <= rows; r++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, r, r, r)
		}
	}}
}

// Merges is a sheet of n section rows, each merged over three columns.
func Merges(n int) Sheet {
	return Sheet{Name: "Plan", Rows: func(w io.Writer) {
		for r := 1; r <= n; r++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>Trin %d</t></is></c></row>`, r, r, r)
		}
	}, Tail: func(w io.Writer) {
		fmt.Fprintf(w, `<mergeCells count="%d">`, n)
		for r := 1; r <= n; r++ {
			fmt.Fprintf(w, `<mergeCell ref="A%d:C%d"/>`, r, r)
		}
		io.WriteString(w, `</mergeCells>`)
	}}
}

// Sparse is a small table with a stray cell at XFD1048576 and a formatted
// empty row just above it, as LibreOffice writes them.
func Sparse(name string) Sheet {
	return Sheet{Name: name, Rows: func(w io.Writer) {
		header(w)
		io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>Møde</t></is></c><c r="B2" t="inlineStr"><is><t>Færdig</t></is></c></row>`)
		io.WriteString(w, `<row r="1048575" customFormat="1" ht="12.8"><c r="A1048575" s="0"/></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`)
	}}
}

// SparseSheets is n sheets made by Sparse.
func SparseSheets(n int) []Sheet {
	out := make([]Sheet, n)
	for i := range out {
		out[i] = Sparse(fmt.Sprintf("Ark%d", i+1))
	}
	return out
}

// WriteRepeated writes head, then line n times, to path.
func WriteRepeated(path, head, line string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	bw.WriteString(head)
	for range n {
		bw.WriteString(line)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// File is a hostile file written by All, with what a reader says of it.
type File struct {
	Name, Path string
	// Says is a phrase udrul check prints (in English) for it.
	Says string
}

// All writes the hostile files of issue 17 and issue 11 into dir.
func All(dir string) ([]File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []File
	add := func(name, says string, write func(path string) error) error {
		path := filepath.Join(dir, name)
		if err := write(path); err != nil {
			return err
		}
		out = append(out, File{Name: name, Path: path, Says: says})
		return nil
	}
	steps := []struct {
		name, says string
		write      func(path string) error
	}{
		{"xfd-20000-rows.xlsx", "too large", func(p string) error { return WriteXLSX(p, FarColumn(20_000)) }},
		{"million-rows.xlsx", "too large", func(p string) error { return WriteXLSX(p, FullRows(1<<20)) }},
		{"merges-50000.xlsx", "Total", func(p string) error { return WriteXLSX(p, Merges(50_000)) }},
		{"sparse-10-sheets.xlsx", "Total", func(p string) error { return WriteXLSX(p, SparseSheets(10)...) }},
		{"line-50mb.csv", "longer than", func(p string) error { return WriteRepeated(p, "", ";", 50<<20) }},
		{"lines-4m.csv", "too large", func(p string) error { return WriteRepeated(p, "Opgave;Status\n", "Møde;Færdig\n", 4_000_000) }},
		{"unclosed-quote.csv", "too large", func(p string) error { return WriteRepeated(p, "Opgave;Status\n\"Møde;", "x;y\n", 4_000_000) }},
		{"sparse-2gib.csv", "too large", func(p string) error { // holes: no disk used
			f, err := os.Create(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return f.Truncate(2 << 30)
		}},
	}
	for _, s := range steps {
		if err := add(s.name, s.says, s.write); err != nil {
			return nil, err
		}
	}
	return out, nil
}
