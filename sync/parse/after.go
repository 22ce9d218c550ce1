package parse

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
)

// Dependencies: a plan's own column of the tasks each task follows
// ("Forudgående", "Afhænger af", "Predecessors"). In a table with an ID
// column a reference is a task ID as written; without one it is the number
// of the sheet row the task is on, kept as model.RowRef ("row:12"). Several
// references are separated by commas, semicolons or spaces. MS Project's
// form "12FS+2d" (a link type and a lag after the number) is read as 12: the
// forecast treats every link as "starts after the other finishes" and has
// no lags.

// afterCell is a task's dependency cell, checked against the plan's tasks
// once all of them are read.
type afterCell struct {
	task  int // index into the plan's tasks
	pos   model.Pos
	byRow bool   // references are row numbers (the table has no ID column)
	text  string // the cell as written
}

// msRef is one reference with an optional MS Project link type (FS, SS, FF,
// SF; Danish AS, SS, AA, SA) and lag ("+2d", "-1 dag", "+3 days").
var msRef = regexp.MustCompile(`(?i)^(\d+(?:\.\d+)*)\s*(?:fs|ss|ff|sf|as|aa|sa)?\s*(?:[+-]\s*\d+(?:[.,]\d+)?\s*[\p{L}]*)?$`)

// plainNumber is a row number.
var plainNumber = regexp.MustCompile(`^\d+$`)

// SplitAfter reads a dependency cell's text: the references in order
// (without link types and lags, duplicates dropped), and the parts that are
// not readable. With byRow, references must be row numbers and are returned
// as model.RowRef; else they are task IDs as written.
func SplitAfter(text string, byRow bool) (refs, bad []string) {
	seen := map[string]bool{}
	add := func(ref string) {
		if byRow {
			if !plainNumber.MatchString(ref) {
				bad = append(bad, ref)
				return
			}
			n := 0
			for _, c := range ref {
				n = n*10 + int(c-'0')
				if n > 1<<24 {
					bad = append(bad, ref)
					return
				}
			}
			if n == 0 {
				bad = append(bad, ref)
				return
			}
			ref = model.RowRef(n)
		}
		if !seen[ref] {
			seen[ref] = true
			refs = append(refs, ref)
		}
	}
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		part = CollapseSpace(part)
		if part == "" {
			continue
		}
		if m := msRef.FindStringSubmatch(part); m != nil {
			add(m[1])
			continue
		}
		for _, f := range strings.Fields(part) {
			switch m := msRef.FindStringSubmatch(f); {
			case m != nil:
				add(m[1])
			case byRow:
				bad = append(bad, f)
			case strings.HasPrefix(strings.ToLower(f), "row:"):
				bad = append(bad, f) // the store's form of a row: never an ID
			default:
				add(f)
			}
		}
	}
	return refs, bad
}

// after reads task t's dependency cell on row r.
func (sp *sheetParser) after(r, idx int, t *model.Task) {
	if sp.colOf[RoleAfter] == 0 {
		return
	}
	c := sp.cell(r, RoleAfter)
	text := idText(c)
	if text == "" {
		return
	}
	byRow := sp.colOf[RoleID] == 0
	what := sp.p.lang.word("refID")
	if byRow {
		what = sp.p.lang.word("refRow")
	}
	pos := sp.pos(r, RoleAfter)
	if c.Kind != grid.Text && c.Kind != grid.Number {
		// "1-2" typed into Excel becomes a date: no reference can be
		// read from it.
		if d, ok := CellDate(c); ok {
			text = fmtDate(d)
		}
		sp.addIssue(pos, CodeBadDependency, text, what)
		return
	}
	refs, bad := SplitAfter(text, byRow)
	if len(bad) > 0 {
		sp.addIssue(pos, CodeBadDependency, strings.Join(bad, " "), what)
	}
	if len(refs) == 0 {
		return
	}
	t.After = refs
	sp.st.after = append(sp.st.after, afterCell{task: idx, pos: pos, byRow: byRow, text: CollapseSpace(text)})
}

// checkAfter reports the dependencies that name no task of the plan, and
// drops those that name the task itself.
func (p *Parser) checkAfter(plan *model.Plan, st *planState) {
	if len(st.after) == 0 {
		return
	}
	ids := map[string]bool{}
	rows := map[model.Pos]bool{} // sheet and row of each task
	for _, t := range plan.Tasks {
		if t.ID != "" {
			ids[t.ID] = true
		}
		rows[model.Pos{Sheet: t.Pos.Sheet, Row: t.Pos.Row}] = true
	}
	for _, ac := range st.after {
		t := &plan.Tasks[ac.task]
		kept := t.After[:0]
		var unknown []string
		known, words := 0, false
		for _, ref := range t.After {
			var self, ok bool
			var name string
			if n, isRow := model.ParseRowRef(ref); isRow && ac.byRow {
				self, ok = n == t.Pos.Row, rows[model.Pos{Sheet: t.Pos.Sheet, Row: n}]
				name = fmt.Sprintf(p.lang.word("rowRef"), n)
			} else {
				self, ok = ref == t.ID, ids[ref]
				name = fmt.Sprintf(p.lang.word("idRef"), ref)
				words = words || !ok && !strings.ContainsAny(ref, "0123456789")
			}
			switch {
			case self:
				plan.Issues = append(plan.Issues, p.lang.issue(ac.pos, CodeSelfDependency, t.Title, name))
				continue
			case ok:
				known++
			default:
				unknown = append(unknown, name)
			}
			kept = append(kept, ref)
		}
		switch {
		case known == 0 && words:
			// Words that name no task ("afventer leverandøren"): a remark
			// in the column, not references.
			plan.Issues = append(plan.Issues, p.lang.issue(ac.pos, CodeBadDependency, ac.text, p.lang.word("refID")))
			kept = nil
		case len(unknown) > 0:
			plan.Issues = append(plan.Issues, p.lang.issue(ac.pos, CodeUnknownDependency, t.Title, strings.Join(unknown, ", ")))
		}
		if len(kept) == 0 {
			kept = nil
		}
		t.After = kept
	}
}
