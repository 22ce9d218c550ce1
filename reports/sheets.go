package reports

import (
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/xuri/excelize/v2"
)

// overview writes headline figures with change since last week, and the
// charts with their data.
func (w *writer) overview() {
	name := w.sheet("overview")
	w.must(w.f.SetSheetName("Sheet1", name))
	w.printSetup(name, false)
	f := w.f
	set := func(cell string, v any, style int) {
		w.must(f.SetCellValue(name, cell, v))
		if style != 0 {
			w.must(f.SetCellStyle(name, cell, cell, style))
		}
	}
	set("A1", w.title(), w.sTitle)
	now := w.d.Headline()
	var prev *Headline
	for i := len(w.d.History) - 1; i >= 0; i-- {
		s := w.d.History[i]
		if !s.AsOf.After(w.d.AsOf.AddDays(-7)) {
			h := s.Headline
			prev = &h
			break
		}
	}
	set("A3", w.l("Nøgletal", "Key figures"), w.sHeader)
	set("B3", w.l("Nu", "Now"), w.sHeader)
	set("C3", w.l("For en uge siden", "A week ago"), w.sHeader)
	set("D3", w.l("Ændring", "Change"), w.sHeader)
	w.must(f.SetRowHeight(name, 3, 30))
	w.must(f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: fmt.Sprintf("'%s'!$A$1:$M$36", name), Scope: name}))
	rows := []struct {
		label   string
		now     float64
		prev    func(Headline) float64
		pct     bool
		badWhen int // +1: an increase is bad, -1: a decrease is bad
	}{
		{w.l("Planer", "Plans"), float64(now.Plans), func(h Headline) float64 { return float64(h.Plans) }, false, 0},
		{w.l("Opgaver", "Tasks"), float64(now.Tasks), func(h Headline) float64 { return float64(h.Tasks) }, false, 0},
		{w.l("Færdige opgaver", "Tasks done"), now.Done, func(h Headline) float64 { return h.Done }, true, -1},
		{w.l("Forsinkede opgaver", "Overdue tasks"), float64(now.Overdue), func(h Headline) float64 { return float64(h.Overdue) }, false, 1},
		{w.l("Skredet denne uge", "Slipped this week"), float64(now.SlippedWeek), func(h Headline) float64 { return float64(h.SlippedWeek) }, false, 1},
		{w.l("Åbne dataproblemer", "Open data problems"), float64(now.DataProblems), func(h Headline) float64 { return float64(h.DataProblems) }, false, 1},
		{w.l("Kilder med fejl", "Failing sources"), float64(now.FailingSources), func(h Headline) float64 { return float64(h.FailingSources) }, false, 1},
		{w.l("Røde planer", "Red plans"), float64(now.RedPlans), func(h Headline) float64 { return float64(h.RedPlans) }, false, 1},
	}
	for i, r := range rows {
		n := 4 + i
		style := w.sInt
		if r.pct {
			style = w.sPct
		}
		set(fmt.Sprintf("A%d", n), r.label, 0)
		set(fmt.Sprintf("B%d", n), r.now, style)
		if prev != nil {
			p := r.prev(*prev)
			set(fmt.Sprintf("C%d", n), p, style)
			diff := r.now - p
			level := ""
			if r.badWhen != 0 && diff != 0 {
				if (diff > 0) == (r.badWhen > 0) {
					level = model.LevelRed
				} else {
					level = model.LevelGreen
				}
			}
			ds := w.sRAG[level]
			if r.pct {
				ds = w.sRAGPct[level]
			}
			set(fmt.Sprintf("D%d", n), diff, ds)
		} else {
			set(fmt.Sprintf("C%d", n), "–", 0)
		}
	}
	note := w.l("Rød/gul/grøn pr. plan: rød ved opgaver mere end %d arbejdsdage forsinket, skredne idriftsættelser eller planer der ikke kan læses; gul ved forsinkede, skredne eller ikke startede opgaver.",
		"Red/amber/green per plan: red for tasks more than %d working days overdue, slipped go-lives or plans that cannot be read; amber for overdue, slipped or not started tasks.")
	set("A13", fmt.Sprintf(note, w.d.RedOverdueDays), w.sWrap)
	w.must(f.MergeCell(name, "A13", "D15"))
	w.must(f.SetColWidth(name, "A", "A", 28))
	w.must(f.SetColWidth(name, "B", "D", 14))
	w.must(f.SetColWidth(name, "E", "K", 12))

	// The charts' data, below them.
	solutions := w.solutions()
	waves := w.waveNames()
	const dataCol = 1
	top := 38
	col := func(c int) string { s, _ := excelize.ColumnNumberToName(c); return s }
	cell := func(c, r int) string { return fmt.Sprintf("%s%d", col(c), top+r) }
	// 1. Overdue per wave and solution.
	set(cell(dataCol, 1), w.l("Forsinkede pr. bølge", "Overdue per wave"), w.sSub)
	set(cell(dataCol, 2), w.l("Bølge", "Wave"), w.sHeader)
	overdue := map[[2]string]int{}
	byPlan := w.d.findingSums().OverdueByPlan
	for _, p := range w.d.Plans {
		overdue[[2]string{p.Wave, p.Solution}] += byPlan[p.ID]
	}
	for j, s := range solutions {
		set(cell(dataCol+1+j, 2), s, w.sHeader)
	}
	for i, wv := range waves {
		label := w.l("Bølge ", "Wave ") + wv
		if wv == "" {
			label = w.l("Uden bølge", "No wave")
		}
		set(cell(dataCol, 3+i), label, 0)
		for j, s := range solutions {
			set(cell(dataCol+1+j, 3+i), overdue[[2]string{wv, s}], 0)
		}
	}
	var series []excelize.ChartSeries
	for j := range solutions {
		c := col(dataCol + 1 + j)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("'%s'!$%s$%d", name, c, top+2),
			Categories: fmt.Sprintf("'%s'!$%s$%d:$%s$%d", name, col(dataCol), top+3, col(dataCol), top+2+len(waves)),
			Values:     fmt.Sprintf("'%s'!$%s$%d:$%s$%d", name, c, top+3, c, top+2+len(waves)),
		})
	}
	if len(series) > 0 && len(waves) > 0 {
		w.chart(name, "F2", excelize.Col, series, w.l("Forsinkede opgaver pr. bølge og løsning", "Overdue tasks per wave and solution"))
	}
	// 2. Status per solution.
	base := 6 + len(waves)
	set(cell(dataCol, base-1), w.l("Status pr. løsning", "Status per solution"), w.sSub)
	set(cell(dataCol, base), w.l("Løsning", "Solution"), w.sHeader)
	statuses := []model.Status{model.Done, model.InProgress, model.NotStarted, model.OnHold, model.Cancelled, model.Unknown}
	counts := map[string]map[model.Status]int{}
	planSol := map[int64]string{}
	for _, p := range w.d.Plans {
		planSol[p.ID] = p.Solution
	}
	for id, c := range w.d.Counts {
		s := planSol[id]
		if counts[s] == nil {
			counts[s] = map[model.Status]int{}
		}
		for st, n := range c.ByStatus {
			counts[s][st] += n
		}
	}
	for j, st := range statuses {
		set(cell(dataCol+1+j, base), w.statusWord(st), w.sHeader)
	}
	for i, s := range solutions {
		set(cell(dataCol, base+1+i), s, 0)
		for j, st := range statuses {
			set(cell(dataCol+1+j, base+1+i), counts[s][st], 0)
		}
	}
	series = nil
	colors := []string{"70AD47", "FFC000", "A5A5A5", "7F6084", "5B9BD5", "C00000"}
	for j := range statuses {
		c := col(dataCol + 1 + j)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("'%s'!$%s$%d", name, c, top+base),
			Categories: fmt.Sprintf("'%s'!$%s$%d:$%s$%d", name, col(dataCol), top+base+1, col(dataCol), top+base+len(solutions)),
			Values:     fmt.Sprintf("'%s'!$%s$%d:$%s$%d", name, c, top+base+1, c, top+base+len(solutions)),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colors[j]}},
		})
	}
	if len(solutions) > 0 {
		w.chart(name, "F19", excelize.BarStacked, series, w.l("Opgaver pr. løsning og status", "Tasks per solution and status"))
	}
	// 3. Progress per week: the share of tasks the plans have due by each
	// week's end (from their end dates, 12 weeks back and 12 ahead) against
	// the share actually done (from the weekly snapshots and today).
	base2 := base + len(solutions) + 3
	set(cell(dataCol, base2-1), w.l("Fremdrift pr. uge", "Progress per week"), w.sSub)
	set(cell(dataCol, base2), w.l("Uge", "Week"), w.sHeader)
	set(cell(dataCol+1, base2), w.l("Planlagt færdig", "Planned done"), w.sHeader)
	set(cell(dataCol+2, base2), w.l("Faktisk færdig", "Actually done"), w.sHeader)
	set(cell(dataCol+3, base2), w.l("Forsinkede", "Overdue"), w.sHeader)
	actual := map[string]Headline{}
	for _, s := range append(append([]Snapshot(nil), w.d.History...), Snapshot{AsOf: w.d.AsOf, Headline: now}) {
		y, wk := s.AsOf.Time().ISOWeek()
		actual[fmt.Sprintf("%d-W%02d", y, wk)] = s.Headline
	}
	// The tasks due by each week's end: the running sum of the counts of
	// the tasks ending in each week.
	var endWeek [progressWeeks]int
	tasks := 0
	for _, c := range w.d.Counts {
		tasks += c.Tasks
		for k, n := range c.EndWeek {
			endWeek[k] += n
		}
	}
	due := 0
	nweeks := 0
	for k, end := range weekEnds(w.d.AsOf) {
		y, wk := end.Time().ISOWeek()
		label := fmt.Sprintf("%d-W%02d", y, wk)
		r := base2 + 1 + nweeks
		nweeks++
		set(cell(dataCol, r), fmt.Sprintf("%s%d", w.l("u", "W"), wk), 0)
		due += endWeek[k]
		if tasks > 0 {
			set(cell(dataCol+1, r), float64(due)/float64(tasks), w.sPct)
		}
		if h, ok := actual[label]; ok {
			set(cell(dataCol+2, r), h.Done, w.sPct)
			set(cell(dataCol+3, r), h.Overdue, 0)
		}
	}
	cats := fmt.Sprintf("'%s'!$%s$%d:$%s$%d", name, col(dataCol), top+base2+1, col(dataCol), top+base2+nweeks)
	seriesOf := func(c int, color string) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name: fmt.Sprintf("'%s'!$%s$%d", name, col(c), top+base2), Categories: cats,
			Values: fmt.Sprintf("'%s'!$%s$%d:$%s$%d", name, col(c), top+base2+1, col(c), top+base2+nweeks),
			Marker: excelize.ChartMarker{Symbol: "circle", Size: 5},
			Line:   excelize.LineOptions{Width: 2.25},
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
		}
	}
	line := &excelize.Chart{
		Type:         excelize.Line,
		Series:       []excelize.ChartSeries{seriesOf(dataCol+1, "A5A5A5"), seriesOf(dataCol+2, "1F4E78")},
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: w.l("Planlagt og faktisk andel færdige opgaver pr. uge", "Planned and actual share of tasks done per week")}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		Dimension:    excelize.ChartDimension{Width: 640, Height: 300},
		YAxis:        excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, MajorGridLines: true},
		ShowBlanksAs: "gap",
	}
	w.must(f.AddChart(name, "A17", line))
}

func (w *writer) chart(sheet, cell string, typ excelize.ChartType, series []excelize.ChartSeries, title string) {
	w.must(w.f.AddChart(sheet, cell, &excelize.Chart{
		Type:      typ,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 320},
		YAxis:     excelize.ChartAxis{MajorGridLines: true},
	}))
}

func (w *writer) solutions() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range w.d.Plans {
		if !seen[p.Solution] {
			seen[p.Solution] = true
			out = append(out, p.Solution)
		}
	}
	sort.Strings(out)
	return out
}

func (w *writer) waveNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range w.d.Plans {
		if !seen[p.Wave] {
			seen[p.Wave] = true
			out = append(out, p.Wave)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) < len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

type planStats struct {
	tasks, done, overdue int
}

func (w *writer) stats() map[int64]*planStats {
	out := map[int64]*planStats{}
	for _, p := range w.d.Plans {
		out[p.ID] = &planStats{}
	}
	for id, c := range w.d.Counts {
		if s := out[id]; s != nil {
			s.tasks, s.done = c.Tasks, c.done()
		}
	}
	for id, n := range w.d.findingSums().OverdueByPlan {
		if s := out[id]; s != nil {
			s.overdue = n
		}
	}
	return out
}

func share(a, b int) any {
	if b == 0 {
		return nil
	}
	return float64(a) / float64(b)
}

// matrix writes municipalities × solutions, coloured by each plan's status,
// with % done and the overdue count.
func (w *writer) matrix() {
	solutions := w.solutions()
	stats := w.stats()
	cols := []column{{"Kommune", "Municipality", colText, 0}, {"Status", "Status", colText, 10}}
	for _, s := range solutions {
		cols = append(cols, column{s + " færdig", s + " done", colPct, 10}, column{s + " forsinket", s + " overdue", colInt, 11},
			column{s + " ejerens vurdering", s + " owner's rating", colText, 11}, column{s + " slack (arb.dage)", s + " slack (working days)", colInt, 11})
	}
	plans := map[string]map[string]store.Plan{}
	for _, p := range w.d.Plans {
		if plans[p.Municipality] == nil {
			plans[p.Municipality] = map[string]store.Plan{}
		}
		plans[p.Municipality][p.Solution] = p
	}
	var rows []row
	for _, m := range w.d.Municipalities() {
		st := w.d.MunicipalStatus[m]
		// The status cell takes the municipality's colour, each plan's
		// pair of cells the plan's.
		r := row{values: []any{m, w.levelWord(st)}, levels: []string{"", st}}
		for _, s := range solutions {
			p, ok := plans[m][s]
			if !ok {
				r.values = append(r.values, nil, nil, nil, nil)
				r.levels = append(r.levels, "", "", "", "")
				continue
			}
			ps := stats[p.ID]
			level := w.d.PlanStatus[p.ID]
			// The owner's own traffic light beside udrul's colour, and the
			// forecast's slack before the go-live (empty when none).
			var slack any
			slackLevel := ""
			if fc := w.d.Forecasts[p.ID]; fc != nil {
				slack = fc.Slack
				if fc.Slack < 0 {
					slackLevel = model.LevelRed
				}
			}
			r.values = append(r.values, share(ps.done, ps.tasks), ps.overdue, w.healthWord(p.Health), slack)
			r.levels = append(r.levels, level, level, p.Health, slackLevel)
		}
		rows = append(rows, r)
	}
	w.table("matrix", cols, rows, "")
}

// waves writes each wave of each solution against its milestones: the
// share of tasks that should be done by now, and the share that is.
func (w *writer) waves() {
	cal := w.d.Calendar
	type key struct{ sol, wave string }
	type agg struct {
		plans, tasks, done, due, overdue int
		level                            string
	}
	aggs := map[key]*agg{}
	var keys []key
	planKey := map[int64]key{}
	for _, p := range w.d.Plans {
		k := key{p.Solution, p.Wave}
		if aggs[k] == nil {
			aggs[k] = &agg{}
			keys = append(keys, k)
		}
		aggs[k].plans++
		aggs[k].level = model.Worse(aggs[k].level, w.d.PlanStatus[p.ID])
		planKey[p.ID] = k
	}
	for id, c := range w.d.Counts {
		k, ok := planKey[id]
		if !ok {
			continue
		}
		a := aggs[k]
		a.tasks += c.Tasks
		a.done += c.done()
		a.due += c.Due
	}
	for id, n := range w.d.findingSums().OverdueByPlan {
		if k, ok := planKey[id]; ok {
			aggs[k].overdue += n
		}
	}
	goLive := map[key]Wave{}
	for _, wv := range w.d.Waves {
		goLive[key{wv.Solution, wv.Wave}] = wv
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].sol != keys[j].sol {
			return keys[i].sol < keys[j].sol
		}
		return keys[i].wave < keys[j].wave
	})
	cols := []column{
		{"Løsning", "Solution", colText, 0}, {"Bølge", "Wave", colText, 8}, {"Idriftsættelse", "Go-live", colDate, 14},
		{"Arbejdsdage til idriftsættelse", "Working days to go-live", colInt, 16}, {"Kommuner", "Municipalities", colInt, 12},
		{"Opgaver", "Tasks", colInt, 10}, {"Skulle være færdige", "Due by now", colPct, 14}, {"Færdige", "Done", colPct, 10},
		{"Forsinkede", "Overdue", colInt, 11}, {"Status", "Status", colText, 10}, {"Milepæle", "Milestones", colWrap, 50},
	}
	var rows []row
	for _, k := range keys {
		a := aggs[k]
		wv := goLive[k]
		var toGo any
		if !wv.GoLive.IsZero() {
			toGo = cal.Between(w.d.AsOf, wv.GoLive)
		}
		var ms []string
		for _, name := range sortedKeys(wv.Milestones) {
			ms = append(ms, fmt.Sprintf("%s %s", name, wv.Milestones[name]))
		}
		rows = append(rows, row{values: []any{k.sol, k.wave, wv.GoLive, toGo, a.plans, a.tasks, share(a.due, a.tasks), share(a.done, a.tasks), a.overdue,
			w.levelWord(a.level), strings.Join(ms, "; ")}, level: a.level, levelC: []int{9}})
	}
	w.table("waves", cols, rows, "")
}

// task returns a finding's task, or an empty one.
func (w *writer) task(id int64) *store.PlanTask {
	if t := w.d.FindingTasks[id]; t != nil {
		return t
	}
	return &store.PlanTask{Plan: &store.Plan{}}
}

// findings returns the findings of the given kinds.
func (w *writer) findings(kinds ...string) []*model.Finding {
	var out []*model.Finding
	for i := range w.d.Findings {
		if f := &w.d.Findings[i]; slices.Contains(kinds, f.Kind) {
			out = append(out, f)
		}
	}
	return out
}

// overdue lists overdue tasks, the most late first.
func (w *writer) overdue() {
	fs := w.findings("overdue")
	slices.SortStableFunc(fs, func(a, b *model.Finding) int { return cmp.Compare(b.Days, a.Days) })
	cols := []column{
		{"Arbejdsdage forsinket", "Working days overdue", colInt, 12}, {"Kommune", "Municipality", colText, 0}, {"Løsning", "Solution", colText, 10},
		{"Bølge", "Wave", colText, 7}, {"Trin", "Step", colText, 0}, {"ID", "ID", colText, 7}, {"Opgave", "Task", colText, 0},
		{"Ansvarlig", "Responsible", colText, 0}, {"Udfører", "Performer", colText, 0}, {"Slutdato", "End date", colDate, 13},
		{"Slut (som skrevet)", "End (as written)", colText, 14}, {"Status", "Status", colText, 14},
		{"Ejerens vurdering", "Owner's rating", colText, 11}, {"Ny siden", "New since", colDate, 13},
	}
	if w.lists != nil {
		w.tableFunc("overdue", cols, len(w.lists.overdue), w.lists.rows(w.lists.overdue, len(cols)), "")
		return
	}
	vals := make([]any, len(cols))
	levels := make([]string, len(cols))
	w.tableFunc("overdue", cols, len(fs), func(i int) row {
		return w.overdueRow(fs[i], w.task(fs[i].TaskID), vals, levels)
	}, "")
}

// overdueCols is how many columns the overdue sheet has.
const overdueCols = 14

// overdueRow is the overdue sheet's row of f (of task t), in vals and
// levels.
func (w *writer) overdueRow(f *model.Finding, t *store.PlanTask, vals []any, levels []string) row {
	vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6] = f.Days, f.Municipality, f.Solution, f.Wave, t.Step, t.Task.Task.ID, t.Title
	vals[7], vals[8], vals[9], vals[10], vals[11] = t.Responsible, t.Performer, w.dateValue(t.End), t.EndAs.Text, w.statusWord(t.Status)
	vals[12], vals[13] = w.healthWord(t.Health), w.dateValue(f.FirstSeen)
	levels[0], levels[12] = f.Level, t.Health
	return row{values: vals, levels: levels}
}

// slipped lists tasks whose dates slipped this week and against baseline.
func (w *writer) slipped() {
	fs := w.findings("slipped", "slipped_week")
	slices.SortStableFunc(fs, func(a, b *model.Finding) int {
		if a.Kind != b.Kind {
			if a.Kind == "slipped_week" {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Days, a.Days)
	})
	cols := []column{
		{"Skred", "Slip", colText, 16}, {"Arbejdsdage", "Working days", colInt, 12}, {"Kommune", "Municipality", colText, 0},
		{"Løsning", "Solution", colText, 10}, {"Trin", "Step", colText, 0}, {"Opgave", "Task", colText, 0},
		{"Før", "Before", colDate, 12}, {"Nu", "Now", colDate, 12}, {"Ansvarlig", "Responsible", colText, 0}, {"Status", "Status", colText, 12},
	}
	if w.lists != nil {
		w.tableFunc("slipped", cols, len(w.lists.slipped), w.lists.rows(w.lists.slipped, len(cols)), "")
		return
	}
	vals := make([]any, len(cols))
	levels := make([]string, len(cols))
	w.tableFunc("slipped", cols, len(fs), func(i int) row {
		return w.slippedRow(fs[i], w.task(fs[i].TaskID), vals, levels)
	}, "")
}

// slippedCols is how many columns the slipped sheet has.
const slippedCols = 10

// slippedRow is the slipped sheet's row of f (of task t), in vals and
// levels.
func (w *writer) slippedRow(f *model.Finding, t *store.PlanTask, vals []any, levels []string) row {
	what := w.l("mod baseline", "against baseline")
	if f.Kind == "slipped_week" {
		what = w.l("denne uge", "this week")
	}
	old, _ := model.ParseISODate(f.Old)
	nw, _ := model.ParseISODate(f.New)
	vals[0], vals[1], vals[2], vals[3], vals[4], vals[5] = what, f.Days, f.Municipality, f.Solution, t.Step, t.Title
	vals[6], vals[7], vals[8], vals[9] = w.dateValue(old), w.dateValue(nw), t.Responsible, w.statusWord(t.Status)
	levels[1] = f.Level
	return row{values: vals, levels: levels}
}

// quality lists every data problem with file, sheet and cell.
func (w *writer) quality() {
	cols := []column{
		{"Kommune", "Municipality", colText, 0}, {"Løsning", "Solution", colText, 10}, {"Fil", "File", colText, 40}, {"Ark", "Sheet", colText, 0},
		{"Celle", "Cell", colText, 8}, {"Alvor", "Severity", colText, 10}, {"Problem", "Problem", colText, 0}, {"Besked", "Message", colText, 70},
		{"Åbn", "Open", colText, 8},
	}
	var rows []row
	for _, p := range w.d.Plans {
		for _, is := range w.d.Issues[p.ID] {
			level := model.LevelAmber
			sev := w.l("advarsel", "warning")
			if is.Severity == model.SevError {
				level, sev = model.LevelRed, w.l("fejl", "error")
			}
			var link any
			if is.Link != "" {
				// udrul's own URL, not text from a sheet: a formula is safe.
				link = w.link(is.Link)
			}
			rows = append(rows, row{values: []any{p.Municipality, p.Solution, p.Location, is.Pos.Sheet, is.Pos.Cell, sev, model.ProblemLabel(is.Code, w.en), is.Message, link}, level: level, levelC: []int{5}})
		}
	}
	// Plans claimed by several files: not changed from any of them.
	for _, p := range w.d.Plans {
		for _, file := range p.Claimants {
			msg := w.l(fmt.Sprintf("%d filer gør krav på planen; den opdateres ikke fra nogen af dem, før kun én er tilbage (flyt eller omdøb kopierne) eller 'prefer' i konfigurationen vælger én", len(p.Claimants)),
				fmt.Sprintf("%d files claim this plan; it is not changed from any of them until only one remains (move or rename the copies) or 'prefer' in the configuration picks one", len(p.Claimants)))
			if words, ok := model.SharedFile(p.StateReason, w.en); ok {
				msg = words // one file, read by several sources
			}
			rows = append(rows, row{values: []any{p.Municipality, p.Solution, file, "", "", w.l("fejl", "error"), "conflict", msg, nil},
				level: model.LevelRed, levelC: []int{5}})
		}
	}
	if w.lists != nil {
		// The rules' rows follow the sheet problems'.
		at := w.lists.rows(w.lists.quality, len(cols))
		n := len(rows)
		w.tableFunc("quality", cols, n+len(w.lists.quality), func(i int) row {
			if i < n {
				return rows[i]
			}
			return at(i - n)
		}, "")
		return
	}
	planLoc := map[int64]string{}
	for _, p := range w.d.Plans {
		planLoc[p.ID] = p.Location
	}
	// Inconsistencies only the rules see, at the task's row.
	for i := range w.d.Findings {
		f := &w.d.Findings[i]
		if !qualityKind(f.Kind) {
			continue
		}
		rows = append(rows, w.qualityRow(f, w.d.FindingTasks[f.TaskID], planLoc[f.PlanID], make([]any, len(cols)), make([]string, len(cols))))
	}
	w.table("quality", cols, rows, "")
}

// qualityCols is how many columns the quality sheet has.
const qualityCols = 9

// qualityKind says whether findings of kind are data problems, listed on
// the quality sheet.
func qualityKind(kind string) bool {
	switch kind {
	case "done_in_future", "step_order", "after_go_live", "missing_standard":
		return true
	}
	return false
}

// qualityRow is the quality sheet's row of f, of task t (nil when none) in
// the plan's file loc, in vals and levels.
func (w *writer) qualityRow(f *model.Finding, t *store.PlanTask, loc string, vals []any, levels []string) row {
	sheet, cell := "", ""
	if t != nil {
		sheet, cell = t.Pos.Sheet, fmt.Sprintf("A%d", t.Pos.Row)
	}
	level, sev := f.Level, w.l("info", "info")
	switch level {
	case model.LevelRed:
		sev = w.l("fejl", "error")
	case model.LevelAmber:
		sev = w.l("advarsel", "warning")
	default:
		level = ""
	}
	vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7], vals[8] = f.Municipality, f.Solution, loc, sheet, cell, sev, model.KindLabel(f.Kind, w.en), f.Message, nil
	levels[5] = level
	return row{values: vals, levels: levels}
}

// changes lists what changed since the previous report.
func (w *writer) changes() {
	cols := []column{
		{"Tidspunkt", "When", colTime, 18}, {"Plan", "Plan", colText, 0}, {"Opgave", "Task", colText, 0},
		{"Ændring", "Change", colText, 14}, {"Fra", "From", colText, 0}, {"Til", "To", colText, 0},
	}
	var rows []row
	for _, c := range w.d.Changes {
		level := ""
		if c.Field == "removed" {
			level = model.LevelAmber
		}
		rows = append(rows, row{values: []any{c.At, c.Plan, c.Title, model.FieldLabel(c.Field, w.en),
			model.ChangeValueLabel(c.Field, c.Old, w.en), model.ChangeValueLabel(c.Field, c.New, w.en)}, level: level, levelC: []int{3}})
	}
	note := ""
	if !w.d.ChangesSince.IsZero() {
		note = w.l("Ændringer siden ", "Changes since ") + w.timeText(w.d.ChangesSince)
	}
	w.table("changes", cols, rows, note)
}

// taskCols are the task list's columns.
var taskCols = []column{
	{"Kommune", "Municipality", colText, 16}, {"Løsning", "Solution", colText, 10}, {"Bølge", "Wave", colText, 7}, {"Trin", "Step", colText, 16},
	{"ID", "ID", colText, 7}, {"Opgave", "Task", colText, 45}, {"Ansvarlig", "Responsible", colText, 13}, {"Udfører", "Performer", colText, 13},
	{"Startdato", "Start date", colDate, 12}, {"Slutdato", "End date", colDate, 12},
	{"Start (som skrevet)", "Start (as written)", colText, 14}, {"Slut (som skrevet)", "End (as written)", colText, 14},
	{"Status", "Status", colText, 12}, {"Status (som skrevet)", "Status (as written)", colText, 14},
	{"Ejerens vurdering", "Owner's rating", colText, 11}, {"Baseline slut", "Baseline end", colDate, 12},
	{"Skred (arbejdsdage)", "Slip (working days)", colInt, 12}, {"Forsinket (arbejdsdage)", "Overdue (working days)", colInt, 12},
	{"Ark", "Sheet", colText, 14}, {"Række", "Row", colInt, 7}, {"Fil", "File", colText, 40},
}

// taskList writes the task list's rows, a task at a time.
type taskList struct {
	w *writer
	t *tableWriter
	// plans and overdue are the plans of the tasks to come and their
	// overdue findings, by task ID.
	plans   map[int64]*store.Plan
	overdue map[int64]late
	// Values boxed once: a plan's cells for all its tasks, each status's
	// and rating's word for all tasks.
	last    *store.Plan
	planVal [4]any
	words   map[string]any
	vals    []any
	levels  []string
	// With verify set, sums fingerprints the tasks listed (see sameTasks).
	verify bool
	sums   map[int64]*TaskCounts
	h      maphash.Hash
}

type late struct {
	days  int
	level string
}

// newTaskList starts the task list's sheet; n > 0 says rows are to come
// (for the print titles; -1: not known yet, see printTitles).
func (w *writer) newTaskList(n int) *taskList {
	t := w.newTable("tasks", taskCols, n, nil, "")
	if t == nil {
		return nil
	}
	l := &taskList{w: w, t: t, plans: map[int64]*store.Plan{}, overdue: map[int64]late{}, words: map[string]any{},
		vals: make([]any, len(taskCols)), levels: make([]string, len(taskCols)), verify: w.verify, sums: map[int64]*TaskCounts{}}
	l.h.SetSeed(seed)
	return l
}

// of adds plans and their findings: the tasks to come are theirs.
func (l *taskList) of(plans []store.Plan, findings []model.Finding) {
	for i := range plans {
		l.plans[plans[i].ID] = &plans[i]
	}
	for _, f := range findings {
		if f.Kind == "overdue" {
			l.overdue[f.TaskID] = late{f.Days, f.Level}
		}
	}
}

func (l *taskList) word(s string) any {
	v, ok := l.words[s]
	if !ok {
		v = s
		l.words[s] = v
	}
	return v
}

var emptyPlan store.Plan

// add writes task's row.
func (l *taskList) add(task *store.PlanTask) error {
	w, vals := l.w, l.vals
	p := l.plans[task.PlanID]
	if p == nil {
		p = &emptyPlan
	}
	if p != l.last {
		l.last = p
		l.planVal = [4]any{p.Municipality, p.Solution, p.Wave, p.Location}
	}
	if l.verify {
		c := l.sums[task.PlanID]
		if c == nil {
			c = &TaskCounts{}
			l.sums[task.PlanID] = c
		}
		c.Tasks++
		c.Sum += fingerprint(&l.h, task)
	}
	var slip any
	if !task.BaselineEnd.IsZero() && !task.End.IsZero() && task.End != task.BaselineEnd {
		slip = w.d.Calendar.Between(task.BaselineEnd, task.End)
	}
	var lateDays any
	level := ""
	if f, ok := l.overdue[task.ID]; ok {
		lateDays, level = f.days, f.level
	}
	vals[0], vals[1], vals[2], vals[3], vals[4], vals[5] = l.planVal[0], l.planVal[1], l.planVal[2], task.Step, task.Task.Task.ID, task.Title
	vals[6], vals[7], vals[8], vals[9] = task.Responsible, task.Performer, w.dateValue(task.Start), w.dateValue(task.End)
	vals[10], vals[11] = task.StartAs.Text, task.EndAs.Text
	vals[12], vals[13], vals[14] = l.word(w.statusWord(task.Status)), task.RawStatus, l.word(w.healthWord(task.Health))
	vals[15], vals[16], vals[17], vals[18], vals[19], vals[20] = w.dateValue(task.BaselineEnd), slip, lateDays, task.Pos.Sheet, task.Pos.Row, l.planVal[3]
	l.levels[14], l.levels[17] = task.Health, level
	l.t.add(row{values: vals, levels: l.levels})
	return w.err
}

// tasks lists every task with all its fields, streamed.
func (w *writer) tasks() {
	n := 0
	for _, c := range w.d.Counts {
		n += c.Tasks
	}
	l := w.newTaskList(n)
	if l == nil {
		return
	}
	l.of(w.d.Plans, w.d.Findings)
	if err := w.eachTask(l.add); err != nil {
		w.must(fmt.Errorf("list the tasks: %w", err))
		return
	}
	if l.verify && !sameTasks(w.d.Counts, l.sums) {
		// The tasks were counted from one read and listed from another,
		// and a sync changed them in between: the sheets would disagree.
		w.must(errors.New(w.l("opgaverne ændrede sig, mens rapporten blev skrevet (en synkronisering kørte samtidig): skriv rapporten igen",
			"the tasks changed while the report was written (a sync ran at the same time): write the report again")))
		return
	}
	l.t.close()
}

// eachTask calls fn with each task in order. Tasks streamed from the
// caller are read on another goroutine, a batch ahead, so that reading them
// (a store query) and writing the rows share the machine's cores.
func (w *writer) eachTask(fn func(*store.PlanTask) error) error {
	if w.d.Tasks != nil || w.d.EachTask == nil {
		return eachSlice(w.d.Tasks)(fn)
	}
	const batch, batches = 512, 3
	full := make(chan []store.PlanTask, batches)
	free := make(chan []store.PlanTask, batches)
	for range batches {
		free <- make([]store.PlanTask, 0, batch)
	}
	stop := make(chan struct{})
	read := make(chan error, 1)
	go func() {
		defer close(full)
		b := <-free
		err := w.d.tasks()(func(t *store.PlanTask) error {
			b = append(b, *t)
			if len(b) < batch {
				return nil
			}
			select {
			case full <- b:
			case <-stop:
				return errStopped
			}
			select {
			case b = <-free:
			case <-stop:
				return errStopped
			}
			b = b[:0]
			return nil
		})
		if err == nil && len(b) > 0 {
			full <- b
		}
		read <- err
	}()
	var err error
	for b := range full {
		for i := range b {
			if err = fn(&b[i]); err != nil {
				break
			}
		}
		free <- b
		if err != nil {
			close(stop)
			for b := range full { // let the reader end
				free <- b
			}
			break
		}
	}
	if rerr := <-read; err == nil && !errors.Is(rerr, errStopped) {
		err = rerr
	}
	return err
}

// errStopped ends the reading of tasks nobody takes any more.
var errStopped = errors.New("stopped")

// sameTasks reports whether the tasks listed (got) are the tasks counted.
func sameTasks(counted, got map[int64]*TaskCounts) bool {
	for id, c := range counted {
		if c.Tasks == 0 {
			continue
		}
		g := got[id]
		if g == nil || g.Tasks != c.Tasks || g.Sum != c.Sum {
			return false
		}
	}
	for id, g := range got {
		if c := counted[id]; c == nil || c.Tasks != g.Tasks {
			return false
		}
	}
	return true
}

// sources lists every source and every plan that is not ok.
func (w *writer) sources() {
	cols := []column{
		{"Kilde", "Source", colText, 0}, {"Type", "Kind", colText, 8}, {"Placering", "Location", colText, 40}, {"Tilstand", "State", colText, 15},
		{"Sidst synkroniseret", "Last sync", colTime, 17}, {"Sidst med succes", "Last success", colTime, 17}, {"Fejl", "Error", colText, 60},
	}
	var rows []row
	for _, s := range w.d.Sources {
		level := model.LevelGreen
		if s.State == "failing" {
			level = model.LevelRed
		}
		rows = append(rows, row{values: []any{s.Name, s.Kind, s.Location, model.StateLabel(s.State, w.en), s.LastSyncAt, s.LastOKAt, s.LastError}, level: level, levelC: []int{3}})
	}
	for _, p := range w.d.Plans {
		if p.State == store.PlanOK {
			continue
		}
		level := model.LevelRed
		if p.State == store.PlanGone {
			level = model.LevelAmber
		}
		reason := p.StateReason
		if p.State == store.PlanHeld {
			reason = model.HeldReason(reason, w.en)
		}
		rows = append(rows, row{values: []any{"plan " + p.Key(), "plan", p.Location, model.StateLabel(p.State, w.en), p.LastSyncAt, p.LastOKAt, reason},
			level: level, levelC: []int{3}})
	}
	w.table("sources", cols, rows, "")
}
