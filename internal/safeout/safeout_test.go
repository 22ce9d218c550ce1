package safeout

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestCSVCell(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"formula", "=HYPERLINK(\"http://x\",\"klik\")", "'=HYPERLINK(\"http://x\",\"klik\")"},
		{"plus", "+45 1234", "'+45 1234"},
		{"minus text", "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"tab", "\t=1", "'\t=1"},
		{"carriage return", "\r=1", "'\r=1"},
		{"negative number", "-3", "-3"},
		{"decimal", "-12.5", "-12.5"},
		{"date", "2026-06-01", "2026-06-01"},
		{"text", "Opstartsmøde", "Opstartsmøde"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CSVCell(tc.in); got != tc.want {
				t.Errorf("CSVCell(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestCSVRow_readBack writes neutralised rows with encoding/csv and reads
// them back: no cell starts with a formula character any more.
func TestCSVRow_readBack(t *testing.T) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(CSVRow([]string{"=1+1", "-5", "@x", "a\r\nb"}))
	w.Flush()
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := rows[0]
	for i, want := range []string{"'=1+1", "-5", "'@x", "a\nb"} {
		if got[i] != want {
			t.Errorf("cell %d = %q, want %q", i, got[i], want)
		}
	}
}

func TestTerminal(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"escape sequence", "a\x1b[2Jb", "a\uFFFD[2Jb"},
		{"carriage return", "ok\rFAKE", "ok\uFFFDFAKE"},
		{"tab", "a\tb", "a\uFFFDb"},
		{"bidi override", "abc\u202Edef", "abc\uFFFDdef"},
		{"danish", "Høje-Taastrup – Trin 0a", "Høje-Taastrup – Trin 0a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Terminal(tc.in); got != tc.want {
				t.Errorf("Terminal(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNamePart(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"municipality", "Aarhus", "Aarhus"},
		{"danish letters and hyphen", "Høje-Taastrup", "Høje-Taastrup"},
		{"space", "Lyngby Taarbæk", "Lyngby_Taarbæk"},
		{"solution code", "KSD", "KSD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NamePart(tc.in); got != tc.want {
				t.Errorf("NamePart(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	for i, in := range []string{"x/../../../../elsewhere/pwned", "../..", "..", ".", "", "a\\b", "a\x00b", "C:\\x", strings.Repeat("Ø", 300), "/etc/passwd", "~$lock"} {
		t.Run(fmt.Sprintf("hostile %d", i), func(t *testing.T) {
			got := NamePart(in)
			if got == "" || strings.ContainsAny(got, `/\.`+"\x00") || len([]rune(got)) > maxNamePart+9 || !filepath.IsLocal(got) {
				t.Errorf("NamePart(%q) = %q: not a plain, bounded file-name part", in, got)
			}
		})
	}
	if a, b := NamePart("a/b"), NamePart("a:b"); a == b {
		t.Errorf("two different names share the part %q", a)
	}
}

func TestShellArg(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"share", "share"},
		{"Aarhus/KY", "Aarhus/KY"},
		{"Høje-Taastrup/KY", "Høje-Taastrup/KY"},
		{"delt drev", "'delt drev'"},
		{"Kommunens 'plan'", `'Kommunens '\''plan'\'''`},
		{"a;rm -rf ~", "'a;rm -rf ~'"},
		{"$HOME", "'$HOME'"},
		{"", "''"},
	} {
		if got := ShellArg(tt.in); got != tt.want {
			t.Errorf("ShellArg(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
