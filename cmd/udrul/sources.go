package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/source/m365"
)

// SourcesCommand lists the sources and their plans with how each was last
// read.
type SourcesCommand struct {
	Stdout, Stderr io.Writer
}

// Run runs the command.
func (c *SourcesCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("sources", "[--config FILE]\n\nLists every source with its last sync: state, files, API calls, bytes and\nduration, the last error (for m365 sources also the last delta query); and\nunder each, its plans with their state.", c.Stderr)
	cfgPath := configFlag(fs)
	e, err := openFor(ctx, fs, args, cfgPath, nil)
	if err != nil {
		return err
	}
	defer e.Close()
	sources, err := e.DB.Sources(ctx)
	if err != nil {
		return err
	}
	plans, err := e.DB.ListPlans(ctx)
	if err != nil {
		return err
	}
	loc := e.Cfg.Location()
	configured := map[string]bool{}
	for _, s := range e.Cfg.Sources {
		configured[s.Name] = true
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	en := e.English()
	fmt.Fprintln(tw, e.L("KILDE\tTYPE\tTILSTAND\tSIDST LÆST\tSIDST OK\tFILER\tLÆST\tKALD\tBYTES\tVARIGHED\tPLACERING",
		"SOURCE\tKIND\tSTATE\tLAST SYNC\tLAST OK\tFILES\tREAD\tCALLS\tBYTES\tDURATION\tLOCATION"))
	for _, s := range sources {
		var st struct {
			Files      int   `json:"files"`
			Read       int   `json:"read"`
			Calls      int   `json:"calls"`
			Bytes      int64 `json:"bytes"`
			DurationMS int64 `json:"duration_ms"`
		}
		json.Unmarshal([]byte(s.LastStats), &st)
		// Read, but a file of it read by another source too, is said as
		// such (its lines below say what to do).
		state := model.SourceStateLabel(s.State, s.LastError, en)
		if !configured[s.Name] {
			state += e.L(" (ikke i konfigurationen)", " (not in config)")
		}
		tableRow(tw, s.Name, s.Kind, state, stamp(s.LastSyncAt, loc), stamp(s.LastOKAt, loc),
			st.Files, st.Read, st.Calls, st.Bytes, fmt.Sprintf("%dms", st.DurationMS), s.Location)
		for _, p := range plans {
			if p.SourceID == s.ID {
				tableRow(tw, "  "+p.Key(), "", model.StateLabel(p.State, en), stamp(p.LastSyncAt, loc), stamp(p.LastOKAt, loc),
					fmt.Sprintf("%d %s", p.Tasks, e.L("opgaver", "tasks")), "", "", "", "", p.Location)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range sources {
		if s.Kind == config.KindM365 {
			if st, err := e.DB.SourceState(ctx, s.ID); err == nil {
				fmt.Fprintf(c.Stdout, "%s: %s\n", s.Name, m365.Summary(st, loc, e.Cfg.Language))
			}
		}
		// A line each (a sync keeps several: a plan each whose file another
		// source reads too, a folder held).
		for _, line := range strings.Split(s.LastError, "\n") {
			if line != "" {
				fmt.Fprintf(c.Stdout, "%s: %s\n", s.Name, safeout.Terminal(line))
			}
		}
	}
	for _, s := range e.Cfg.Sources {
		found := false
		for _, st := range sources {
			found = found || st.Name == s.Name
		}
		if !found {
			fmt.Fprintf(c.Stdout, e.L("%s: ikke synkroniseret endnu\n", "%s: not synced yet\n"), s.Name)
		}
	}
	return nil
}
