package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/forecast"
	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/placement"
	"github.com/udrul/udrul/store"
)

// WavesCommand proposes, revises and decides wave plans.
type WavesCommand struct {
	Stdout, Stderr io.Writer
}

// wavesUsage is each subcommand's usage line.
var wavesUsage = map[string]string{
	"propose":   "propose --solution S --criteria FILE [--out FILE] [--config FILE]",
	"responses": "responses --solution S [--out FILE] [--config FILE] PROPOSAL",
	"decide":    "decide --solution S [--config FILE] PROPOSAL",
}

const wavesSynopsis = `propose|responses|decide ...
       udrul waves ` + "propose --solution S --criteria FILE [--out FILE] [--config FILE]" + `
       udrul waves ` + "responses --solution S [--out FILE] [--config FILE] PROPOSAL" + `
       udrul waves ` + "decide --solution S [--config FILE] PROPOSAL" + `

propose reads the criteria sheet (one row per municipality: Kommune,
Størrelse, Ønsket bølge, Tidligst, Senest, Kontraktudløb, Bemærkninger and
the configured criteria columns) and writes a proposal workbook that meets
every hard constraint (earliest/latest wave, contract end, each wave's
capacity, go-live after the solutions it depends on) and scores best on the
weighted criteria and preferences. It has columns for the hearing's
answers. responses reads them back and re-plans, honouring the requests the
constraints allow; decide records the final wave plan in the store, where
wave tables, go-live dates and templates take it from.`

// Run runs the command.
func (c *WavesCommand) Run(ctx context.Context, args []string) error {
	args = subcommandFirst(args, "propose", "responses", "decide")
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	synopsis, ok := wavesUsage[sub]
	if ok {
		_, about, _ := strings.Cut(wavesSynopsis, "\n\n")
		synopsis += "\n\n" + about
	} else {
		synopsis, sub = wavesSynopsis, ""
	}
	name := strings.TrimSpace("waves " + sub)
	fs := newFlagSet(name, strings.TrimPrefix(synopsis, sub+" "), c.Stderr)
	cfgPath := configFlag(fs)
	sol := fs.String("solution", "", "the `solution`")
	criteria := fs.String("criteria", "", "the criteria sheet `file` (propose)")
	out := fs.String("out", "", "the proposal workbook `file` to write")
	if sub == "" {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		return noSubcommand(fs, "name the subcommand: propose, responses or decide", "propose", "responses", "decide")
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	bad := func(msg string) error {
		fmt.Fprintf(c.Stderr, "udrul waves %s: %s\n", sub, usageText(fs, msg))
		fs.Usage()
		return errUsage
	}
	if *sol == "" {
		return bad("--solution is required")
	}
	if sub == "propose" && (*criteria == "" || fs.NArg() > 0) {
		return bad("--criteria FILE is required, and nothing else")
	}
	if sub != "propose" && fs.NArg() != 1 {
		return bad("name the proposal workbook")
	}
	e, err := app.OpenTelling(ctx, *cfgPath, c.Stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	waves, err := placementWaves(e, *sol)
	if err != nil {
		return err
	}
	switch sub {
	case "propose":
		p, err := placementProblem(e, ctx, *sol, waves, *criteria, c.Stdout)
		if err != nil {
			return err
		}
		res, err := placement.Solve(p)
		if err != nil {
			return err
		}
		path := app.OutputPath(*out, ".", fmt.Sprintf("bølgeplan-%s-%d.xlsx", *sol, placementYear(e)))
		if err := e.CheckReplace(path, provenance.Proposal); err != nil {
			return err
		}
		if err := writeProposal(path, p, res, *sol, placementYear(e)); err != nil {
			return e.PlainAt(err, path)
		}
		printPlacement(c.Stdout, p, res, e.L)
		fmt.Fprintf(c.Stdout, e.L("%s: %d kommuner i %d bølger\n", "%s: %d municipalities in %d waves\n"), path, len(p.Municipalities), len(waves))
		fmt.Fprint(c.Stdout, p.ExplainText(res, e.English()))
		return nil
	case "responses":
		return c.responses(ctx, e, *sol, waves, fs.Arg(0), *out)
	default:
		responses, issues, err := placement.ReadResponses(fs.Arg(0), waves, e.English())
		if err != nil {
			return err
		}
		for _, is := range issues {
			fmt.Fprintf(c.Stderr, "%s!%s: %s\n", is.Pos.Sheet, is.Pos.Cell, is.Message)
		}
		decided := map[string]string{}
		for _, r := range responses {
			if r.Proposed == 0 {
				return fmt.Errorf(e.L("%s har ingen foreslået bølge i %s", "%s has no proposed wave in %s"), r.Municipality, fs.Arg(0))
			}
			decided[r.Municipality] = waves[r.Proposed-1].Name
		}
		if err := e.DB.DecideWaves(ctx, *sol, decided, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, e.L("bølgeplanen for %s er besluttet: %d kommuner (fra %s)\n", "wave plan of %s decided: %d municipalities (from %s)\n"), *sol, len(decided), fs.Arg(0))
		return nil
	}
}

func placementYear(e *app.Env) int {
	if y := e.Cfg.Placement.Year; y > 0 {
		return y
	}
	return e.Today().Year
}

// placementWaves are the solution's waves from the wave table, in order,
// with their capacities.
func placementWaves(e *app.Env, sol string) ([]placement.Wave, error) {
	var names []string
	var sw = e.Cfg.Waves[sol]
	for k, v := range e.Cfg.Waves {
		if strings.EqualFold(k, sol) {
			sw = v
		}
	}
	for name := range sw.Waves {
		names = append(names, name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf(e.L("bølgetabellen har ingen bølger for %[1]s: tilføj waves.%[1]s.waves med deres go_live-datoer", "the wave table has no waves for %[1]s: add waves.%[1]s.waves with their go_live dates"), sol)
	}
	sort.Slice(names, func(i, j int) bool {
		a, errA := strconv.Atoi(names[i])
		b, errB := strconv.Atoi(names[j])
		if errA == nil && errB == nil {
			return a < b
		}
		return names[i] < names[j]
	})
	capacity := map[string]placementCapacity{}
	for k, v := range e.Cfg.Placement.Capacity {
		if strings.EqualFold(k, sol) {
			for w, c := range v {
				capacity[w] = placementCapacity{c.Municipalities, c.Size}
			}
		}
	}
	var out []placement.Wave
	for _, n := range names {
		out = append(out, placement.Wave{Name: n, GoLive: sw.Waves[n].GoLiveDate(), Capacity: capacity[n].count, MaxSize: capacity[n].size})
	}
	return out, nil
}

type placementCapacity struct {
	count int
	size  float64
}

var goLiveTitle = regexp.MustCompile(`(?i)idriftsættelse|go-live`)

// placementProblem reads the criteria sheet and adds the constraints from
// the configuration and the store.
func placementProblem(e *app.Env, ctx context.Context, sol string, waves []placement.Wave, criteriaPath string, w io.Writer) (*placement.Problem, error) {
	var crit []placement.Criterion
	for _, c := range e.Cfg.Placement.Criteria {
		crit = append(crit, placement.Criterion{Name: c.Column, Weight: c.Weight, Early: c.Direction == "early"})
	}
	ms, issues, err := placement.ReadCriteria(criteriaPath, waves, crit, e.Cfg.Placement.SizeColumn, e.English())
	if err != nil {
		return nil, err
	}
	for _, is := range issues {
		fmt.Fprintf(w, "%s!%s: %s (%s)\n", is.Pos.Sheet, is.Pos.Cell, is.Message, is.Code)
	}
	// Dependencies: go live after the solutions this one depends on.
	plans, err := e.DB.ListPlans(ctx)
	if err != nil {
		return nil, err
	}
	// The forecast of the plans of the solutions depended on: a
	// municipality whose earlier solution will be ready after its go-live
	// cannot start the next one before it is.
	var forecasts map[int64]*forecast.Result
	for _, dep := range e.Cfg.Placement.Dependencies {
		if !strings.EqualFold(dep.Solution, sol) {
			continue
		}
		if forecasts == nil {
			in, err := e.Input(ctx, e.Today())
			if err != nil {
				return nil, err
			}
			forecasts = detect.Evaluate(in, e.Rules()).Forecasts
		}
		for i := range ms {
			m := &ms[i]
			after, why := goLiveOf(e, ctx, dep.After, m.Name, plans)
			if ready, rwhy := forecastReady(e, dep.After, m.Name, plans, forecasts); ready.After(after) {
				after, why = ready, rwhy
			}
			if !after.IsZero() && after.After(m.After) {
				m.After, m.AfterWhy = after, why
			}
		}
	}
	return &placement.Problem{Waves: waves, Municipalities: ms, Criteria: crit, PreferenceWeight: e.Cfg.Placement.PreferenceWeight, English: e.English()}, nil
}

// goLiveOf is a municipality's go-live on a solution: its wave's go-live in
// the wave table, else the end of its plan's go-live task in the store.
func goLiveOf(e *app.Env, ctx context.Context, sol, mun string, plans []store.Plan) (model.Date, string) {
	if w := e.Cfg.WaveOf(sol, mun); w != "" {
		if d := e.Cfg.GoLive(sol, w); !d.IsZero() {
			return d, fmt.Sprintf(e.L("%s idriftsættelse %s (bølge %s)", "%s go-live %s (wave %s)"), sol, d, w)
		}
	}
	for _, p := range plans {
		if !strings.EqualFold(p.Municipality, mun) || !strings.EqualFold(p.Solution, sol) {
			continue
		}
		tasks, err := e.DB.ListTasks(ctx, store.TaskFilter{Municipality: mun, Solution: sol})
		if err != nil {
			return model.Date{}, ""
		}
		for _, t := range tasks {
			if goLiveTitle.MatchString(t.Title) && !t.End.IsZero() {
				return t.End, fmt.Sprintf(e.L("%s idriftsættelse %s (kommunens plan)", "%s go-live %s (the municipality's plan)"), sol, t.End)
			}
		}
	}
	return model.Date{}, ""
}

// forecastReady is when the municipality's plan for sol is forecast to be
// ready, when that is after the plan's go-live (zero otherwise).
func forecastReady(e *app.Env, sol, mun string, plans []store.Plan, forecasts map[int64]*forecast.Result) (model.Date, string) {
	for _, p := range plans {
		if !strings.EqualFold(p.Municipality, mun) || !strings.EqualFold(p.Solution, sol) {
			continue
		}
		if fc := forecasts[p.ID]; fc != nil && fc.Slack < 0 {
			return fc.Ready, fmt.Sprintf(e.L("%s er ifølge prognosen klar %s, efter idriftsættelsen %s", "%s is forecast ready %s, after its go-live %s"),
				sol, fc.Ready, fc.GoLive)
		}
	}
	return model.Date{}, ""
}

func writeProposal(path string, p *placement.Problem, r *placement.Result, sol string, year int) error {
	return app.WriteFile(path, func(w io.Writer) error { return placement.WriteProposal(w, p, r, sol, year) })
}

func printPlacement(w io.Writer, p *placement.Problem, r *placement.Result, l func(da, en string) string) {
	for wi, wave := range p.Waves {
		var names []string
		for _, pl := range r.Placements {
			if pl.Wave == wi {
				names = append(names, pl.Municipality)
			}
		}
		load := r.Load[wi]
		fmt.Fprintf(w, l("bølge %s (idriftsættelse %s): %d kommuner, størrelse %.0f: %s\n", "wave %s (go-live %s): %d municipalities, size %.0f: %s\n"),
			wave.Name, wave.GoLive, load.Count, load.Size, strings.Join(names, ", "))
	}
}

// responses re-plans from the hearing's answers: accepted proposals stay
// where they are if they can, requests for another wave are granted one by
// one while the constraints allow.
func (c *WavesCommand) responses(ctx context.Context, e *app.Env, sol string, waves []placement.Wave, path, out string) error {
	responses, issues, err := placement.ReadResponses(path, waves, e.English())
	if err != nil {
		return err
	}
	for _, is := range issues {
		fmt.Fprintf(c.Stdout, "%s!%s: %s\n", is.Pos.Sheet, is.Pos.Cell, is.Message)
	}
	// The problem comes from the proposal itself: sizes and the
	// preferences as proposed; constraints from the configuration.
	p, err := problemFromProposal(e, ctx, sol, waves, path, responses)
	if err != nil {
		return err
	}
	idx := map[string]int{}
	for i, m := range p.Municipalities {
		idx[m.Name] = i
	}
	// Every answer's municipality must be one the plan is made for: a row
	// whose name was changed or mistyped in the answers would otherwise
	// drop that municipality from the revised plan without a word.
	var unknown []string
	for _, r := range responses {
		if _, ok := idx[r.Municipality]; !ok {
			unknown = append(unknown, fmt.Sprintf(e.L("%q (række %d)", "%q (row %d)"), r.Municipality, r.Row))
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf(e.L("%s: svarene nævner kommuner, som forslaget ikke har, eller som udrul ikke kender: %s; ret navnene (som i forslaget), og kør igen. Intet er skrevet.",
			"%s: the answers name municipalities the proposal does not have, or udrul does not know: %s; correct the names (as in the proposal) and run again. Nothing was written."),
			path, strings.Join(unknown, ", "))
	}
	var granted, refused []string
	for _, r := range responses {
		if r.Accept || r.Requested == 0 {
			continue
		}
		i := idx[r.Municipality]
		p.Municipalities[i].Pinned = r.Requested
		if _, err := placement.Solve(p); err != nil {
			p.Municipalities[i].Pinned = 0
			var ie *placement.InfeasibleError
			why := err.Error()
			if errors.As(err, &ie) && len(ie.Conflicts) > 0 {
				why = strings.Join(ie.Conflicts[0].Constraints, "; ")
			}
			refused = append(refused, fmt.Sprintf(e.L("%s bad om bølge %s: ikke muligt: %s", "%s asked for wave %s: not possible: %s"), r.Municipality, waves[r.Requested-1].Name, why))
			continue
		}
		granted = append(granted, fmt.Sprintf(e.L("%s: bølge %s som ønsket", "%s: wave %s as asked"), r.Municipality, waves[r.Requested-1].Name))
	}
	res, err := placement.Solve(p)
	if err != nil {
		return err
	}
	out = app.OutputPath(out, filepath.Dir(path), strings.TrimSuffix(filepath.Base(path), ".xlsx")+"-revideret.xlsx")
	if err := e.CheckReplace(out, provenance.Proposal); err != nil {
		return err
	}
	if err := writeProposal(out, p, res, sol, placementYear(e)); err != nil {
		return err
	}
	for _, g := range granted {
		fmt.Fprintln(c.Stdout, e.L("imødekommet: ", "granted: ")+g)
	}
	for _, r := range refused {
		fmt.Fprintln(c.Stdout, e.L("afslået: ", "refused: ")+r)
	}
	moved := 0
	for _, r := range responses {
		if i, ok := idx[r.Municipality]; ok && r.Proposed > 0 && res.Placements[i].Wave != r.Proposed-1 {
			moved++
		}
	}
	fmt.Fprintf(c.Stdout, e.L("%s: %d ønsker imødekommet, %d afslået, %d kommuner flyttet\n", "%s: %d requests granted, %d refused, %d municipalities moved\n"),
		out, len(granted), len(refused), moved)
	return nil
}

// problemFromProposal rebuilds the problem from a proposal workbook: its
// municipalities and sizes, the proposed wave as each one's preference
// (accepted proposals stay), the constraints from the configuration and
// the store.
func problemFromProposal(e *app.Env, ctx context.Context, sol string, waves []placement.Wave, path string, responses []placement.Response) (*placement.Problem, error) {
	p, err := placementProblem(e, ctx, sol, waves, path, io.Discard)
	if err != nil {
		return nil, err
	}
	proposed := map[string]int{}
	for _, r := range responses {
		proposed[r.Municipality] = r.Proposed
	}
	for i := range p.Municipalities {
		m := &p.Municipalities[i]
		if w := proposed[m.Name]; w > 0 {
			m.Preferred = w
		}
	}
	p.PreferenceWeight = max(p.PreferenceWeight, 100) // stability: keep the announced plan where possible
	return p, nil
}
