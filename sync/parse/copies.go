package parse

import (
	"regexp"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
)

// copyNameRe matches a sheet name that marks a copy of another sheet:
// Excel's "Plan (2)", LibreOffice's "Plan_2", Google's "Kopi af Plan" and
// "Copy of Plan", "Plan - kopi", "Plan gammel", "Backup", "Arkiv".
var copyNameRe = regexp.MustCompile(`(?i)\(\d+\)\s*$|_\d+$|\b(kopi|copy|gammel|gamle|old|backup|arkiv|archive|tidligere|previous)\b`)

// sheetTasks is one sheet's share of a plan's tasks.
type sheetTasks struct {
	name   string
	titles map[string]bool
	first  int // the sheet row of its first task
}

// checkCopies finds a visible sheet that repeats most of another's tasks
// (a copy of the plan's tab kept beside it, "Plan (2)"), which would count
// every task twice with the copy's old dates and statuses. A sheet named as
// a copy ("Kopi af Plan", "Plan (2)", "Plan gammel") is left out, its tasks
// and issues with it, with a copy_sheet warning; when the names do not tell
// which is the copy, both are read and a repeated_sheet error says the tasks
// are counted twice.
func (p *Parser) checkCopies(plan *model.Plan) {
	several := false
	for i := 1; i < len(plan.Tasks) && !several; i++ {
		several = plan.Tasks[i].Pos.Sheet != plan.Tasks[0].Pos.Sheet
	}
	if !several {
		return // one sheet's tasks (most plans): nothing to compare
	}
	var sheets []*sheetTasks
	by := map[string]*sheetTasks{}
	for _, t := range plan.Tasks {
		s := by[t.Pos.Sheet]
		if s == nil {
			s = &sheetTasks{name: t.Pos.Sheet, titles: map[string]bool{}, first: t.Pos.Row}
			by[t.Pos.Sheet] = s
			sheets = append(sheets, s)
		}
		s.titles[t.Title] = true // a copy repeats its texts exactly
	}
	if len(sheets) < 2 {
		return
	}
	drop := map[string]bool{}
	var issues []model.Issue
	for i, a := range sheets {
		for _, b := range sheets[i+1:] {
			if drop[a.name] || drop[b.name] {
				continue
			}
			same := 0
			for t := range b.titles {
				if a.titles[t] {
					same++
				}
			}
			smaller := min(len(a.titles), len(b.titles))
			if same < 3 || same*5 < smaller*3 { // under three, or 60 % of the smaller sheet's tasks
				continue
			}
			aCopy, bCopy := copyNameRe.MatchString(a.name), copyNameRe.MatchString(b.name)
			switch {
			case bCopy && !aCopy:
				drop[b.name] = true
				issues = append(issues, p.lang.issue(model.Pos{Sheet: b.name, Row: b.first, Cell: grid.Ref(b.first, 1)}, CodeCopySheet, b.name, a.name, same, len(b.titles)))
			case aCopy && !bCopy:
				drop[a.name] = true
				issues = append(issues, p.lang.issue(model.Pos{Sheet: a.name, Row: a.first, Cell: grid.Ref(a.first, 1)}, CodeCopySheet, a.name, b.name, same, len(a.titles)))
			default:
				issues = append(issues, p.lang.issue(model.Pos{Sheet: b.name, Row: b.first, Cell: grid.Ref(b.first, 1)}, CodeRepeatedSheet, b.name, same, len(b.titles), a.name))
			}
		}
	}
	if len(drop) > 0 {
		tasks := plan.Tasks[:0]
		for _, t := range plan.Tasks {
			if !drop[t.Pos.Sheet] {
				tasks = append(tasks, t)
			}
		}
		plan.Tasks = tasks
		// An ID first used on the copy is no duplicate on the sheet kept.
		type at struct {
			sheet string
			row   int
		}
		first, ids := map[string]at{}, map[at]string{}
		for _, t := range tasks {
			if t.ID == "" {
				continue
			}
			here := at{t.Pos.Sheet, t.Pos.Row}
			ids[here] = t.ID
			if _, seen := first[t.ID]; !seen {
				first[t.ID] = here
			}
		}
		kept := plan.Issues[:0]
		for _, is := range plan.Issues {
			if drop[is.Pos.Sheet] {
				continue
			}
			if here := (at{is.Pos.Sheet, is.Pos.Row}); is.Code == CodeDuplicateID && ids[here] != "" && first[ids[here]] == here {
				continue
			}
			kept = append(kept, is)
		}
		plan.Issues = kept
	}
	plan.Issues = append(plan.Issues, issues...)
}
