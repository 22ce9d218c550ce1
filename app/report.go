package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/reports"
)

// ReportData gathers what a report shows for asOf.
func (e *Env) ReportData(ctx context.Context, asOf model.Date) (*reports.Data, error) {
	ev, err := e.Evaluate(ctx, asOf)
	if err != nil {
		return nil, err
	}
	in, tasks := ev.Input.Plans, ev.Input.Tasks
	d := &reports.Data{AsOf: asOf, English: e.Cfg.Language == "en", Plans: in, Tasks: tasks, Findings: ev.Findings,
		PlanStatus: ev.PlanStatus, MunicipalStatus: ev.MunicipalStatus, Issues: map[int64][]model.Issue{}, Calendar: e.Rules().Calendar,
		RedOverdueDays: e.Cfg.Rules.RedOverdueDays, Location: e.Cfg.Location()}
	periodStart, err := e.PeriodStart(ctx, asOf)
	if err != nil {
		return nil, err
	}
	if d.Resolved, err = e.ResolvedSince(ctx, ev, periodStart); err != nil {
		return nil, err
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
	if d.Changes, err = e.DB.ChangesSinceWithPlans(ctx, since); err != nil {
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

// WriteReports writes the report (or one municipality's extract, or the
// report and every extract) and returns the paths and the headline. Only a
// national report for today is recorded (its headline kept for the trend,
// and as the start of the next reporting period): a report for another
// date is a preview that changes nothing in the store.
func (e *Env) WriteReports(ctx context.Context, asOf model.Date, out, municipality string, split bool) ([]string, reports.Headline, error) {
	d, err := e.ReportData(ctx, asOf)
	if err != nil {
		return nil, reports.Headline{}, err
	}
	h := d.Headline()
	record := municipality == "" && asOf == e.Today()
	if record {
		if err := e.DB.SaveSnapshot(ctx, asOf, h); err != nil {
			return nil, h, err
		}
	}
	dir := e.Cfg.ReportDir()
	write := func(path string, data *reports.Data) error {
		return WriteFile(path, func(w io.Writer) error { return reports.Write(w, data) })
	}
	var paths []string
	if municipality != "" {
		md := d.ForMunicipality(municipality)
		if len(md.Plans) == 0 {
			return nil, h, fmt.Errorf("%s", e.L(fmt.Sprintf("ingen planer for kommunen %q (se 'udrul plans')", municipality),
				fmt.Sprintf("no plans for municipality %q (see 'udrul plans')", municipality)))
		}
		path := OutputPath(out, dir, reports.FileName(asOf, md.Plans[0].Municipality))
		if err := write(path, md); err != nil {
			return nil, h, err
		}
		return []string{path}, md.Headline(), nil
	}
	path := OutputPath(out, dir, reports.FileName(asOf, ""))
	if err := write(path, d); err != nil {
		return nil, h, err
	}
	paths = append(paths, path)
	if split {
		for _, m := range d.Municipalities() {
			p := filepath.Join(filepath.Dir(path), reports.FileName(asOf, m))
			if err := write(p, d.ForMunicipality(m)); err != nil {
				return nil, h, err
			}
			paths = append(paths, p)
		}
	}
	if record {
		if err := e.DB.RecordReport(ctx, asOf, path); err != nil {
			return nil, h, err
		}
	}
	return paths, h, nil
}
