// Package grid reads spreadsheets (xlsx, xlsm, csv, txt) into a grid of typed
// cells with their positions, the form every source hands to the parser. A
// Grid knows nothing about plans: it is sheets, rows and cells.
package grid

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/xuri/excelize/v2"
)

// Kind is the type of a cell's value.
type Kind uint8

// The kinds of cell.
const (
	Empty  Kind = iota
	Text        // a string
	Number      // a number; Text holds it as written in the file
	Date        // a date: Num is the spreadsheet serial (days since 1899-12-30)
	Bool
)

// Cell is one cell's value. Text always holds the value as written (for a
// number, its digits as stored), so nothing is lost by typing it.
type Cell struct {
	Kind Kind
	// AsText is set for a Number read from text: a CSV file's field, or a
	// workbook's text cell that reads as a number. Its Text is what was
	// written ("350.000", which may be a Danish 350000). A workbook's
	// number cell holds the number itself: its Text is the number in
	// digits, never with a thousands separator (1.234 is "1.234").
	AsText bool
	// Uncomputed is set for a workbook's formula saved without the value
	// it gives (by a program that does not calculate formulas): the cell
	// reads as empty, which Excel would not show.
	Uncomputed bool
	// Look is what the cell's format says beyond its value and fill
	// (LookStruck, LookPercent), from a workbook's styles; 0 elsewhere.
	// It sits in the struct's padding: a Cell is no larger for it.
	Look Look
	// Fill is the cell's background colour as 0xRRGGBB with FillSet added,
	// or 0 when the cell has no fill (a Gantt bar drawn by colour alone).
	Fill uint32
	Text string
	Num  float64
}

// Look is a set of flags of a cell's format.
type Look uint8

// The flags of a cell's Look.
const (
	// LookStruck: the cell's font is struck through (a task crossed out
	// instead of deleted).
	LookStruck Look = 1 << iota
	// LookPercent: the cell's number format shows a percentage (0%,
	// 0.00%, a custom format with %): its number is a fraction, 1 = 100 %.
	LookPercent
)

// Struck reports whether the cell's text is struck through.
func (c Cell) Struck() bool { return c.Look&LookStruck != 0 }

// Percent reports whether the cell is formatted as a percentage.
func (c Cell) Percent() bool { return c.Look&LookPercent != 0 }

// FillSet marks Cell.Fill as holding a colour (so black, 0x000000, is a fill).
const FillSet = 1 << 24

// FillRGB returns the cell's fill colour as 0xRRGGBB, and whether it has one.
func (c Cell) FillRGB() (rgb uint32, ok bool) {
	return c.Fill &^ FillSet, c.Fill&FillSet != 0
}

// IsEmpty reports whether the cell holds nothing but white space.
func (c Cell) IsEmpty() bool {
	return c.Kind == Empty || (c.Kind == Text && strings.TrimSpace(strings.ReplaceAll(c.Text, "\u00a0", " ")) == "")
}

// Date returns the calendar date of a Date cell, or of a Number cell read as
// a serial date. ok is false when the number is not a plausible date serial.
func (c Cell) Date() (d model.Date, ok bool) {
	if c.Kind != Date && c.Kind != Number {
		return model.Date{}, false
	}
	return SerialDate(c.Num)
}

// SerialDate converts a spreadsheet serial number (days since 1899-12-30,
// the convention of Excel, LibreOffice and Google Sheets) to a date. Serials
// outside 1900-03-01 … 9999-12-31 are refused.
func SerialDate(serial float64) (model.Date, bool) {
	if math.IsNaN(serial) || serial < 61 || serial >= 2958466 {
		return model.Date{}, false
	}
	days := int(math.Floor(serial))
	return model.DateOf(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)), true
}

// Merge is a merged range, 1-based and inclusive.
type Merge struct {
	Top, Left, Bottom, Right int
}

// Sheet is one sheet (tab) of a workbook, or the single sheet of a CSV file.
type Sheet struct {
	Name   string
	Hidden bool
	// Rows holds the sheet's rows from row 1; Rows[r][c] is the cell at row
	// r+1, column c+1. Trailing empty cells may be missing.
	Rows   [][]Cell
	Merges []Merge
	// Link, when set, is a URL of the sheet that takes a cell reference as
	// a range (Google Sheets); it lets findings link to the cell.
	Link string

	// mergeIdx indexes Merges by their top-left cell; built on the first
	// MergeAt, rebuilt when Merges grew.
	mergeIdx map[[2]int]int
	mergeN   int
}

// Cell returns the cell at 1-based row and column, or an empty cell.
func (s *Sheet) Cell(row, col int) Cell {
	if row < 1 || row > len(s.Rows) || col < 1 || col > len(s.Rows[row-1]) {
		return Cell{}
	}
	return s.Rows[row-1][col-1]
}

// MergeAt returns the merged range that starts at row, col, if any. The
// first call indexes the sheet's merges, so a lookup costs the same for 10
// merged ranges as for 100,000. (Not safe for a first call from several
// goroutines at once on the same sheet.)
func (s *Sheet) MergeAt(row, col int) (Merge, bool) {
	if len(s.Merges) == 0 {
		return Merge{}, false
	}
	if s.mergeIdx == nil || s.mergeN != len(s.Merges) {
		s.mergeIdx = make(map[[2]int]int, len(s.Merges))
		for i, m := range s.Merges {
			if _, dup := s.mergeIdx[[2]int{m.Top, m.Left}]; !dup {
				s.mergeIdx[[2]int{m.Top, m.Left}] = i
			}
		}
		s.mergeN = len(s.Merges)
	}
	i, ok := s.mergeIdx[[2]int{row, col}]
	if !ok {
		return Merge{}, false
	}
	return s.Merges[i], true
}

// Grid is a whole workbook.
type Grid struct {
	File   string
	Sheets []Sheet
	// Warnings are what the reader noticed but could read past: bytes
	// that are not text in a CSV file, cells beyond the limits. The parser
	// turns them into the plan's issues.
	Warnings []Warning
	// Date1904 is set for a workbook saved with the 1904 date system; its
	// date cells are already converted to the 1900 system's serials.
	Date1904 bool
}

// Ref returns the A1 reference of 1-based row and column ("F14").
func Ref(row, col int) string {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return "R" + strconv.Itoa(row) + "C" + strconv.Itoa(col)
	}
	return ref
}

// ParseRef returns the 1-based row and column of an A1 reference.
func ParseRef(ref string) (row, col int, err error) {
	col, row, err = excelize.CellNameToCoordinates(ref)
	return row, col, err
}

// ColumnName returns the letters of 1-based column col ("F").
func ColumnName(col int) string {
	name, err := excelize.ColumnNumberToName(col)
	if err != nil {
		return strconv.Itoa(col)
	}
	return name
}

// typeNumber returns a Number cell for text that is a plain decimal number,
// else a Text cell.
func typeNumber(s string) Cell {
	if s == "" {
		return Cell{}
	}
	if looksNumeric(s) {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return Cell{Kind: Number, AsText: true, Text: s, Num: f}
		}
	}
	return Cell{Kind: Text, Text: s}
}

// looksNumeric is a cheap pre-check that avoids ParseFloat's error path on
// ordinary text and dates: digits with an optional leading sign, at most one
// point and an optional exponent.
func looksNumeric(s string) bool {
	digits, points := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		case c == '-' || c == '+':
			if i > 0 && s[i-1] != 'e' && s[i-1] != 'E' {
				return false
			}
		case c == 'E' || c == 'e':
			if digits == 0 {
				return false
			}
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}

// CodeMergedHidden is a value in a merged range's cell other than its
// top-left one: not shown by Excel, and not read.
const CodeMergedHidden = "merged_hidden"

// maxMergeWarnings bounds the warnings about hidden values per sheet.
const maxMergeWarnings = 100

// hideMerged empties the cells inside merged ranges other than their
// top-left one. Excel never saves a value there and shows the top-left
// value over the whole range, so a value found there — written by a
// generator or a hand-edited file — is not what anyone sees: it is not
// read (a step name hidden in a merged step cell would otherwise change
// the step of the rows below it). Each range with such a value gets a
// warning naming its first such cell. Fills are kept (a merged bar is
// filled across). The work is bounded by the sheet's rows and cells:
// ranges that overlap (Excel refuses such a file), or very many tall ones,
// are checked until it is spent, with a warning.
func (s *Sheet) hideMerged() []Warning {
	if len(s.Merges) == 0 {
		return nil
	}
	budget := len(s.Merges) + 16*len(s.Rows) + 1024
	for _, row := range s.Rows {
		budget += len(row)
	}
	var warns []Warning
	n := 0
	for i, m := range s.Merges {
		count := 0
		for r := m.Top; r <= m.Bottom && r <= len(s.Rows) && budget >= 0; r++ {
			budget--
			row := s.Rows[r-1]
			for c := m.Left; c <= m.Right && c <= len(row); c++ {
				budget--
				if (r == m.Top && c == m.Left) || row[c-1].Kind == Empty {
					continue
				}
				if count == 0 {
					n++
					if n <= maxMergeWarnings {
						warns = append(warns, s.mergeWarning(m, r, c, row[c-1]))
					}
				}
				count++
				row[c-1] = Cell{Fill: row[c-1].Fill}
			}
		}
		if budget < 0 {
			warns = append(warns, warn(s.Name, m.Top, m.Left, CodeMergedHidden,
				"arket har flere flettede områder, end udrul kan tjekke, eller de overlapper hinanden (fx %[1]s), som Excel ikke tillader; værdier skjult i de %[2]d sidste områder er ikke tjekket — åbn filen i Excel eller LibreOffice og gem den igen",
				"the sheet has more merged ranges than udrul can check, or they overlap (e.g. %[1]s), which Excel does not allow; values hidden in the last %[2]d ranges are not checked — open the file in Excel or LibreOffice and save it again",
				rangeRef(m), len(s.Merges)-i))
			break
		}
	}
	if n > maxMergeWarnings {
		warns = append(warns, warn(s.Name, 0, 0, CodeMergedHidden,
			"%d flettede områder mere har skjulte værdier, som ikke er læst", "%d more merged ranges hold hidden values, which were not read", n-maxMergeWarnings))
	}
	return warns
}

func (s *Sheet) mergeWarning(m Merge, r, c int, hidden Cell) Warning {
	shown := s.Cell(m.Top, m.Left)
	return warn(s.Name, r, c, CodeMergedHidden,
		"%[1]s indeholder %[2]q, men ligger i det flettede område %[3]s, som Excel viser som %[4]q (cellen %[5]s) i hele området; den skjulte værdi er ikke læst — slet den, eller ophæv fletningen, hvis den skal med",
		"%[1]s holds %[2]q but lies in the merged range %[3]s, which Excel shows as %[4]q (cell %[5]s) over the whole range; the hidden value is not read — delete it, or unmerge the range if it is meant",
		Ref(r, c), clip(hidden.Text), rangeRef(m), clip(shown.Text), Ref(m.Top, m.Left))
}

// clip shortens a cell's text for a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

func rangeRef(m Merge) string {
	return Ref(m.Top, m.Left) + ":" + Ref(m.Bottom, m.Right)
}

// rowSeen is which columns of a streamed row hold a value: bit c-1 of mask
// for columns 1–64, far the last column beyond them with one (0: none).
type rowSeen struct {
	mask     uint64
	row, far int32
}

func seenOf(row int, cells []Cell) rowSeen {
	s := rowSeen{row: int32(row)}
	for i, c := range cells {
		if c.Kind == Empty {
			continue
		}
		if i < 64 {
			s.mask |= 1 << i
		} else {
			s.far = int32(i + 1)
		}
	}
	return s
}

// mayHide reports whether a merged range may hold a value outside its
// top-left cell, by the rows seen (ascending): exact for the first 64
// columns, cautious beyond them and when the ranges overlap so much that
// checking them would cost more than the sheet's rows.
func mayHide(merges []Merge, seen []rowSeen) bool {
	budget := 16*len(seen) + len(merges) + 1024
	for _, m := range merges {
		i := sort.Search(len(seen), func(i int) bool { return int(seen[i].row) >= m.Top })
		for ; i < len(seen) && int(seen[i].row) <= m.Bottom; i++ {
			if budget--; budget < 0 {
				return true
			}
			s := seen[i]
			row, far := int(s.row), int(s.far)
			if m.Left <= 64 {
				hi := min(m.Right, 64)
				cols := (^uint64(0) >> (64 - (hi - m.Left + 1))) << (m.Left - 1)
				if row == m.Top {
					cols &^= 1 << (m.Left - 1)
				}
				if s.mask&cols != 0 {
					return true
				}
			}
			if m.Right > 64 && far >= max(m.Left, 65) && !(row == m.Top && m.Left >= 65 && far == m.Left) {
				return true
			}
		}
	}
	return false
}
