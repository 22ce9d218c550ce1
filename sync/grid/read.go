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
	return LoadFile(f, max)
}

// LoadFile reads the open file f as Load reads a path: only a regular
// file, of at most max bytes, and the read stops at the limit. Open it
// with syscall.O_NONBLOCK, so that a FIFO does not block the open.
func LoadFile(f *os.File, max int64) ([]byte, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := regular(fi); err != nil {
		return nil, err
	}
	if fi.Size() > max {
		return nil, tooLarge(fi.Size(), max)
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
// extension; or refuses it, saying what the content is when it is not what
// the name says (a CSV file renamed .xlsx, a web page saved as .xls, an old
// .xls workbook renamed .xlsx, a password-protected workbook) and what to
// do about it.
func format(name string, data []byte, opts Options) (int, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case len(data) == 0:
		return 0, fail(ErrEmpty, "", "")
	case int64(len(data)) > opts.MaxSize:
		return 0, tooLarge(int64(len(data)), opts.MaxSize)
	case bytes.HasPrefix(data, oleMagic):
		return 0, classifyOLE(data, ext)
	case bytes.HasPrefix(data, zipMagic) || bytes.HasPrefix(data, []byte("PK")):
		return formatXLSX, nil
	}
	switch sniff(data) {
	case contentHTML:
		if !excelExt(ext) {
			return 0, fail(ErrNotSpreadsheet, "det er en webside (HTML) gemt som %[1]s, måske en login- eller fejlside: hent planen igen",
				"it is a web page (HTML) saved as %[2]s, perhaps a login or error page: download the plan again", displayExt(ext, Danish), displayExt(ext, English))
		}
		return 0, fail(ErrWrongType, "det er en webside (HTML) gemt som %[1]s, ikke en Excel-projektmappe; webløsningers \"eksportér til Excel\" gemmer ofte sådan en. Åbn den i Excel, og gem den som Excel-projektmappe (.xlsx). Er det en login- eller fejlside, så hent planen igen",
			"it is a web page (HTML) saved as %[2]s, not an Excel workbook; web systems' \"export to Excel\" often save one. Open it in Excel and save it as an Excel Workbook (.xlsx). If it is a login or error page, download the plan again", displayExt(ext, Danish), displayExt(ext, English))
	case contentMHTML:
		return 0, fail(ErrNotSpreadsheet, "det er et webarkiv (MHTML, \"webside i én fil\") gemt som %[1]s, ikke en Excel-projektmappe: åbn den i Excel, og gem den som Excel-projektmappe (.xlsx)",
			"it is a web archive (MHTML, \"single file web page\") saved as %[2]s, not an Excel workbook: open it in Excel and save it as an Excel Workbook (.xlsx)", displayExt(ext, Danish), displayExt(ext, English))
	case contentXMLSpreadsheet:
		return 0, fail(ErrUnsupported, "det er et Excel 2003 XML-regneark (XML-regneark 2003), som udrul ikke læser: åbn det i Excel, og gem det som Excel-projektmappe (.xlsx)",
			"it is an Excel 2003 XML spreadsheet (XML Spreadsheet 2003), which udrul does not read: open it in Excel and save it as an Excel Workbook (.xlsx)")
	case contentXML:
		return 0, fail(ErrNotSpreadsheet, "det er en XML-fil gemt som %[1]s, ikke et regneark", "it is an XML file saved as %[2]s, not a spreadsheet", displayExt(ext, Danish), displayExt(ext, English))
	case contentPDF:
		if ext != ".pdf" {
			return 0, fail(ErrNotSpreadsheet, "det er et PDF-dokument gemt som %[1]s: udrul kan ikke læse tabeller i en PDF; skaf planen som .xlsx eller .csv",
				"it is a PDF document saved as %[2]s: udrul cannot read tables in a PDF; get the plan as .xlsx or .csv", displayExt(ext, Danish), displayExt(ext, English))
		}
	case contentText:
		if excelExt(ext) {
			return 0, fail(ErrWrongType, "det er CSV/tekst, ikke en Excel-projektmappe. Gem den som .xlsx fra Excel, eller omdøb den til .csv",
				"it is CSV/text, not an Excel workbook. Save it as .xlsx from Excel, or rename it to .csv")
		}
	}
	switch ext {
	case ".csv", ".txt", ".tsv", "":
		return formatCSV, nil
	case ".xlsx", ".xlsm":
		return 0, damaged("", "en "+ext+"-fil er et zip-arkiv, og det er denne ikke.", "a "+ext+" file is a zip archive, and this one is not.", nil)
	case ".xls":
		return 0, damaged("", "det er hverken en gammel Excel-projektmappe (.xls) eller tekst.", "it is neither an old Excel workbook (.xls) nor text.", nil)
	}
	return 0, fail(ErrUnsupported, "%[1]s (udrul læser .xlsx, .xlsm, .csv og .txt)", "%[2]s (udrul reads .xlsx, .xlsm, .csv and .txt)", displayExt(ext, Danish), displayExt(ext, English))
}

// excelExt reports whether ext names an Excel workbook.
func excelExt(ext string) bool { return ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" }

func displayExt(ext, lang string) string {
	if ext == "" {
		return [2]string{"en fil uden filtype", "a file without extension"}[langIdx(lang)]
	}
	return ext
}

// What a file's first bytes say it holds, when it is not a zip archive or
// an OLE container.
const (
	contentBinary = iota
	contentText
	contentHTML
	contentMHTML
	contentXML
	contentXMLSpreadsheet
	contentPDF
)

// sniffBytes is how much of a file sniff looks at.
const sniffBytes = 4096

// sniff tells what a file holds from its first bytes: a web page (also one
// that starts with a bare <table>, as web exports write), a web archive, an
// Excel 2003 XML spreadsheet, other XML, a PDF, text (UTF-8, UTF-16 with a
// byte order mark, or Windows-1252: no NUL and few control characters), or
// else binary.
func sniff(data []byte) int {
	head := data[:min(len(data), sniffBytes)]
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
		if b := decideEncoding(head[:len(head)&^1]); b.utf16Err == nil {
			head = b.data
		}
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	lower := bytes.ToLower(trimmed)
	switch {
	case bytes.HasPrefix(trimmed, []byte("%PDF-")):
		return contentPDF
	case bytes.HasPrefix(lower, []byte("mime-version:")):
		return contentMHTML
	case bytes.HasPrefix(lower, []byte("<?xml")):
		switch {
		case bytes.Contains(lower, []byte("<html")):
			return contentHTML
		case bytes.Contains(lower, []byte("urn:schemas-microsoft-com:office:spreadsheet")), bytes.Contains(lower, []byte("<?mso-application progid=\"excel.sheet\"?>")):
			return contentXMLSpreadsheet
		}
		return contentXML
	}
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<table", "<meta", "<style", "<title", "<!--"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return contentHTML
		}
	}
	control := 0
	for _, c := range head {
		switch {
		case c == 0:
			return contentBinary
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f', c == 0x7f:
			control++
		}
	}
	if control*100 > len(head) {
		return contentBinary
	}
	return contentText
}

// otherZip says what a zip archive without an Excel workbook is: an
// OpenDocument spreadsheet (LibreOffice), an Excel binary workbook (.xlsb),
// a Word document, or another zip archive.
func otherZip(p *xlsxPackage) *Error {
	const odsType = "application/vnd.oasis.opendocument.spreadsheet"
	if f := p.file("mimetype"); f != nil && f.UncompressedSize64 < 128 {
		if b, err := p.readPart("mimetype"); err == nil && strings.TrimSpace(string(b)) == odsType {
			return fail(ErrUnsupported, "det er et OpenDocument-regneark (.ods, fra LibreOffice Calc), som udrul ikke læser: gem det som Excel 2007-365 (.xlsx)",
				"it is an OpenDocument spreadsheet (.ods, from LibreOffice Calc), which udrul does not read: save it as Excel 2007-365 (.xlsx)")
		}
	}
	switch {
	case p.file("xl/workbook.bin") != nil:
		return fail(ErrUnsupported, "det er en binær Excel-projektmappe (.xlsb), som udrul ikke læser: åbn den i Excel, og gem den som Excel-projektmappe (.xlsx)",
			"it is an Excel Binary Workbook (.xlsb), which udrul does not read: open it in Excel and save it as an Excel Workbook (.xlsx)")
	case p.file("word/document.xml") != nil:
		return fail(ErrNotSpreadsheet, "det er et Word-dokument, ikke en projektmappe", "it is a Word document, not a workbook")
	case p.file("ppt/presentation.xml") != nil:
		return fail(ErrNotSpreadsheet, "det er en PowerPoint-præsentation, ikke en projektmappe", "it is a PowerPoint presentation, not a workbook")
	}
	return fail(ErrNotSpreadsheet, "et zip-arkiv uden en projektmappe (en anden Office-fil, eller filer pakket sammen?).",
		"a zip archive without a workbook (another Office file, or files zipped together?).")
}

// classifyOLE tells an encrypted workbook (an OLE container holding an
// EncryptedPackage) from a legacy .xls file; ext is the file's extension,
// to say when the name claims otherwise.
func classifyOLE(data []byte, ext string) error {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return damaged("", "en OLE-beholder, der ikke kan læses.", "an OLE container that cannot be read.", err)
	}
	for entry, err := doc.Next(); err == nil; entry, err = doc.Next() {
		switch entry.Name {
		case "EncryptedPackage", "EncryptionInfo":
			return fail(ErrEncrypted, "udrul kan ikke læse den; fjern adgangskoden (i Excel: Filer > Oplysninger > Beskyt projektmappe > Krypter med adgangskode, slet adgangskoden), og gem den igen",
				"udrul cannot read it; remove the password (in Excel: File > Info > Protect Workbook > Encrypt with Password, clear the password) and save it again")
		case "Workbook", "Book":
			if ext != ".xls" && ext != "" {
				return fail(ErrLegacyFormat, "den hedder %[1]s, men er det ikke. Åbn den i Excel, og gem den som Excel-projektmappe (.xlsx)",
					"it is named %[1]s, but it is not one. Open it in Excel and save it as an Excel Workbook (.xlsx)", ext)
			}
			return fail(ErrLegacyFormat, "åbn den i Excel, og gem den som Excel-projektmappe (.xlsx)", "open it in Excel and save it as an Excel Workbook (.xlsx)")
		}
	}
	return fail(ErrNotSpreadsheet, "en OLE-beholder uden en projektmappe (et gammelt Word-dokument eller en anden Office-fil?)", "an OLE container without a workbook (an old Word document or another Office file?)")
}

// String helps tests and logs.
func (l Limits) String() string {
	return fmt.Sprintf("%d rows × %d columns, %d cells", l.Rows, l.Columns, l.Cells)
}
