package grid

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// stylesSeeds are styles.xml as excelize and LibreOffice write it, and
// odd ones: prefixes, sections nested where they do not count, repeated
// sections and elements, bad numbers, broken XML.
var stylesSeeds = []string{
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FF00B050"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/></styleSheet>`,
	`<x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:numFmts><x:numFmt x:numFmtId=" 165 " formatCode="yyyy-mm-dd"/></x:numFmts><x:fills><x:fill><x:patternFill patternType="solid"><x:fgColor theme="4" tint="-0.25"/></x:patternFill></x:fill><x:fill><x:patternFill patternType="solid"><x:fgColor indexed="10"/></x:patternFill><x:patternFill><x:fgColor rgb="FFFF0000"/></x:patternFill></x:fill></x:fills><x:cellXfs><x:xf numFmtId="165" fillId="1"/></x:cellXfs></x:styleSheet>`,
	`<styleSheet><cellXfs><xf numFmtId="14"/></cellXfs><cellXfs><xf fillId="3"/></cellXfs><extLst><numFmts><numFmt numFmtId="170" formatCode="d"/></numFmts></extLst><fills><fill/><fill><fgColor rgb="00FF00"/></fill></fills></styleSheet>`,
	`<styleSheet><numFmts><numFmt numFmtId="abc"/></numFmts></styleSheet>`,
	`<styleSheet><fills><fill><patternFill><fgColor tint="x" indexed=""/></patternFill></fill></fills></styleSheet>`,
	`<styleSheet><cellXfs><xf numFmtId="99999999999999999999"/></cellXfs></styleSheet>`,
	`<styleSheet><cellXfs><xf numFmtId="1"></cellXfs></styleSheet>`,
	`<styleSheet><cellXfs><xf numFmtId="1"/>`,
	`<styleSheet/><trailing>`,
	`text only`,
	``,
	`<styleSheet><numFmts><numFmt formatCode="&nbsp;"/></numFmts></styleSheet>`,
	`<styleSheet><fonts><font><b/><strike/></font><font><strike val="0"/><strike/></font><font><strike val="false"></strike></font><font/></fonts><dxfs><dxf><font><strike/></font></dxf></dxfs><cellXfs><xf fontId="0" numFmtId="9"/><xf fontId=" 1 "/><xf fontId="7"/></cellXfs></styleSheet>`,
	`<styleSheet><fonts><strike/><font><u><strike/></u></font></fonts><cellXfs><xf fontId="x"/></cellXfs></styleSheet>`,
}

// FuzzDecodeStyles_equalsUnmarshal: the styles read by decodeStyles are
// those xml.Unmarshal reads into xStyles, and it fails where Unmarshal does.
func FuzzDecodeStyles_equalsUnmarshal(f *testing.F) {
	for _, s := range stylesSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var want xStyles
		wantErr := xml.Unmarshal([]byte(data), &want)
		got, err := decodeStyles(strings.NewReader(data))
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("error = %v, want %v", err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("styles = %+v, want %+v", got, want)
		}
	})
}

// BenchmarkStyles compares reading styles.xml as excelize writes it (its
// own, 5.7 KB with 30 namespace declarations) both ways.
func BenchmarkStyles(b *testing.B) {
	f := excelize.NewFile()
	id, err := f.NewStyle(&excelize.Style{NumFmt: 14, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"00B050"}}})
	if err != nil {
		b.Fatal(err)
	}
	f.SetCellStyle("Sheet1", "A1", "A1", id)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		b.Fatal(err)
	}
	var data []byte
	for _, z := range zr.File {
		if z.Name == "xl/styles.xml" {
			rc, _ := z.Open()
			data, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	var want xStyles
	if err := xml.Unmarshal(data, &want); err != nil || len(want.Xfs) < 2 {
		b.Fatalf("styles.xml: %v, %d cell formats", err, len(want.Xfs))
	}
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var st xStyles
			if err := xml.Unmarshal(data, &st); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeStyles(strings.NewReader(string(data))); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestIsPercentFormat: a custom format shows a percentage when its first
// section has a % outside quoted text and escapes.
func TestIsPercentFormat(t *testing.T) {
	for _, tt := range []struct {
		code string
		want bool
	}{
		{"0%", true},
		{"0.0%", true},
		{"#,##0.00 %;[Red]-#,##0.00 %", true},
		{`0" %"`, false},
		{`0\%`, false},
		{"0.00", false},
		{"dd/mm/yyyy", false},
		{"0;0%", false},
	} {
		t.Run(tt.code, func(t *testing.T) {
			if got := isPercentFormat(tt.code); got != tt.want {
				t.Errorf("isPercentFormat(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}
