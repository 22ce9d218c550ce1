package reports

import (
	"archive/zip"
	"bytes"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/xuri/excelize/v2"
)

// parts is every part of a workbook, by name.
func parts(t testing.TB, xlsx []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

// trickyTexts are texts whose cells excelize writes with care: escapes,
// spaces kept, characters XML cannot hold, Excel's own _xHHHH_ escapes,
// a text longer than a cell.
var trickyTexts = []string{
	`"quoted" & 'single' <tag>`, "line\nbreak", "tab\there", "cr\rhere", " leading", "trailing ", "\nnewline first",
	"ctrl\x01\x1f", "bad utf-8 \xff\xfe", "æøå ÆØÅ – € 😀", "_x0041_", "_x005F_x0041_", "_x005F_", "a_xD800_b", "_xZZZZ_",
	"\uFFFD", "\u007f", "=SUM(A1:A9)", strings.Repeat("😀", 20000), strings.Repeat("a", 40000), "",
}

// The long tables' rows, written by a rowFile, are byte for byte the XML
// excelize's StreamWriter writes for them: every part of the workbook is
// the same, for the whole report and a streamed one, with texts that
// need escaping in every column the findings' sheets show.
func TestWrite_rowsSameAsStreamWriter(t *testing.T) {
	tricky := func(data *Data) *Data {
		for i := range data.Tasks {
			tk := &data.Tasks[i]
			s := trickyTexts[i%len(trickyTexts)]
			tk.Title, tk.Responsible, tk.Step, tk.RawStatus = s, trickyTexts[(i+1)%len(trickyTexts)], s, s
			tk.EndAs.Text = trickyTexts[(i+2)%len(trickyTexts)]
			tk.Pos.Sheet = s
		}
		for i := range data.Findings {
			data.Findings[i].Municipality = trickyTexts[i%len(trickyTexts)]
		}
		data.Findings = append(data.Findings, model.Finding{Kind: "step_order", Level: model.LevelAmber, PlanID: 1, TaskID: 3,
			Municipality: "Aarhus", Solution: "KY", Message: "trin \"2\" før <1>\nfordi"})
		return data
	}
	for _, tc := range []struct {
		name string
		data func() *Data
	}{
		{"whole", func() *Data { return tricky(sample(90, false)) }},
		{"streamed", func() *Data { return streamOf(tricky(sample(90, true)), true, nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := write(t, tc.data())
			if err != nil {
				t.Fatal(err)
			}
			defer func(m map[string]bool) { longTables = m }(longTables)
			longTables = map[string]bool{} // every row through StreamWriter.SetRow
			want, err := write(t, tc.data())
			if err != nil {
				t.Fatal(err)
			}
			gp, wp := parts(t, got), parts(t, want)
			if g, w := slices.Sorted(maps.Keys(gp)), slices.Sorted(maps.Keys(wp)); !slices.Equal(g, w) {
				t.Fatalf("parts: got %q, want %q", g, w)
			}
			for name, w := range wp {
				g := gp[name]
				if name == "[Content_Types].xml" {
					// Its defaults come in excelize's map order.
					g, w = sortedElements(g), sortedElements(w)
				}
				if !bytes.Equal(g, w) {
					i := 0
					for i < len(g) && i < len(w) && g[i] == w[i] {
						i++
					}
					t.Errorf("%s differs at byte %d:\n got  %q\n want %q", name, i, excerpt(g, i), excerpt(w, i))
				}
			}
			if !strings.Contains(string(gp["xl/worksheets/sheet9.xml"]), `t="inlineStr"`) {
				t.Errorf("the task list has no text cells")
			}
		})
	}
}

func sortedElements(b []byte) []byte {
	e := strings.Split(string(b), "><")
	slices.Sort(e)
	return []byte(strings.Join(e, "><"))
}

func excerpt(b []byte, i int) string { return string(b[max(i-60, 0):min(i+60, len(b))]) }

// A date before March 1900 is written as excelize writes its time.
func TestDateSerial_beforeMarch1900(t *testing.T) {
	sheet := func(v any) string {
		f := excelize.NewFile()
		defer f.Close()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: 1, Value: v}}); err != nil {
			t.Fatal(err)
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return string(parts(t, buf.Bytes())["xl/worksheets/sheet1.xml"])
	}
	for _, day := range []model.Date{model.NewDate(1899, 12, 30), model.NewDate(1899, 12, 31), model.NewDate(1900, 1, 1),
		model.NewDate(1900, 2, 28), model.NewDate(1900, 3, 1), model.NewDate(1, 1, 1)} {
		t.Run(day.String(), func(t *testing.T) {
			if got, want := sheet(dateSerial(day)), sheet(day.Time()); got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
	if _, ok := dateSerial(model.NewDate(1900, 1, 1)).(time.Time); ok {
		t.Errorf("a time, want a serial number")
	}
}

// excelizeRow is row 1 of a sheet holding cells, as excelize's
// StreamWriter writes it.
func excelizeRow(t testing.TB, cells []any) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", cells); err != nil {
		t.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	xml := parts(t, buf.Bytes())["xl/worksheets/sheet1.xml"]
	from, to := bytes.Index(xml, []byte(`<row r="1">`)), bytes.Index(xml, []byte(`</row>`))
	if from < 0 || to < 0 {
		t.Fatalf("no row in %s", xml)
	}
	return xml[from : to+len(`</row>`)]
}

// rowFileRow is the same row as a rowFile writes it.
func rowFileRow(t testing.TB, cells []any) []byte {
	r, err := newRowFile()
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	var out bytes.Buffer
	r.bw.Reset(&out)
	if err := r.row(1, cells); err != nil {
		t.Fatal(err)
	}
	r.bw.Flush()
	return out.Bytes()
}

// FuzzRowFile_cell: any text, number or formula is written as excelize
// writes it.
func FuzzRowFile_cell(f *testing.F) {
	for _, s := range trickyTexts[:len(trickyTexts)-2] {
		f.Add(s, 7, 3)
	}
	f.Add("", -12, 0)
	f.Fuzz(func(t *testing.T, s string, n, style int) {
		style = 1 + abs(style)%20 // a style the workbook has
		cells := []any{&excelize.Cell{StyleID: style, Value: s}, nil, &excelize.Cell{StyleID: style, Value: n},
			&excelize.Cell{StyleID: style}, &excelize.Cell{StyleID: style, Formula: s}}
		if s == "" {
			cells[4] = nil
		}
		if got, want := rowFileRow(t, cells), excelizeRow(t, cells); !bytes.Equal(got, want) {
			t.Errorf("got  %q\nwant %q", got, want)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
