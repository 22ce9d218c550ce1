package parse

import (
	"math"
	"strconv"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
)

// A status column's numbers are fractions (0.5 = 50 %, as a cell formatted
// as a percentage holds them) or whole percents (50). Each number tells
// which, except 1: 100 % as a fraction, 1 % as a whole percent. A 1 is read
// as done, as before, unless the table's other numbers in that column say
// whole percents (any number above 1 up to 100): then it is 1 %, in
// progress, as a person reads it. Where the column holds both kinds, the 1
// is not read (percent_scale). A cell formatted as a percentage is a
// fraction whatever the others are. The column's evidence may come after
// the 1, so the 1s wait for the end of the plan (resolveScale); the tasks
// are held anyway.

// scaleCol is the evidence of one table's status column.
type scaleCol struct {
	frac, whole     bool
	fracEx, wholeEx example // the first number of each kind, and its cell
}

// scaleOne is a task whose status is a bare 1 (read as done meanwhile).
type scaleOne struct {
	task   int
	pos    model.Pos
	col    colKey
	title  string // the title cell's reference
	struck bool   // the row is struck through (said once the 1 is read as 1 %)
	// no is a done column's no beside the 1 ("Nej"), and its cell: a
	// status_conflict if the 1 is done.
	no    string
	noPos model.Pos
}

// scaleNumber notes a numeric status cell's evidence and returns whether
// it is a bare 1 whose reading its column decides.
func (sp *sheetParser) scaleNumber(c grid.Cell, r int) bool {
	const hair = 1e-9
	v := c.Num
	if c.Percent() {
		// Shown as a percentage: a fraction, 1 = 100 %, whatever the
		// column's other numbers; and no evidence of theirs (they show as
		// they are written).
		return false
	}
	one := math.Abs(v-1) < hair
	if one || v <= hair || math.IsNaN(v) {
		return one
	}
	key := colKey{sp.name, sp.tables, sp.colOf[RoleStatus]}
	col := sp.st.scale[key]
	if col == nil {
		if sp.st.scale == nil {
			sp.st.scale = map[colKey]*scaleCol{}
		}
		col = &scaleCol{}
		sp.st.scale[key] = col
	}
	switch {
	case v < 1:
		if !col.frac {
			col.frac, col.fracEx = true, example{c.Text, sp.pos(r, RoleStatus).Cell}
		}
	case v <= 100+hair*100:
		if !col.whole {
			col.whole, col.wholeEx = true, example{c.Text, sp.pos(r, RoleStatus).Cell}
		}
	}
	return false
}

// resolveScale reads each bare 1 by its column's evidence: 1 % where the
// column's other numbers are whole percents, not read where they are both
// fractions and whole percents, done otherwise.
func (p *Parser) resolveScale(plan *model.Plan, st *planState) {
	for _, o := range st.ones {
		col := st.scale[o.col]
		t := &plan.Tasks[o.task]
		if col == nil || !col.whole {
			if o.no != "" && t.Status == model.Done {
				// "Nej" under "Færdig?" while the status 1 says done.
				plan.Issues = append(plan.Issues, p.lang.issue(o.noPos, CodeStatusConflict, o.no, o.pos.Cell, t.RawStatus))
			}
			continue
		}
		if t.Status != model.Done {
			continue // a done column or a formula without its value decided
		}
		if col.frac {
			t.Status = model.Unknown
			plan.Issues = append(plan.Issues, p.lang.issue(o.pos, CodePercentScale, o.pos.Cell,
				strconv.Quote(col.fracEx.text), col.fracEx.cell, strconv.Quote(col.wholeEx.text), col.wholeEx.cell))
		} else {
			t.Status = model.InProgress
		}
		if o.struck { // no longer done: the strike says more than the status
			plan.Issues = append(plan.Issues, p.lang.issue(model.Pos{Sheet: t.Pos.Sheet, Row: t.Pos.Row, Cell: o.title}, CodeStruckTask, t.Title, `"`+t.RawStatus+`"`))
		}
	}
}

// textFigure reads a status written as a bare figure in text: "0,5" (a
// Danish decimal comma), "50" with spaces around it. Anything else — a
// percent sign, a word — is no figure here.
func textFigure(s string) (float64, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	seps := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == ',' || c == '.':
			seps++
		default:
			return 0, false
		}
	}
	if seps > 1 {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	return f, err == nil
}
