package grid

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"
)

// DefaultMaxSize is the default limit on how large a file may be once
// inflated (the sum of an xlsx archive's entries, or a CSV file's size).
const DefaultMaxSize = 256 << 20

// DefaultMergeScanLimit is the default size of an xlsx file (compressed)
// below which merged ranges are read. Reading them makes excelize decode the
// whole worksheet into memory, which costs more than the rest of the read on
// a large sheet; plans that use merged section rows are small.
const DefaultMergeScanLimit = 2 << 20

// Options tunes a read. The zero value means the defaults.
type Options struct {
	// MaxSize is the largest inflated size accepted, in bytes. An archive
	// whose directory declares more is refused before anything is inflated.
	MaxSize int64
	// MergeScanLimit is the compressed size up to which merged ranges are read.
	MergeScanLimit int64
}

func (o Options) withDefaults() Options {
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.MergeScanLimit == 0 {
		o.MergeScanLimit = DefaultMergeScanLimit
	}
	return o
}

// ReadFile reads the spreadsheet at path. The format is decided by the
// content, with the extension only telling CSV from plain text.
func ReadFile(path string, opts Options) (*Grid, error) {
	opts = opts.withDefaults()
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%w: it is a folder", ErrUnsupported)
	}
	if fi.Size() > opts.MaxSize {
		return nil, fmt.Errorf("%w: %d bytes, over the limit of %d bytes", ErrTooLarge, fi.Size(), opts.MaxSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ReadBytes(filepath.Base(path), data, opts)
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
)

// ReadBytes reads a spreadsheet held in memory; name is the file's name,
// used for its extension and as the sheet name of a CSV file.
func ReadBytes(name string, data []byte, opts Options) (*Grid, error) {
	opts = opts.withDefaults()
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case len(data) == 0:
		return nil, ErrEmpty
	case int64(len(data)) > opts.MaxSize:
		return nil, fmt.Errorf("%w: %d bytes, over the limit of %d bytes", ErrTooLarge, len(data), opts.MaxSize)
	case bytes.HasPrefix(data, oleMagic):
		return nil, classifyOLE(data)
	case bytes.HasPrefix(data, zipMagic) || bytes.HasPrefix(data, []byte("PK")):
		return readXLSX(name, data, opts)
	case looksLikeMarkup(data):
		return nil, fmt.Errorf("%w: it is an HTML or XML page (perhaps a download or login page saved as %s)", ErrNotSpreadsheet, displayExt(ext))
	}
	switch ext {
	case ".csv", ".txt", ".tsv", "":
		return readCSV(name, data)
	case ".xlsx", ".xlsm":
		return nil, fmt.Errorf("%w: a %s file is a zip archive, and this one is not", ErrCorrupt, ext)
	case ".xls":
		return nil, ErrLegacyFormat
	}
	return nil, fmt.Errorf("%w: %s (udrul reads .xlsx, .xlsm, .csv and .txt)", ErrUnsupported, displayExt(ext))
}

func displayExt(ext string) string {
	if ext == "" {
		return "a file without extension"
	}
	return ext
}

func looksLikeMarkup(data []byte) bool {
	head := data[:min(len(data), 512)]
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	lower := bytes.ToLower(head)
	for _, p := range []string{"<!doctype", "<html", "<?xml", "<head", "<body"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return true
		}
	}
	return false
}

// classifyOLE tells an encrypted workbook (an OLE container holding an
// EncryptedPackage) from a legacy .xls file.
func classifyOLE(data []byte) error {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%w: an OLE container that cannot be read: %v", ErrCorrupt, err)
	}
	for entry, err := doc.Next(); err == nil; entry, err = doc.Next() {
		switch entry.Name {
		case "EncryptedPackage", "EncryptionInfo":
			return fmt.Errorf("%w: remove the password (File > Info > Protect Workbook) and save it again", ErrEncrypted)
		case "Workbook", "Book":
			return fmt.Errorf("%w: open it in Excel and save it as .xlsx", ErrLegacyFormat)
		}
	}
	return fmt.Errorf("%w: an OLE container without a workbook", ErrNotSpreadsheet)
}

// checkZip reads only the archive's directory and refuses it when the
// entries would inflate beyond the limit, before anything is inflated.
func checkZip(data []byte, limit int64) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	var total uint64
	hasWorkbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(limit) {
			return nil, fmt.Errorf("%w: it would inflate to more than %d bytes (a zip bomb, or a workbook far larger than a plan)", ErrTooLarge, limit)
		}
		if strings.EqualFold(f.Name, "xl/workbook.xml") {
			hasWorkbook = true
		}
	}
	if !hasWorkbook {
		return nil, fmt.Errorf("%w: a zip archive without xl/workbook.xml (a Word or other Office file?)", ErrNotSpreadsheet)
	}
	return zr, nil
}

// hasMerges reports whether any worksheet of the archive has merged cells.
// Inflating and scanning the XML costs a fraction of excelize decoding it,
// which reading merges requires.
func hasMerges(zr *zip.Reader) bool {
	needle := []byte("<mergeCell ")
	for _, f := range zr.File {
		if !strings.HasPrefix(strings.ToLower(f.Name), "xl/worksheets/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return true // let excelize decide
		}
		buf := make([]byte, 64<<10)
		var carry []byte
		for {
			n, err := rc.Read(buf)
			chunk := append(carry, buf[:n]...)
			if bytes.Contains(chunk, needle) {
				rc.Close()
				return true
			}
			if len(chunk) >= len(needle) {
				carry = append(carry[:0], chunk[len(chunk)-len(needle)+1:]...)
			} else {
				carry = append(carry[:0], chunk...)
			}
			if err != nil {
				break
			}
		}
		rc.Close()
	}
	return false
}

func readXLSX(name string, data []byte, opts Options) (*Grid, error) {
	zr, err := checkZip(data, opts.MaxSize)
	if err != nil {
		return nil, err
	}
	merges := int64(len(data)) <= opts.MergeScanLimit && hasMerges(zr)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    opts.MaxSize,
		UnzipXMLSizeLimit: min(opts.MaxSize, excelize.StreamChunkSize),
	})
	if err != nil {
		return nil, xlsxError(err)
	}
	defer f.Close()
	g := &Grid{File: name}
	for _, sheetName := range f.GetSheetList() {
		visible, err := f.GetSheetVisible(sheetName)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", sheetName, xlsxError(err))
		}
		sh := Sheet{Name: sheetName, Hidden: !visible}
		if visible {
			if sh.Rows, err = readSheetRows(f, sheetName); err != nil {
				return nil, fmt.Errorf("sheet %q: %w", sheetName, xlsxError(err))
			}
			if merges {
				if sh.Merges, err = readMerges(f, sheetName); err != nil {
					return nil, fmt.Errorf("sheet %q: %w", sheetName, xlsxError(err))
				}
			}
		}
		g.Sheets = append(g.Sheets, sh)
	}
	return g, nil
}

// readSheetRows streams a sheet's rows through excelize with raw values:
// formulas come from their cached values and numbers as stored, so a date
// cell arrives as its serial. (excelize's streaming reader does not expose
// number formats, and formatting every cell is four times slower; the
// parser knows which columns hold dates.)
func readSheetRows(f *excelize.File, sheet string) ([][]Cell, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]Cell
	raw := excelize.Options{RawCellValue: true}
	for rows.Next() {
		cols, err := rows.Columns(raw)
		if err != nil {
			return nil, err
		}
		// Trim trailing empty cells so an empty row costs nothing.
		n := len(cols)
		for n > 0 && cols[n-1] == "" {
			n--
		}
		if n == 0 {
			out = append(out, nil)
			continue
		}
		row := make([]Cell, n)
		for i, v := range cols[:n] {
			row[i] = typeNumber(v)
		}
		out = append(out, row)
	}
	if err := rows.Error(); err != nil {
		return nil, err
	}
	// Drop trailing empty rows (formatting often extends a sheet).
	for len(out) > 0 && out[len(out)-1] == nil {
		out = out[:len(out)-1]
	}
	return out, nil
}

func readMerges(f *excelize.File, sheet string) ([]Merge, error) {
	mcs, err := f.GetMergeCells(sheet)
	if err != nil {
		return nil, err
	}
	out := make([]Merge, 0, len(mcs))
	for _, mc := range mcs {
		c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(mc.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, Merge{Top: r1, Left: c1, Bottom: r2, Right: c2})
	}
	return out, nil
}

// xlsxError turns excelize's and archive/zip's errors into ours.
func xlsxError(err error) error {
	switch {
	case errors.Is(err, excelize.ErrWorkbookPassword), errors.Is(err, excelize.ErrWorkbookFileFormat):
		return fmt.Errorf("%w: %v", ErrEncrypted, err)
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrAlgorithm),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return fmt.Errorf("%w: %v", ErrTooLarge, err)
	case strings.Contains(err.Error(), "XML syntax error"), strings.Contains(err.Error(), "xml:"):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return err
}
