package main

import (
	"context"
	"fmt"
	"io"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/safeout"
)

// ReportCommand writes the consolidated Excel report.
type ReportCommand struct {
	Stdout, Stderr io.Writer
}

const reportSynopsis = `[--config FILE] [--out FILE] [--as-of DATE] [--municipality M | --split]

Evaluates the findings for the as-of date (default today; another date is a
preview that stores nothing) and writes the consolidated workbook: Oversigt, Kommuner, Bølger, Prognose, Forsinkede, Skred,
Datakvalitet, Ændringer, Opgaver and Kilder. The default name carries the
ISO week (udrul-rapport-2026-W48.xlsx), in the configured report folder.
--municipality writes one municipality's extract; --split writes one
extract per municipality beside the full report.`

// Run runs the command.
func (c *ReportCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("report", reportSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	out := fs.String("out", "", "the report `file`, or a folder for the default name (default: the ISO week's name in the report folder)")
	asOfFlag := fs.String("as-of", "", "report as of this `date` (YYYY-MM-DD; default today)")
	mun := fs.String("municipality", "", "write only this `municipality`'s extract")
	split := fs.Bool("split", false, "also write one extract per municipality")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badUsage(fs, "unexpected argument %q: this command takes only flags", fs.Arg(0))
	}
	if *mun != "" && *split {
		return badUsage(fs, "--municipality and --split exclude each other")
	}
	e, err := app.OpenTelling(ctx, *cfgPath, c.Stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	if *mun, err = e.Municipality(*mun); err != nil {
		return err
	}
	asOf, err := asOf(e, "report", *asOfFlag, c.Stderr)
	if err != nil {
		return err
	}
	paths, h, err := e.WriteReports(ctx, asOf, *out, *mun, *split)
	if err != nil {
		return err
	}
	for _, p := range paths {
		fmt.Fprintln(c.Stdout, safeout.Terminal(p))
	}
	l := e.L
	if *mun != "" {
		fmt.Fprintf(c.Stdout, l("%s: ", "%s: "), *mun)
	}
	fmt.Fprintf(c.Stdout, l("%d planer, %d opgaver, %.0f%% færdige, %d forsinkede, %d skredet denne uge, %d dataproblemer, %d %s med fejl, %d røde planer\n",
		"%d plans, %d tasks, %.0f%% done, %d overdue, %d slipped this week, %d data problems, %d failing %s, %d red plans\n"),
		h.Plans, h.Tasks, h.Done*100, h.Overdue, h.SlippedWeek, h.DataProblems, h.FailingSources,
		l(plural(h.FailingSources, "kilde", "kilder"), plural(h.FailingSources, "source", "sources")), h.RedPlans)
	if asOf != e.Today() {
		fmt.Fprintln(c.Stdout, l("En forhåndsvisning: rapporten for en anden dato end i dag gemmer intet (hverken fund, nøgletal eller rapportperiode).",
			"A preview: a report for another date than today stores nothing (no findings, figures or reporting period)."))
	}
	return nil
}
