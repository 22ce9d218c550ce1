package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/udrul/udrul/sync/syncer"
)

// SyncCommand runs one sync cycle over the configured sources.
type SyncCommand struct {
	Stdout, Stderr io.Writer
}

const syncSynopsis = `[--config FILE] [--source NAME] [--accept PLAN]...

Reads every source once: unchanged files cost almost nothing, changed ones
are parsed and reconciled into the store with their history. A plan that
suddenly lost most of its tasks is held, not applied, until its sheet
recovers or it is accepted with --accept Municipality/Solution. Exit code 0
when every source synced, 1 otherwise.`

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// Run runs the command.
func (c *SyncCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("sync", syncSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	only := fs.String("source", "", "sync only the source with this `name`")
	var accept multiFlag
	fs.Var(&accept, "accept", "apply the held `plan` (Municipality/Solution) despite the shrink guard; repeatable")
	e, err := openFor(ctx, fs, args, cfgPath, nil)
	if err != nil {
		return err
	}
	defer e.Close()
	var progress io.Writer
	if isTerminal(c.Stderr) {
		progress = c.Stderr
	}
	logger := slog.New(slog.NewTextHandler(c.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	s, targets, err := e.NewSyncer(logger, progress, *only)
	if err != nil {
		return err
	}
	opts := syncer.Options{Accept: map[string]bool{}}
	for _, a := range accept {
		p, err := e.DB.Plan(ctx, a)
		if err != nil {
			return err
		}
		opts.Accept[p.Key()] = true
	}
	results, err := s.Cycle(ctx, targets, opts)
	printSyncResults(c.Stdout, results)
	if err != nil {
		return err
	}
	for _, r := range results {
		if !r.OK() {
			return errReported
		}
	}
	return nil
}

func printSyncResults(w io.Writer, results []syncer.Result) {
	for _, r := range results {
		fmt.Fprintln(w, r.Summary())
		if r.Err == nil && r.Documents == 0 {
			fmt.Fprintf(w, "  warning: source %s found no plan files: check its path or folders ('udrul config check' says more)\n", r.Source)
		}
		for _, e := range r.Errors {
			fmt.Fprintf(w, "  failed: %s\n", e)
		}
		for _, h := range r.HeldPlans {
			fmt.Fprintf(w, "  held: %s\n", h)
		}
	}
}
