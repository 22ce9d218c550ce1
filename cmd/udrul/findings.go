package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/model"
)

// FindingsCommand evaluates the rules and lists the open findings.
type FindingsCommand struct {
	Stdout, Stderr io.Writer
}

const findingsSynopsis = `[--config FILE] [--format table|json] [--as-of DATE] [--kind LIST] [--level LIST] [--municipality M] [--solution S]

Evaluates the rules over the store for the as-of date (default today) and
lists the open findings: overdue, not started, due soon and slipped tasks,
inconsistent, stale and held plans, missing standard tasks and load peaks,
with the red/amber/green status of each plan. Each finding's first-seen
date is kept, so what is new and what was resolved is known.`

// Run runs the command.
func (c *FindingsCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("findings", findingsSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	format := fs.String("format", "table", "output `format`: table or json")
	asOfFlag := fs.String("as-of", "", "evaluate for this `date` (YYYY-MM-DD; default today)")
	kinds := fs.String("kind", "", "only these `kinds`, comma-separated (overdue, slipped, ...)")
	levels := fs.String("level", "", "only these `levels`, comma-separated (red, amber, info)")
	mun := fs.String("municipality", "", "only this `municipality`")
	sol := fs.String("solution", "", "only this `solution`")
	e, err := openFor(ctx, fs, args, cfgPath, func() bool { return *format == "table" || *format == "json" })
	if err != nil {
		return err
	}
	defer e.Close()
	asOf, err := asOf(e, "findings", *asOfFlag, c.Stderr)
	if err != nil {
		return err
	}
	ev, err := e.Evaluate(ctx, asOf)
	if err != nil {
		return err
	}
	keep := func(list, v string) bool {
		if list == "" {
			return true
		}
		for _, x := range strings.Split(list, ",") {
			if strings.EqualFold(strings.TrimSpace(x), v) {
				return true
			}
		}
		return false
	}
	var out []model.Finding
	for _, f := range ev.Findings {
		if keep(*kinds, f.Kind) && keep(*levels, f.Level) && (*mun == "" || strings.EqualFold(*mun, f.Municipality)) && (*sol == "" || strings.EqualFold(*sol, f.Solution)) {
			out = append(out, f)
		}
	}
	if *format == "json" {
		type findingJSON struct {
			Kind         string `json:"kind"`
			Level        string `json:"level"`
			Municipality string `json:"municipality"`
			Solution     string `json:"solution"`
			Wave         string `json:"wave"`
			Step         string `json:"step,omitempty"`
			Task         string `json:"task,omitempty"`
			TaskID       int64  `json:"task_id,omitempty"`
			Days         int    `json:"days"`
			Old          string `json:"old,omitempty"`
			New          string `json:"new,omitempty"`
			Message      string `json:"message"`
			FirstSeen    string `json:"first_seen"`
			New_         bool   `json:"new_this_week"`
		}
		res := struct {
			AsOf     string            `json:"as_of"`
			Findings []findingJSON     `json:"findings"`
			Plans    map[string]string `json:"plan_status"`
			Munis    map[string]string `json:"municipality_status"`
			Resolved int               `json:"resolved_since_last"`
		}{AsOf: asOf.String(), Findings: []findingJSON{}, Plans: map[string]string{}, Munis: ev.MunicipalStatus, Resolved: len(ev.Resolved)}
		for _, f := range out {
			res.Findings = append(res.Findings, findingJSON{f.Kind, f.Level, f.Municipality, f.Solution, f.Wave, f.Step, f.Title, f.TaskID, f.Days, f.Old, f.New, f.Message, f.FirstSeen.String(), detect.IsNew(f, asOf)})
		}
		plans, err := e.DB.ListPlans(ctx)
		if err != nil {
			return err
		}
		for _, p := range plans {
			res.Plans[p.Key()] = ev.PlanStatus[p.ID]
		}
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LEVEL\tKIND\tPLAN\tSTEP\tTASK\tDAYS\tSINCE\tMESSAGE")
	for _, f := range out {
		plan := f.Municipality
		if f.Solution != "" {
			plan += "/" + f.Solution
		}
		title := []rune(f.Title)
		if len(title) > 40 {
			title = append(title[:39], '…')
		}
		tableRow(tw, f.Level, f.Kind, plan, f.Step, string(title), f.Days, f.FirstSeen, f.Message)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	counts := map[string]int{}
	for _, f := range out {
		counts[f.Level]++
	}
	fmt.Fprintf(c.Stdout, "%d findings for %s: %d red, %d amber, %d info; %d new, %d resolved since the last evaluation\n",
		len(out), asOf, counts[model.LevelRed], counts[model.LevelAmber], counts[model.LevelInfo], len(ev.Opened), len(ev.Resolved))
	return nil
}
