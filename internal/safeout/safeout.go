// Package safeout makes text that came from spreadsheets safe to hand to
// the programs that show it: a spreadsheet application opening udrul's CSV
// (no cell may become a formula) and a terminal (no control character may
// move the cursor, recolour the screen or reverse the text).
package safeout

import (
	"regexp"
	"strings"
	"unicode"
)

// number is a plain number as udrul writes them: a leading minus is fine.
var number = regexp.MustCompile(`^-?[0-9]+([.,][0-9]+)?$`)

// CSVCell neutralises a CSV cell that a spreadsheet would run as a formula
// (OWASP's advice against CSV injection): a cell starting with =, +, -, @,
// a tab or a carriage return gets a leading apostrophe, which spreadsheets
// show as text. Numbers ("-3", "12.5") and dates stay as they are.
func CSVCell(s string) string {
	if s == "" || number.MatchString(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// CSVRow is CSVCell over a row, in a new slice.
func CSVRow(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = CSVCell(c)
	}
	return out
}

// Terminal replaces the characters a terminal would act on instead of
// showing — control characters (escape sequences, carriage returns, tabs
// that would break a table's columns, line breaks) and the bidirectional
// overrides that reorder text — with U+FFFD, and leaves the rest as is.
func Terminal(s string) string {
	if !strings.ContainsFunc(s, unsafe) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsafe(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

func unsafe(r rune) bool {
	return unicode.IsControl(r) || r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069' || r == '\u2028' || r == '\u2029'
}
