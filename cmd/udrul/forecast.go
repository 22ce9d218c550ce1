package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/forecast"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
)

// ForecastCommand shows whether each plan will be ready for its go-live.
type ForecastCommand struct {
	Stdout, Stderr io.Writer
}

const forecastSynopsis = `[--config FILE] [--format table|json] [--as-of DATE] [--municipality M] [--solution S] [--go-live SOLUTION/WAVE=DATE]...

Forecasts, for every plan whose go-live is ahead, when the tasks that must
precede the go-live will be done: from the tasks' dates and statuses and
the order of the standard plan (after:), in Danish working days. It shows
the readiness date, the slack against the wave's go-live (negative: late),
the level (red: ready after the go-live; amber: less slack than
rules.forecast_amber_days and than the plan's own dates give), and the
chain of tasks that drives it. --go-live asks "what if this wave's go-live
moved": it changes nothing. Nothing is stored.`

// Run runs the command.
func (c *ForecastCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("forecast", forecastSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	format := fs.String("format", "table", "output `format`: table or json")
	asOfFlag := fs.String("as-of", "", "forecast from this `date` (YYYY-MM-DD; default today)")
	mun := fs.String("municipality", "", "only this `municipality`")
	sol := fs.String("solution", "", "only this `solution`")
	var moves goLiveMoves
	fs.Var(&moves, "go-live", "what if `SOLUTION/WAVE=DATE`: that wave's go-live moved (repeatable)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || (*format != "table" && *format != "json") {
		if *format != "table" && *format != "json" {
			fmt.Fprintf(c.Stderr, "udrul forecast: "+usageText(fs, "unknown format %s: use table or json")+"\n", *format)
		}
		fs.Usage()
		return errUsage
	}
	e, err := app.OpenTelling(ctx, *cfgPath, c.Stderr)
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
	asOf, err := asOf(e, "forecast", *asOfFlag, c.Stderr)
	if err != nil {
		return err
	}
	in, err := e.Input(ctx, asOf)
	if err != nil {
		return err
	}
	rules := e.Rules()
	current := detect.Evaluate(in, rules)
	whatIf := current
	if len(moves) > 0 {
		base := in.GoLive
		in.GoLive = func(solution, wave string) model.Date {
			for _, m := range moves {
				if strings.EqualFold(m.solution, solution) && m.wave == wave {
					return m.date
				}
			}
			return base(solution, wave)
		}
		whatIf = detect.Evaluate(in, rules)
	}
	english := e.English()
	rows := forecastRows(in.Plans, current, whatIf, *mun, *sol, rules.Calendar, english)
	if *format == "json" {
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			AsOf  string        `json:"as_of"`
			Plans []forecastRow `json:"plans"`
		}{asOf.String(), rows})
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	head := "PLAN\tIDRIFTSÆTTELSE\tKLAR\tSLACK\tNIVEAU"
	if english {
		head = "PLAN\tGO-LIVE\tREADY\tSLACK\tLEVEL"
	}
	if len(moves) > 0 {
		head += map[bool]string{false: "\tNIVEAU NU", true: "\tLEVEL NOW"}[english]
	}
	head += map[bool]string{false: "\tDRIVENDE KÆDE", true: "\tDRIVING CHAIN"}[english]
	fmt.Fprintln(tw, head)
	atRisk := 0
	for _, r := range rows {
		level := r.Level
		if level == "" {
			level = "-"
		} else {
			atRisk++
		}
		cells := []any{r.Plan, r.GoLive, r.Ready, r.Slack, levelWord(level, english)}
		if len(moves) > 0 {
			cells = append(cells, levelWord(orDash(r.LevelNow), english))
		}
		tableRow(tw, append(cells, r.Explanation)...)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if english {
		fmt.Fprintf(c.Stdout, "%d %s forecast from %s; %d at risk\n", len(rows), plural(len(rows), "plan", "plans"), asOf, atRisk)
	} else {
		fmt.Fprintf(c.Stdout, "%d %s med prognose fra %s; %d i risiko\n", len(rows), plural(len(rows), "plan", "planer"), asOf, atRisk)
	}
	if len(rows) == 0 && len(in.Plans) > 0 && *mun == "" && *sol == "" {
		// Not "all is well": nothing was forecast.
		fmt.Fprintln(c.Stdout, e.L("Ingen plan har en idriftsættelse forude: angiv bølgernes go_live under waves.<løsning>.waves.<bølge> i konfigurationen, og planernes bølge (en Bølge:-linje i planen eller waves.<løsning>.municipalities).",
			"No plan has a go-live ahead: set the waves' go_live under waves.<solution>.waves.<wave> in the configuration, and the plans' wave (a Bølge: line in the plan or waves.<solution>.municipalities)."))
	}
	return nil
}

// forecastRow is one plan's forecast as printed and in JSON.
type forecastRow struct {
	Plan         string   `json:"plan"`
	Municipality string   `json:"municipality"`
	Solution     string   `json:"solution"`
	Wave         string   `json:"wave"`
	GoLive       string   `json:"go_live"`
	Ready        string   `json:"ready"`
	Slack        int      `json:"slack_working_days"`
	PlannedSlack int      `json:"planned_slack_working_days"`
	Level        string   `json:"level,omitempty"`
	LevelNow     string   `json:"level_now,omitempty"`
	Chain        []string `json:"driving_chain"`
	Explanation  string   `json:"explanation"`
}

func forecastRows(plans []store.Plan, now, whatIf detect.Result, mun, sol string, cal *workdays.Calendar, english bool) []forecastRow {
	level := func(res detect.Result, planID int64) (string, string) {
		for _, f := range res.Findings {
			if f.PlanID == planID && f.Kind == detect.KindGoLiveAtRisk {
				return f.Level, f.Message
			}
		}
		return "", ""
	}
	var rows []forecastRow
	for _, p := range plans {
		fc := whatIf.Forecasts[p.ID]
		if fc == nil || (mun != "" && !strings.EqualFold(mun, p.Municipality)) || (sol != "" && !strings.EqualFold(sol, p.Solution)) {
			continue
		}
		r := forecastRow{Plan: p.Key(), Municipality: p.Municipality, Solution: p.Solution, Wave: p.Wave, GoLive: fc.GoLive.String(),
			Ready: fc.Ready.String(), Slack: fc.Slack, PlannedSlack: fc.PlannedSlack, Chain: chainTitles(fc.Chain)}
		r.Level, _ = level(whatIf, p.ID)
		r.LevelNow, _ = level(now, p.ID)
		r.Explanation = fc.Explain(cal, english)
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Slack < rows[j].Slack })
	return rows
}

func chainTitles(fs []forecast.Finish) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Title)
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// levelWord names a red/amber/green level in the language.
func levelWord(level string, english bool) string {
	if english {
		return level
	}
	switch level {
	case model.LevelRed:
		return "rød"
	case model.LevelAmber:
		return "gul"
	case model.LevelGreen:
		return "grøn"
	}
	return level
}

// goLiveMoves is the repeatable --go-live SOLUTION/WAVE=DATE flag.
type goLiveMoves []struct {
	solution, wave string
	date           model.Date
}

func (m *goLiveMoves) String() string { return "" }

func (m *goLiveMoves) Set(s string) error {
	key, date, ok := strings.Cut(s, "=")
	sol, wave, ok2 := strings.Cut(key, "/")
	// The flag package says these after "invalid value … for flag
	// -go-live:"; flagOutput says them in Danish (valueHints).
	if !ok || !ok2 || strings.TrimSpace(sol) == "" || strings.TrimSpace(wave) == "" {
		return fmt.Errorf("want SOLUTION/WAVE=DATE, such as KY/2=2027-03-01")
	}
	d, err := model.ParseISODate(strings.TrimSpace(date))
	if err != nil {
		return fmt.Errorf("%q is not a date: write the date as YYYY-MM-DD, as in KY/2=2027-03-01", date)
	}
	*m = append(*m, struct {
		solution, wave string
		date           model.Date
	}{strings.TrimSpace(sol), strings.TrimSpace(wave), d})
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
