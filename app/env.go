// Package app is udrul opened for work: a loaded configuration, its store,
// and the wiring every command and the daemon share (the sync cycle and its
// sources, the rules, alert recipients and digests, the reports).
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/udrul/udrul/backup"
	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/internal/lang"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/source/gsheets"
	"github.com/udrul/udrul/sync/source/m365"
	"github.com/udrul/udrul/sync/syncer"
	"github.com/udrul/udrul/templates"
	"github.com/udrul/udrul/wavetable"
	"github.com/udrul/udrul/workdays"
)

// Env is a loaded configuration and its open store.
type Env struct {
	Cfg    *config.Config
	DB     *store.DB
	google *gsheets.Client
	graph  *m365.Client

	// GraphTransport, when set, is the HTTP transport of the Microsoft
	// Graph client (tests: the fake's TLS transport).
	GraphTransport http.RoundTripper

	graphMu     sync.Mutex
	onGraphCall func(endpoint, status string)

	lock *backup.Lock // the database's lock, shared: no restore while open
}

// Open loads the configuration at configPath and opens its store; what
// opening the store found of udrul's triggers on the tasks and did
// (PackTriggerNotices) is printed on stderr.
func Open(ctx context.Context, configPath string) (*Env, error) {
	return OpenTelling(ctx, configPath, os.Stderr)
}

// OpenTelling is Open printing those notices on w; nil prints none (the
// daemon logs them: PackTriggerNotices).
func OpenTelling(ctx context.Context, configPath string, w io.Writer) (*Env, error) {
	cfg, err := config.Load(configPath)
	if err != nil {
		return nil, err
	}
	if cfg.WaveTable != "" {
		if err := MergeWaveTable(cfg); err != nil {
			return nil, err
		}
	}
	lock, err := lockShared(ctx, cfg)
	if err != nil {
		return nil, err
	}
	db, err := store.OpenWith(ctx, cfg.DatabasePath(), store.Options{OnUpgrade: func(from, to int) {
		fmt.Fprintln(os.Stderr, lang.Pick(cfg.English(),
			fmt.Sprintf("udrul: opgraderer databasen %s fra en ældre udrul (skema %d → %d); det kan tage et øjeblik …", cfg.DatabasePath(), from, to),
			fmt.Sprintf("udrul: upgrading the database %s from an older udrul (schema %d → %d); this may take a moment …", cfg.DatabasePath(), from, to)))
	}})
	if err != nil {
		lock.Release()
		return nil, databaseError(cfg, err)
	}
	if w != nil {
		for _, line := range packTriggerLines(db.PackTriggers(), cfg.DatabasePath(), cfg.English()) {
			fmt.Fprintln(w, line)
		}
	}
	db.OnWait = func() {
		if cfg.English() {
			fmt.Fprintln(os.Stderr, "udrul: waiting for the database: another udrul is writing to it (syncing) …")
		} else {
			fmt.Fprintln(os.Stderr, "udrul: venter på databasen: en anden udrul skriver i den (synkroniserer) …")
		}
	}
	// The decided wave plans (udrul waves decide) come last: they win.
	decided, err := db.DecidedWaves(ctx)
	if err != nil {
		db.Close()
		lock.Release()
		return nil, err
	}
	for sol, ms := range decided {
		for m, w := range ms {
			cfg.SetWave(sol, w, m, model.Date{}, nil)
		}
	}
	return &Env{Cfg: cfg, DB: db, lock: lock}, nil
}

// restoreWait is how long Open waits for a restore under way to finish.
var restoreWait = 2 * time.Minute

// lockShared takes the database's lock shared for as long as the Env is
// open, as the daemon does: `udrul restore` refuses to start while any
// udrul has it, and a udrul started while a restore moves the databases
// waits for it (else it could write into the database being replaced,
// and its writes be lost). The lock's folder is the database's: a folder
// that is missing is left to store.Open to explain.
func lockShared(ctx context.Context, cfg *config.Config) (*backup.Lock, error) {
	path := cfg.DatabasePath()
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return nil, nil
	}
	deadline := time.Now().Add(restoreWait)
	said := false
	for {
		lock, err := backup.LockShared(path)
		if err == nil || !errors.Is(err, backup.ErrInUse) {
			if err != nil {
				return nil, &plainError{msg: fmt.Sprintf(l(cfg, "databasens låsefil %s kan ikke åbnes: %v", "cannot open the database's lock file %s: %v"),
					backup.LockPath(path), err), cause: err}
			}
			return lock, nil
		}
		if time.Now().After(deadline) {
			return nil, &plainError{msg: l(cfg, "en gendannelse af databasen (udrul restore) er stadig i gang; prøv igen, når den er færdig",
				"a restore of the database (udrul restore) is still under way; try again when it has finished"), cause: err}
		}
		if !said {
			fmt.Fprintln(os.Stderr, "udrul: "+l(cfg, "venter på databasen: den gendannes (udrul restore) …", "waiting for the database: it is being restored (udrul restore) …"))
			said = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// databaseError says why the database cannot be opened when the reason is
// plain: its folder is missing or is not a folder.
func databaseError(cfg *config.Config, err error) error {
	if errors.Is(err, store.ErrBusy) || errors.Is(err, store.ErrNewerSchema) || errors.Is(err, store.ErrNotUdrul) {
		return err
	}
	dir := filepath.Dir(cfg.DatabasePath())
	fi, serr := os.Stat(dir)
	switch {
	case serr != nil && os.IsNotExist(serr):
		return &plainError{msg: fmt.Sprintf(l(cfg, "databasen %s kan ikke oprettes: mappen %s findes ikke: opret den, eller ret database i %s",
			"the database %s cannot be created: the folder %s does not exist: create it, or correct database in %s"), cfg.DatabasePath(), dir, cfg.Path()), cause: err}
	case serr == nil && !fi.IsDir():
		return &plainError{msg: fmt.Sprintf(l(cfg, "databasen %s kan ikke oprettes: %s er en fil, ikke en mappe: ret database i %s",
			"the database %s cannot be created: %s is a file, not a folder: correct database in %s"), cfg.DatabasePath(), dir, cfg.Path()), cause: err}
	}
	// The database path names a folder, or a file that is no SQLite
	// database (the configuration, a plan): SQLite's own words say neither.
	if fi, serr := os.Stat(cfg.DatabasePath()); serr == nil {
		if fi.IsDir() {
			return &plainError{msg: fmt.Sprintf(l(cfg, "databasen %s kan ikke åbnes: det er en mappe: ret database i %s til en fil, fx udrul.db",
				"the database %s cannot be opened: it is a folder: make database in %s a file, such as udrul.db"), cfg.DatabasePath(), cfg.Path()), cause: err}
		}
		if !isSQLite(cfg.DatabasePath()) {
			return &plainError{msg: fmt.Sprintf(l(cfg, "databasen %s kan ikke åbnes: filen er ikke en SQLite-database (en anden fil har navnet, eller den er beskadiget): ret database i %s, eller læg en sikkerhedskopi tilbage med 'udrul restore'",
				"the database %s cannot be opened: the file is not an SQLite database (another file has the name, or it is damaged): correct database in %s, or put a backup back with 'udrul restore'"), cfg.DatabasePath(), cfg.Path()), cause: err}
		}
	}
	return err
}

// l picks the configured language's sentence.
func l(cfg *config.Config, da, en string) string {
	if cfg.English() {
		return en
	}
	return da
}

// Close closes the store and lets its lock go.
func (e *Env) Close() error {
	err := e.DB.Close()
	e.lock.Release()
	return err
}

// NewSyncer builds the sync cycle and its targets from the configuration;
// only names sources when given.
func (e *Env) NewSyncer(logger *slog.Logger, progress io.Writer, only string) (*syncer.Syncer, []syncer.Target, error) {
	cfg := e.Cfg
	s := &syncer.Syncer{
		DB:       e.DB,
		Parser:   parse.New(cfg.ParserOptions()),
		ReadOpts: cfg.ReadOptions(),
		Guard: reconcile.Guard{MaxLoss: cfg.ShrinkGuard.MaxLoss, MinTasks: cfg.ShrinkGuard.MinTasks,
			MaxRetitled: cfg.ShrinkGuard.MaxRetitled, MaxTailLoss: cfg.ShrinkGuard.MaxTailLoss},
		Log:       logger,
		Progress:  progress,
		English:   cfg.Language == "en",
		ReadStamp: cfg.ReadFingerprint(),
		Ignore:    cfg.Ignore,
		Prefer:    cfg.Prefer,
	}
	for _, src := range cfg.Sources {
		s.AllSources = append(s.AllSources, src.Name)
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
			files := source.NewFiles(src.Name, cfg.SourcePath(src), src.Recursive)
			files.MaxSize, files.Lang, files.LinksOutside = cfg.MaxFileSizeMiB<<20, cfg.Language, src.LinksOutside
			s = files
		case config.KindGSheets:
			client, err := e.GoogleClient()
			if err != nil {
				return nil, nil, fmt.Errorf("%s %s: %w", e.L("kilden", "source"), src.Name, err)
			}
			s = gsheets.New(client, gsheets.Config{Name: src.Name, Spreadsheets: append([]string(nil), src.Spreadsheets...),
				Folders: append([]string(nil), src.Folders...), MaxSize: cfg.MaxFileSizeMiB << 20, ReadOpts: cfg.ReadOptions()})
		case config.KindM365:
			client, err := e.GraphClient()
			if err != nil {
				return nil, nil, fmt.Errorf("%s %s: %w", e.L("kilden", "source"), src.Name, err)
			}
			s = m365.New(client, m365.Config{Name: src.Name, Tenant: src.Tenant, Site: src.Site, Library: src.Library,
				Folders: append([]string(nil), src.Folders...), Recursive: src.Recursive, Links: append([]string(nil), src.Links...),
				MaxSize: cfg.MaxFileSizeMiB << 20, ReadOpts: cfg.ReadOptions()})
		default:
			return nil, nil, fmt.Errorf(e.L("kilden %s: kind %q kan ikke synkroniseres", "source %s: kind %q cannot be synced"), src.Name, src.Kind)
		}
		targets = append(targets, syncer.Target{Source: s, Identify: func(it source.Item, md model.Metadata) (syncer.Identity, error) {
			id, err := cfg.Identify(src, it.Name, md)
			return syncer.Identity(id), err
		}})
	}
	if only != "" && len(targets) == 0 {
		return nil, nil, fmt.Errorf(e.L("der er ingen kilde med navnet %q i %s", "no source named %q in %s"), only, cfg.Path())
	}
	return s, targets, nil
}

// MergeWaveTable reads the wave table spreadsheet into the configuration.
// Its problems are errors: a wave plan must be right.
func MergeWaveTable(cfg *config.Config) error {
	t, issues, err := wavetable.ReadIn(cfg.WaveTablePath(), cfg.English())
	if err != nil {
		return err
	}
	if len(issues) > 0 {
		var msgs []string
		for _, is := range issues {
			msgs = append(msgs, fmt.Sprintf("%s!%s: %s", is.Pos.Sheet, is.Pos.Cell, is.Message))
		}
		return fmt.Errorf("%s %s:\n  %s", map[bool]string{false: "bølgetabellen", true: "wave table"}[cfg.English()], cfg.WaveTablePath(), strings.Join(msgs, "\n  "))
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

// GoogleClient returns the client shared by all Google sources, made once.
func (e *Env) GoogleClient() (*gsheets.Client, error) {
	if e.google != nil {
		return e.google, nil
	}
	g := e.Cfg.Google
	c, err := gsheets.NewClient(context.Background(), gsheets.Options{CredentialsFile: e.Cfg.GoogleCredentials(), Subject: g.Subject, Language: e.Cfg.Language, RequestsPerMinute: g.RequestsPerMinute,
		DriveEndpoint: g.DriveEndpoint, SheetsEndpoint: g.SheetsEndpoint})
	if err != nil {
		return nil, err
	}
	e.google = c
	return c, nil
}

// OnGraphCall sets who is told of every Microsoft Graph request (the
// daemon's metrics): the endpoint and the status code.
func (e *Env) OnGraphCall(fn func(endpoint, status string)) {
	e.graphMu.Lock()
	defer e.graphMu.Unlock()
	e.onGraphCall = fn
}

func (e *Env) graphCall(endpoint, status string) {
	e.graphMu.Lock()
	fn := e.onGraphCall
	e.graphMu.Unlock()
	if fn != nil {
		fn(endpoint, status)
	}
}

// GraphClient returns the client shared by all m365 sources, made once.
// The certificate or secret is read from its file or variable here and
// kept in memory only.
func (e *Env) GraphClient() (*m365.Client, error) {
	if e.graph != nil {
		return e.graph, nil
	}
	m := e.Cfg.M365
	o := m365.Options{TenantID: m.TenantID, ClientID: m.ClientID, RequestsPerMinute: m.RequestsPerMinute, MaxConcurrent: m.MaxConcurrent,
		GraphURL: m.GraphEndpoint, AuthorityHost: m.AuthorityHost, OnCall: e.graphCall, Transport: e.GraphTransport, Language: e.Cfg.Language}
	switch {
	case m.ClientCertificate != "":
		data, err := os.ReadFile(e.Cfg.M365Certificate())
		if err != nil {
			return nil, fmt.Errorf("m365 client_certificate: %w", e.Plain(err))
		}
		o.Certificate = data
		if m.ClientCertificatePasswordEnv != "" {
			o.CertificatePassword = os.Getenv(m.ClientCertificatePasswordEnv)
		}
	case m.ClientSecretEnv != "":
		if o.Secret = strings.TrimSpace(os.Getenv(m.ClientSecretEnv)); o.Secret == "" {
			return nil, fmt.Errorf(e.L("m365: miljøvariablen %s (client_secret_env) er tom eller ikke sat", "m365: the environment variable %s (client_secret_env) is empty or not set"), m.ClientSecretEnv)
		}
	case m.ClientSecretFile != "":
		data, err := os.ReadFile(e.Cfg.M365SecretFile())
		if err != nil {
			return nil, fmt.Errorf("m365 client_secret_file: %w", e.Plain(err))
		}
		if o.Secret = strings.TrimSpace(string(data)); o.Secret == "" {
			return nil, fmt.Errorf(e.L("m365: client_secret_file %s er tom", "m365: client_secret_file %s is empty"), e.Cfg.M365SecretFile())
		}
	}
	c, err := m365.NewClient(o)
	if err != nil {
		return nil, err
	}
	e.graph = c
	return c, nil
}

// Evaluate runs the rules for asOf with the configuration's thresholds,
// wave table and standard plans. An evaluation for today records the
// findings' lifecycle; one for any other date is a preview that changes
// nothing in the store.
func (e *Env) Evaluate(ctx context.Context, asOf model.Date) (*detect.Evaluation, error) {
	return e.EvaluateFor(ctx, asOf, asOf == e.Today())
}

// EvaluateFor is Evaluate with the choice made: record says whether the
// evaluation records the findings' lifecycle (it does not for a date
// before the latest evaluation). It evaluates as EvaluateStream does
// (detect.Collect: a municipality a sync changed meanwhile is evaluated
// again before it is saved) and holds the whole portfolio's result.
func (e *Env) EvaluateFor(ctx context.Context, asOf model.Date, record bool) (*detect.Evaluation, error) {
	in, err := e.inputFuncs(asOf)
	if err != nil {
		return nil, err
	}
	return detect.Collect(ctx, e.DB, in, e.Cfg.Location(), e.Rules(), record)
}

// EvaluateStream evaluates as Evaluate does, a municipality at a time
// (detect.Stream): fn gets each municipality's plans, tasks and findings,
// and memory follows the largest municipality, not the portfolio. record
// says whether the lifecycle is recorded (Evaluate records an evaluation
// for today). It returns the portfolio's summary and the findings resolved
// in the period from since to asOf (as ResolvedSince gives them).
func (e *Env) EvaluateStream(ctx context.Context, asOf, since model.Date, record bool, fn func(*detect.Group) error) (*detect.Summary, []model.Finding, error) {
	in, err := e.inputFuncs(asOf)
	if err != nil {
		return nil, nil, err
	}
	// The findings resolved earlier in the period and open again now are
	// not resolved: only those need watching. Read before the evaluation
	// records anything (its own resolved findings come from it).
	before, err := e.DB.ResolvedFindings(ctx, since)
	if err != nil {
		return nil, nil, err
	}
	watch := make(map[string]bool, len(before))
	for _, f := range before {
		watch[f.Key] = true
	}
	var openAgain []model.Finding
	defer raiseGC()()
	sum, err := detect.Stream(ctx, e.DB, in, e.Cfg.Location(), e.Rules(), record, func(g *detect.Group) error {
		for _, f := range g.Findings {
			if watch[f.Key] {
				openAgain = append(openAgain, model.Finding{Key: f.Key})
			}
		}
		return fn(g)
	})
	if err != nil {
		return nil, nil, err
	}
	// The findings resolved in the period are those read before (one
	// read: a second one after the evaluation could see another
	// evaluation's) and this evaluation's.
	ev := &detect.Evaluation{AsOf: asOf, Result: detect.Result{Findings: openAgain}, Resolved: sum.Resolved, Persisted: sum.Persisted}
	resolved := resolvedSince(before, ev, since)
	return sum, resolved, nil
}

// Input loads what the rules look at for asOf: the stored plans and tasks,
// the wave go-lives and the standard plans.
func (e *Env) Input(ctx context.Context, asOf model.Date) (detect.Input, error) {
	in, err := e.inputFuncs(asOf)
	if err != nil {
		return detect.Input{}, err
	}
	loaded, err := detect.LoadInput(ctx, e.DB, asOf, e.Cfg.Location())
	if err != nil {
		return detect.Input{}, err
	}
	loaded.GoLive, loaded.Standard = in.GoLive, in.Standard
	return loaded, nil
}

// inputFuncs is an Input without plans and tasks: the as-of date, the wave
// go-lives and the standard plans.
func (e *Env) inputFuncs(asOf model.Date) (detect.Input, error) {
	cfg := e.Cfg
	std, err := templates.LoadIn(cfg.TemplatesDir(), cfg.English())
	if err != nil {
		return detect.Input{}, err
	}
	in := detect.Input{AsOf: asOf, GoLive: cfg.GoLive}
	// Each solution's standard tasks are made once, not for every plan.
	var mu sync.Mutex
	made := map[string][]detect.StdTask{}
	in.Standard = func(solution string) []detect.StdTask {
		mu.Lock()
		defer mu.Unlock()
		if out, ok := made[solution]; ok {
			return out
		}
		p, ok := std.For(solution)
		if !ok {
			made[solution] = nil
			return nil
		}
		var out []detect.StdTask
		for _, st := range p.Steps {
			for _, t := range st.Tasks {
				out = append(out, detect.StdTask{Step: st.Label, Title: t.Title, After: t.After, Offset: t.Offset, Duration: t.Duration,
					BeforeGoLive: st.BeforeGoLive})
			}
		}
		made[solution] = out
		return out
	}
	return in, nil
}

// Rules are the detection rules from the configuration.
func (e *Env) Rules() detect.Rules {
	r := e.Cfg.Rules
	goLive, _ := regexp.Compile(r.GoLiveTask)
	return detect.Rules{
		DueSoonDays: r.DueSoonDays, RedOverdueDays: r.RedOverdueDays, StaleDays: r.StaleDays, SyncStaleDays: r.SyncStaleDays,
		LoadTasksPerWeek: r.LoadTasksPerWeek, GoLiveGapDays: r.GoLiveGapDays, BeforeGoLiveSteps: r.BeforeGoLiveSteps,
		GoLiveTask: goLive, Calendar: workdays.New(r.ClosureDates()...), English: e.Cfg.Language == "en",
		ForecastAmberDays: r.ForecastAmberDays, ForecastOverdueShare: r.ForecastOverdueShare,
	}
}

// Today is the current date in the configured time zone.
func (e *Env) Today() model.Date { return model.DateOf(time.Now().In(e.Cfg.Location())) }

// ParseAsOf reads an --as-of flag: YYYY-MM-DD, or "" for today.
func (e *Env) ParseAsOf(s string) (model.Date, error) {
	if s == "" {
		return e.Today(), nil
	}
	d, err := model.ParseISODate(s)
	if err != nil {
		return model.Date{}, fmt.Errorf(e.L("--as-of: %q er ikke en dato: skriv ÅÅÅÅ-MM-DD", "--as-of: %q is not a date: write YYYY-MM-DD"), s)
	}
	return d, nil
}

// isSQLite reports whether the file at path starts as an SQLite database
// does (an empty file is one SQLite will create).
func isSQLite(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true // not for this message to say
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	return n == 0 || string(head[:n]) == "SQLite format 3\x00"
}
