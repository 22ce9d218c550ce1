package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestParallelZip: parts deflated in chunks on several goroutines read
// back (checksums checked by the reader) as written, at about the size of
// a serial deflate.
func TestParallelZip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var big bytes.Buffer
	for big.Len() < 5*chunkSize+12345 { // rows of a sheet, repetitive as XML is
		fmt.Fprintf(&big, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>Opgave %d</t></is></c><c r="B%d"><v>%d</v></c></row>`,
			big.Len(), big.Len(), rng.IntN(5000), big.Len(), rng.IntN(100000))
	}
	parts := []struct {
		name string
		data []byte
	}{
		{"empty.xml", nil},
		{"small.xml", []byte("<a>hello</a>")},
		{"chunk.xml", big.Bytes()[:chunkSize]},
		{"xl/worksheets/sheet1.xml", big.Bytes()},
		{"after.xml", []byte("<b/>")},
	}
	var par, serial bytes.Buffer
	pz := newParallelZip(&par)
	sz := zip.NewWriter(&serial)
	for _, p := range parts {
		for _, zw := range []interface {
			Create(string) (io.Writer, error)
		}{pz, sz} {
			w, err := zw.Create(p.name)
			if err != nil {
				t.Fatal(err)
			}
			for b := p.data; len(b) > 0; { // in uneven writes, as io.Copy's
				n := min(len(b), 7000+rng.IntN(70000))
				if _, err := w.Write(b[:n]); err != nil {
					t.Fatal(err)
				}
				b = b[n:]
			}
		}
	}
	if err := pz.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sz.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(par.Bytes()), int64(par.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(parts) {
		t.Fatalf("%d parts, want %d", len(zr.File), len(parts))
	}
	for i, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc) // checks the CRC at the end
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if f.Name != parts[i].name || !bytes.Equal(got, parts[i].data) {
			t.Errorf("part %d: %s of %d bytes, want %s of %d", i, f.Name, len(got), parts[i].name, len(parts[i].data))
		}
	}
	if g, w := par.Len(), serial.Len(); float64(g) > 1.01*float64(w) {
		t.Errorf("the parallel zip has %d bytes, the serial %d: more than 1 %% larger", g, w)
	}
}

// A sheet's rows are put before the end of its sheet data; rows whose
// sheet is not in the zip, or a sheet with no sheet data, are refused.
func TestParallelZip_splice(t *testing.T) {
	write := func(splice map[string]io.Reader, parts map[string]string) ([]byte, error) {
		var buf bytes.Buffer
		z := newParallelZip(&buf)
		z.splice = splice
		for _, name := range []string{"a.xml", "xl/worksheets/sheet2.xml", "z.xml"} {
			w, err := z.Create(name)
			if err != nil {
				return nil, err
			}
			io.WriteString(w, parts[name])
		}
		err := z.Close()
		return buf.Bytes(), err
	}
	sheet := `<worksheet><sheetData><row r="1"/></sheetData><tableParts/></worksheet>`
	parts := map[string]string{"a.xml": "<a/>", "xl/worksheets/sheet2.xml": sheet, "z.xml": "<z/>"}
	t.Run("rows put in", func(t *testing.T) {
		b, err := write(map[string]io.Reader{"xl/worksheets/sheet2.xml": strings.NewReader(`<row r="2"/><row r="3"/>`)}, parts)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"a.xml": "<a/>", "xl/worksheets/sheet2.xml": `<worksheet><sheetData><row r="1"/><row r="2"/><row r="3"/></sheetData><tableParts/></worksheet>`, "z.xml": "<z/>"}
		for _, f := range zr.File {
			rc, _ := f.Open()
			got, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want[f.Name] {
				t.Errorf("%s: got %s, want %s", f.Name, got, want[f.Name])
			}
		}
	})
	for _, tc := range []struct {
		name   string
		splice map[string]io.Reader
		parts  map[string]string
	}{
		{"no such part", map[string]io.Reader{"xl/worksheets/sheet9.xml": strings.NewReader("<row/>")}, parts},
		{"no sheet data", map[string]io.Reader{"xl/worksheets/sheet2.xml": strings.NewReader("<row/>")},
			map[string]string{"xl/worksheets/sheet2.xml": "<worksheet><sheetData/></worksheet>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := write(tc.splice, tc.parts); err == nil {
				t.Errorf("no error, want one")
			}
		})
	}
}
