package grid_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/sync/grid"
	"github.com/xuri/excelize/v2"
)

// readPkg reads a hand-written package in English.
func readPkg(t *testing.T, p pkg, opts grid.Options) (*grid.Grid, error) {
	t.Helper()
	if opts.Lang == "" {
		opts.Lang = grid.English
	}
	return grid.ReadBytes("plan.xlsx", p.bytes(t), opts)
}

// TestReadBytes_damagedSheet: a worksheet whose XML breaks part-way is an
// error naming the sheet, never the rows before the break.
func TestReadBytes_damagedSheet(t *testing.T) {
	rows := [][]string{{"Opgave", "Status"}, {"Møde", "I gang"}, {"Test", "Færdig"}}
	whole := sheetXML(plainSheet(rows...))
	tests := []struct {
		name  string
		sheet string
	}{
		{"truncated", whole[:strings.Index(whole, `<row r="3">`)+20]},
		{"cut between rows", whole[:strings.Index(whole, `<row r="3">`)]},
		{"syntax error", strings.Replace(whole, `<row r="3">`, `<row r="3"><<c>`, 1)},
		{"html entity", strings.Replace(whole, "Test", "Test&nbsp;igen", 1)},
		{"mismatched tag", strings.Replace(whole, `</row><row r="3">`, `</rwo><row r="3">`, 1)},
		{"cell reference in another row", strings.Replace(whole, `r="A3"`, `r="A9"`, 1)},
		{"row twice", strings.Replace(whole, `<row r="3">`, `<row r="2">`, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := readPkg(t, pkg{sheets: []pkgSheet{{name: "Plan", xml: tt.sheet}}}, grid.Options{})
			if !errors.Is(err, grid.ErrCorrupt) {
				rowsRead := -1
				if g != nil {
					rowsRead = len(g.Sheets[0].Rows)
				}
				t.Fatalf("err = %v (%d rows read), want ErrCorrupt", err, rowsRead)
			}
			msg := err.Error()
			for _, raw := range []string{"XML syntax", "xml:", "unexpected EOF", "expected element"} {
				if strings.Contains(msg, raw) {
					t.Errorf("message %q shows library text %q", msg, raw)
				}
			}
			if !strings.Contains(msg, `"Plan"`) || !strings.Contains(msg, "save it again") {
				t.Errorf("message %q does not name the sheet and what to do", msg)
			}
			da := grid.Message(err, grid.Danish)
			if !strings.Contains(da, "beskadiget") || !strings.Contains(da, "gem den igen") {
				t.Errorf("Danish message %q", da)
			}
		})
	}
	t.Run("shared string that does not exist", func(t *testing.T) {
		_, err := readPkg(t, pkg{strings: []string{"Opgave"}, sheets: []pkgSheet{{name: "Plan", xml: sheetXML(`<sheetData><row r="1"><c r="B1" t="s"><v>7</v></c></row></sheetData>`)}}}, grid.Options{})
		if !errors.Is(err, grid.ErrCorrupt) || !strings.Contains(err.Error(), "B1") {
			t.Fatalf("err = %v, want ErrCorrupt naming B1", err)
		}
	})
	t.Run("broken shared strings", func(t *testing.T) {
		p := pkg{strings: []string{"Opgave", "x&nbsp;y"}, sheets: []pkgSheet{{name: "Plan", xml: sheetXML(plainSheet(rows...))}}}
		if _, err := readPkg(t, p, grid.Options{}); !errors.Is(err, grid.ErrCorrupt) {
			t.Fatalf("err = %v, want ErrCorrupt", err)
		}
	})
}

// TestReadBytes_otherSavers covers workbooks as tools other than Excel on
// Windows save them.
func TestReadBytes_otherSavers(t *testing.T) {
	dateStyles := `<?xml version="1.0"?><styleSheet ` + mainNS + `><numFmts count="1"><numFmt numFmtId="164" formatCode="dd\-mm\-yyyy"/></numFmts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<cellXfs count="3"><xf numFmtId="0" fillId="0"/><xf numFmtId="14" fillId="0"/><xf numFmtId="164" fillId="0"/></cellXfs></styleSheet>`
	// 2026-06-01 is serial 46174 in the 1900 system, 44712 in the 1904 one.
	dateSheet := func(serial int) string {
		return sheetXML(fmt.Sprintf(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Slutdato</t></is></c></row>`+
			`<row r="2"><c r="A2" s="1"><v>%d</v></c><c r="B2" s="2"><v>%d</v></c><c r="C2"><v>7</v></c></row></sheetData>`, serial, serial))
	}
	t.Run("1904 date system", func(t *testing.T) {
		g, err := readPkg(t, pkg{date1904: true, styles: dateStyles, sheets: []pkgSheet{{name: "Plan", xml: dateSheet(44712)}}}, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sh := &g.Sheets[0]
		for _, col := range []int{1, 2} {
			c := sh.Cell(2, col)
			if d, ok := c.Date(); !ok || c.Kind != grid.Date || d.String() != "2026-06-01" {
				t.Errorf("%s = %+v: %v %v, want the date 2026-06-01", grid.Ref(2, col), c, d, ok)
			}
		}
		if c := sh.Cell(2, 3); c.Kind != grid.Number || c.Num != 7 {
			t.Errorf("C2 = %+v, want the plain number 7 unshifted", c)
		}
		if !g.Date1904 {
			t.Error("Date1904 not set")
		}
	})
	t.Run("1900 date system", func(t *testing.T) {
		g, err := readPkg(t, pkg{styles: dateStyles, sheets: []pkgSheet{{name: "Plan", xml: dateSheet(46174)}}}, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := g.Sheets[0].Cell(2, 2).Date(); !ok || d.String() != "2026-06-01" {
			t.Errorf("B2 = %v, want 2026-06-01", d)
		}
	})
	merged := sheetXML(plainSheet([]string{"Trin 1 - Forberedelse"}, []string{"Opgave", "Status"}) + `<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>`)
	t.Run("chart, dialog and macro sheets beside the plan", func(t *testing.T) {
		g, err := readPkg(t, pkg{sheets: []pkgSheet{
			{name: "Plan", xml: merged},
			{name: "Diagram", kind: "chartsheet", xml: `<?xml version="1.0"?><chartsheet ` + mainNS + `><sheetViews><sheetView workbookViewId="0"/></sheetViews><drawing r:id="rId1"/></chartsheet>`},
			{name: "Dialog", kind: "dialogsheet", xml: `<?xml version="1.0"?><dialogsheet ` + mainNS + `/>`},
			{name: "Makro", kind: "macrosheet", xml: `<?xml version="1.0"?><xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"/>`},
		}}, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Sheets) != 1 || g.Sheets[0].Name != "Plan" {
			t.Fatalf("sheets = %d, want only the worksheet Plan", len(g.Sheets))
		}
		if m, ok := g.Sheets[0].MergeAt(1, 1); !ok || m.Right != 2 {
			t.Errorf("merge at A1 = %+v %v", m, ok)
		}
	})
	t.Run("parts at unusual paths", func(t *testing.T) {
		g, err := readPkg(t, pkg{dir: "content/book", workbook: "main.xml", strings: []string{"Opgave"},
			sheets: []pkgSheet{{name: "Plan", xml: sheetXML(`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>`)}}}, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := g.Sheets[0].Cell(1, 1).Text; got != "Opgave" {
			t.Errorf("A1 = %q, want Opgave from the shared strings", got)
		}
	})
	t.Run("hidden sheets are listed, not read", func(t *testing.T) {
		g, err := readPkg(t, pkg{sheets: []pkgSheet{{name: "Plan", xml: merged}, {name: "Gammel", state: "veryHidden", xml: "not even XML"}}}, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Sheets) != 2 || !g.Sheets[1].Hidden || g.Sheets[1].Rows != nil {
			t.Errorf("sheets = %+v", g.Sheets)
		}
	})
	t.Run("cells without references, prefixed elements", func(t *testing.T) {
		g, err := readPkg(t, pkg{sheets: []pkgSheet{{name: "Plan", xml: `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
			`<x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row><x:row/><x:row><x:c t="b"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`}}}, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sh := &g.Sheets[0]
		if sh.Cell(1, 1).Text != "a" || sh.Cell(1, 2).Num != 2 || sh.Cell(3, 1).Kind != grid.Bool || len(sh.Rows) != 3 {
			t.Errorf("rows = %+v", sh.Rows)
		}
	})
}

// TestReadBytes_memoryFollowsContent: far rows and columns cost what their
// cells hold, cells beyond the limits are reported, and a sheet full of
// them is refused.
func TestReadBytes_memoryFollowsContent(t *testing.T) {
	head := `<row r="1"><c r="A1" t="inlineStr"><is><t>Opgave</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Møde</t></is></c></row>`
	t.Run("stray cell at row 1,048,576", func(t *testing.T) {
		sheet := sheetXML(`<sheetData>` + head + `<row r="1048575" customFormat="1" s="0"><c r="A1048575" s="0"/></row><row r="1048576"><c r="C1048576"><v>1</v></c></row></sheetData>`)
		g, err := readPkg(t, pkg{sheets: []pkgSheet{{name: "Plan", xml: sheet}}}, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(g.Sheets[0].Rows); got != 2 {
			t.Errorf("rows = %d, want 2 (the cells present)", got)
		}
		if len(g.Warnings) != 1 || g.Warnings[0].Code != grid.CodeBeyondLimits || g.Warnings[0].Cell() != "C1048576" || g.Warnings[0].Sheet != "Plan" {
			t.Fatalf("warnings = %+v, want one naming C1048576", g.Warnings)
		}
		if msg := g.Warnings[0].Message(grid.Danish); !strings.Contains(msg, "100000 rækker") {
			t.Errorf("Danish warning %q", msg)
		}
	})
	t.Run("ten sparse sheets", func(t *testing.T) {
		var sheets []pkgSheet
		for i := range 10 {
			sheets = append(sheets, pkgSheet{name: fmt.Sprintf("Ark%d", i+1), xml: sheetXML(`<sheetData>` + head + `<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>`)})
		}
		g, err := readPkg(t, pkg{sheets: sheets}, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range g.Sheets {
			if len(sh.Rows) != 2 || len(sh.Rows[0]) != 1 {
				t.Errorf("sheet %s: %d rows, row 1 has %d cells; want 2 and 1", sh.Name, len(sh.Rows), len(sh.Rows[0]))
			}
		}
		if len(g.Warnings) != 10 {
			t.Errorf("%d warnings, want one per sheet", len(g.Warnings))
		}
	})
	t.Run("a few cells in column XFD", func(t *testing.T) {
		var b strings.Builder
		for r := 1; r <= 5; r++ {
			fmt.Fprintf(&b, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="XFD%d"><v>1</v></c></row>`, r, r, r, r)
		}
		g, err := readPkg(t, pkg{sheets: []pkgSheet{{name: "Plan", xml: sheetXML(`<sheetData>` + b.String() + `</sheetData>`)}}}, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(g.Sheets[0].Rows[0]); got != 1 {
			t.Errorf("row 1 has %d cells, want 1", got)
		}
		if len(g.Warnings) != 1 || !strings.Contains(g.Warnings[0].Message(grid.English), "5 cell(s)") || g.Warnings[0].Cell() != "XFD1" {
			t.Errorf("warnings = %+v", g.Warnings)
		}
		// With the column limit raised to XFD, they are read.
		g, err = readPkg(t, pkg{sheets: []pkgSheet{{name: "Plan", xml: sheetXML(`<sheetData>` + b.String() + `</sheetData>`)}}}, grid.Options{Limits: grid.Limits{Columns: 16384}})
		if err != nil || len(g.Warnings) != 0 || g.Sheets[0].Cell(5, 16384).Num != 1 {
			t.Errorf("with columns: 16384: err %v, warnings %v", err, g.Warnings)
		}
	})
	t.Run("column XFD on 20,000 rows", func(t *testing.T) {
		var b strings.Builder
		for r := 1; r <= 20_000; r++ {
			fmt.Fprintf(&b, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, r, r)
		}
		_, err := readPkg(t, pkg{sheets: []pkgSheet{{name: "Plan", xml: sheetXML(`<sheetData>` + b.String() + `</sheetData>`)}}}, grid.Options{})
		if !errors.Is(err, grid.ErrTooLarge) || !strings.Contains(err.Error(), "XFD1") || !strings.Contains(err.Error(), "limits") {
			t.Fatalf("err = %v, want ErrTooLarge naming the first cell and the limits", err)
		}
	})
	t.Run("more rows than the limit", func(t *testing.T) {
		var b strings.Builder
		for r := 1; r <= 12_000; r++ {
			fmt.Fprintf(&b, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, r, r, r)
		}
		_, err := readPkg(t, pkg{sheets: []pkgSheet{{name: "Plan", xml: sheetXML(`<sheetData>` + b.String() + `</sheetData>`)}}}, grid.Options{Limits: grid.Limits{Rows: 10_000}})
		if !errors.Is(err, grid.ErrTooLarge) || !strings.Contains(err.Error(), "A10001") {
			t.Fatalf("err = %v, want ErrTooLarge from A10001", err)
		}
	})
	t.Run("more cells than the limit", func(t *testing.T) {
		_, err := readPkg(t, pkg{sheets: []pkgSheet{{name: "Plan", xml: sheetXML(plainSheet([]string{"a", "b", "c"}, []string{"d", "e", "f"}))}}}, grid.Options{Limits: grid.Limits{Cells: 5}})
		if !errors.Is(err, grid.ErrTooLarge) || !strings.Contains(err.Error(), "limits.cells") {
			t.Fatalf("err = %v, want ErrTooLarge naming limits.cells", err)
		}
	})
}

// TestReadBytes_merges reads 50,000 merged ranges in one pass and finds
// each by its top-left cell.
func TestReadBytes_merges(t *testing.T) {
	const n = 50_000
	g, err := readPkg(t, pkg{sheets: []pkgSheet{{name: "Plan", xml: manyMerges(n)}}}, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sh := &g.Sheets[0]
	if len(sh.Merges) != n {
		t.Fatalf("%d merges, want %d", len(sh.Merges), n)
	}
	for r := 1; r <= n; r += 997 {
		if m, ok := sh.MergeAt(r, 1); !ok || m.Bottom != r || m.Right != 3 {
			t.Fatalf("MergeAt(%d, 1) = %+v %v", r, m, ok)
		}
	}
	if _, ok := sh.MergeAt(2, 2); ok {
		t.Error("a merge found at B2, which starts none")
	}
	// A merge added after the first lookup is found too.
	sh.Merges = append(sh.Merges, grid.Merge{Top: 2, Left: 2, Bottom: 2, Right: 3})
	if _, ok := sh.MergeAt(2, 2); !ok {
		t.Error("a merge appended later is not found")
	}
}

func manyMerges(n int) string {
	var rows, merges strings.Builder
	for r := 1; r <= n; r++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>Trin %d</t></is></c></row>`, r, r, r)
		fmt.Fprintf(&merges, `<mergeCell ref="A%d:C%d"/>`, r, r)
	}
	return sheetXML(`<sheetData>` + rows.String() + `</sheetData><mergeCells count="` + fmt.Sprint(n) + `">` + merges.String() + `</mergeCells>`)
}

// TestReadBytes_fills reads each cell's solid background colour from its
// style: RGB, indexed and theme colours, with or without a value.
func TestReadBytes_fills(t *testing.T) {
	styles := `<?xml version="1.0"?><styleSheet ` + mainNS + `><fills count="6">` +
		`<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
		`<fill><patternFill patternType="solid"><fgColor rgb="FF00B050"/><bgColor indexed="64"/></patternFill></fill>` +
		`<fill><patternFill patternType="solid"><fgColor indexed="10"/></patternFill></fill>` +
		`<fill><patternFill patternType="solid"><fgColor theme="4"/></patternFill></fill>` +
		`<fill><patternFill patternType="darkGrid"><fgColor rgb="FF123456"/></patternFill></fill>` +
		`</fills><cellXfs count="6"><xf fillId="0"/><xf fillId="1"/><xf fillId="2"/><xf fillId="3"/><xf fillId="4"/><xf fillId="5"/></cellXfs></styleSheet>`
	theme := `<?xml version="1.0"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:themeElements><a:clrScheme name="Office">` +
		`<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>` +
		`<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1>` +
		`</a:clrScheme></a:themeElements></a:theme>`
	sheet := sheetXML(`<sheetData><row r="1"><c r="A1" t="inlineStr" s="2"><is><t>Opgave</t></is></c><c r="B1" s="1"/><c r="C1" s="2"/><c r="D1" s="3"/><c r="E1" s="4"/><c r="F1" s="5"/><c r="G1" s="0"/></row></sheetData>`)
	g, err := readPkg(t, pkg{styles: styles, theme: theme, sheets: []pkgSheet{{name: "Gantt", xml: sheet}}}, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sh := &g.Sheets[0]
	want := []struct {
		col int
		rgb uint32
		ok  bool
	}{{1, 0x00B050, true}, {2, 0, false}, {3, 0x00B050, true}, {4, 0xFF0000, true}, {5, 0x4472C4, true}, {6, 0, false}}
	for _, w := range want {
		rgb, ok := sh.Cell(1, w.col).FillRGB()
		if rgb != w.rgb || ok != w.ok {
			t.Errorf("%s fill = %06X %v, want %06X %v", grid.Ref(1, w.col), rgb, ok, w.rgb, w.ok)
		}
	}
	if got := len(sh.Rows[0]); got != 5 {
		t.Errorf("row 1 has %d cells, want 5 (up to the last filled cell)", got)
	}
	if c := sh.Cell(1, 3); c.Kind != grid.Empty || !c.IsEmpty() {
		t.Errorf("C1 = %+v, want an empty cell with a fill", c)
	}

	// A workbook excelize writes, with a fill set through its style API.
	data := xlsxBytes(t, func(f *excelize.File) {
		f.SetCellValue("Sheet1", "A1", "Opgave")
		st, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#FFC000"}}})
		if err != nil {
			t.Fatal(err)
		}
		f.SetCellStyle("Sheet1", "C1", "D1", st)
	})
	g, err = grid.ReadBytes("gantt.xlsx", data, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rgb, ok := g.Sheets[0].Cell(1, 4).FillRGB(); !ok || rgb != 0xFFC000 {
		t.Errorf("D1 fill = %06X %v, want FFC000", rgb, ok)
	}
	if _, ok := g.Sheets[0].Cell(1, 1).FillRGB(); ok {
		t.Error("A1 has a fill, want none")
	}
}

// TestReadFile_onlyRegularFiles: a FIFO named like a plan, a link to
// /dev/zero and a folder are refused without reading; a link to a plan is
// read.
func TestReadFile_onlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "plan.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	zero := filepath.Join(dir, "zero.csv")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	real := writeFile(t, "real.csv", []byte("Opgave;Status\nA;Færdig\n"))
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, path, says string
	}{{"fifo", fifo, "FIFO"}, {"link to /dev/zero", zero, "device"}, {"folder", dir, "folder"}} {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := grid.ReadFile(tt.path, grid.Options{Lang: grid.English})
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, grid.ErrNotRegular) || !strings.Contains(err.Error(), tt.says) {
					t.Errorf("err = %v, want ErrNotRegular saying %q", err, tt.says)
				}
			case <-time.After(time.Minute):
				t.Fatal("ReadFile blocks") // a guard against hanging, not a measure of speed
			}
		})
	}
	g, err := grid.ReadFile(link, grid.Options{})
	if err != nil || g.Sheets[0].Cell(2, 2).Text != "Færdig" {
		t.Errorf("link to a plan: %v", err)
	}
	if _, err := grid.ReadFile(filepath.Join(dir, "missing.csv"), grid.Options{}); !errors.Is(err, grid.ErrNotFound) || !strings.Contains(err.Error(), "findes ikke") {
		t.Errorf("missing file: %v, want ErrNotFound in Danish", err)
	}
	big := writeFile(t, "big.csv", []byte(strings.Repeat("a;b\n", 1000)))
	if _, err := grid.ReadFile(big, grid.Options{MaxSize: 1000}); !errors.Is(err, grid.ErrTooLarge) {
		t.Errorf("over the size limit: %v", err)
	}
}

// TestReadBytes_1904ByExcelize: a workbook excelize saves with the 1904
// date system (as Excel for Mac does) reads its date cells right.
func TestReadBytes_1904ByExcelize(t *testing.T) {
	yes := true
	data := xlsxBytes(t, func(f *excelize.File) {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			t.Fatal(err)
		}
		f.SetCellValue("Sheet1", "A1", "Slutdato")
		f.SetCellValue("Sheet1", "A2", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	})
	g, err := grid.ReadBytes("mac.xlsx", data, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := g.Sheets[0].Cell(2, 1)
	if d, ok := c.Date(); !ok || d.String() != "2026-06-01" {
		t.Errorf("A2 = %+v: %v, want 2026-06-01 (not 1,462 days early)", c, d)
	}
}

// TestReadBytes_themeTint: a theme colour with a tint is lightened as
// Excel shows it.
func TestReadBytes_themeTint(t *testing.T) {
	styles := `<?xml version="1.0"?><styleSheet ` + mainNS + `><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
		`<fill><patternFill patternType="solid"><fgColor theme="4" tint="0.79998168889431442"/></patternFill></fill></fills><cellXfs count="3"><xf fillId="0"/><xf fillId="1"/><xf fillId="2"/></cellXfs></styleSheet>`
	theme := `<?xml version="1.0"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:themeElements><a:clrScheme name="Office">` +
		`<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>` +
		`<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1>` +
		`</a:clrScheme></a:themeElements></a:theme>`
	g, err := readPkg(t, pkg{styles: styles, theme: theme, sheets: []pkgSheet{{name: "Gantt", xml: sheetXML(`<sheetData><row r="1"><c r="A1" s="2"/></row></sheetData>`)}}}, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Excel shows accent 1 lightened 80 % as D9E1F2.
	rgb, ok := g.Sheets[0].Cell(1, 1).FillRGB()
	r, gg, b := rgb>>16, rgb>>8&0xff, rgb&0xff
	if !ok || r < 0xD5 || r > 0xDD || gg < 0xDD || gg > 0xE5 || b < 0xEE || b > 0xF6 {
		t.Errorf("A1 fill = %06X %v, want about D9E1F2", rgb, ok)
	}
}
