package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/templates"
)

// TemplateCommand writes ready-to-fill standard plans.
type TemplateCommand struct {
	Stdout, Stderr io.Writer
}

const templateSynopsis = `[--config FILE] --solution S (--municipality M [--wave N] --out FILE | --all --wave N --out FOLDER)
       udrul template [--config FILE] --rebase --solution S --wave N [--write --out FOLDER]

Writes the solution's standard plan for a municipality, dated from its
wave's go-live in working days: the municipality, solution and wave as
key/value lines, one table per step, drop-down lists for Status, Ansvarlig
and Udfører, date validation, a frozen and protected head, an instructions
sheet. --all writes one for every municipality of the wave. --gantt writes
the plan as a Gantt timeline instead: a column per week (the year in the
row above), a step row before each step, an x on a coloured cell in each
week a task runs; udrul reads it back as Monday of the first week to Friday
of the last.

--rebase compares each stored plan of the wave with the standard dates from
the wave's go-live now, and shows the dates that change (tasks marked done
keep theirs); --write also writes new copies of those plans.`

// Run runs the command.
func (c *TemplateCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("template", templateSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	sol := fs.String("solution", "", "the `solution` (KY, KSD, ...)")
	mun := fs.String("municipality", "", "the `municipality`")
	wave := fs.String("wave", "", "the `wave` (default: the municipality's wave in the wave table)")
	out := fs.String("out", "", "the workbook `file`, or with --all, --rebase --write the folder")
	all := fs.Bool("all", false, "write one for every municipality of --wave")
	rebase := fs.Bool("rebase", false, "show the dates that change when the wave's go-live moved")
	write := fs.Bool("write", false, "with --rebase: write new copies of the changed plans")
	gantt := fs.Bool("gantt", false, "write the plan as a Gantt timeline (a column per week)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	usage := func(msg string) error {
		fmt.Fprintf(c.Stderr, "udrul template: %s\n", usageText(fs, msg))
		fs.Usage()
		return errUsage
	}
	switch {
	case fs.NArg() > 0:
		return usage("unexpected arguments")
	case *sol == "":
		return usage("--solution is required")
	case *rebase && *wave == "":
		return usage("--rebase needs --wave")
	case *rebase && *write && *out == "":
		return usage("--write needs --out FOLDER")
	case !*rebase && *all && (*wave == "" || *out == ""):
		return usage("--all needs --wave and --out FOLDER")
	case !*rebase && !*all && (*mun == "" || *out == ""):
		return usage("--municipality and --out are required")
	}
	e, err := app.OpenTelling(ctx, *cfgPath, c.Stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	set, err := templates.LoadIn(e.Cfg.TemplatesDir(), e.English())
	if err != nil {
		return err
	}
	plan, ok := set.For(*sol)
	if !ok {
		return fmt.Errorf(e.L("der er ingen standardplan for løsningen %q i %s", "no standard plan for solution %q in %s"), *sol, e.Cfg.TemplatesDir())
	}
	if *rebase {
		return c.rebase(ctx, e, plan, *sol, *wave, *write, *out, *gantt)
	}
	munis := []string{*mun}
	if *all {
		munis = waveMunicipalities(e, *sol, *wave)
		if len(munis) == 0 {
			return fmt.Errorf(e.L("ingen kommune er i bølge %s for %s i bølgetabellen", "no municipality is in wave %s of %s in the wave table"), *wave, *sol)
		}
	}
	pathOf := func(m string) string {
		if *all {
			return filepath.Join(*out, templateName(*sol, m))
		}
		return app.OutputPath(*out, "", templateName(*sol, m))
	}
	// Every file checked before the first is written: all or none.
	for _, m := range munis {
		if err := e.CheckNewWorkbook(pathOf(m)); err != nil {
			return err
		}
	}
	for _, m := range munis {
		w := *wave
		if w == "" {
			if w = e.Cfg.WaveOf(*sol, m); w == "" {
				return fmt.Errorf(e.L("%s har ingen bølge for %s i bølgetabellen: angiv --wave", "%s has no wave for %s in the wave table: give --wave"), m, *sol)
			}
		}
		in, err := instance(e, *sol, m, w)
		if err != nil {
			return err
		}
		in.Gantt = *gantt
		path := pathOf(m)
		if err := writeTemplate(path, plan, in, e); err != nil {
			return e.PlainAt(err, path)
		}
		fmt.Fprintf(c.Stdout, e.L("%s: %s/%s, bølge %s, idriftsættelse %s\n", "%s: %s/%s, wave %s, go-live %s\n"), path, m, *sol, w, in.GoLive)
	}
	return nil
}

// templateName names a plan file; the municipality (from a sheet: the
// store or the wave table) and the solution are made safe file-name parts.
func templateName(sol, mun string) string {
	return fmt.Sprintf("%s_%s_implementeringsplan.xlsx", safeout.NamePart(sol), safeout.NamePart(mun))
}

func instance(e *app.Env, sol, mun, wave string) (templates.Instance, error) {
	gl := e.Cfg.GoLive(sol, wave)
	if gl.IsZero() {
		return templates.Instance{}, fmt.Errorf(e.L("bølge %s for %s har ingen go_live-dato i bølgetabellen", "wave %s of %s has no go_live date in the wave table"), wave, sol)
	}
	return templates.Instance{Municipality: mun, Solution: sol, Wave: wave, GoLive: gl, English: e.English()}, nil
}

func waveMunicipalities(e *app.Env, sol, wave string) []string {
	var out []string
	for s, sw := range e.Cfg.Waves {
		if !strings.EqualFold(s, sol) {
			continue
		}
		for m, w := range sw.Municipalities {
			if w == wave {
				out = append(out, m)
			}
		}
	}
	sort.Strings(out)
	return out
}

func writeTemplate(path string, plan *templates.Plan, in templates.Instance, e *app.Env) error {
	if err := e.CheckNewWorkbook(path); err != nil {
		return err
	}
	write := plan.Write
	if in.Gantt {
		write = plan.WriteGantt
	}
	return app.WriteFile(path, func(w io.Writer) error { return write(w, in, e.Rules().Calendar) })
}

// rebase shows, per stored plan of the wave, the standard dates that change
// with the wave's go-live now; done tasks keep theirs.
func (c *TemplateCommand) rebase(ctx context.Context, e *app.Env, plan *templates.Plan, sol, wave string, write bool, out string, gantt bool) error {
	plans, err := e.DB.ListPlans(ctx)
	if err != nil {
		return err
	}
	cal := e.Rules().Calendar
	changed := 0
	type pending struct {
		path string
		in   templates.Instance
	}
	var writes []pending
	for _, p := range plans {
		if !strings.EqualFold(p.Solution, sol) || p.Wave != wave {
			continue
		}
		tasks, err := e.DB.ListTasks(ctx, store.TaskFilter{Municipality: p.Municipality, Solution: p.Solution})
		if err != nil {
			return err
		}
		var current []model.Task
		for _, t := range tasks {
			current = append(current, t.Task.Task)
		}
		in, err := instance(e, sol, p.Municipality, wave)
		if err != nil {
			return err
		}
		in.Gantt = gantt
		in.Keep = templates.KeepFrom(current)
		byTitle := templates.KeepFrom(current)
		var lines []string
		for _, t := range plan.Dates(in, cal) {
			cur, ok := byTitle[strings.ToLower(strings.Join(strings.Fields(t.Title), " "))]
			if !ok {
				lines = append(lines, fmt.Sprintf(e.L("  %s %s: mangler i planen; standarddatoer %s – %s", "  %s %s: missing from the plan; standard dates %s – %s"), t.Step, t.Title, t.Start, t.End))
				continue
			}
			if cur.Status == model.Done || (cur.Start == t.Start && cur.End == t.End) {
				continue
			}
			lines = append(lines, fmt.Sprintf("  %s %s: %s – %s → %s – %s", t.Step, t.Title, cur.Start, cur.End, t.Start, t.End))
		}
		fmt.Fprintf(c.Stdout, e.L("%s (bølge %s, idriftsættelse %s): %d datoer ændres\n", "%s (wave %s, go-live %s): %d dates change\n"), p.Key(), wave, in.GoLive, len(lines))
		for _, l := range lines {
			fmt.Fprintln(c.Stdout, l)
		}
		if len(lines) > 0 {
			changed++
			if write {
				writes = append(writes, pending{filepath.Join(out, templateName(sol, p.Municipality)), in})
			}
		}
	}
	fmt.Fprintf(c.Stdout, e.L("%d planer i %s bølge %s har datoer der skal ændres\n", "%d plans of %s wave %s have dates to change\n"), changed, sol, wave)
	// Every target checked before the first is written: all or none.
	for _, w := range writes {
		if err := e.CheckNewWorkbook(w.path); err != nil {
			return err
		}
	}
	for _, w := range writes {
		if err := writeTemplate(w.path, plan, w.in, e); err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, e.L("  skrevet: %s\n", "  written: %s\n"), w.path)
	}
	return nil
}
