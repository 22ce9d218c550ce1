package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/syncer"
)

// DemoCommand shows udrul at work on example plans, with no configuration
// or credentials: it syncs a folder of plans, changes some of them the way
// municipalities do, syncs again and prints what it found.
type DemoCommand struct {
	Stdout, Stderr io.Writer
}

const demoSynopsis = `[--dir FOLDER] [--lang da|en]

Writes example plans for several municipalities and solutions, in the
layouts they really use, into FOLDER/plans with a configuration and a fresh
database; syncs them; then changes some plans (a slipped end date, a renamed
task, a removed task, a sheet cleared by mistake), syncs again, and prints
what udrul found. FOLDER is replaced if an earlier demo made it. --lang sets
the demo configuration's language: its messages and report speak it.`

const demoMarker = ".udrul-demo"

// demoPlans are the demo's plans: one per layout, and a few more.
var demoPlans = []plangen.Spec{
	{Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1},
	{Layout: plangen.TabPerStep, Municipality: "Odense", Solution: "KSD", Wave: 2},
	{Layout: plangen.SectionRows, Municipality: "Esbjerg", Solution: "SAPA", Wave: 1},
	{Layout: plangen.TextDates, Municipality: "Randers", Solution: "KP", Wave: 2, Defects: true},
	{Layout: plangen.StepColumn, Municipality: "Gladsaxe", Solution: "KY", Wave: 1},
	{Layout: plangen.English, Municipality: "Lyngby-Taarbæk", Solution: "SAPA", Wave: 2},
	{Layout: plangen.CSVDanish, Municipality: "Fredensborg", Solution: "KSD", Wave: 1},
	{Layout: plangen.CSVUTF8, Municipality: "Høje-Taastrup", Solution: "KP", Wave: 1, Defects: true},
	{Layout: plangen.UnicodeText, Municipality: "Vejle", Solution: "KY", Wave: 2},
	{Layout: plangen.TabPerStep, Municipality: "Aarhus", Solution: "SAPA", Wave: 2},
	{Layout: plangen.SectionRows, Municipality: "Odense", Solution: "KY", Wave: 2},
	{Layout: plangen.Blocks, Municipality: "Køge", Solution: "KSD", Wave: 1},
}

// demoConfig is the demo's configuration; the waves go live about 8 and
// 18 weeks after today.
const demoConfig = `# Written by 'udrul demo'.
database: udrul.db
language: %s
report:
  dir: reports
sources:
  - name: demo
    kind: files
    path: plans
waves:
  KY:
    waves:
      "1": {go_live: %s}
      "2": {go_live: %s}
    municipalities: {Aarhus: "1", Gladsaxe: "1", Vejle: "2", Odense: "2"}
`

// demoDays is how many days before today the demo's plans start: their
// municipalities updated them two to four weeks ago, so some tasks are late.
const demoDays = 100

// Run runs the command.
func (c *DemoCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("demo", demoSynopsis, c.Stderr)
	dir := fs.String("dir", "udrul-demo", "`folder` for the demo's plans, configuration and database")
	lang := fs.String("lang", "da", "`language` of the demo's messages and report: da or en")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badUsage(fs, "unexpected argument %q: this command takes only flags", fs.Arg(0))
	}
	if err := oneOf("language", *lang, "da", "en"); err != nil {
		return badUsage(fs, "%v", err)
	}
	l := func(da, en string) string {
		if *lang == "en" {
			return en
		}
		return da
	}
	if err := prepareDemoDir(*dir, l); err != nil {
		return err
	}
	plansDir := filepath.Join(*dir, "plans")
	today := model.DateOf(time.Now())
	var plans []*plangen.Plan
	for i, spec := range demoPlans {
		spec.Seed = uint64(100 + i)
		spec.Start = today.AddDays(-demoDays + 70*(spec.Wave-1))
		p := plangen.Generate(spec)
		if _, err := p.Write(plansDir); err != nil {
			return err
		}
		plans = append(plans, p)
	}
	cfgPath := filepath.Join(*dir, "udrul.yaml")
	config := fmt.Sprintf(demoConfig, *lang, today.AddDays(-demoDays+154), today.AddDays(-demoDays+154+70))
	if err := os.WriteFile(cfgPath, []byte(config), 0o644); err != nil {
		return err
	}
	w := c.Stdout
	fmt.Fprintf(w, l("Skrev %d eksempelplaner i %d layouts til %s\n\n", "Wrote %d example plans for %d layouts to %s\n\n"), len(plans), len(plangen.Layouts), plansDir)

	e, err := app.Open(ctx, cfgPath)
	if err != nil {
		return err
	}
	defer e.Close()
	logger := slog.New(slog.DiscardHandler)
	s, targets, err := e.NewSyncer(logger, nil, "")
	if err != nil {
		return err
	}
	fmt.Fprintln(w, l("1. Første synkronisering: hver plan læses og gemmes.", "1. First sync: every plan is read and stored."))
	results, err := s.Cycle(ctx, targets, syncer.Options{})
	if err != nil {
		return err
	}
	printSyncResults(indent(w), results, l)

	// What municipalities do to their sheets between two syncs.
	edits := []struct {
		plan int
		what string
		do   func(p *plangen.Plan)
	}{
		{0, l("en slutdato skred 10 dage", "an end date slipped 10 days"), func(p *plangen.Plan) { p.Slip(1, 10) }},
		{4, l("en slutdato skred 15 dage", "an end date slipped 15 days"), func(p *plangen.Plan) { p.Slip(3, 15) }},
		{1, l("en opgave omdøbt", "a task renamed"), func(p *plangen.Plan) { p.Rename(2, p.Tasks[2].Title+" (revideret)") }},
		{2, l("en opgave fjernet", "a task removed"), func(p *plangen.Plan) { p.Remove(4) }},
		{3, l("arket tømt ved en fejl", "the sheet cleared by mistake"), func(p *plangen.Plan) { p.Clear() }},
	}
	fmt.Fprintln(w, l("\n2. Kommunerne retter i deres ark:", "\n2. Municipalities edit their sheets:"))
	for _, ed := range edits {
		p := plans[ed.plan]
		ed.do(p)
		if _, err := p.Write(plansDir); err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s/%s (%s): %s\n", p.Municipality, p.Solution, p.FileName(), ed.what)
	}

	fmt.Fprintln(w, l("\n3. Anden synkronisering: kun de ændrede filer læses.", "\n3. Second sync: only the changed files are read."))
	results, err = s.Cycle(ctx, targets, syncer.Options{})
	if err != nil {
		return err
	}
	printSyncResults(indent(w), results, l)
	changes, err := e.DB.RunChanges(ctx, results[0].RunID)
	if err != nil {
		return err
	}
	english := *lang == "en"
	fmt.Fprintln(w, l("\n4. Hvad der ændrede sig, opgave for opgave (gemt i historikken):", "\n4. What changed, task by task (kept in the history):"))
	for _, ch := range changes {
		switch ch.Field {
		case "removed":
			fmt.Fprintf(w, l("   %s: opgave %d %q fjernet fra arket (bevaret i databasen)\n", "   %s: task %d %q removed from the sheet (kept in the store)\n"), ch.Plan, ch.TaskID, ch.Title)
		default:
			fmt.Fprintf(w, l("   %s: opgave %d %q: %s %s → %s\n", "   %s: task %d %q: %s %s → %s\n"), ch.Plan, ch.TaskID, ch.Title, model.FieldLabel(ch.Field, english),
				changeValue(ch.Field, ch.Old, english), changeValue(ch.Field, ch.New, english))
		}
	}
	plansNow, err := e.DB.ListPlans(ctx)
	if err != nil {
		return err
	}
	for _, p := range plansNow {
		if p.State == "held" {
			fmt.Fprintf(w, l("   %s er holdt tilbage: %s\n", "   %s is held: %s\n"), p.Key(), model.HeldReason(p.StateReason, english))
		} else if p.State != "ok" {
			fmt.Fprintf(w, l("   %s er %s: %s\n", "   %s is %s: %s\n"), p.Key(), strings.ToLower(model.StateLabel(p.State, english)), p.StateReason)
		}
	}
	// 5. The findings and the weekly report.
	paths, h, err := e.WriteReports(ctx, e.Today(), "", "", false)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, l("\n5. Ugerapporten: %s\n", "\n5. The weekly report: %s\n"), paths[0])
	fmt.Fprintf(w, l("   %d planer, %d opgaver, %.0f%% færdige, %d forsinkede, %d skredet denne uge, %d dataproblemer i arkene, %d røde planer\n",
		"   %d plans, %d tasks, %.0f%% done, %d overdue, %d slipped this week, %d data problems in the sheets, %d red plans\n"),
		h.Plans, h.Tasks, h.Done*100, h.Overdue, h.SlippedWeek, h.DataProblems, h.RedPlans)
	// 6. Will the go-lives hold? The forecast's plans at risk, worst first.
	in, err := e.Input(ctx, e.Today())
	if err != nil {
		return err
	}
	var risks []model.Finding
	for _, f := range detect.Evaluate(in, e.Rules()).Findings {
		if f.Kind == detect.KindGoLiveAtRisk {
			risks = append(risks, f)
		}
	}
	sort.SliceStable(risks, func(i, j int) bool { return risks[i].Days > risks[j].Days })
	fmt.Fprintf(w, l("\n6. Holder idriftsættelserne? %d planer er i fare:\n", "\n6. Will the go-lives hold? %d plans are at risk:\n"), len(risks))
	for i, f := range risks {
		if i == 3 {
			fmt.Fprintf(w, l("   … og %d til (udrul forecast viser dem alle)\n", "   … and %d more (udrul forecast shows them all)\n"), len(risks)-3)
			break
		}
		fmt.Fprintf(w, "   %s/%s (%s): %s\n", f.Municipality, f.Solution, model.LevelLabel(f.Level, english), f.Message)
	}
	udrul := selfCommand()
	fmt.Fprint(w, l("\nSe nærmere efter:\n", "\nLook further:\n"))
	fmt.Fprintf(w, "   %[2]s plans --config %[1]s\n   %[2]s tasks --config %[1]s --municipality Aarhus\n   %[2]s findings --config %[1]s --level red\n   %[2]s forecast --config %[1]s\n", cfgPath, udrul)
	if len(changes) > 0 {
		fmt.Fprintf(w, "   %s history --config %s %d\n", udrul, cfgPath, changes[0].TaskID)
	}
	fmt.Fprintf(w, l("   %s sync --config %s --accept Randers/KP   (anvend det tømte ark alligevel)\n", "   %s sync --config %s --accept Randers/KP   (apply the cleared sheet after all)\n"), udrul, cfgPath)
	if strings.HasPrefix(udrul, "go run") {
		fmt.Fprintln(w, l("   (eller byg programmet én gang: go build -o udrul ./cmd/udrul, og skriv ./udrul i stedet for go run ./cmd/udrul)",
			"   (or build the binary once: go build -o udrul ./cmd/udrul, and write ./udrul instead of go run ./cmd/udrul)"))
	}
	return nil
}

// selfCommand is how to run this udrul again from the current folder: the
// binary as invoked (udrul when it is the one on the PATH), or
// "go run ./cmd/udrul" when it was started by go run (or a test).
func selfCommand() string {
	exe, err := os.Executable()
	if err != nil {
		return "udrul"
	}
	// go run builds into a go-build folder; a binary someone built into
	// the temporary folder is still a binary, named by its path below.
	if strings.Contains(exe, "go-build") || strings.HasSuffix(exe, ".test") {
		return "go run ./cmd/udrul"
	}
	if onPath, err := exec.LookPath("udrul"); err == nil {
		if a, err := filepath.EvalSymlinks(onPath); err == nil {
			if b, err := filepath.EvalSymlinks(exe); err == nil && a == b {
				return "udrul"
			}
		}
	}
	if rel, err := filepath.Rel(".", exe); err == nil && !strings.HasPrefix(rel, "..") {
		return "./" + rel
	}
	return exe
}

// prepareDemoDir empties dir if an earlier demo made it, and refuses any
// other non-empty folder.
func prepareDemoDir(dir string, l func(da, en string) string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case os.IsNotExist(err):
	case err != nil:
		return err
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return fmt.Errorf(l("%s findes og er ikke lavet af 'udrul demo': intet er ændret; vælg en anden --dir", "%s exists and was not made by 'udrul demo': nothing was changed; choose another --dir"), dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "plans"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("made by udrul demo\n"), 0o644)
}

type indentWriter struct{ w io.Writer }

func (iw indentWriter) Write(b []byte) (int, error) {
	lines := strings.SplitAfter(string(b), "\n")
	for _, l := range lines {
		if l == "" {
			continue
		}
		if _, err := io.WriteString(iw.w, "   "+l); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

func indent(w io.Writer) io.Writer { return indentWriter{w} }
