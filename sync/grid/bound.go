package grid

// Bound applies opts' limits to a grid made elsewhere than by this
// package's readers (a Google spreadsheet's cells, read through its API), as
// the readers apply them to a file: cells beyond the last row or column read
// are left out, said in a warning with the first of them, and more than
// maxStray of them in a sheet refuse it, as more cells than Limits.Cells
// do (rows counted to their last filled cell). So a plan reads the same
// wherever it is kept.
func Bound(g *Grid, opts Options) error {
	opts = opts.withDefaults()
	lim := opts.Limits
	for si := range g.Sheets {
		sh := &g.Sheets[si]
		stray, strayR, strayC := 0, 0, 0
		count := func(r int, cells []Cell, from int) {
			for c := from; c < len(cells); c++ {
				if cells[c].Kind != Empty {
					if stray == 0 || r < strayR || r == strayR && c+1 < strayC {
						strayR, strayC = r, c+1
					}
					stray++
				}
			}
		}
		if len(sh.Rows) > lim.Rows {
			for r := lim.Rows; r < len(sh.Rows); r++ {
				count(r+1, sh.Rows[r], 0)
			}
			sh.Rows = sh.Rows[:lim.Rows:lim.Rows]
		}
		cells := 0
		for r, row := range sh.Rows {
			if len(row) > lim.Columns {
				count(r+1, row, lim.Columns)
				row = row[:lim.Columns:lim.Columns]
			}
			sh.Rows[r] = row
			cells += len(row)
			if cells > lim.Cells {
				return localize(tooManyCells(lim).in(sh.Name, Ref(r+1, len(row))), opts.Lang)
			}
		}
		if stray > maxStray {
			return localize(tooManyStray(lim, strayR, strayC).in(sh.Name, ""), opts.Lang)
		}
		if stray > 0 {
			g.Warnings = append(g.Warnings, beyondLimits(sh.Name, stray, lim, strayR, strayC))
		}
	}
	return nil
}

// tooManyStray refuses a sheet with more than maxStray cells with values
// beyond lim, the first at row r, column c.
func tooManyStray(lim Limits, r, c int) *Error {
	return fail(ErrTooLarge, "arket har mere end %[1]d celler med indhold uden for det område, udrul læser (højst %[2]d rækker og %[3]d kolonner; første: %[4]s). Det er ikke en plan; slet indholdet eller øg grænserne under limits: i konfigurationen.",
		"the sheet has more than %[1]d cells with values outside the area udrul reads (at most %[2]d rows and %[3]d columns; the first: %[4]s). That is not a plan; delete them or raise the limits under limits: in the configuration.",
		maxStray, lim.Rows, lim.Columns, Ref(r, c))
}

// tooManyCells refuses a sheet with more cells than lim.Cells.
func tooManyCells(lim Limits) *Error {
	return fail(ErrTooLarge, "arket har flere end %[1]d celler (rækkerne regnet til deres sidste udfyldte celle) — mere end en plan. Slet det, der ikke hører til planen, eller øg limits.cells i konfigurationen.",
		"the sheet has more than %[1]d cells (rows counted to their last filled cell) — more than a plan. Delete what is not part of the plan, or raise limits.cells in the configuration.",
		lim.Cells)
}

// beyondLimits warns of n cells with values beyond lim left out of sheet,
// the first at row r, column c.
func beyondLimits(sheet string, n int, lim Limits, r, c int) Warning {
	return warn(sheet, r, c, CodeBeyondLimits,
		"%[1]d celle(r) med indhold ligger uden for det område, udrul læser (højst %[2]d rækker og %[3]d kolonner), og er ikke læst; den første er %[4]s",
		"%[1]d cell(s) with values lie outside the area udrul reads (at most %[2]d rows and %[3]d columns) and were not read; the first is %[4]s",
		n, lim.Rows, lim.Columns, Ref(r, c))
}
