// Package safeout makes text that came from spreadsheets safe to hand to
// what uses it: a spreadsheet application opening udrul's CSV (no cell may
// become a formula), a terminal (no control character may move the cursor,
// recolour the screen or reverse the text) and the file system (a name from
// a sheet never becomes a path).
package safeout

import (
	"crypto/sha256"
	"encoding/hex"
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

// maxNamePart bounds a name taken from a sheet, in runes.
const maxNamePart = 60

// NamePart makes a file-name part of a name written in a sheet. A name of
// letters, digits, spaces and hyphens — every Danish municipality, a
// solution code — is kept, spaces becoming "_" (Høje-Taastrup,
// Lyngby-Taarbæk). Anything else (a "/", "..", a control character, a very
// long name) is replaced: each run of other characters becomes "_", and a
// short hash of the name as written is added, so two names that differ only
// there never share a file. The result is never empty, never starts with a
// dot and never holds a path separator.
func NamePart(name string) string {
	var b strings.Builder
	clean := name != ""
	under := false
	n := 0
	for _, r := range name {
		if n >= maxNamePart {
			clean = false
			break
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-':
			b.WriteRune(r)
			under = false
		case r == ' ':
			b.WriteByte('_')
			under = true
		default:
			clean = false
			if !under {
				b.WriteByte('_')
				under = true
			}
		}
		n++
	}
	out := strings.Trim(b.String(), "_")
	if clean && out != "" {
		return out
	}
	sum := sha256.Sum256([]byte(name))
	if out == "" {
		return "x-" + hex.EncodeToString(sum[:4])
	}
	return out + "-" + hex.EncodeToString(sum[:4])
}

// ShellArg is s as one argument of a command line a user is told to run
// (POSIX shells): as it is when it holds only plain characters, else in
// single quotes, each single quote in it closed, escaped and reopened.
func ShellArg(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789æøåÆØÅ-_./,:@+=%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
