package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/forecast"
	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/store"
)

// ReportData gathers what a report shows for asOf, the tasks included.
func (e *Env) ReportData(ctx context.Context, asOf model.Date) (*reports.Data, error) {
	return e.reportData(ctx, asOf, false, nil, true)
}

// reportBase is what a report shows for asOf from the configuration.
func (e *Env) reportBase(asOf model.Date) *reports.Data {
	return &reports.Data{AsOf: asOf, English: e.Cfg.Language == "en", Issues: map[int64][]model.Issue{}, Calendar: e.Rules().Calendar,
		RedOverdueDays: e.Cfg.Rules.RedOverdueDays, Location: e.Cfg.Location(), PublicURL: e.Cfg.HTTP.PublicURL}
}

// reportData gathers what a report shows for asOf. With stream set, the
// data holds only the tasks' figures and the findings' tasks (see
// reports.Data.Summarize), and EachTask reads the task list again from the
// store: the evaluated tasks are let go a municipality at a time, so the
// report's memory does not grow with the portfolio. onGroup, when set, is
// given each municipality's evaluated tasks and findings (stream only);
// with it, the data keeps the findings only when keep is set (extracts
// need them), else only their figures.
func (e *Env) reportData(ctx context.Context, asOf model.Date, stream bool, onGroup func(*detect.Group) error, keep bool) (*reports.Data, error) {
	periodStart, err := e.PeriodStart(ctx, asOf)
	if err != nil {
		return nil, err
	}
	d := e.reportBase(asOf)
	if stream {
		// A municipality at a time: its tasks are counted, the findings'
		// tasks kept, and the rest let go (the task list is read again
		// from the store while the workbook is written).
		keep := keep || onGroup == nil
		sum := reports.NewSummarizer(asOf, keep)
		d.Forecasts = map[int64]*forecast.Result{}
		st, resolved, err := e.EvaluateStream(ctx, asOf, periodStart, asOf == e.Today(), func(g *detect.Group) error {
			// The plans evaluated, not a list read afterwards: a sync
			// between the two would show plans the findings are not of.
			d.Plans = append(d.Plans, g.Input.Plans...)
			if keep {
				d.Findings = append(d.Findings, g.Findings...)
			}
			for id, f := range g.Forecasts {
				// The report shows the go-live, readiness, slack and driving
				// chain, not each task's forecast (which would keep every
				// forecast plan's tasks).
				fc := *f
				fc.Tasks = nil
				d.Forecasts[id] = &fc
			}
			sum.Add(g.Findings, g.Input.Tasks)
			if onGroup != nil {
				return onGroup(g)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sum.Finish(d)
		d.PlanStatus, d.MunicipalStatus, d.Resolved = st.PlanStatus, st.MunicipalStatus, resolved
		d.EachTask = func(plans []store.Plan, fn func(*store.PlanTask) error) error {
			return e.DB.EachReportTask(ctx, plans, fn)
		}
	} else {
		ev, err := e.Evaluate(ctx, asOf)
		if err != nil {
			return nil, err
		}
		d.Plans, d.Tasks, d.Findings, d.Forecasts = ev.Input.Plans, ev.Input.Tasks, ev.Findings, ev.Forecasts
		d.PlanStatus, d.MunicipalStatus = ev.PlanStatus, ev.MunicipalStatus
		if d.Resolved, err = e.ResolvedSince(ctx, ev, periodStart); err != nil {
			return nil, err
		}
	}
	if d.Issues, err = e.DB.AllPlanIssues(ctx); err != nil {
		return nil, err
	}
	if d.Sources, err = e.DB.Sources(ctx); err != nil {
		return nil, err
	}
	for sol, sw := range e.Cfg.Waves {
		for name, wv := range sw.Waves {
			ms := map[string]model.Date{}
			for k := range wv.Milestones {
				ms[k] = wv.Milestone(k)
			}
			d.Waves = append(d.Waves, reports.Wave{Solution: sol, Wave: name, GoLive: wv.GoLiveDate(), Milestones: ms})
		}
	}
	// Changes since the previous weekly report (one for an earlier date:
	// not the report, or the extracts, of this one), or over the last week.
	since := asOf.AddDays(-7).In(e.Cfg.Location())
	if _, last, err := e.DB.PreviousReport(ctx, asOf); err != nil {
		return nil, err
	} else if !last.IsZero() && last.After(since) {
		since = last
	}
	d.ChangesSince = since
	if d.Changes, err = e.DB.ReportChanges(ctx, since); err != nil {
		return nil, err
	}
	weeks := max(e.Cfg.Report.Weeks, 1)
	err = e.DB.Snapshots(ctx, asOf.AddDays(-7*weeks), asOf.AddDays(-1), func(day model.Date, data []byte) error {
		var h reports.Headline
		if err := json.Unmarshal(data, &h); err != nil {
			return err
		}
		d.History = append(d.History, reports.Snapshot{AsOf: day, Headline: h})
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.History = weekly(d.History)
	return d, nil
}

// weekly keeps the last snapshot of each ISO week.
func weekly(in []reports.Snapshot) []reports.Snapshot {
	var out []reports.Snapshot
	for _, s := range in {
		y, w := s.AsOf.Time().ISOWeek()
		if n := len(out); n > 0 {
			py, pw := out[n-1].AsOf.Time().ISOWeek()
			if py == y && pw == w {
				out[n-1] = s
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

// StaleTempAge is the age after which a report's temporary file is taken to
// be left by a killed process and removed.
const StaleTempAge = time.Hour

// WriteReports writes the report (or one municipality's extract, or the
// report and every extract) and returns the paths and the headline. Only a
// national report for today is recorded (its headline kept for the trend,
// and as the start of the next reporting period), once every workbook is
// written: a report for another date is a preview that changes nothing in
// the store, and a report that could not be written records nothing
// either. The national report's task list is written while the portfolio
// is evaluated, a municipality at a time (reports.Begin).
func (e *Env) WriteReports(ctx context.Context, asOf model.Date, out, municipality string, split bool) ([]string, reports.Headline, error) {
	// --out names the file, or a folder for the default name (OutputPath).
	dir := e.Cfg.ReportDir()
	if dir == "" {
		dir = "."
	}
	outName := ""
	switch {
	case out == "":
	case IsFolder(out):
		dir = out
	default:
		dir, outName = filepath.Dir(out), filepath.Base(out)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, reports.Headline{}, e.Plain(err)
	}
	// Reports whose writing was killed left temporary files.
	if _, err := reports.RemoveStaleTemp(dir, StaleTempAge); err != nil {
		return nil, reports.Headline{}, e.Plain(err)
	}
	// File names come from the date and the municipality made safe
	// (reports.FileName), and every file is written through an os.Root of
	// dir: a name from a sheet cannot lead outside it.
	name := func(m string) string {
		if outName != "" {
			return outName
		}
		return reports.FileName(asOf, m)
	}
	if municipality != "" {
		d, err := e.reportData(ctx, asOf, true, nil, true)
		if err != nil {
			return nil, reports.Headline{}, err
		}
		md := d.ForMunicipality(municipality)
		if len(md.Plans) == 0 {
			return nil, d.Headline(), fmt.Errorf("%s", e.L(fmt.Sprintf("ingen planer for kommunen %q (se 'udrul plans')", municipality),
				fmt.Sprintf("no plans for municipality %q (see 'udrul plans')", municipality)))
		}
		if err := e.CheckReplace(filepath.Join(dir, name(md.Plans[0].Municipality)), provenance.Report); err != nil {
			return nil, d.Headline(), err
		}
		path, err := reports.WriteFile(dir, name(md.Plans[0].Municipality), md)
		if err != nil {
			return nil, d.Headline(), e.PlainAt(err, filepath.Join(dir, name(md.Plans[0].Municipality)))
		}
		return []string{path}, md.Headline(), nil
	}
	if err := e.CheckReplace(filepath.Join(dir, name("")), provenance.Report); err != nil {
		return nil, reports.Headline{}, err
	}
	// --split: every extract is checked as the report is (only a report
	// udrul wrote is replaced), before anything is evaluated or written;
	// the municipalities are those of the stored plans here, and of the
	// evaluated ones again before the first file is put in place.
	if split {
		plans, err := e.DB.ListPlans(ctx)
		if err != nil {
			return nil, reports.Headline{}, err
		}
		var munis []string
		for _, p := range plans {
			munis = append(munis, p.Municipality)
		}
		if err := e.checkExtracts(dir, asOf, munis); err != nil {
			return nil, reports.Headline{}, err
		}
	}
	rep, err := reports.Begin(dir, name(""), e.reportBase(asOf))
	if err != nil {
		return nil, reports.Headline{}, e.PlainAt(err, filepath.Join(dir, name("")))
	}
	d, err := e.reportData(ctx, asOf, true, func(g *detect.Group) error {
		return rep.Add(g.Input.Plans, g.Input.Tasks, g.Findings)
	}, split)
	if err != nil {
		rep.Abort()
		return nil, reports.Headline{}, err
	}
	h := d.Headline()
	if split {
		if err := e.checkExtracts(dir, asOf, d.Municipalities()); err != nil {
			rep.Abort()
			return nil, h, err
		}
	}
	path, err := rep.Finish(d)
	if err != nil {
		return nil, h, e.PlainAt(err, filepath.Join(dir, name("")))
	}
	paths := []string{path}
	if split {
		for _, m := range d.Municipalities() {
			p, err := reports.WriteFile(dir, reports.FileName(asOf, m), d.ForMunicipality(m))
			if err != nil {
				return nil, h, e.PlainAt(err, filepath.Join(dir, reports.FileName(asOf, m)))
			}
			paths = append(paths, p)
		}
	}
	// Recorded only now, in one place: a report refused or failed on the
	// way (say, its tasks changed while it was written) leaves the
	// previous report's period and figures as they were.
	if record := asOf == e.Today(); record {
		if err := e.DB.SaveSnapshot(ctx, asOf, h); err != nil {
			return nil, h, err
		}
		if err := e.DB.RecordReport(ctx, asOf, path); err != nil {
			return nil, h, err
		}
	}
	return paths, h, nil
}

// checkExtracts checks each municipality's extract's file in dir as
// CheckReplace does, and refuses, naming every such file, when one of them
// is there and is not a report udrul wrote, or cannot be read (then whether
// udrul wrote it cannot be told).
func (e *Env) checkExtracts(dir string, asOf model.Date, municipalities []string) error {
	var refused, unread, odd []string
	seen := map[string]bool{}
	for _, m := range municipalities {
		name := reports.FileName(asOf, m)
		if seen[name] {
			continue
		}
		seen[name] = true
		path := filepath.Join(dir, name)
		var nr *NotRegularError
		switch ours, err := replaceable(path, provenance.Report); {
		case errors.As(err, &nr):
			odd = append(odd, path+" ("+nr.words(e)+")")
		case err != nil:
			unread = append(unread, path+" ("+e.unreadableWhy(err)+")")
		case !ours:
			refused = append(refused, path)
		}
	}
	var said []string
	if len(refused) > 0 {
		said = append(said, fmt.Sprintf(e.L("--split: disse filer findes allerede og er ikke rapporter, udrul har skrevet, så intet er skrevet (heller ikke den samlede rapport); flyt dem væk, eller skriv rapporterne i en anden mappe med --out MAPPE/:\n  %s",
			"--split: these files already exist and are not reports udrul wrote, so nothing was written (not the national report either); move them away, or write the reports into another folder with --out FOLDER/:\n  %s"),
			strings.Join(refused, "\n  ")))
	}
	if len(unread) > 0 {
		said = append(said, fmt.Sprintf(e.L("--split: disse filer findes allerede, men udrul kan ikke læse dem, så det kan ikke afgøres, om udrul har skrevet dem; intet er skrevet (heller ikke den samlede rapport); giv brugeren, udrul kører som, læseadgang til dem, flyt dem væk, eller skriv rapporterne i en anden mappe med --out MAPPE/:\n  %s",
			"--split: these files already exist but udrul cannot read them, so whether udrul wrote them cannot be told; nothing was written (not the national report either); give the user udrul runs as read access to them, move them away, or write the reports into another folder with --out FOLDER/:\n  %s"),
			strings.Join(unread, "\n  ")))
	}
	if len(odd) > 0 {
		said = append(said, fmt.Sprintf(e.L("--split: disse er ikke almindelige filer, og udrul skriver en rapport kun som en fil for sig; intet er skrevet (heller ikke den samlede rapport); flyt dem væk, eller skriv rapporterne i en anden mappe med --out MAPPE/:\n  %s",
			"--split: these are not regular files, and udrul writes a report only as a file of its own; nothing was written (not the national report either); move them away, or write the reports into another folder with --out FOLDER/:\n  %s"),
			strings.Join(odd, "\n  ")))
	}
	if len(said) == 0 {
		return nil
	}
	return errors.New(strings.Join(said, "\n"))
}
