package grid

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/richardlehane/mscfb"
)

// DefaultMaxSize is the default limit on how large a file may be once
// inflated (the sum of an xlsx archive's entries, or a CSV file's size).
const DefaultMaxSize = 64 << 20

// Limits bound what a reader keeps of one sheet, so memory follows what a
// plan can plausibly hold rather than what a file claims: a cell in column
// XFD or row 1,048,576 costs nothing unless it is within them.
type Limits struct {
	// Rows is the last row read (default 100,000).
	Rows int
	// Columns is the last column read (default 1,024: a Gantt timeline
	// with a column per day for almost three years).
	Columns int
	// Cells is the most cells kept per sheet, each row counted to its
	// last filled cell (default 2,000,000).
	Cells int
}

// The default limits.
const (
	DefaultMaxRows    = 100_000
	DefaultMaxColumns = 1_024
	DefaultMaxCells   = 2_000_000
)

// CSV lines, rows and fields are capped: a line longer than MaxLineBytes,
// a row (with the line breaks quoted in it) longer than MaxRecordBytes or a
// field longer than MaxFieldChars (Excel's own limit for a cell) makes the
// file unreadable.
const (
	MaxLineBytes   = 256 << 10
	MaxRecordBytes = 4 << 20
	MaxFieldChars  = 32_767
)

// Options tunes a read. The zero value means the defaults.
type Options struct {
	// MaxSize is the largest inflated size accepted, in bytes. An archive
	// whose directory declares more is refused before anything is inflated.
	MaxSize int64
	// Limits bound each sheet.
	Limits Limits
	// Lang is the language of the errors' text: "da" (default) or "en".
	Lang string
}

func (o Options) withDefaults() Options {
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.Limits.Rows <= 0 {
		o.Limits.Rows = DefaultMaxRows
	}
	if o.Limits.Columns <= 0 {
		o.Limits.Columns = DefaultMaxColumns
	}
	if o.Limits.Cells <= 0 {
		o.Limits.Cells = DefaultMaxCells
	}
	if o.Lang != English {
		o.Lang = Danish
	}
	return o
}

// ReadFile reads the spreadsheet at path. The format is decided by the
// content, with the extension only telling CSV from plain text.
func ReadFile(path string, opts Options) (*Grid, error) {
	opts = opts.withDefaults()
	data, err := Load(path, opts.MaxSize)
	if err != nil {
		return nil, localize(osError(err), opts.Lang)
	}
	return ReadBytes(filepath.Base(path), data, opts)
}

// Load reads the file at path, if it is a regular file (or a link to one)
// of at most max bytes: a FIFO, a device or a folder is refused without
// reading (a FIFO named plan.csv would block forever, /dev/zero never
// ends), and the read stops at the limit whatever the file claims.
func Load(path string, max int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regular(fi); err != nil {
		return nil, err
	}
	if fi.Size() > max {
		return nil, tooLarge(fi.Size(), max)
	}
	// O_NONBLOCK: should the file have been swapped for a FIFO since the
	// Stat, opening it does not block; the Stat of the open file decides.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regular(fi); err != nil {
		return nil, err
	}
	// Sized from the Stat, so a large file is not copied while it is read.
	buf := bytes.NewBuffer(make([]byte, 0, min(fi.Size(), max)+bytes.MinRead+1))
	if _, err := buf.ReadFrom(io.LimitReader(f, max+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if int64(len(data)) > max {
		return nil, tooLarge(int64(len(data)), max)
	}
	return data, nil
}

// regular refuses anything but a regular file.
func regular(fi os.FileInfo) error {
	m := fi.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return fail(ErrNotRegular, "det er en mappe", "it is a folder")
	case m&os.ModeNamedPipe != 0:
		return fail(ErrNotRegular, "det er en navngiven pipe (FIFO), som udrul ikke læser", "it is a named pipe (FIFO), which udrul does not read")
	case m&(os.ModeDevice|os.ModeCharDevice) != 0:
		return fail(ErrNotRegular, "det er en enhed (fx /dev/zero), som udrul ikke læser", "it is a device (such as /dev/zero), which udrul does not read")
	case m&os.ModeSocket != 0:
		return fail(ErrNotRegular, "det er en socket, som udrul ikke læser", "it is a socket, which udrul does not read")
	}
	return fail(ErrNotRegular, "udrul læser kun almindelige filer", "udrul reads only regular files")
}

func tooLarge(size, max int64) *Error {
	return fail(ErrTooLarge, "%[1]d byte, over grænsen på %[2]d byte (max_file_size_mib i konfigurationen)",
		"%[1]d bytes, over the limit of %[2]d bytes (max_file_size_mib in the configuration)", size, max)
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
)

// ReadBytes reads a spreadsheet held in memory; name is the file's name,
// used for its extension and as the sheet name of a CSV file. Its errors
// are *Error values in opts.Lang.
func ReadBytes(name string, data []byte, opts Options) (*Grid, error) {
	opts = opts.withDefaults()
	g, err := readBytes(name, data, opts)
	if err != nil {
		return nil, localize(err, opts.Lang)
	}
	return g, nil
}

func readBytes(name string, data []byte, opts Options) (*Grid, error) {
	f, err := format(name, data, opts)
	if err != nil {
		return nil, err
	}
	if f == formatXLSX {
		return readXLSX(name, data, opts)
	}
	return readCSV(name, data, opts)
}

// The formats a file is read as.
const (
	formatXLSX = iota + 1
	formatCSV
)

// format decides how a file is read, by its content and, for text, its
// extension; or refuses it.
func format(name string, data []byte, opts Options) (int, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case len(data) == 0:
		return 0, fail(ErrEmpty, "", "")
	case int64(len(data)) > opts.MaxSize:
		return 0, tooLarge(int64(len(data)), opts.MaxSize)
	case bytes.HasPrefix(data, oleMagic):
		return 0, classifyOLE(data)
	case bytes.HasPrefix(data, zipMagic) || bytes.HasPrefix(data, []byte("PK")):
		return formatXLSX, nil
	case looksLikeMarkup(data):
		return 0, fail(ErrNotSpreadsheet, "det er en HTML- eller XML-side (måske en download- eller login-side gemt som %[1]s)",
			"it is an HTML or XML page (perhaps a download or login page saved as %[2]s)", displayExt(ext, Danish), displayExt(ext, English))
	}
	switch ext {
	case ".csv", ".txt", ".tsv", "":
		return formatCSV, nil
	case ".xlsx", ".xlsm":
		return 0, damaged("", "en "+ext+"-fil er et zip-arkiv, og det er denne ikke.", "a "+ext+" file is a zip archive, and this one is not.", nil)
	case ".xls":
		return 0, fail(ErrLegacyFormat, "åbn den i Excel, og gem den som .xlsx", "open it in Excel and save it as .xlsx")
	}
	return 0, fail(ErrUnsupported, "%[1]s (udrul læser .xlsx, .xlsm, .csv og .txt)", "%[2]s (udrul reads .xlsx, .xlsm, .csv and .txt)", displayExt(ext, Danish), displayExt(ext, English))
}

func displayExt(ext, lang string) string {
	if ext == "" {
		return [2]string{"en fil uden filtype", "a file without extension"}[langIdx(lang)]
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
		return damaged("", "en OLE-beholder, der ikke kan læses.", "an OLE container that cannot be read.", err)
	}
	for entry, err := doc.Next(); err == nil; entry, err = doc.Next() {
		switch entry.Name {
		case "EncryptedPackage", "EncryptionInfo":
			return fail(ErrEncrypted, "fjern adgangskoden (Filer > Oplysninger > Beskyt projektmappe), og gem den igen", "remove the password (File > Info > Protect Workbook) and save it again")
		case "Workbook", "Book":
			return fail(ErrLegacyFormat, "åbn den i Excel, og gem den som .xlsx", "open it in Excel and save it as .xlsx")
		}
	}
	return fail(ErrNotSpreadsheet, "en OLE-beholder uden en projektmappe", "an OLE container without a workbook")
}

// String helps tests and logs.
func (l Limits) String() string {
	return fmt.Sprintf("%d rows × %d columns, %d cells", l.Rows, l.Columns, l.Cells)
}
