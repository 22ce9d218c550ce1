package grid

// MaxStray is how many cells with values beyond the limits a sheet may have
// and still be read (with a warning); more refuse it.
const MaxStray = maxStray

// BoundCounted is Bound's verdict on sheet when its cells beyond opts'
// limits were counted by the reader rather than held (a Google spreadsheet
// read in ranges within the limits, the ranges beyond only counted): n
// such cells (counting may stop at MaxStray+1), the first at row r, column
// c (1-based, the first in row order). None changes nothing; up to
// MaxStray add Bound's warning to g; more are Bound's refusal, in the same
// words. So a plan reads the same however it was bounded.
func BoundCounted(g *Grid, sheet string, n, r, c int, opts Options) error {
	if n <= 0 {
		return nil
	}
	opts = opts.withDefaults()
	if n > maxStray {
		return localize(tooManyStray(opts.Limits, r, c).in(sheet, ""), opts.Lang)
	}
	g.Warnings = append(g.Warnings, beyondLimits(sheet, n, opts.Limits, r, c))
	return nil
}
