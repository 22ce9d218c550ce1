package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/model"
)

// FindingsCommand evaluates the rules and lists the open findings.
type FindingsCommand struct {
	Stdout, Stderr io.Writer
}

const findingsSynopsis = `[--config FILE] [--format table|json] [--as-of DATE] [--since DATE] [--kind LIST] [--level LIST] [--municipality M] [--solution S]

Evaluates the rules over the store for the as-of date (default today) and
lists the open findings: overdue, not started, due soon and slipped tasks,
inconsistent, stale and held plans, missing standard tasks and load peaks,
with the red/amber/green status of each plan. What is new and what was
resolved is counted over the reporting period: since the previous weekly
report (or the last seven days without one), or since --since. An as-of
date other than today is a preview: it changes nothing in the store.`

// tableBlock is how many rows of a long table are aligned together.
const tableBlock = 10_000

// levels a finding can have, for --level.
var findingLevels = []string{model.LevelRed, model.LevelAmber, model.LevelInfo}

// Run runs the command.
func (c *FindingsCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("findings", findingsSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	format := fs.String("format", "table", "output `format`: table or json")
	asOfFlag := fs.String("as-of", "", "evaluate for this `date` (YYYY-MM-DD; default today; another date is a preview)")
	sinceFlag := fs.String("since", "", "count new and resolved findings from this `date` (YYYY-MM-DD; default the day after the previous weekly report)")
	kinds := fs.String("kind", "", "only these `kinds`, comma-separated (overdue, slipped, ...)")
	levels := fs.String("level", "", "only these `levels`, comma-separated (red, amber, info)")
	mun := fs.String("municipality", "", "only this `municipality`")
	sol := fs.String("solution", "", "only this `solution`")
	e, err := openFor(ctx, fs, args, cfgPath, func() error {
		if err := oneOf("format", *format, "table", "json"); err != nil {
			return err
		}
		if err := listOf("kind", "kind", *kinds, detect.Kinds...); err != nil {
			return err
		}
		*levels = levelNames(*levels)
		return listOf("level", "level", *levels, findingLevels...)
	})
	if err != nil {
		return err
	}
	defer e.Close()
	if *mun, err = e.Municipality(*mun); err != nil {
		return err
	}
	if *sol, err = e.Solution(ctx, *sol); err != nil {
		return err
	}
	asOf, err := asOf(e, "findings", *asOfFlag, c.Stderr)
	if err != nil {
		return err
	}
	since, err := e.PeriodStart(ctx, asOf)
	if err != nil {
		return err
	}
	if *sinceFlag != "" {
		if since, err = model.ParseISODate(*sinceFlag); err != nil {
			return badUsage(fs, "--since: %v", err)
		}
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
	shown := func(f model.Finding) bool {
		return keep(*kinds, f.Kind) && keep(*levels, f.Level) && (*mun == "" || strings.EqualFold(*mun, f.Municipality)) && (*sol == "" || strings.EqualFold(*sol, f.Solution))
	}
	// The evaluation comes a municipality at a time: the table's rows are
	// written as they come (the table writer keeps their text until the
	// end), the JSON's findings kept.
	l := e.L
	// The table writer writes each cell on its own: buffered, a long table
	// is a few writes, not one per cell.
	stdout := bufio.NewWriterSize(c.Stdout, 64<<10)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, l("NIVEAU\tTYPE\tPLAN\tTRIN\tOPGAVE\tDAGE\tSIDEN\tBESKED", "LEVEL\tKIND\tPLAN\tSTEP\tTASK\tDAYS\tSINCE\tMESSAGE"))
	counts := map[string]int{}
	jsonFindings := []findingJSON{}
	n, unflushed := 0, 0
	// The plans evaluated (not a list read afterwards, which a sync
	// meanwhile could change), for the JSON's status.
	var plans []string
	var planIDs []int64
	printGroup := func(g *detect.Group) error {
		if *format == "json" {
			for _, p := range g.Input.Plans {
				plans = append(plans, p.Key())
				planIDs = append(planIDs, p.ID)
			}
		}
		for _, f := range g.Findings {
			if !shown(f) {
				continue
			}
			n++
			counts[f.Level]++
			if detect.IsNew(f, since) {
				counts["new"]++
			}
			if *format == "json" {
				jsonFindings = append(jsonFindings, toFindingJSON(f, since))
				continue
			}
			plan := f.Municipality
			if f.Solution != "" {
				plan += "/" + f.Solution
			}
			title := f.Title
			if !utf8.ValidString(title) || utf8.RuneCountInString(title) > 40 {
				r := []rune(title)
				if len(r) > 40 {
					r = append(r[:39], '…')
				}
				title = string(r)
			}
			tableRow(tw, model.LevelLabel(f.Level, e.English()), model.KindLabel(f.Kind, e.English()), plan, f.Step, title,
				strconv.Itoa(f.Days), f.FirstSeen.String(), f.Message)
			unflushed++
		}
		if unflushed >= tableBlock { // a long table is aligned in blocks: its text is not all kept
			unflushed = 0
			return tw.Flush()
		}
		return nil
	}
	// The rows are printed by a goroutine of their own, in order, while
	// the evaluation goes on saving the next municipalities' findings
	// (printing them in turn held it up by a fifth).
	groups := make(chan *detect.Group, 16)
	printed := make(chan error, 1)
	var printErr atomic.Pointer[error]
	go func() {
		var err error
		for g := range groups {
			if err == nil {
				if err = printGroup(g); err != nil {
					printErr.Store(&err)
				}
			}
		}
		printed <- err
	}()
	sum, resolvedAll, err := e.EvaluateStream(ctx, asOf, since, asOf == e.Today(), func(g *detect.Group) error {
		if perr := printErr.Load(); perr != nil {
			return *perr
		}
		select {
		case groups <- g:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(groups)
	perr := <-printed
	if err != nil {
		return err
	}
	if perr != nil {
		return perr
	}
	var resolved []model.Finding
	for _, f := range resolvedAll {
		if shown(f) {
			resolved = append(resolved, f)
		}
	}
	if *format == "json" {
		res := findingsJSON{AsOf: asOf, Since: since, Preview: !sum.Persisted, Findings: jsonFindings, Resolved: []findingJSON{},
			Counts: map[string]int{"findings": n, "red": counts[model.LevelRed], "amber": counts[model.LevelAmber],
				"info": counts[model.LevelInfo], "new": counts["new"], "resolved": len(resolved)},
			Plans: map[string]string{}, Municipalities: sum.MunicipalStatus}
		for _, f := range resolved {
			res.Resolved = append(res.Resolved, toFindingJSON(f, since))
		}
		for i, key := range plans {
			res.Plans[key] = sum.PlanStatus[planIDs[i]]
		}
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, l("%d fund pr. %s: %d røde, %d gule, %d info; %d nye og %d løste siden %s\n",
		"%d findings for %s: %d red, %d amber, %d info; %d new and %d resolved since %s\n"),
		n, asOf, counts[model.LevelRed], counts[model.LevelAmber], counts[model.LevelInfo], counts["new"], len(resolved), since)
	if !sum.Persisted {
		fmt.Fprintln(stdout, l("En forhåndsvisning: intet er gemt (kun en evaluering for i dag gemmer fundenes forløb).",
			"A preview: nothing was stored (only an evaluation for today records the findings' lifecycle)."))
	}
	return stdout.Flush()
}

// The JSON shape of `udrul findings --format json`.
type findingsJSON struct {
	AsOf           model.Date        `json:"as_of"`
	Since          model.Date        `json:"since"`
	Preview        bool              `json:"preview"`
	Counts         map[string]int    `json:"counts"`
	Findings       []findingJSON     `json:"findings"`
	Resolved       []findingJSON     `json:"resolved"`
	Plans          map[string]string `json:"plan_status"`
	Municipalities map[string]string `json:"municipality_status"`
}

type findingJSON struct {
	Kind         string      `json:"kind"`
	Level        string      `json:"level"`
	Municipality string      `json:"municipality"`
	Solution     string      `json:"solution"`
	Wave         string      `json:"wave"`
	Step         string      `json:"step,omitempty"`
	Task         string      `json:"task,omitempty"`
	TaskID       int64       `json:"task_id,omitempty"`
	Days         int         `json:"days"`
	Old          *model.Date `json:"old,omitempty"`
	New          *model.Date `json:"new,omitempty"`
	Message      string      `json:"message"`
	FirstSeen    *model.Date `json:"first_seen"`
	ResolvedAt   *model.Date `json:"resolved_at,omitempty"`
	IsNew        bool        `json:"new_in_period"`
}

func toFindingJSON(f model.Finding, since model.Date) findingJSON {
	date := func(d model.Date) *model.Date {
		if d.IsZero() {
			return nil
		}
		return &d
	}
	old, _ := model.ParseISODate(f.Old)
	nw, _ := model.ParseISODate(f.New)
	return findingJSON{f.Kind, f.Level, f.Municipality, f.Solution, f.Wave, f.Step, f.Title, f.TaskID, f.Days, date(old), date(nw), f.Message,
		date(f.FirstSeen), date(f.ResolvedAt), detect.IsNew(f, since)}
}

// levelNames turns the levels as the Danish table shows them (Rød, Gul) into
// the names --level takes, so that a level copied from the table works.
func levelNames(list string) string {
	parts := strings.Split(list, ",")
	for i, p := range parts {
		switch strings.ToLower(strings.TrimSpace(p)) {
		case "rød", "roed":
			parts[i] = model.LevelRed
		case "gul":
			parts[i] = model.LevelAmber
		}
	}
	return strings.Join(parts, ",")
}
