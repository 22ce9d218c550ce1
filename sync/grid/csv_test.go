package grid_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
	"golang.org/x/text/encoding/charmap"
)

// TestReadBytes_csvEncodingByEvidence: a UTF-8 file with a few stray bytes
// stays UTF-8 (those bytes replaced, a warning naming each cell); a
// Windows-1252 file is still Windows-1252.
func TestReadBytes_csvEncodingByEvidence(t *testing.T) {
	var b strings.Builder
	b.WriteString("Opgave;Ansvarlig;Status\n")
	for range 30 {
		b.WriteString("Møde om ændringer;Leverandør;Færdig\n")
	}
	utf8Text := b.String()
	row := "Møde om ændringer;Leverandør;Færdig\n"
	stray := strings.Replace(utf8Text, row+row, "Møde om ændringer;Lev\x96erandør;Færdig\n"+"Møde om ændringer;Leverandør;F\xe6rdig\n", 1)
	cp1252, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(utf8Text))

	t.Run("utf-8 with stray bytes", func(t *testing.T) {
		g, err := grid.ReadBytes("plan.csv", []byte(stray), grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sh := &g.Sheets[0]
		if got := sh.Cell(10, 1).Text; got != "Møde om ændringer" {
			t.Errorf("A10 = %q, want the UTF-8 text intact", got)
		}
		if got := sh.Cell(2, 2).Text; got != "Lev\uFFFDerandør" {
			t.Errorf("B2 = %q, want the stray byte replaced", got)
		}
		cells := map[string]bool{}
		for _, w := range g.Warnings {
			if w.Code == grid.CodeInvalidText {
				cells[w.Cell()] = true
			}
		}
		if len(cells) != 2 || !cells["B2"] || !cells["C3"] {
			t.Errorf("warnings name %v, want B2 and C3", cells)
		}
		if msg := g.Warnings[0].Message(grid.Danish); !strings.Contains(msg, "UTF-8") {
			t.Errorf("warning %q", msg)
		}
	})
	t.Run("windows-1252", func(t *testing.T) {
		g, err := grid.ReadBytes("plan.csv", cp1252, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := g.Sheets[0].Cell(31, 2).Text; got != "Leverandør" {
			t.Errorf("B31 = %q", got)
		}
		if len(g.Warnings) != 0 {
			t.Errorf("warnings = %v", g.Warnings)
		}
	})
	t.Run("DecodeText", func(t *testing.T) {
		text, enc, err := grid.DecodeText([]byte(stray))
		if err != nil || enc != grid.EncUTF8 || !strings.Contains(text, "Møde") {
			t.Errorf("DecodeText = %.20q, %s, %v; want utf-8", text, enc, err)
		}
	})
}

func TestReadBytes_csvShapes(t *testing.T) {
	t.Run("CR-only line endings", func(t *testing.T) {
		g, err := grid.ReadBytes("plan.csv", []byte("Opgave;Status\rMøde;Færdig\r\rTest;I gang\r"), grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sh := &g.Sheets[0]
		if len(sh.Rows) != 4 || sh.Cell(2, 2).Text != "Færdig" || sh.Cell(4, 1).Text != "Test" {
			t.Errorf("rows = %+v, want 4 rows with a blank third", sh.Rows)
		}
	})
	t.Run("quoted line breaks keep row numbers", func(t *testing.T) {
		g, err := grid.ReadBytes("plan.csv", []byte("a;b\n\"x\ny\";2\n\n\n3;4\n"), grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sh := &g.Sheets[0]
		if len(sh.Rows) != 5 || sh.Cell(5, 1).Text != "3" {
			t.Errorf("rows = %+v, want 3;4 on row 5", sh.Rows)
		}
	})
}

// TestReadBytes_csvHostile: lines, fields, rows and columns are capped,
// with a clear refusal.
func TestReadBytes_csvHostile(t *testing.T) {
	many := func(n int, line string) []byte {
		return []byte("Opgave;Status\n" + strings.Repeat(line, n))
	}
	tests := []struct {
		name string
		data []byte
		opts grid.Options
		says string
	}{
		{"a 2 MiB line of semicolons", []byte(strings.Repeat(";", 2<<20)), grid.Options{}, "line 1 is longer"},
		{"an unterminated quote", []byte("a;b\nc;\"d\n" + strings.Repeat("x;y\n", 1_500_000)), grid.Options{}, "row after row 1 is longer than 4194304 bytes"},
		{"a field longer than a cell", []byte("a;" + strings.Repeat("x", 40_000) + "\n"), grid.Options{}, "B1 has more than 32767"},
		{"more rows than the limit", many(12_000, "A;1\n"), grid.Options{Limits: grid.Limits{Rows: 10_000}}, "A10001"},
		{"more columns than the limit", many(2_000, "A;1"+strings.Repeat(";x", 5)+"\n"), grid.Options{Limits: grid.Limits{Columns: 4}}, "E2"},
		{"more cells than the limit", many(100, "A;1\n"), grid.Options{Limits: grid.Limits{Cells: 50}}, "limits.cells"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Lang = grid.English
			g, err := grid.ReadBytes("plan.csv", tt.data, tt.opts)
			if !errors.Is(err, grid.ErrTooLarge) || !strings.Contains(err.Error(), tt.says) {
				n := -1
				if g != nil {
					n = len(g.Sheets[0].Rows)
				}
				t.Fatalf("err = %v (%d rows), want ErrTooLarge saying %q", err, n, tt.says)
			}
		})
	}
	t.Run("a few fields beyond the columns", func(t *testing.T) {
		g, err := grid.ReadBytes("plan.csv", []byte("Opgave;Status\nA;1;;;;;z\n"), grid.Options{Limits: grid.Limits{Columns: 4}, Lang: grid.English})
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Sheets[0].Rows[1]) != 2 || len(g.Warnings) != 1 || g.Warnings[0].Cell() != "G2" {
			t.Errorf("rows %+v, warnings %+v; want row 2 cut to its values within the limit and a warning naming G2", g.Sheets[0].Rows, g.Warnings)
		}
	})
}

// TestReadBytes_csvUnclosedQuote: a quote never closed makes the rows below
// one field's text; that is refused (a plan silently short of its last
// tasks), while a note over several lines is read.
func TestReadBytes_csvUnclosedQuote(t *testing.T) {
	head := "ID;Opgave;Ansvarlig;Udfører;Startdato;Slutdato;Status\n1;A;K;K;01-03-2026;01-04-2026;Ikke startet\n"
	tests := []struct {
		name, body string
		refused    bool
	}{
		{"a quote never closed", "2;\"B;K;K;01-03-2026;01-04-2026;Ikke startet\n3;C;K;K;01-03-2026;01-04-2026;Ikke startet\n", true},
		{"a quote closed rows later", "2;\"B;K;K\n3;C;K;K;01-03-2026\";x;y\n", true},
		{"a note over several lines", "2;\"B\nfortsat; se mødet\nog mere\";K;K;01-03-2026;01-04-2026;Ikke startet\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := grid.ReadBytes("plan.csv", []byte(head+tt.body), grid.Options{Lang: grid.English})
			if got := err != nil; got != tt.refused {
				t.Fatalf("err = %v, want refused %v", err, tt.refused)
			}
			if tt.refused && (!errors.Is(err, grid.ErrCorrupt) || !strings.Contains(err.Error(), "not closed")) {
				t.Errorf("err = %v, want ErrCorrupt saying the quote is not closed", err)
			}
		})
	}
}
