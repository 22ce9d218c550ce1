package grid

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
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

// DecodeText turns the bytes of a text file into UTF-8: UTF-8 with or without
// a byte order mark, UTF-16 with a byte order mark (Excel's "Unicode text"),
// and otherwise Windows-1252 (what Danish Excel writes as "CSV").
func DecodeText(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		return string(data[3:]), EncUTF8BOM, nil
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, _, err := transform.Bytes(dec, data)
		if err != nil {
			return "", EncUTF16, fmt.Errorf("%w: invalid UTF-16: %v", ErrCorrupt, err)
		}
		return string(out), EncUTF16, nil
	case utf8.Valid(data):
		return string(data), EncUTF8, nil
	}
	out, _, err := transform.Bytes(charmap.Windows1252.NewDecoder(), data)
	if err != nil {
		return "", EncWindows1252, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return string(out), EncWindows1252, nil
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

// readCSV reads delimited text as one sheet named after the file.
func readCSV(name string, data []byte) (*Grid, error) {
	text, _, err := DecodeText(data)
	if err != nil {
		return nil, err
	}
	if strings.ContainsRune(text[:min(len(text), 4096)], 0) {
		return nil, fmt.Errorf("%w: it contains binary data", ErrNotSpreadsheet)
	}
	rows, err := ParseCSV(text, DetectDelimiter(text))
	if err != nil {
		return nil, err
	}
	sheet := strings.TrimSuffix(name, filepath.Ext(name))
	return &Grid{File: name, Sheets: []Sheet{{Name: sheet, Rows: rows}}}, nil
}

// ParseCSV splits text into rows of cells with the given delimiter. Quoted
// fields may hold delimiters, quotes and line breaks; a stray quote inside an
// unquoted field is kept as text.
func ParseCSV(text string, delim rune) ([][]Cell, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord, r.ReuseRecord = delim, true, -1, true
	var rows [][]Cell
	for {
		prev := int(r.InputOffset())
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: row %d: %v", ErrCorrupt, len(rows)+1, err)
		}
		// encoding/csv skips blank lines; a spreadsheet shows them as empty
		// rows, and row numbers must match what the user sees.
		for p := prev; p < len(text); {
			if text[p] == '\n' {
				p++
			} else if text[p] == '\r' && p+1 < len(text) && text[p+1] == '\n' {
				p += 2
			} else {
				break
			}
			rows = append(rows, nil)
		}
		n := len(rec)
		for n > 0 && strings.TrimSpace(rec[n-1]) == "" {
			n--
		}
		if n == 0 {
			rows = append(rows, nil)
			continue
		}
		row := make([]Cell, n)
		for i, v := range rec[:n] {
			row[i] = typeNumber(strings.Clone(v))
		}
		rows = append(rows, row)
	}
	return rows, nil
}
