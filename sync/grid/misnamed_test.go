package grid_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/grid/gridtest"
)

// TestReadFile_misnamed reads files whose content is not what their name
// says: each is refused with what it is and what to do, in both languages,
// through ReadFile and OpenFile alike.
func TestReadFile_misnamed(t *testing.T) {
	files, err := gridtest.MisnamedFiles()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]error{
		"kp-aarhus.xlsx":   grid.ErrWrongType,
		"kp-odense.xls":    grid.ErrWrongType,
		"kp-unicode.xlsx":  grid.ErrWrongType,
		"ksd-eksport.xls":  grid.ErrWrongType,
		"ksd-webside.xlsx": grid.ErrWrongType,
		"sapa-gammel.xlsx": grid.ErrLegacyFormat,
		"kp-hemmelig.xlsx": grid.ErrEncrypted,
		"kp-2003.xls":      grid.ErrUnsupported,
		"kp-plan.xlsx":     grid.ErrNotSpreadsheet,
		"kp-calc.xlsx":     grid.ErrUnsupported,
		"kp-binary.xlsx":   grid.ErrUnsupported,
	}
	for _, f := range files {
		path := writeFile(t, f.Name, f.Data)
		for _, lang := range []string{grid.English, grid.Danish} {
			says := f.En
			if lang == grid.Danish {
				says = f.Da
			}
			t.Run(f.Name+"/"+lang, func(t *testing.T) {
				opts := grid.Options{Lang: lang}
				g, err := grid.ReadFile(path, opts)
				_, openErr := grid.OpenFile(path, opts)
				if f.Readable {
					if err != nil || openErr != nil || len(g.Sheets) != 1 || g.Sheets[0].Cell(2, 1).Text != "Kick-off møde" {
						t.Fatalf("ReadFile = %v, %v; OpenFile err %v; want the plan read", g, err, openErr)
					}
					return
				}
				want := kinds[f.Name]
				for _, got := range []error{err, openErr} {
					if !errors.Is(got, want) {
						t.Fatalf("got %v, want %v", got, want)
					}
					msg := grid.Message(got, lang)
					for _, s := range says {
						if !strings.Contains(msg, s) {
							t.Errorf("got %q, want it to say %q", msg, s)
						}
					}
					if strings.Contains(msg, "damaged") || strings.Contains(msg, "beskadiget") {
						t.Errorf("got %q, want no word of damage: the file is whole", msg)
					}
				}
			})
		}
	}
}

// TestReadFile_stillDamaged: bytes that are neither a workbook nor text,
// named .xlsx or .xls, are still called damaged.
func TestReadFile_stillDamaged(t *testing.T) {
	junk := []byte{0x01, 0x02, 0x03, 0x00, 0xff, 0x10, 0x11, 0x12, 0x13}
	for _, name := range []string{"plan.xlsx", "plan.xls"} {
		t.Run(name, func(t *testing.T) {
			_, err := grid.ReadFile(writeFile(t, name, junk), grid.Options{Lang: grid.English})
			if got, want := err, grid.ErrCorrupt; !errors.Is(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
}

// FuzzReadBytes_anyBytes feeds any bytes under any plan name to the
// reader: it never panics, and refuses only with one of its reasons.
func FuzzReadBytes_anyBytes(f *testing.F) {
	files, err := gridtest.MisnamedFiles()
	if err != nil {
		f.Fatal(err)
	}
	for _, m := range files {
		f.Add(m.Name, m.Data)
	}
	f.Add("plan.xls", []byte("\xff\xfe<\x00t\x00a\x00b\x00l\x00e\x00>\x00"))
	f.Add("plan.xlsx", []byte("\xff\xfe\x00"))
	f.Add("plan", []byte("<?xml version=\"1.0\"?><html>"))
	kinds := []error{grid.ErrEmpty, grid.ErrCorrupt, grid.ErrNotSpreadsheet, grid.ErrWrongType, grid.ErrEncrypted,
		grid.ErrLegacyFormat, grid.ErrTooLarge, grid.ErrUnsupported}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		_, err := grid.ReadBytes(name, data, grid.Options{Limits: grid.Limits{Rows: 200, Columns: 50, Cells: 5000}})
		if err == nil {
			return
		}
		for _, k := range kinds {
			if errors.Is(err, k) {
				return
			}
		}
		t.Fatalf("ReadBytes(%q) = %v, want one of the reader's reasons", name, err)
	})
}
