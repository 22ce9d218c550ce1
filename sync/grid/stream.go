package grid

import (
	"io"
	"path/filepath"
	"slices"
)

// A Book is a workbook read sheet by sheet and row by row, for a reader
// that needs no more than a few rows at a time: memory follows the rows in
// hand, not the sheet. OpenFile and OpenBytes stream a file; Grid.Book
// hands out a grid already read.
type Book struct {
	// File is the file's name (a Grid's File).
	File string
	// Date1904 is set for a workbook saved with the 1904 date system (its
	// date cells are already converted).
	Date1904 bool
	// Warnings are what the reader noticed but could read past (as
	// Grid.Warnings); complete once NextSheet returned io.EOF.
	Warnings []Warning

	next func() (*SheetRows, error)
	cur  *SheetRows
	lang string
	// whole reads the file again into a Grid (nil for a Book of a Grid or
	// of a source of its own).
	whole func() (*Grid, error)
}

// SheetRows is one sheet of a Book: its rows in ascending order, each with
// at least one cell kept (rows not handed out are empty).
type SheetRows struct {
	Name   string
	Hidden bool // a hidden sheet's rows are not read: Next ends at once
	Link   string

	next   func() (int, []Cell, error)
	merges func(row, col int) (Merge, bool)
	hint   func() int
	end    func() // called once, when the rows end without an error
	last   int
	err    error
	lang   string
}

// NewBook returns a Book whose sheets come from next (io.EOF after the
// last): for a source of rows of its own, and for tests.
func NewBook(file string, next func() (*SheetRows, error)) *Book {
	return &Book{File: file, next: next}
}

// NewSheetRows returns a sheet whose rows come from next (row number,
// 1-based and ascending, and cells; io.EOF after the last) and whose
// merged ranges mergeAt finds by their top-left cell (nil: none).
func NewSheetRows(name string, hidden bool, next func() (int, []Cell, error), mergeAt func(row, col int) (Merge, bool)) *SheetRows {
	return &SheetRows{Name: name, Hidden: hidden, next: next, merges: mergeAt}
}

// NextSheet returns the next sheet, and io.EOF after the last. What is left
// of the previous sheet is read first (its errors are the file's errors).
func (b *Book) NextSheet() (*SheetRows, error) {
	if b.cur != nil {
		for {
			_, _, err := b.cur.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
		}
	}
	s, err := b.next()
	if err != nil {
		b.cur = nil
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, localize(err, b.lang)
	}
	s.lang = b.lang
	if s.Hidden {
		s.err = io.EOF
	}
	b.cur = s
	return s, nil
}

// Next returns the sheet's next row: its 1-based number and its cells
// (Cells[c] is column c+1; trailing empty cells may be missing), valid
// until the Book is dropped. It returns io.EOF after the last row, and an
// error wrapping ErrRowOrder when the file's rows are not in ascending
// order (read such a file whole, with ReadBytes).
func (s *SheetRows) Next() (row int, cells []Cell, err error) {
	if s.err != nil {
		return 0, nil, s.err
	}
	row, cells, err = s.next()
	if err == nil && row <= s.last {
		err = fail(ErrRowOrder, "række %[1]d kommer efter række %[2]d i filen", "row %[1]d comes after row %[2]d in the file", row, s.last).in(s.Name, "")
	}
	if err != nil {
		if err == io.EOF {
			if s.end != nil {
				s.end()
			}
			s.err = io.EOF
			return 0, nil, io.EOF
		}
		s.err = localize(err, s.lang)
		return 0, nil, s.err
	}
	s.last = row
	return row, cells, nil
}

// MergeAt returns the merged range that starts at row, col, if any.
func (s *SheetRows) MergeAt(row, col int) (Merge, bool) {
	if s.merges == nil {
		return Merge{}, false
	}
	return s.merges(row, col)
}

// RowsHint guesses how many rows the sheet has, from what the file says of
// itself within its size and the limits, once its first row was read; 0
// when it cannot tell. A reader may size what it keeps by it.
func (s *SheetRows) RowsHint() int {
	if s.hint == nil {
		return 0
	}
	return s.hint()
}

// Book returns the grid as a Book. The Book hands out the grid's own rows.
func (g *Grid) Book() *Book {
	i := 0
	b := &Book{File: g.File, Date1904: g.Date1904}
	b.next = func() (*SheetRows, error) {
		if i >= len(g.Sheets) {
			b.Warnings = g.Warnings
			return nil, io.EOF
		}
		sh := &g.Sheets[i]
		i++
		r := 0
		s := NewSheetRows(sh.Name, sh.Hidden, func() (int, []Cell, error) {
			for r < len(sh.Rows) {
				r++
				if len(sh.Rows[r-1]) > 0 {
					return r, sh.Rows[r-1], nil
				}
			}
			return 0, nil, io.EOF
		}, sh.MergeAt)
		s.Link = sh.Link
		s.hint = func() int { return len(sh.Rows) }
		return s, nil
	}
	return b
}

// OpenFile opens the spreadsheet at path for reading row by row, as
// ReadFile reads it whole: the same formats, limits and errors.
func OpenFile(path string, opts Options) (*Book, error) {
	opts = opts.withDefaults()
	data, err := Load(path, opts.MaxSize)
	if err != nil {
		return nil, localize(osError(err), opts.Lang)
	}
	return OpenBytes(filepath.Base(path), data, opts)
}

// OpenBytes opens a spreadsheet held in memory for reading row by row, as
// ReadBytes reads it whole. Errors in the sheets come from NextSheet and
// SheetRows.Next.
func OpenBytes(name string, data []byte, opts Options) (*Book, error) {
	opts = opts.withDefaults()
	b, err := openBytes(name, data, opts)
	if err != nil {
		return nil, localize(err, opts.Lang)
	}
	b.lang = opts.Lang
	b.whole = func() (*Grid, error) { return ReadBytes(name, data, opts) }
	return b, nil
}

// Whole reads the Book's file again, whole, as ReadBytes does: for a sheet
// whose rows are out of order (ErrRowOrder) or whose merged ranges hide
// values (ErrMergedHidden). It returns ErrRowOrder for a Book that is not of
// a file.
func (b *Book) Whole() (*Grid, error) {
	if b.whole == nil {
		return nil, ErrRowOrder
	}
	return b.whole()
}

func openBytes(name string, data []byte, opts Options) (*Book, error) {
	f, err := format(name, data, opts)
	if err != nil {
		return nil, err
	}
	if f == formatCSV {
		r, warns, err := openCSV(name, data, opts)
		if err != nil {
			return nil, err
		}
		b := &Book{File: name, Warnings: warns}
		done := false
		b.next = func() (*SheetRows, error) {
			if done {
				return nil, io.EOF
			}
			done = true
			s := NewSheetRows(r.sheet, false, r.next, nil)
			s.end = func() { b.Warnings = append(b.Warnings, r.warns...) }
			s.hint = func() int { return r.lines }
			return s, nil
		}
		return b, nil
	}
	x, err := openXLSX(data, opts)
	if err != nil {
		return nil, err
	}
	b := &Book{File: name, Date1904: x.x.date1904}
	b.next = func() (*SheetRows, error) {
		name, hidden, rows, err := x.nextSheet()
		if err != nil {
			return nil, err
		}
		if hidden {
			return NewSheetRows(name, true, nil, nil), nil
		}
		var merges *Sheet
		var seen []rowSeen
		next := func() (int, []Cell, error) {
			r, cells, err := rows.next()
			switch {
			case err == nil:
				seen = append(seen, seenOf(r, cells))
			case err == io.EOF && mayHide(rows.merges, seen):
				// A merged range holds a value Excel does not show: the
				// rows handed out had it; the whole read leaves it out.
				err = fail(ErrMergedHidden, "", "").in(name, "")
			case err == io.EOF && merges != nil && !slices.Equal(merges.Merges, rows.merges):
				// The merged ranges read ahead are not the sheet's (a
				// "mergeCells" in a comment, two lists): the rows handed
				// out were read with the wrong ones; the whole read has
				// the right ones. (Rare enough to share the sentinel that
				// sends the parser to the whole read.)
				err = fail(ErrMergedHidden, "", "").in(name, "")
			}
			return r, cells, err
		}
		s := NewSheetRows(name, false, next, func(row, col int) (Merge, bool) {
			if merges == nil {
				// The merged ranges follow the rows in the file: read
				// them ahead, once, only for a sheet that asks.
				merges = &Sheet{Merges: scanMerges(rows.f)}
			}
			return merges.MergeAt(row, col)
		})
		s.end = func() { b.Warnings = append(b.Warnings, rows.warns...) }
		s.hint = rows.rowsHint
		return s, nil
	}
	return b, nil
}
