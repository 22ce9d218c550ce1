package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/model"
)

// PlansCommand lists the plans in the store.
type PlansCommand struct {
	Stdout, Stderr io.Writer
}

// Run runs the command.
func (c *PlansCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("plans", "[--config FILE] [--format table|json]\n\nLists every plan with its state (ok, held, failing, gone, conflict), task counts,\nproblems in its sheet and when it was last read and last changed.", c.Stderr)
	cfgPath := configFlag(fs)
	format := fs.String("format", "table", "output `format`: table or json")
	e, err := openFor(ctx, fs, args, cfgPath, func() error { return oneOf("format", *format, "table", "json") })
	if err != nil {
		return err
	}
	defer e.Close()
	plans, err := e.DB.ListPlans(ctx)
	if err != nil {
		return err
	}
	loc := e.Cfg.Location()
	if *format == "json" {
		type planJSON struct {
			Plan         string  `json:"plan"`
			Municipality string  `json:"municipality"`
			Solution     string  `json:"solution"`
			Wave         string  `json:"wave"`
			State        string  `json:"state"`
			Reason       string  `json:"reason,omitempty"`
			Tasks        int     `json:"tasks"`
			Removed      int     `json:"removed"`
			Errors       int     `json:"errors"`
			Warnings     int     `json:"warnings"`
			LastSync     *string `json:"last_sync"`
			LastChange   *string `json:"last_change"`
			Location     string  `json:"location"`
			// Claimants are the files claiming a plan in conflict.
			Claimants []string `json:"claimants,omitempty"`
		}
		out := []planJSON{}
		for _, p := range plans {
			out = append(out, planJSON{p.Key(), p.Municipality, p.Solution, p.Wave, p.State, p.StateReason, p.Tasks, p.Removed,
				p.Errors, p.Warnings, jsonTime(p.LastSyncAt, loc), jsonTime(p.LastChangeAt, loc), p.Location, p.Claimants})
		}
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, e.L("PLAN\tBØLGE\tTILSTAND\tOPGAVER\tFJERNET\tFEJL\tADVARSLER\tSIDST LÆST\tSIDST ÆNDRET\tPLACERING",
		"PLAN\tWAVE\tSTATE\tTASKS\tREMOVED\tERRORS\tWARNINGS\tLAST SYNC\tLAST CHANGE\tLOCATION"))
	for _, p := range plans {
		state := model.StateLabel(p.State, e.English())
		if _, shared := model.SharedFile(p.StateReason, e.English()); shared {
			state = e.L("Konflikt: flere kilder", "Conflict: several sources") // one file, read by more than one source
		}
		tableRow(tw, p.Key(), p.Wave, state, p.Tasks, p.Removed, p.Errors, p.Warnings,
			stamp(p.LastSyncAt, loc), stamp(p.LastChangeAt, loc), p.Location)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, p := range plans {
		switch words, shared := model.SharedFile(p.StateReason, e.English()); {
		case shared:
			fmt.Fprintf(c.Stdout, e.L("%s: %s\n", "%s: %s\n"), safeout.Terminal(p.Key()), safeout.Terminal(words))
		case len(p.Claimants) > 0:
			fmt.Fprintf(c.Stdout, e.L("%s er i konflikt og ændres ikke, før kun én af disse filer er planen (eller 'prefer' vælger én):\n",
				"%s is in conflict, not changed until only one of these files claims it (or 'prefer' picks one):\n"), safeout.Terminal(p.Key()))
			for _, f := range p.Claimants {
				fmt.Fprintf(c.Stdout, "  %s\n", safeout.Terminal(f))
			}
		case p.State == "held":
			fmt.Fprintf(c.Stdout, e.L("%s er holdt tilbage: %s\n", "%s is held: %s\n"), safeout.Terminal(p.Key()), safeout.Terminal(model.HeldReason(p.StateReason, e.English())))
		case p.StateReason != "":
			fmt.Fprintf(c.Stdout, e.L("%s: %s: %s\n", "%s is %s: %s\n"), safeout.Terminal(p.Key()), model.StateLabel(p.State, e.English()), safeout.Terminal(p.StateReason))
		}
	}
	return nil
}

func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}
