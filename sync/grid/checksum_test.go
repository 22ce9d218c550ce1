package grid_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
	"github.com/xuri/excelize/v2"
)

// storedCopy is the workbook with every part stored, not deflated: a byte
// changed in a part is then caught only by the part's checksum (as
// Excel and LibreOffice catch it, calling the file damaged).
func storedCopy(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestReadBytes_checksum: a workbook part whose bytes are not the ones its
// checksum was made of (a bit flipped on a disk or in a transfer) is
// damaged, whole or read row by row; it was read as it stood, a date or
// text other than the one written, without a word, because the reader
// stopped at the end of the part's root element and never got to the
// check at the end of the part.
func TestReadBytes_checksum(t *testing.T) {
	f := excelize.NewFile()
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for cell, v := range map[string]any{"A1": "Opgave", "B1": "Slutdato", "A2": "Datavask hos kommunen", "B2": 45013} {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellStyle("Sheet1", "B2", "B2", date); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	stored := storedCopy(t, buf.Bytes())
	opts := grid.Options{Lang: grid.English}
	g, err := grid.ReadBytes("plan.xlsx", stored, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Sheets[0].Rows[1][1]; got.Num != 45013 {
		t.Fatalf("B2 = %+v, want 45013", got)
	}
	for _, tc := range []struct{ name, old, new string }{
		{"a value in the sheet", "<v>45013</v>", "<v>45019</v>"},
		{"a shared text", "Datavask hos kommunen", "Datavask hos kommunem"},
		{"a number format", `numFmtId="14"`, `numFmtId="15"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(stored, []byte(tc.old)) {
				t.Fatalf("the workbook has no %q", tc.old)
			}
			bad := bytes.Replace(stored, []byte(tc.old), []byte(tc.new), 1)
			_, err := grid.ReadBytes("plan.xlsx", bad, opts)
			if !errors.Is(err, grid.ErrCorrupt) || !strings.Contains(grid.Message(err, grid.English), "checksum") {
				t.Errorf("ReadBytes: err = %v, want ErrCorrupt saying a checksum does not match", err)
			}
			b, err := grid.OpenBytes("plan.xlsx", bad, opts)
			for err == nil {
				var s *grid.SheetRows
				if s, err = b.NextSheet(); err != nil {
					break
				}
				for err == nil {
					_, _, err = s.Next()
				}
				if err == io.EOF {
					err = nil
				}
			}
			if !errors.Is(err, grid.ErrCorrupt) {
				t.Errorf("row by row: err = %v, want ErrCorrupt", err)
			}
		})
	}
}
