package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/benchmem"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/xuri/excelize/v2"
)

// BenchmarkWrite_120k writes the full report for 120,000 tasks.
func BenchmarkWrite_120k(b *testing.B) {
	data := sample(120_000, false)
	b.ReportAllocs()
	cpu(b, func() {
		benchmem.Peak(b, func() {
			for b.Loop() {
				if err := Write(io.Discard, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkStreamWriter_120k is the baseline: the cells of every sheet of
// the report for the same 120,000 tasks written with a bare excelize
// StreamWriter (see bareWorkbook; TestBareWorkbook checks that it writes as
// many cells to each sheet as the report).
func BenchmarkStreamWriter_120k(b *testing.B) {
	data := sample(120_000, false)
	bw := newBare(data)
	b.ReportAllocs()
	cpu(b, func() {
		benchmem.Peak(b, func() {
			for b.Loop() {
				if err := bw.write(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkWrite_120k_streamed is BenchmarkWrite_120k with the tasks
// handed over as an iterator that makes them one at a time (see streamed).
func BenchmarkWrite_120k_streamed(b *testing.B) {
	data := streamed(120_000)
	b.ReportAllocs()
	cpu(b, func() {
		benchmem.Peak(b, func() {
			for b.Loop() {
				if err := Write(io.Discard, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkWrite_scale writes the report for 1.2 million tasks (ten times
// the country) handed over as an iterator that makes them one at a time,
// as a store query does: the peak heap is the report's, not the tasks'.
// Only with UDRUL_BENCH_SCALE=1 (it takes minutes).
func BenchmarkWrite_scale(b *testing.B) {
	if os.Getenv("UDRUL_BENCH_SCALE") == "" {
		b.Skip("set UDRUL_BENCH_SCALE=1 to write the report for 1.2 million tasks")
	}
	const n = 1_200_000
	data := streamed(n)
	b.ReportAllocs()
	cpu(b, func() {
		benchmem.Peak(b, func() {
			for b.Loop() {
				if err := Write(io.Discard, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// streamed is sample(n) with the tasks made one at a time by EachTask (the
// same tasks, in the same order) and only the findings held.
func streamed(n int) *Data {
	data := sample(0, false)
	plans := data.Plans
	statuses := []model.Status{model.Done, model.InProgress, model.NotStarted}
	make1 := func(i int, t *store.PlanTask) {
		p := &plans[i%3]
		*t = store.PlanTask{Plan: p, Task: store.Task{ID: int64(i + 1), PlanID: p.ID, Task: model.Task{
			Pos: model.Pos{Sheet: "Plan", Row: i + 2}, Step: "Trin 1", ID: "1." + strconv.Itoa(i), Title: "Opgave " + strconv.Itoa(i),
			Responsible: "Kommune", Performer: "Leverandør", Start: d("2026-10-01"), End: d("2026-11-02").AddDays(i % 40), Status: statuses[i%3]}}}
		t.BaselineEnd = d("2026-11-02")
	}
	var t store.PlanTask
	for i := range n {
		make1(i, &t)
		if t.Status != model.Done && t.End.Before(data.AsOf) {
			days := data.Calendar.Between(t.End, data.AsOf)
			level := model.LevelAmber
			if days > 10 {
				level = model.LevelRed
			}
			data.Findings = append(data.Findings, model.Finding{Kind: "overdue", Level: level, PlanID: t.PlanID, TaskID: t.ID, Municipality: t.Plan.Municipality,
				Solution: t.Plan.Solution, Wave: t.Plan.Wave, Days: days, FirstSeen: d("2026-11-20")})
		}
	}
	data.Tasks = nil
	data.EachTask = func(_ []store.Plan, fn func(*store.PlanTask) error) error {
		var t store.PlanTask
		for i := range n {
			make1(i, &t)
			if err := fn(&t); err != nil {
				return err
			}
		}
		return nil
	}
	return data
}

// cpu reports the process's CPU time (user and system, all threads: the
// garbage collector's too) per operation, which several programs sharing
// the machine's cores do not inflate as they do the wall time.
func cpu(b *testing.B, fn func()) {
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	fn()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	used := time.Duration(after.Utime.Nano() - before.Utime.Nano() + after.Stime.Nano() - before.Stime.Nano())
	b.ReportMetric(float64(used.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// bare writes the cells of the report's sheets with a bare StreamWriter:
// for each sheet the same rows and columns (header, note and "(none)"
// rows included) with the values read straight from the data (dates as
// times, one style per column kind); on the overview the same cells with
// stand-in values. It writes no charts, widths, panes, tables, print setup
// or properties, and computes nothing: the figures of the overview and the
// lookups of the findings' tasks are made once, before the benchmark's
// loop.
type bare struct {
	d        *Data
	task     map[int64]*store.PlanTask
	plan     map[int64]*store.Plan
	overdue  map[int64]model.Finding
	munis    []string
	waveKeys [][2]string
	sols     []string
	waves    []string
	weekCell []int // cells of each of the progress chart's rows
}

func newBare(d *Data) *bare {
	bw := &bare{d: d, task: map[int64]*store.PlanTask{}, plan: map[int64]*store.Plan{}, overdue: map[int64]model.Finding{}}
	for i := range d.Plans {
		p := &d.Plans[i]
		bw.plan[p.ID] = p
		if !slices.Contains(bw.munis, p.Municipality) {
			bw.munis = append(bw.munis, p.Municipality)
		}
		if !slices.Contains(bw.sols, p.Solution) {
			bw.sols = append(bw.sols, p.Solution)
		}
		if !slices.Contains(bw.waves, p.Wave) {
			bw.waves = append(bw.waves, p.Wave)
		}
		if k := [2]string{p.Solution, p.Wave}; !slices.Contains(bw.waveKeys, k) {
			bw.waveKeys = append(bw.waveKeys, k)
		}
	}
	want := d.findingTaskIDs()
	for i := range d.Tasks {
		if want[d.Tasks[i].ID] {
			bw.task[d.Tasks[i].ID] = &d.Tasks[i]
		}
	}
	for _, f := range d.Findings {
		if f.Kind == "overdue" {
			bw.overdue[f.TaskID] = f
		}
	}
	actual := map[string]bool{}
	for _, s := range append(slices.Clone(d.History), Snapshot{AsOf: d.AsOf}) {
		y, wk := s.AsOf.Time().ISOWeek()
		actual[fmt.Sprintf("%d-W%02d", y, wk)] = true
	}
	for _, end := range weekEnds(d.AsOf) {
		y, wk := end.Time().ISOWeek()
		n := 1
		if len(d.Tasks) > 0 {
			n++
		}
		if actual[fmt.Sprintf("%d-W%02d", y, wk)] {
			n += 2
		}
		bw.weekCell = append(bw.weekCell, n)
	}
	return bw
}

func (bw *bare) findings(kinds ...string) []model.Finding {
	var out []model.Finding
	for _, f := range bw.d.Findings {
		if slices.Contains(kinds, f.Kind) {
			out = append(out, f)
		}
	}
	return out
}

func (bw *bare) taskOf(id int64) *store.PlanTask {
	if t := bw.task[id]; t != nil {
		return t
	}
	return &store.PlanTask{Plan: &store.Plan{}}
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func (bw *bare) planOf(m, sol string) *store.Plan {
	for _, p := range bw.plan {
		if p.Municipality == m && p.Solution == sol {
			return p
		}
	}
	return nil
}

func timeOf(d model.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

// write writes the workbook to out.
func (bw *bare) write(out io.Writer) error {
	d := bw.d
	f := excelize.NewFile()
	defer f.Close()
	styles := map[byte]int{}
	for k, s := range map[byte]*excelize.Style{'t': {NumFmt: 49}, 'i': {NumFmt: 1}, 'd': {NumFmt: 14}, 'p': {NumFmt: 9}} {
		id, err := f.NewStyle(s)
		if err != nil {
			return err
		}
		styles[k] = id
	}
	names := SheetNames(d.English)
	var err error
	// sheet streams one sheet: an optional note, a header of the kinds'
	// length, and n rows made by row; "(none)" when there are none.
	sheet := func(i int, note bool, kinds string, n int, row func(r int, vals []any)) {
		if err != nil {
			return
		}
		name := names[i]
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return
		}
		sw, e := f.NewStreamWriter(name)
		if e != nil {
			err = e
			return
		}
		first := 1
		if note {
			first = 3
			if err = sw.SetRow("A1", []any{"note"}); err != nil {
				return
			}
		}
		vals := make([]any, len(kinds))
		cells := make([]excelize.Cell, len(kinds))
		for j := range vals {
			vals[j] = "header"
		}
		if err = sw.SetRow("A"+strconv.Itoa(first), vals); err != nil {
			return
		}
		for r := range n {
			row(r, vals)
			for j := range vals {
				if vals[j] == nil || vals[j] == "" {
					vals[j] = nil // as the report: no empty cells without a colour
					continue
				}
				cells[j] = excelize.Cell{StyleID: styles[kinds[j]], Value: vals[j]}
				vals[j] = &cells[j]
			}
			if err = sw.SetRow("A"+strconv.Itoa(first+1+r), vals); err != nil {
				return
			}
		}
		if n == 0 {
			if err = sw.SetRow("A"+strconv.Itoa(first+1), []any{"(none)"}); err != nil {
				return
			}
		}
		err = sw.Flush()
	}
	bw.overview(f, names[0], &err)
	// matrix
	kinds := "tt" + strings.Repeat("pitt", len(bw.sols))
	sheet(1, false, kinds, len(bw.munis), func(r int, vals []any) {
		vals[0], vals[1] = bw.munis[r], nil
		if d.MunicipalStatus[bw.munis[r]] != "" {
			vals[1] = "Rød"
		}
		for j := 2; j < len(vals); j += 4 {
			vals[j], vals[j+1], vals[j+2], vals[j+3] = nil, nil, nil, nil
			p := bw.planOf(bw.munis[r], bw.sols[(j-2)/4])
			if p == nil {
				continue
			}
			if d.PlanStatus[p.ID] != "" {
				vals[j], vals[j+1] = 0.5, 3
			}
			if p.Health != "" {
				vals[j+2] = "Grøn"
			}
			if fc := d.Forecasts[p.ID]; fc != nil {
				vals[j+3] = fc.Slack
			}
		}
	})
	sheet(2, false, "ttdiiippitt", len(bw.waveKeys), func(r int, vals []any) {
		k := bw.waveKeys[r]
		vals[0], vals[1], vals[2], vals[3], vals[4], vals[5] = k[0], k[1], nil, nil, 1, 100
		vals[6], vals[7], vals[8], vals[9], vals[10] = 0.5, 0.4, 12, "Rød", ""
		for _, wv := range d.Waves {
			if wv.Solution == k[0] && wv.Wave == k[1] {
				vals[2], vals[3], vals[10] = timeOf(wv.GoLive), 10, "milestones"
			}
		}
	})
	var forecast []int64
	for _, p := range d.Plans {
		if d.Forecasts[p.ID] != nil {
			forecast = append(forecast, p.ID)
		}
	}
	fkinds := "tttddiitt"
	if d.PublicURL != "" {
		fkinds += "t"
	}
	sheet(3, len(forecast) == 0, fkinds, len(forecast), func(r int, vals []any) {
		p, fc := bw.plan[forecast[r]], d.Forecasts[forecast[r]]
		vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7], vals[8] = p.Municipality, p.Solution, p.Wave, fc.GoLive.Time(), fc.Ready.Time(), fc.Slack, nil, "Grøn", ""
	})
	overdue := bw.findings("overdue")
	sheet(4, false, "ittttttttdtttd", len(overdue), func(r int, vals []any) {
		f := &overdue[r]
		t := bw.taskOf(f.TaskID)
		vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6] = f.Days, f.Municipality, f.Solution, f.Wave, t.Step, t.Task.Task.ID, t.Title
		vals[7], vals[8], vals[9], vals[10], vals[11] = t.Responsible, t.Performer, timeOf(t.End), t.EndAs.Text, string(t.Status)
		vals[12], vals[13] = t.Health, timeOf(f.FirstSeen)
	})
	slipped := bw.findings("slipped", "slipped_week")
	sheet(5, false, "titttddttt", len(slipped), func(r int, vals []any) {
		f := &slipped[r]
		t := bw.taskOf(f.TaskID)
		vals[0], vals[1], vals[2], vals[3], vals[4], vals[5] = f.Kind, f.Days, f.Municipality, f.Solution, t.Step, t.Title
		vals[6], vals[7], vals[8], vals[9] = f.Old, f.New, t.Responsible, string(t.Status)
	})
	type problem struct {
		p  *store.Plan
		is model.Issue
	}
	var problems []problem
	for i := range d.Plans {
		for _, is := range d.Issues[d.Plans[i].ID] {
			problems = append(problems, problem{&d.Plans[i], is})
		}
		for range d.Plans[i].Claimants {
			problems = append(problems, problem{p: &d.Plans[i]})
		}
	}
	rules := bw.findings("done_in_future", "step_order", "after_go_live", "missing_standard")
	sheet(6, false, "ttttttttt", len(problems)+len(rules), func(r int, vals []any) {
		if r < len(problems) {
			pr := problems[r]
			vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7], vals[8] = pr.p.Municipality, pr.p.Solution, pr.p.Location, pr.is.Pos.Sheet, pr.is.Pos.Cell,
				string(pr.is.Severity), pr.is.Code, pr.is.Message, nil
			if pr.is.Link != "" {
				vals[8] = "open"
			}
			return
		}
		f := &rules[r-len(problems)]
		vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7], vals[8] = f.Municipality, f.Solution, "", "", "", f.Level, f.Kind, f.Message, nil
	})
	sheet(7, !d.ChangesSince.IsZero(), "dttttt", len(d.Changes), func(r int, vals []any) {
		c := &d.Changes[r]
		vals[0], vals[1], vals[2], vals[3], vals[4], vals[5] = c.At, c.Plan, c.Title, c.Field, c.Old, c.New
	})
	sheet(8, false, "ttttttttddtttttdiitit", len(d.Tasks), func(r int, vals []any) {
		t := &d.Tasks[r]
		p := bw.plan[t.PlanID]
		var late any
		if f, ok := bw.overdue[t.ID]; ok {
			late = f.Days
		}
		vals[0], vals[1], vals[2], vals[3], vals[4], vals[5] = p.Municipality, p.Solution, p.Wave, t.Step, t.Task.Task.ID, t.Title
		vals[6], vals[7], vals[8], vals[9], vals[10], vals[11] = t.Responsible, t.Performer, timeOf(t.Start), timeOf(t.End), t.StartAs.Text, t.EndAs.Text
		vals[12], vals[13], vals[14] = string(t.Status), t.RawStatus, t.Health
		var slip any
		if !t.BaselineEnd.IsZero() && !t.End.IsZero() && t.End != t.BaselineEnd {
			slip = 1
		}
		vals[15], vals[16], vals[17], vals[18], vals[19], vals[20] = timeOf(t.BaselineEnd), slip, late, t.Pos.Sheet, t.Pos.Row, p.Location
	})
	var sources []int
	for i, p := range d.Plans {
		if p.State != store.PlanOK {
			sources = append(sources, i)
		}
	}
	sheet(9, false, "ttttddt", len(d.Sources)+len(sources), func(r int, vals []any) {
		if r < len(d.Sources) {
			s := &d.Sources[r]
			vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6] = s.Name, s.Kind, s.Location, s.State, timeOrNil(s.LastSyncAt), timeOrNil(s.LastOKAt), s.LastError
			return
		}
		p := &d.Plans[sources[r-len(d.Sources)]]
		vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6] = p.Municipality, "plan", p.Location, p.State, timeOrNil(p.LastSyncAt), timeOrNil(p.LastOKAt), p.StateReason
	})
	if err != nil {
		return err
	}
	return f.Write(out)
}

// overview streams the overview's cells: the key figures and the charts'
// data, with stand-in values.
func (bw *bare) overview(f *excelize.File, name string, errp *error) {
	if *errp != nil {
		return
	}
	if *errp = f.SetSheetName("Sheet1", name); *errp != nil {
		return
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		*errp = err
		return
	}
	cells := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	set := func(r int, vals []any) {
		if err == nil {
			err = sw.SetRow("A"+strconv.Itoa(r), vals)
		}
	}
	set(1, cells(1))
	set(3, cells(4))
	figures := 3
	if slices.ContainsFunc(bw.d.History, func(s Snapshot) bool { return !s.AsOf.After(bw.d.AsOf.AddDays(-7)) }) {
		figures = 4
	}
	for r := 4; r < 12; r++ {
		set(r, cells(figures))
	}
	set(13, cells(1))
	top := 38
	set(top+1, cells(1))
	set(top+2, cells(1+len(bw.sols)))
	for i := range bw.waves {
		set(top+3+i, cells(1+len(bw.sols)))
	}
	base := 6 + len(bw.waves)
	set(top+base-1, cells(1))
	set(top+base, cells(7))
	for i := range bw.sols {
		set(top+base+1+i, cells(7))
	}
	base2 := base + len(bw.sols) + 3
	set(top+base2-1, cells(1))
	set(top+base2, cells(4))
	for k, n := range bw.weekCell {
		set(top+base2+1+k, cells(n))
	}
	if err == nil {
		err = sw.Flush()
	}
	*errp = err
}

// TestBareWorkbook checks that the baseline of BenchmarkStreamWriter_120k
// writes as many cells to each sheet as the report does.
func TestBareWorkbook(t *testing.T) {
	for _, english := range []bool{false, true} {
		t.Run(fmt.Sprint("english=", english), func(t *testing.T) {
			data := sample(500, english)
			var report, baseline bytes.Buffer
			if err := Write(&report, data); err != nil {
				t.Fatal(err)
			}
			if err := newBare(data).write(&baseline); err != nil {
				t.Fatal(err)
			}
			got, want := cellCounts(t, baseline.Bytes()), cellCounts(t, report.Bytes())
			if len(want) != len(SheetNames(english)) {
				t.Fatalf("the report has %d sheets, want %d", len(want), len(SheetNames(english)))
			}
			total := 0
			for i, n := range want {
				total += n
				if got[i] != n {
					t.Errorf("sheet %d (%s): the baseline writes %d cells, the report %d", i+1, SheetNames(english)[i], got[i], n)
				}
			}
			if total < 500*21 {
				t.Errorf("the report has %d cells, want at least the task list's %d", total, 500*21)
			}
		})
	}
}

// cellCounts counts the cells of each worksheet of an xlsx, by sheet
// number.
func cellCounts(t *testing.T, xlsx []byte) []int {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for i := 1; ; i++ {
		rc, err := zr.Open(fmt.Sprintf("xl/worksheets/sheet%d.xml", i))
		if err != nil {
			return out
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, bytes.Count(b, []byte("<c r=")))
	}
}

// BenchmarkBegin_scale writes the report for the 1.2 million tasks of
// BenchmarkWrite_scale as `udrul report` does (Begin): handed over a group
// of 1,200 tasks (a municipality) at a time with the group's findings,
// counted by a Summarizer that keeps no findings, and let go once written.
// The peak heap is what the report holds. Only with UDRUL_BENCH_SCALE=1.
func BenchmarkBegin_scale(b *testing.B) {
	if os.Getenv("UDRUL_BENCH_SCALE") == "" {
		b.Skip("set UDRUL_BENCH_SCALE=1 to write the report for 1.2 million tasks")
	}
	benchBegin(b, 1_200_000)
}

// BenchmarkBegin_120k is BenchmarkBegin_scale for 120,000 tasks.
func BenchmarkBegin_120k(b *testing.B) { benchBegin(b, 120_000) }

func benchBegin(b *testing.B, n int) {
	base := sample(0, false)
	plans := base.Plans
	statuses := []model.Status{model.Done, model.InProgress, model.NotStarted}
	dir := b.TempDir()
	b.ReportAllocs()
	cpu(b, func() {
		benchmem.Peak(b, func() {
			for b.Loop() {
				r, err := Begin(dir, "report.xlsx", base)
				if err != nil {
					b.Fatal(err)
				}
				sum := NewSummarizer(base.AsOf, false)
				const group = 1200
				for from := 0; from < n; from += group {
					tasks := make([]store.PlanTask, 0, group)
					var findings []model.Finding
					for i := from; i < min(from+group, n); i++ {
						p := &plans[i%3]
						t := store.PlanTask{Plan: p, Task: store.Task{ID: int64(i + 1), PlanID: p.ID, Task: model.Task{
							Pos: model.Pos{Sheet: "Plan", Row: i + 2}, Step: "Trin 1", ID: "1." + strconv.Itoa(i), Title: "Opgave " + strconv.Itoa(i),
							Responsible: "Kommune", Performer: "Leverandør", Start: d("2026-10-01"), End: d("2026-11-02").AddDays(i % 40), Status: statuses[i%3]}}}
						t.BaselineEnd = d("2026-11-02")
						tasks = append(tasks, t)
						if t.Status != model.Done && t.End.Before(base.AsOf) {
							days := base.Calendar.Between(t.End, base.AsOf)
							level := model.LevelAmber
							if days > 10 {
								level = model.LevelRed
							}
							findings = append(findings, model.Finding{Kind: "overdue", Level: level, PlanID: t.PlanID, TaskID: t.ID, Municipality: p.Municipality,
								Solution: p.Solution, Wave: p.Wave, Days: days, FirstSeen: d("2026-11-20")})
						}
					}
					sum.Add(findings, tasks)
					if err := r.Add(plans, tasks, findings); err != nil {
						b.Fatal(err)
					}
				}
				d := *base
				sum.Finish(&d)
				if _, err := r.Finish(&d); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
