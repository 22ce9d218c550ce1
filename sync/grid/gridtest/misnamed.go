package gridtest

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// Misnamed is a file whose content is not what its extension says, with
// phrases udrul check prints for it in English and Danish.
type Misnamed struct {
	Name     string
	Data     []byte
	En, Da   []string
	Readable bool // read as a plan: the name and content agree
}

// csvText is a plan as Danish Excel saves "CSV": semicolons, Windows-1252.
const csvText = "Opgave;Ansvarlig;Slutdato\r\nKick-off møde;Kommune;01-06-2026\r\n"

// webExport is what web systems' "export to Excel" send: an HTML table,
// often without <html>, saved as .xls.
const webExport = "<table border=\"1\"><tr><th>Opgave</th><th>Slutdato</th></tr><tr><td>Kick-off</td><td>01-06-2026</td></tr></table>\r\n"

// excelHTML is a page saved by Excel as "Web Page", renamed .xlsx.
const excelHTML = "\ufeff<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\r\n<head><meta charset=\"utf-8\"></head><body><table><tr><td>Opgave</td></tr></table></body></html>"

// xml2003 is an Excel 2003 XML spreadsheet.
const xml2003 = "<?xml version=\"1.0\"?>\r\n<?mso-application progid=\"Excel.Sheet\"?>\r\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet ss:Name=\"Plan\"></Worksheet></Workbook>"

// MisnamedFiles returns files whose content is not what their name says:
// CSV text named .xlsx and .xls, an HTML web export named .xls, an Excel
// web page named .xlsx, an old .xls workbook named .xlsx, a
// password-protected workbook, an Excel 2003 XML file, a PDF named .xlsx,
// an OpenDocument spreadsheet and an Excel binary workbook named .xlsx,
// and, to show the rest is unchanged, the CSV file named .csv.
func MisnamedFiles() ([]Misnamed, error) {
	cp1252, err := charmap.Windows1252.NewEncoder().String(csvText)
	if err != nil {
		return nil, err
	}
	utf16le := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune("Opgave\tAnsvarlig\r\nKick-off\tKommune\r\n")) {
		utf16le = binary.LittleEndian.AppendUint16(utf16le, u)
	}
	encrypted, err := EncryptedXLSX("hemmelig")
	if err != nil {
		return nil, err
	}
	legacy, err := LegacyXLS()
	if err != nil {
		return nil, err
	}
	ods, err := zipOf([][2]string{{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
		{"META-INF/manifest.xml", `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>`},
		{"content.xml", `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>`}})
	if err != nil {
		return nil, err
	}
	xlsb, err := zipOf([][2]string{{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.bin", "\x83\x01\x00"}})
	if err != nil {
		return nil, err
	}
	csvEn := []string{"not what its extension says", "it is CSV/text, not an Excel workbook", "Save it as .xlsx from Excel, or rename it to .csv"}
	csvDa := []string{"ikke, hvad filtypen siger", "det er CSV/tekst, ikke en Excel-projektmappe", "Gem den som .xlsx fra Excel, eller omdøb den til .csv"}
	return []Misnamed{
		{Name: "kp-aarhus.xlsx", Data: []byte(cp1252), En: csvEn, Da: csvDa},
		{Name: "kp-odense.xls", Data: []byte(csvText), En: csvEn, Da: csvDa},
		{Name: "kp-unicode.xlsx", Data: utf16le, En: csvEn, Da: csvDa},
		{Name: "ksd-eksport.xls", Data: []byte(webExport),
			En: []string{"web page (HTML) saved as .xls", "not an Excel workbook", "save it as an Excel Workbook (.xlsx)"},
			Da: []string{"webside (HTML) gemt som .xls", "ikke en Excel-projektmappe", "gem den som Excel-projektmappe (.xlsx)"}},
		{Name: "ksd-webside.xlsx", Data: []byte(excelHTML),
			En: []string{"web page (HTML) saved as .xlsx"}, Da: []string{"webside (HTML) gemt som .xlsx"}},
		{Name: "sapa-gammel.xlsx", Data: legacy,
			En: []string{"old Excel 97-2003 (.xls) format", "it is named .xlsx, but it is not one", "save it as an Excel Workbook (.xlsx)"},
			Da: []string{"gamle Excel 97-2003-format (.xls)", "den hedder .xlsx, men er det ikke", "gem den som Excel-projektmappe (.xlsx)"}},
		{Name: "kp-hemmelig.xlsx", Data: encrypted,
			En: []string{"protected by a password", "udrul cannot read it; remove the password"},
			Da: []string{"beskyttet med en adgangskode", "udrul kan ikke læse den; fjern adgangskoden"}},
		{Name: "kp-2003.xls", Data: []byte(xml2003),
			En: []string{"Excel 2003 XML spreadsheet", "save it as an Excel Workbook (.xlsx)"},
			Da: []string{"Excel 2003 XML-regneark", "gem det som Excel-projektmappe (.xlsx)"}},
		{Name: "kp-plan.xlsx", Data: []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
			En: []string{"PDF document saved as .xlsx"}, Da: []string{"PDF-dokument gemt som .xlsx"}},
		{Name: "kp-calc.xlsx", Data: ods,
			En: []string{"OpenDocument spreadsheet (.ods, from LibreOffice Calc), which udrul does not read", "save it as Excel 2007-365 (.xlsx)"},
			Da: []string{"OpenDocument-regneark (.ods, fra LibreOffice Calc), som udrul ikke læser", "gem det som Excel 2007-365 (.xlsx)"}},
		{Name: "kp-binary.xlsx", Data: xlsb,
			En: []string{"Excel Binary Workbook (.xlsb)", "save it as an Excel Workbook (.xlsx)"},
			Da: []string{"binær Excel-projektmappe (.xlsb)", "gem den som Excel-projektmappe (.xlsx)"}},
		{Name: "kp-aarhus.csv", Data: []byte(cp1252), Readable: true},
	}, nil
}

// zipOf returns a zip archive of the named entries, in order, stored.
func zipOf(entries [][2]string) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e[0], Method: zip.Store})
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(w, e[1]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// EncryptedXLSX returns a workbook excelize saved with a password: an OLE
// container holding EncryptionInfo and EncryptedPackage streams.
func EncryptedXLSX(password string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "Opgave"); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, excelize.Options{Password: password}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// LegacyXLS returns an OLE container shaped as an Excel 97-2003 workbook
// holds it: a stream named "Workbook" (and no encryption). It is the
// encrypted workbook's container with its streams renamed, which is all a
// reader looks at to tell the two apart.
func LegacyXLS() ([]byte, error) {
	data, err := EncryptedXLSX("x")
	if err != nil {
		return nil, err
	}
	for from, to := range map[string]string{"EncryptedPackage": "Workbook", "EncryptionInfo": "SummaryInfo"} {
		if err := renameEntry(data, from, to); err != nil {
			return nil, err
		}
	}
	return data, nil
}

// renameEntry renames a directory entry of an OLE container in place: an
// entry is 128 bytes, starting with its name in UTF-16 (64 bytes) and the
// name's length in bytes with its terminating zero.
func renameEntry(data []byte, from, to string) error {
	enc := func(s string) []byte {
		var b []byte
		for _, u := range utf16.Encode([]rune(s + "\x00")) {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
		return b
	}
	old := enc(from)
	for i := 0; i+128 <= len(data); i += 128 {
		if bytes.HasPrefix(data[i:i+64], old) && int(binary.LittleEndian.Uint16(data[i+64:])) == len(old) {
			name := enc(to)
			clear(data[i : i+64])
			copy(data[i:], name)
			binary.LittleEndian.PutUint16(data[i+64:], uint16(len(name)))
			return nil
		}
	}
	return fmt.Errorf("no directory entry %q", from)
}
