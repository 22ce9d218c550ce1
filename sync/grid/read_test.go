package grid_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/sync/grid"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func xlsxBytes(t *testing.T, build func(f *excelize.File), opts ...excelize.Options) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f)
	var buf bytes.Buffer
	if err := f.Write(&buf, opts...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func plainWorkbook(f *excelize.File) {
	f.SetCellValue("Sheet1", "A1", "Opgave")
	f.SetCellValue("Sheet1", "A2", "Noget")
}

// zipWith returns a zip archive whose entries declare the given sizes while
// holding almost nothing: what a zip bomb's directory looks like.
func zipWith(t *testing.T, entries map[string]uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, size := range entries {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, UncompressedSize64: size, CompressedSize64: 1, CRC32: 0})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte{0})
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadFile_unreadable(t *testing.T) {
	good := xlsxBytes(t, plainWorkbook)
	tests := []struct {
		name string
		file string
		data []byte
		opts grid.Options
		want error
		says string
	}{
		{"empty", "plan.xlsx", nil, grid.Options{}, grid.ErrEmpty, "empty"},
		{"truncated", "plan.xlsx", good[:len(good)/2], grid.Options{}, grid.ErrCorrupt, "damaged"},
		{"corrupt bytes", "plan.xlsx", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0x5a}, 500)...), grid.Options{}, grid.ErrCorrupt, "damaged"},
		{"html saved as xlsx", "plan.xlsx", []byte("<!DOCTYPE html>\n<html><body>Log ind</body></html>"), grid.Options{}, grid.ErrWrongType, "HTML"},
		{"html saved as csv", "plan.csv", []byte("<!DOCTYPE html>\n<html><body>Log ind</body></html>"), grid.Options{}, grid.ErrNotSpreadsheet, "HTML"},
		{"text saved as xlsx", "plan.xlsx", []byte("hello"), grid.Options{}, grid.ErrWrongType, "CSV/text"},
		{"password-protected", "plan.xlsx", xlsxBytes(t, plainWorkbook, excelize.Options{Password: "hemmelig"}), grid.Options{}, grid.ErrEncrypted, "password"},
		{"zip bomb refused before inflating", "plan.xlsx", zipWith(t, map[string]uint64{"xl/workbook.xml": 100, "xl/worksheets/sheet1.xml": 8 << 30}), grid.Options{}, grid.ErrTooLarge, "inflate"},
		{"over a set limit", "plan.xlsx", good, grid.Options{MaxSize: 1024}, grid.ErrTooLarge, "1024"},
		{"word document", "plan.xlsx", zipWith(t, map[string]uint64{"word/document.xml": 100}), grid.Options{}, grid.ErrNotSpreadsheet, "workbook"},
		{"unknown extension", "plan.pdf", []byte("%PDF-1.4"), grid.Options{}, grid.ErrUnsupported, ".pdf"},
		{"binary csv", "plan.csv", []byte("a;b\x00\x01\x02;c"), grid.Options{}, grid.ErrNotSpreadsheet, "binary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.file, tt.data)
			start := time.Now()
			tt.opts.Lang = grid.English
			g, err := grid.ReadFile(path, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ReadFile = %v, %v; want %v", g, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestReadFile_xlsx(t *testing.T) {
	data := xlsxBytes(t, func(f *excelize.File) {
		f.SetSheetName("Sheet1", "Plan")
		f.SetCellValue("Plan", "A1", "Opgave")
		f.SetCellValue("Plan", "B1", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
		f.SetCellValue("Plan", "C1", 46174)
		f.SetCellFormula("Plan", "C1", "B1+0")
		f.SetCellValue("Plan", "A3", "  efter en tom række")
		f.MergeCell("Plan", "A3", "C3")
		f.NewSheet("Skjult")
		f.SetCellValue("Skjult", "A1", "gammel")
		f.SetSheetVisible("Skjult", false)
	})
	g, err := grid.ReadFile(writeFile(t, "plan.xlsm", data), grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Sheets) != 2 || g.Sheets[0].Name != "Plan" || g.Sheets[1].Name != "Skjult" {
		t.Fatalf("sheets = %+v", g.Sheets)
	}
	if !g.Sheets[1].Hidden || g.Sheets[1].Rows != nil {
		t.Errorf("hidden sheet: hidden=%v rows=%v; want hidden and not read", g.Sheets[1].Hidden, g.Sheets[1].Rows)
	}
	sh := &g.Sheets[0]
	if c := sh.Cell(1, 1); c.Kind != grid.Text || c.Text != "Opgave" {
		t.Errorf("A1 = %+v", c)
	}
	for _, col := range []int{2, 3} {
		c := sh.Cell(1, col)
		d, ok := c.Date()
		if !ok || d.String() != "2026-06-01" {
			t.Errorf("cell %s = %+v: date %v %v, want 2026-06-01 (a date cell and a formula's cached value)", grid.Ref(1, col), c, d, ok)
		}
	}
	if len(sh.Rows) != 3 || sh.Rows[1] != nil {
		t.Errorf("rows = %d, row 2 = %v; want 3 rows with an empty second", len(sh.Rows), sh.Rows[1])
	}
	if m, ok := sh.MergeAt(3, 1); !ok || m.Right != 3 {
		t.Errorf("merge at A3 = %+v, %v", m, ok)
	}
}

func TestReadFile_csvEncodings(t *testing.T) {
	text := "Opgave;Ansvarlig;Startdato\r\n\"Møde; kick-off\r\nmed \"\"alle\"\"\";Kommune;01-06-2026\r\n\r\nÆndre præfiks;Leverandør;02-06-2026\r\n"
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(strings.ReplaceAll(text, ";", "\t")))
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(strings.ReplaceAll(text, ";", "\t")))
	cp1252, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	tests := []struct {
		name string
		file string
		data []byte
	}{
		{"utf-8", "plan.csv", []byte(text)},
		{"utf-8 bom", "plan.csv", append([]byte("\xef\xbb\xbf"), text...)},
		{"utf-8 comma", "plan.csv", []byte(strings.ReplaceAll(strings.ReplaceAll(text, ";", ","), "Møde, kick-off", "Møde; kick-off"))},
		{"windows-1252", "plan.csv", cp1252},
		{"utf-16le tabs", "plan.txt", utf16le},
		{"utf-16be tabs", "plan.txt", utf16be},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := grid.ReadFile(writeFile(t, tt.file, tt.data), grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			sh := g.Sheets[0]
			if sh.Name != "plan" {
				t.Errorf("sheet name = %q, want the file's name", sh.Name)
			}
			if len(sh.Rows) != 4 {
				t.Fatalf("rows = %d, want 4 (a quoted line break is one row, a blank line is a row)", len(sh.Rows))
			}
			if got := sh.Cell(2, 1).Text; !strings.HasPrefix(got, "Møde") || !strings.Contains(got, "\"alle\"") || !strings.Contains(got, "\n") {
				t.Errorf("B1 = %q", got)
			}
			if got := sh.Cell(4, 1).Text; got != "Ændre præfiks" {
				t.Errorf("A4 = %q, want Ændre præfiks", got)
			}
			if got := sh.Cell(4, 3).Text; got != "02-06-2026" {
				t.Errorf("C4 = %q", got)
			}
		})
	}
}

func TestDetectDelimiter(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		want rune
	}{
		{"semicolon", "a;b;c\n1;2;3\n", ';'},
		{"comma with semicolons in quotes", "a,b,c\n\"x;y;z\",2,3\n4,5,6\n", ','},
		{"semicolon with commas in text", "Opgave;Start\nMøde, kick-off, mv.;1\nTest, og mere;2\n", ';'},
		{"tab", "a\tb\tc\n1\t2\t3\n", '\t'},
		{"one column", "a\nb\n", ';'},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := grid.DetectDelimiter(tt.in); got != tt.want {
				t.Errorf("DetectDelimiter = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzParseCSV(f *testing.F) {
	for _, s := range []string{
		"a;b;c\r\n1;2;3\r\n", "\"x\ny\";2\n\n3;4", "a,b\n\"unterminated", "\xef\xbb\xbfa;b", "\xff\xfea\x00;\x00b\x00", "æøå;\xe6\xf8\xe5", "",
		"a;b\rc;d\r", "Møde;Lev\x96erandør;Færdig\nTest;I gang\n", strings.Repeat(";", 5000), "a;b;c;d;e;f;g;h\n1;2;3;4;5;6;7;8;9;10;11\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, _, err := grid.DecodeText(data)
		if err != nil {
			return
		}
		rows, err := grid.ParseCSV(text, grid.DetectDelimiter(text))
		if err != nil {
			if !errors.Is(err, grid.ErrCorrupt) {
				t.Fatalf("ParseCSV: unexpected error %v", err)
			}
			return
		}
		// Never more rows than lines.
		if lines := strings.Count(text, "\n") + 1; len(rows) > lines {
			t.Fatalf("%d rows from %d lines", len(rows), lines)
		}
		// The whole reader, with small limits: only its own reasons, and
		// nothing beyond the limits.
		lim := grid.Limits{Rows: 20, Columns: 6, Cells: 60}
		g, err := grid.ReadBytes("plan.csv", data, grid.Options{Limits: lim})
		if err != nil {
			var e *grid.Error
			if !errors.As(err, &e) {
				t.Fatalf("ReadBytes: unexpected error %v", err)
			}
			return
		}
		if sh := g.Sheets[0]; len(sh.Rows) > lim.Rows {
			t.Fatalf("%d rows, over the limit", len(sh.Rows))
		} else {
			for _, row := range sh.Rows {
				if len(row) > lim.Columns {
					t.Fatalf("a row of %d cells", len(row))
				}
			}
		}
	})
}

// soffice returns LibreOffice's command, or skips the test where it is
// absent (CI installs it).
func soffice(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skip("LibreOffice (soffice) is not installed")
	return ""
}

func TestReadFile_legacyXLS(t *testing.T) {
	bin := soffice(t)
	dir := t.TempDir()
	p := plangen.Generate(plangen.Spec{Seed: 1, Layout: plangen.TabPerStep, Municipality: "Odense", Solution: "KSD", Wave: 1})
	path, err := p.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cmd := exec.Command(bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "xls", "--outdir", out, path)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	xls := filepath.Join(out, strings.TrimSuffix(filepath.Base(path), ".xlsx")+".xls")
	_, err = grid.ReadFile(xls, grid.Options{})
	if !errors.Is(err, grid.ErrLegacyFormat) || !strings.Contains(err.Error(), ".xlsx") {
		t.Fatalf("err = %v, want ErrLegacyFormat telling to save as .xlsx", err)
	}
}
