// Package plangen generates realistic municipality plan files, in every
// layout udrul reads, together with the truth a correct parser extracts from
// them. It feeds the tests, the examples, the demo and the benchmarks.
package plangen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/templates"
)

// Layout is a way municipalities lay out their plan.
type Layout string

// The layouts seen in real plans.
const (
	// Blocks: a title, key/value lines, then one table per step, each under
	// a "Navn: Trin 0a" line; date cells formatted dd-mm-yyyy.
	Blocks Layout = "blocks"
	// TabPerStep: an instructions sheet, then one sheet per step named
	// "Trin 0a", ...; built-in date format; a hidden sheet with an old copy.
	TabPerStep Layout = "tab-per-step"
	// SectionRows: a merged title line, the header, then merged section rows
	// ("Trin 1 - Forberedelse") between tasks, blank rows inside, columns in
	// an odd order with remarks, footers below; dates as d. mmm yyyy.
	SectionRows Layout = "section-rows"
	// TextDates: "Kommune: X" lines, headers with no-break spaces and line
	// breaks, a step column, dates as text in every Danish spelling,
	// parties in any spelling, untidy white space in titles.
	TextDates Layout = "text-dates"
	// StepColumn: header on row 1 with a step column, a duration column and
	// end dates as formulas (start + duration) with cached values.
	StepColumn Layout = "step-column"
	// English: English column names, a "Phase" column, bare serial numbers
	// in the date columns and progress as percentage cells.
	English Layout = "english"
	// CSVDanish: what Danish Excel saves as CSV: semicolons, Windows-1252.
	CSVDanish Layout = "csv-cp1252"
	// CSVUTF8: UTF-8 with a byte order mark, commas, quoted fields holding
	// commas and line breaks.
	CSVUTF8 Layout = "csv-utf8"
	// UnicodeText: Excel's "Unicode text": UTF-16 with a BOM, tabs.
	UnicodeText Layout = "utf16-txt"
)

// Layouts lists every layout.
var Layouts = []Layout{Blocks, TabPerStep, SectionRows, TextDates, StepColumn, English, CSVDanish, CSVUTF8, UnicodeText, WeekDates, GanttMarks, GanttFill}

// StdTask is a task of the standard plan.
type StdTask struct {
	Step        string
	Title       string
	Responsible string
	Performer   string
	Offset, Len int // days after the plan's start, and duration in days
}

// Steps are the standard steps with their names, from the standard plan in
// templates/.
var Steps []struct{ Label, Name string }

// Standard is the standard task list of templates/, with its timing turned
// into calendar days from the plan's first day (go-live is day 154).
var Standard []StdTask

func init() {
	set, err := templates.Load("")
	if err != nil {
		panic(err) // the embedded standard plan is part of the binary
	}
	std, _ := set.For("*")
	const goLive = 154
	for _, st := range std.Steps {
		Steps = append(Steps, struct{ Label, Name string }{st.Label, st.Name})
		for _, t := range st.Tasks {
			Standard = append(Standard, StdTask{st.Label, t.Title, t.Responsible, t.Performer,
				max(goLive+int(math.Round(float64(t.Offset)*7/5)), 0), max(int(math.Round(float64(t.Duration)*7/5)), 1)})
		}
	}
}

// ExpectedIssue is a problem the generator put in a plan on purpose.
type ExpectedIssue struct {
	Sheet, Cell, Code string
}

// Plan is a generated plan: what to write and what a parser must find.
type Plan struct {
	Municipality string
	Solution     string
	Wave         int
	Layout       Layout
	// Tasks are the truth: the tasks in sheet order, in canonical form.
	// Their Pos holds the sheet and row they are written to.
	Tasks []model.Task
	// Issues are the errors and warnings put in on purpose (bad dates,
	// start after end, missing responsible, unknown status, a row without
	// title, a duplicate ID).
	Issues []ExpectedIssue
	// Defects adds the rarer problems (an unreadable date, a row with dates
	// but no title, a duplicated ID) besides the common ones.
	Defects bool

	rng *rand.Rand
	// raw holds, per task, how it is written where that differs from the
	// canonical value (status words, dates as text, party spellings).
	raw []rawTask
	// noTitleRow is a row with dates but no title, written after task index
	// noTitleAfter when Defects is set.
	noTitleAfter int
	badDate      int // task whose end date is written unreadable, or -1
	dupID        int // task whose ID repeats an earlier one's, or -1
	perStep      map[string]int
	ranges       map[int]bool // tasks whose dates are one week range in the start cell
	deps         bool         // the plan has a dependency column
}

type rawTask struct {
	status    string  // the status as written
	statusNum float64 // a percentage cell's value, when numeric
	numeric   bool
	startText string // a date written as text, or ""
	endText   string
	resp      string // the party as written
	perf      string
	title     string
	notes     string
	health    string // the owner's traffic light
}

// Spec says what plan to generate.
type Spec struct {
	Seed         uint64
	Layout       Layout
	Municipality string
	Solution     string
	Wave         int
	Start        model.Date // the plan's first day; zero: from the wave
	Defects      bool       // add the rarer problems
	// Tasks, when above the standard plan's size, repeats the standard
	// tasks (numbered) until the plan has this many: for benchmarks.
	Tasks int
	// Dependencies adds the plan's own dependency column ("Forudgående"):
	// each task with an ID follows the task with an ID before it in its
	// step, by that ID.
	Dependencies bool
}

var statusDone = []string{"Færdig", "Afsluttet", "Udført", "100%", "Gennemført"}
var statusProgress = []string{"I gang", "Igang", "Påbegyndt", "50%", "Startet"}
var statusNot = []string{"Ikke startet", "Ikke påbegyndt", "", "0%", "Planlagt"}

// Generate returns the plan described by spec, with its truth.
func Generate(spec Spec) *Plan {
	rng := rand.New(rand.NewPCG(spec.Seed, uint64(len(spec.Municipality))*7919+uint64(spec.Wave)))
	p := &Plan{Municipality: spec.Municipality, Solution: spec.Solution, Wave: spec.Wave, Layout: spec.Layout,
		Defects: spec.Defects, rng: rng, noTitleAfter: -1, badDate: -1, dupID: -1, perStep: map[string]int{}}
	start := spec.Start
	if start.IsZero() {
		start = model.NewDate(2026, time.March, 2).AddDays(70*(spec.Wave-1) + rng.IntN(10))
	}
	// "Today" for the generated statuses: a third of the way through.
	today := start.AddDays(70 + rng.IntN(20))
	n := max(spec.Tasks, 0)
	std := Standard
	if n == 0 {
		// Each municipality has adapted the standard plan: a few tasks
		// dropped, never a step emptied.
		for _, t := range Standard {
			if rng.IntN(10) == 0 && t.Step != "Trin 4" {
				continue
			}
			p.addTask(t, start, today, "")
		}
	} else {
		for i := 0; len(p.Tasks) < n; i++ {
			t := std[i%len(std)]
			p.addTask(t, start, today, fmt.Sprintf(" (%d)", i/len(std)+1))
		}
	}
	p.injectDefects()
	p.prepare()
	if spec.Dependencies {
		p.addDependencies()
	}
	return p
}

// addDependencies makes each task with an ID follow the task with an ID
// before it in the same step. IDs used twice are left out.
func (p *Plan) addDependencies() {
	p.deps = true
	count := map[string]int{}
	for _, t := range p.Tasks {
		count[t.ID]++
	}
	prev := map[string]string{} // step → the last unique ID in it
	for i := range p.Tasks {
		t := &p.Tasks[i]
		if t.ID == "" || count[t.ID] > 1 {
			continue
		}
		if id, ok := prev[t.Step]; ok {
			t.After = []string{id}
		}
		prev[t.Step] = t.ID
	}
}

func (p *Plan) addTask(st StdTask, start, today model.Date, suffix string) {
	rng := p.rng
	s := start.AddDays(st.Offset + rng.IntN(5))
	e := s.AddDays(st.Len + rng.IntN(4))
	t := model.Task{Step: st.Step, Title: st.Title + suffix, Responsible: st.Responsible, Performer: st.Performer, Start: s, End: e}
	r := rawTask{resp: st.Responsible, perf: st.Performer, title: t.Title}
	if rng.IntN(4) == 0 {
		r.notes = "Aftalt på styregruppemøde, se referat"
	}
	switch {
	case e.Before(today) || (s.Before(today) && rng.IntN(3) == 0):
		r.status = statusDone[rng.IntN(len(statusDone))]
		t.Status = model.Done
	case s.Before(today):
		r.status = statusProgress[rng.IntN(len(statusProgress))]
		t.Status = model.InProgress
	default:
		r.status = statusNot[rng.IntN(len(statusNot))]
		t.Status = model.NotStarted
	}
	t.RawStatus = r.status
	// About two thirds of the tasks carry the plan's own ID.
	if rng.IntN(3) != 0 {
		t.ID = fmt.Sprintf("%s.%d", strings.TrimPrefix(st.Step, "Trin "), p.perStep[st.Step]+1)
		if suffix != "" {
			t.ID = fmt.Sprintf("%s.%d", strings.TrimPrefix(st.Step, "Trin "), len(p.Tasks)+1)
		}
	}
	p.perStep[st.Step]++
	p.Tasks = append(p.Tasks, t)
	p.raw = append(p.raw, r)
}

// injectDefects puts in the problems every real sheet has: a start after an
// end, a missing responsible party, a status nobody can map.
func (p *Plan) injectDefects() {
	rng := p.rng
	n := len(p.Tasks)
	if n < 6 {
		return
	}
	i := rng.IntN(n)
	t := &p.Tasks[i]
	t.Start, t.End = t.End.AddDays(rng.IntN(20)+3), t.Start // start after end
	j := (i + 1 + rng.IntN(n-1)) % n
	p.Tasks[j].Responsible = ""
	p.raw[j].resp = ""
	k := (j + 1 + rng.IntN(n-2)) % n
	if k == i {
		k = (k + 1) % n
	}
	p.Tasks[k].Status, p.Tasks[k].RawStatus = model.Unknown, "Afventer afklaring"
	p.raw[k].status = "Afventer afklaring"
	if p.Defects {
		p.noTitleAfter = rng.IntN(n - 1)
	}
}

// FileName is the plan's file name, in the style its layout's users use.
func (p *Plan) FileName() string {
	switch p.Layout {
	case Blocks:
		return fmt.Sprintf("%s_%s_implementeringsplan.xlsx", p.Solution, p.Municipality)
	case TabPerStep:
		return fmt.Sprintf("Implementeringsplan %s %s.xlsx", p.Municipality, p.Solution)
	case SectionRows:
		return fmt.Sprintf("%s - %s plan.xlsx", p.Municipality, p.Solution)
	case TextDates:
		return fmt.Sprintf("%s %s.xlsx", p.Solution, p.Municipality)
	case StepColumn:
		return fmt.Sprintf("%s_%s_plan.xlsm", p.Municipality, p.Solution)
	case English:
		return fmt.Sprintf("%s %s rollout plan.xlsx", p.Municipality, p.Solution)
	case CSVDanish:
		return fmt.Sprintf("%s_%s.csv", p.Solution, p.Municipality)
	case CSVUTF8:
		return fmt.Sprintf("%s_%s_export.csv", p.Solution, p.Municipality)
	case UnicodeText:
		return fmt.Sprintf("%s_%s.txt", p.Solution, p.Municipality)
	case WeekDates:
		return fmt.Sprintf("%s %s tidsplan.xlsx", p.Municipality, p.Solution)
	case GanttMarks:
		return fmt.Sprintf("%s_%s_gantt.xlsx", p.Solution, p.Municipality)
	case GanttFill:
		return fmt.Sprintf("Gantt %s %s.xlsx", p.Solution, p.Municipality)
	}
	return fmt.Sprintf("%s_%s.xlsx", p.Solution, p.Municipality)
}

// Slip moves task i's end date days later, as a municipality does when a
// deadline slips.
func (p *Plan) Slip(i, days int) {
	t := &p.Tasks[i]
	t.End = t.End.AddDays(days)
	if p.raw[i].endText != "" {
		p.raw[i].endText = fmt.Sprintf("%02d-%02d-%d", t.End.Day, t.End.Month, t.End.Year)
	}
}

// Rename changes task i's title.
func (p *Plan) Rename(i int, title string) {
	p.Tasks[i].Title = title
	p.raw[i].title = title
}

// Remove deletes task i from the plan.
func (p *Plan) Remove(i int) {
	p.Tasks = append(p.Tasks[:i:i], p.Tasks[i+1:]...)
	p.raw = append(p.raw[:i:i], p.raw[i+1:]...)
	for _, idx := range []*int{&p.noTitleAfter, &p.badDate, &p.dupID} {
		switch {
		case *idx == i:
			*idx = -1
		case *idx > i:
			*idx--
		}
	}
}

// Clear deletes every task, leaving the headers: a sheet emptied by mistake.
func (p *Plan) Clear() {
	p.Tasks, p.raw = nil, nil
	p.noTitleAfter, p.badDate, p.dupID = -1, -1, -1
}
