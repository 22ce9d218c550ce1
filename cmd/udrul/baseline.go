package main

import (
	"context"
	"fmt"
	"io"

	"github.com/udrul/udrul/app"
)

// BaselineCommand resets plans' baselines.
type BaselineCommand struct {
	Stdout, Stderr io.Writer
}

const baselineSynopsis = `reset [--config FILE] --plan PLAN --label TEXT

Sets the baseline of every task of the plan (Municipality/Solution) to its
current dates, for example after a re-planning agreed with the municipality.
Slips are measured against the baseline from then on; the label and every
moved baseline are kept in the history.`

// Run runs the command.
func (c *BaselineCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("baseline", baselineSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	plan := fs.String("plan", "", "the `plan`, as Municipality/Solution")
	label := fs.String("label", "", "why the baseline is reset (`text`), e.g. \"Ny tidsplan aftalt 2026-11-20\"")
	args = subcommandFirst(args, "reset")
	if len(args) == 0 || args[0] != "reset" {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		return noSubcommand(fs, "name the subcommand: reset", "reset")
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *plan == "" || *label == "" || fs.NArg() > 0 {
		fmt.Fprintln(c.Stderr, "udrul baseline reset: "+usageText(fs, "--plan and --label are required"))
		fs.Usage()
		return errUsage
	}
	e, err := app.OpenTelling(ctx, *cfgPath, c.Stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	p, err := e.DB.Plan(ctx, *plan)
	if err != nil {
		return err
	}
	run, err := e.DB.BeginRun(ctx)
	if err != nil {
		return err
	}
	n, err := e.DB.ResetBaseline(ctx, p.ID, *label, run)
	status := "ok"
	if err != nil {
		status = "failed"
	}
	if ferr := e.DB.FinishRun(ctx, run, status, "baseline reset "+p.Key()+": "+*label); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, e.L("%s: baseline nulstillet (%q); %d af %d opgavers baseline flyttet\n", "%s: baseline reset (%q); %d of %d tasks' baselines moved\n"), p.Key(), *label, n, p.Tasks)
	return nil
}
