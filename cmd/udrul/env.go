package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/source/gsheets"
	"github.com/udrul/udrul/sync/syncer"
	"github.com/udrul/udrul/templates"
	"github.com/udrul/udrul/wavetable"
	"github.com/udrul/udrul/workdays"
)

// defaultConfig is the configuration file used when --config is not given:
// $UDRUL_CONFIG, else udrul.yaml in the current folder.
func defaultConfig() string {
	if p := os.Getenv("UDRUL_CONFIG"); p != "" {
		return p
	}
	return "udrul.yaml"
}

func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", defaultConfig(), "configuration `file` (default $UDRUL_CONFIG or udrul.yaml)")
}

// env is a loaded configuration and its open store.
type env struct {
	cfg    *config.Config
	db     *store.DB
	google *gsheets.Client
}

func openEnv(ctx context.Context, configPath string) (*env, error) {
	cfg, err := config.Load(configPath)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("no configuration at %s: write one with 'udrul init' or name it with --config", configPath)
		}
		return nil, err
	}
	if cfg.WaveTable != "" {
		if err := mergeWaveTable(cfg); err != nil {
			return nil, err
		}
	}
	db, err := store.Open(ctx, cfg.DatabasePath())
	if err != nil {
		return nil, err
	}
	// The decided wave plans (udrul waves decide) come last: they win.
	decided, err := db.DecidedWaves(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for sol, ms := range decided {
		for m, w := range ms {
			cfg.SetWave(sol, w, m, model.Date{}, nil)
		}
	}
	return &env{cfg: cfg, db: db}, nil
}

func (e *env) Close() error { return e.db.Close() }

// newSyncer builds the sync cycle and its targets from the configuration;
// only names sources when given.
func (e *env) newSyncer(logger *slog.Logger, progress io.Writer, only string) (*syncer.Syncer, []syncer.Target, error) {
	cfg := e.cfg
	s := &syncer.Syncer{
		DB:       e.db,
		Parser:   parse.New(cfg.ParserOptions()),
		ReadOpts: grid.Options{MaxSize: cfg.MaxFileSizeMiB << 20},
		Guard:    reconcile.Guard{MaxLoss: cfg.ShrinkGuard.MaxLoss, MinTasks: cfg.ShrinkGuard.MinTasks},
		Log:      logger,
		Progress: progress,
	}
	var targets []syncer.Target
	for _, src := range cfg.Sources {
		if only != "" && src.Name != only {
			continue
		}
		src := src
		var s syncer.Source
		switch src.Kind {
		case config.KindFiles:
			s = source.NewFiles(src.Name, cfg.SourcePath(src), src.Recursive)
		case config.KindGSheets:
			client, err := e.googleClient()
			if err != nil {
				return nil, nil, fmt.Errorf("source %s: %w", src.Name, err)
			}
			s = gsheets.New(client, gsheets.Config{Name: src.Name, Spreadsheets: append([]string(nil), src.Spreadsheets...),
				Folders: append([]string(nil), src.Folders...), MaxSize: cfg.MaxFileSizeMiB << 20})
		default:
			return nil, nil, fmt.Errorf("source %s: kind %q cannot be synced", src.Name, src.Kind)
		}
		targets = append(targets, syncer.Target{Source: s, Identify: func(it source.Item, md model.Metadata) (syncer.Identity, error) {
			id, err := cfg.Identify(src, it.Name, md)
			return syncer.Identity(id), err
		}})
	}
	if only != "" && len(targets) == 0 {
		return nil, nil, fmt.Errorf("no source named %q in %s", only, cfg.Path())
	}
	return s, targets, nil
}

// mergeWaveTable reads the wave table spreadsheet into the configuration.
// Its problems are errors: a wave plan must be right.
func mergeWaveTable(cfg *config.Config) error {
	t, issues, err := wavetable.Read(cfg.WaveTablePath())
	if err != nil {
		return err
	}
	if len(issues) > 0 {
		var msgs []string
		for _, is := range issues {
			msgs = append(msgs, fmt.Sprintf("%s!%s: %s", is.Pos.Sheet, is.Pos.Cell, is.Message))
		}
		return fmt.Errorf("wave table %s:\n  %s", cfg.WaveTablePath(), strings.Join(msgs, "\n  "))
	}
	for sol, s := range t {
		for name, w := range s.Waves {
			cfg.SetWave(sol, name, "", w.GoLive, w.Milestones)
		}
		for m, w := range s.Municipalities {
			cfg.SetWave(sol, w, m, model.Date{}, nil)
		}
	}
	return nil
}

// googleClient returns the client shared by all Google sources, made once.
func (e *env) googleClient() (*gsheets.Client, error) {
	if e.google != nil {
		return e.google, nil
	}
	g := e.cfg.Google
	c, err := gsheets.NewClient(context.Background(), gsheets.Options{CredentialsFile: e.cfg.GoogleCredentials(), Subject: g.Subject, RequestsPerMinute: g.RequestsPerMinute,
		DriveEndpoint: g.DriveEndpoint, SheetsEndpoint: g.SheetsEndpoint})
	if err != nil {
		return nil, err
	}
	e.google = c
	return c, nil
}

// isTerminal reports whether w is a terminal (for progress bars).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// evaluate runs the rules for asOf with the configuration's thresholds,
// wave table and standard plans, and records the findings' lifecycle.
func (e *env) evaluate(ctx context.Context, asOf model.Date) (*detect.Evaluation, error) {
	cfg := e.cfg
	std, err := templates.Load(cfg.TemplatesDir())
	if err != nil {
		return nil, err
	}
	in, err := detect.LoadInput(ctx, e.db, asOf, cfg.Location())
	if err != nil {
		return nil, err
	}
	in.GoLive = cfg.GoLive
	in.Standard = func(solution string) []detect.StdTask {
		p, ok := std.For(solution)
		if !ok {
			return nil
		}
		var out []detect.StdTask
		for _, st := range p.Steps {
			for _, t := range st.Tasks {
				out = append(out, detect.StdTask{Step: st.Label, Title: t.Title})
			}
		}
		return out
	}
	return detect.Run(ctx, e.db, in, e.rules())
}

func (e *env) rules() detect.Rules {
	r := e.cfg.Rules
	goLive, _ := regexp.Compile(r.GoLiveTask)
	return detect.Rules{
		DueSoonDays: r.DueSoonDays, RedOverdueDays: r.RedOverdueDays, StaleDays: r.StaleDays, SyncStaleDays: r.SyncStaleDays,
		LoadTasksPerWeek: r.LoadTasksPerWeek, GoLiveGapDays: r.GoLiveGapDays, BeforeGoLiveSteps: r.BeforeGoLiveSteps,
		GoLiveTask: goLive, Calendar: workdays.New(r.ClosureDates()...), English: e.cfg.Language == "en",
	}
}

// today is the current date in the configured time zone.
func (e *env) today() model.Date { return model.DateOf(time.Now().In(e.cfg.Location())) }

// asOf reads a command's --as-of flag; a bad date is a usage error,
// reported on stderr.
func (e *env) asOf(cmd, flag string, stderr io.Writer) (model.Date, error) {
	d, err := e.parseAsOf(flag)
	if err != nil {
		fmt.Fprintf(stderr, "udrul %s: %v\n", cmd, err)
		return d, errUsage
	}
	return d, nil
}

// parseAsOf reads an --as-of flag: YYYY-MM-DD, or "" for today.
func (e *env) parseAsOf(s string) (model.Date, error) {
	if s == "" {
		return e.today(), nil
	}
	d, err := model.ParseISODate(s)
	if err != nil {
		return model.Date{}, fmt.Errorf("--as-of: %w", err)
	}
	return d, nil
}

// openFor parses a command's flags and opens its configuration and store.
// Positional arguments are refused, and so are flag values that ok (when
// given) rejects: both are usage errors.
func openFor(ctx context.Context, fs *flag.FlagSet, args []string, cfgPath *string, ok func() bool) (*env, error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 || (ok != nil && !ok()) {
		fs.Usage()
		return nil, errUsage
	}
	return openEnv(ctx, *cfgPath)
}
