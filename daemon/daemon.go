// Package daemon is udrul running unattended: the cron schedules (sync,
// alerts, weekly report, outbox, backup), configuration reload, and the
// HTTP endpoint with health, readiness, metrics, the web view, the status
// page and the latest report.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/backup"
	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/notify"
	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/syncer"
	"github.com/udrul/udrul/web"
)

// Daemon is a running udrul.
type Daemon struct {
	cfgPath string
	log     *slog.Logger
	metrics *metrics

	mu   sync.RWMutex
	cur  *app.Env
	cron *cron.Cron

	jobCtx context.Context
	jobs   sync.WaitGroup
	// running holds the names of the jobs running now: a job still running
	// is not started twice.
	running sync.Map
	// onJob, when set (in tests, by SetOnJob), is told when a job finished.
	onJob func(name string, err error)
	// addr is the HTTP endpoint's address once listening.
	addr atomic.Value
	// web is the web view, when the HTTP endpoint is on.
	web *web.Server
	// toWarn is the newest configuration whose warnings are to be logged
	// (see warnConfigs); warned is closed when warnConfigs ends.
	toWarn chan configToWarn
	warned chan struct{}
}

// SetOnJob makes fn be told of each job that finished (for tests); safe
// while jobs run.
func (d *Daemon) SetOnJob(fn func(name string, err error)) {
	d.mu.Lock()
	d.onJob = fn
	d.mu.Unlock()
}

// Addr is the HTTP endpoint's address, or "" until it listens.
func (d *Daemon) Addr() string {
	a, _ := d.addr.Load().(string)
	return a
}

// say is a log message in the configured language: Danish by default,
// English with language: en. The attributes' keys stay English, for the
// operators' queries.
func (d *Daemon) say(da, en string) string { return d.env().L(da, en) }

func (d *Daemon) env() *app.Env {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.cur
}

// New makes a daemon for the opened e, whose configuration was read from
// cfgPath (read again on reload). The daemon does not close e.
func New(cfgPath string, e *app.Env, log *slog.Logger) *Daemon {
	e.DB.OnWait = func() {
		log.Info(e.L("venter på databasen: et andet job eller en anden udrul skriver i den", "waiting for the database: another job or another udrul is writing to it"))
	}
	d := &Daemon{cfgPath: cfgPath, log: log, metrics: newMetrics(), cur: e, toWarn: make(chan configToWarn, 1), warned: make(chan struct{})}
	d.registerBackupMetrics()
	return d
}

// Run runs until ctx is done; a value on reload reloads the configuration.
func (d *Daemon) Run(ctx context.Context, reload <-chan os.Signal) error {
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()
	d.jobCtx = jobCtx
	e := d.env()
	// Held while running: `udrul restore` refuses while it is.
	lock, err := backup.LockShared(e.Cfg.DatabasePath())
	if err != nil {
		return err
	}
	defer lock.Release()
	var srv *server
	if l := e.Cfg.HTTP.Listen; l != "" && l != "off" {
		var err error
		if d.web, err = d.webView(); err != nil {
			return err
		}
		if srv, err = d.serve(l); err != nil {
			return err
		}
		d.addr.Store(srv.Addr())
		d.log.Info(d.say("http lytter", "http listening"), "addr", srv.Addr())
	}
	if err := d.schedule(e.Cfg); err != nil {
		return err
	}
	go d.warnConfigs(jobCtx)
	d.logConfigWarnings(ctx, e)
	d.logPackTriggers(e, e.DB.PackTriggers())
	d.cleanLeftovers(ctx, e)
	d.log.Info(d.say("udrul startet", "udrul started"), "config", d.cfgPath, "database", e.Cfg.DatabasePath(), "sources", len(e.Cfg.Sources))
	d.start("sync") // a first sync, so that /readyz turns ready
	for {
		select {
		case <-ctx.Done():
			d.log.Info(d.say("stopper: venter på kørende job", "stopping: waiting for running jobs"))
			stopped := d.cron.Stop()
			cancelJobs() // a sync in progress rolls back its current plan
			<-stopped.Done()
			d.jobs.Wait()
			select { // the warnings being logged (not for long: a share that does not answer is left to itself)
			case <-d.warned:
			case <-time.After(5 * time.Second):
			}
			if srv != nil {
				sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				srv.Close(sctx)
				cancel()
			}
			d.log.Info(d.say("udrul stoppet", "udrul stopped"))
			return nil
		case <-reload:
			d.reload()
		}
	}
}

// reload reads the configuration again; an invalid one is rejected and the
// running one kept.
func (d *Daemon) reload() {
	cfg, err := config.Load(d.cfgPath)
	if err == nil && cfg.WaveTable != "" {
		err = app.MergeWaveTable(cfg)
	}
	if err != nil {
		d.log.Error(d.say("genindlæsning afvist: konfigurationen er ugyldig; den kørende beholdes", "reload rejected: the configuration is invalid; keeping the running one"), "config", d.cfgPath, "err", err)
		return
	}
	old := d.env()
	if cfg.DatabasePath() != old.Cfg.DatabasePath() {
		d.log.Error(d.say("genindlæsning afvist: databasen kan ikke skiftes under kørslen; genstart udrul", "reload rejected: the database cannot change while running; restart udrul"), "database", cfg.DatabasePath())
		return
	}
	d.mu.Lock()
	d.cur = &app.Env{Cfg: cfg, DB: old.DB}
	d.mu.Unlock()
	if d.web != nil {
		// Who may see what applies from the next request: access taken
		// away must not last until a restart.
		d.web.SetRules(rulesOf(cfg))
		if webNeedsRestart(old.Cfg, cfg) {
			d.log.Warn(d.say("genindlæsning: ændringerne i http (lytteadresse, login, proxy), sprog eller tidszone gælder først, når udrul genstartes; adgangsreglerne (coordinators, municipality_domains, coordinator_groups) gælder nu",
				"reload: the changes to http (listener, login, proxy), language or time zone take effect when udrul restarts; the access rules (coordinators, municipality_domains, coordinator_groups) apply now"))
		}
	}
	// The log format and level stay until a restart: jobs may be logging.
	if err := d.schedule(cfg); err != nil {
		d.log.Error(d.say("genindlæsning: tidsplanerne kunne ikke sættes", "reload: schedules"), "err", err)
		return
	}
	d.log.Info(d.say("konfigurationen genindlæst", "configuration reloaded"), "config", d.cfgPath, "sources", len(cfg.Sources))
	d.checkPackTriggers(context.Background(), d.env())
	d.logConfigWarnings(context.Background(), d.env()) // a quick read of the plans' names
}

// logPackTriggers logs what was found of udrul's triggers on the tasks and
// done about them (app.PackTriggerNotices): made again at INFO, left alone
// or not made at WARN.
func (d *Daemon) logPackTriggers(e *app.Env, p store.PackTriggers) {
	made, warn := app.PackTriggerNotices(p, e.Cfg.DatabasePath(), e.English())
	for _, m := range made {
		d.log.Info(m)
	}
	for _, w := range warn {
		d.log.Warn(w)
	}
}

// checkPackTriggers looks at udrul's triggers on the tasks again, as the
// start does, and logs it the same way: someone may have dropped or
// changed one by hand (with the sqlite3 tool) while udrul ran. The store
// looks and mends as at open, by opening the database once more: a missing
// trigger is made again, and every packed value deleted, in one
// transaction taken under the write lock, after looking again under it —
// the way another udrul opening the database while this one syncs does it.
// So it is safe while the daemon's jobs run: a sync's transaction in
// progress finishes first; the next checks, per transaction, that the
// triggers are udrul's before it reads or writes a packed value, and packs
// what is missing. A trigger udrul does not make is left alone and warned
// of, with what to do.
func (d *Daemon) checkPackTriggers(ctx context.Context, e *app.Env) {
	db, err := store.Open(ctx, e.Cfg.DatabasePath())
	if err != nil {
		d.log.Error(d.say("genindlæsning: udruls triggere på opgaverne kunne ikke tjekkes; det sker igen ved næste genindlæsning eller genstart",
			"reload: udrul's triggers on the tasks could not be checked; they are checked at the next reload or restart"), "database", e.Cfg.DatabasePath(), "err", err)
		return
	}
	p := db.PackTriggers()
	if err := db.Close(); err != nil {
		d.log.Warn(d.say("genindlæsning: databasen lukkes", "reload: closing the database"), "err", err)
	}
	d.logPackTriggers(e, p)
}

// logConfigWarnings logs at WARN, in the configuration's language, what
// `udrul config check` warns of in e's configuration (app.ConfigWarnings:
// an unsafe setting, a source's folder without plans, a solution in alerts
// that no plan has, ...), the plans read from e's database. The sources'
// folders are looked at in the background: a share that does not answer
// must not hold up the start, a reload or a stop.
func (d *Daemon) logConfigWarnings(ctx context.Context, e *app.Env) {
	plans, err := app.PlanIdentities(ctx, e.DB)
	if err != nil {
		// Said as such: the warnings below then say the plans could not be
		// read, never that the database holds none.
		d.log.Warn(e.L("konfiguration: planerne i databasen kunne ikke læses, så alerts er ikke holdt op mod dem: ", "configuration: the plans in the database could not be read, so alerts were not checked against them: ")+
			app.PlansUnreadWhy(err, e.English()), "err", err)
	}
	w := configToWarn{e, plans, err}
	for {
		select {
		case d.toWarn <- w:
			return
		default: // an older configuration waits: this one replaces it
			select {
			case <-d.toWarn:
			default:
			}
		}
	}
}

// configToWarn is a configuration whose warnings are to be logged, with
// the plans read from its database.
type configToWarn struct {
	e        *app.Env
	plans    []config.Identity
	plansErr error // why the plans could not be read
}

// warnConfigs logs the warnings of each configuration handed to it, one
// at a time (see logConfigWarnings), until ctx is done; a reload storm
// while a share does not answer leaves one look running and the newest
// configuration waiting, not a goroutine each.
func (d *Daemon) warnConfigs(ctx context.Context) {
	defer close(d.warned)
	for {
		select {
		case <-ctx.Done():
			return
		case w := <-d.toWarn:
			for _, msg := range app.ConfigWarnings(w.e.Cfg, w.plans, w.plansErr) {
				if ctx.Err() != nil { // stopped meanwhile: not logged after udrul stopped
					return
				}
				d.log.Warn(w.e.L("konfiguration: ", "configuration: ") + msg.Error())
			}
		}
	}
}

// schedule (re)builds the cron schedules; running jobs go on.
func (d *Daemon) schedule(cfg *config.Config) error {
	c := cron.New(cron.WithLocation(cfg.Location()), cron.WithParser(config.CronParser()))
	for _, j := range []struct{ name, spec string }{
		{"sync", cfg.Schedules.Sync}, {"alerts", cfg.Schedules.Alerts}, {"report", cfg.Schedules.Report}, {"outbox", cfg.Schedules.Outbox},
		{"backup", cfg.Schedules.Backup},
	} {
		if j.spec == "" || j.spec == "off" {
			continue
		}
		name := j.name
		if _, err := c.AddFunc(j.spec, func() { d.start(name) }); err != nil {
			return fmt.Errorf("schedules.%s: %w", name, err)
		}
	}
	d.mu.Lock()
	old := d.cron
	d.cron = c
	d.mu.Unlock()
	if old != nil {
		old.Stop()
	}
	c.Start()
	return nil
}

// start runs a job unless it is still running from its last start.
func (d *Daemon) start(name string) {
	if _, busy := d.running.LoadOrStore(name, struct{}{}); busy {
		d.log.Warn(d.say("job kører stadig; denne start springes over", "job still running; this start skipped"), "job", name)
		return
	}
	if d.jobCtx.Err() != nil {
		d.running.Delete(name)
		return
	}
	d.jobs.Add(1)
	go func() {
		defer d.jobs.Done()
		defer d.running.Delete(name)
		start := time.Now()
		err := d.runJob(d.jobCtx, name)
		result := "ok"
		var fd failedDeliveries
		switch {
		case err != nil && d.jobCtx.Err() != nil && errors.Is(err, context.Canceled):
			// SIGTERM or SIGINT: the job was stopped, not failed (a sync
			// rolled back the plan it was applying).
			result = "stopped"
			d.log.Info(d.say("job stoppet: udrul stopper", "job stopped: udrul is stopping"), "job", name, "duration", time.Since(start).Round(time.Millisecond))
		case errors.As(err, &fd):
			result = "failed"
			d.log.Warn(d.say("job afsluttet med fejlede leveringer", "job finished with failed deliveries"), "job", name, "sent", fd.sent, "failed", fd.failed, "duration", time.Since(start).Round(time.Millisecond))
		case err != nil:
			result = "failed"
			// In plain words where udrul knows them (a database changed
			// by hand, busy, of a newer udrul), as the commands say it.
			d.log.Error(d.say("job fejlede", "job failed"), "job", name, "err", app.Explain(err, d.env().English()), "duration", time.Since(start))
		default:
			d.log.Info(d.say("job udført", "job done"), "job", name, "duration", time.Since(start).Round(time.Millisecond))
		}
		d.metrics.jobRuns.WithLabelValues(name, result).Inc()
		d.mu.RLock()
		onJob := d.onJob
		d.mu.RUnlock()
		if onJob != nil {
			onJob(name, err)
		}
	}()
}

func (d *Daemon) runJob(ctx context.Context, name string) error {
	e := d.env()
	log := d.log.With("job", name)
	switch name {
	case "sync":
		e.OnGraphCall(d.metrics.graphCall)
		s, targets, err := e.NewSyncer(log, nil, "")
		if err != nil {
			return err
		}
		results, err := s.Cycle(ctx, targets, syncer.Options{})
		d.metrics.observeSync(results) // the syncer logs each held plan with its reason
		d.metrics.refresh(ctx, e.DB)
		d.refreshWeb(ctx)
		return err
	case "alerts":
		today := e.Today()
		digests, err := e.ComposeAlerts(ctx, today)
		if err != nil {
			return err
		}
		n, err := notify.Queue(ctx, e.DB, digests, e.English(), app.ISOWeek(today))
		if err != nil {
			return err
		}
		log.Info(e.L("oversigter lagt i udbakken", "digests queued"), "count", n)
		err = d.flush(ctx, e, log)
		d.metrics.refresh(ctx, e.DB)
		return err
	case "report":
		return d.weeklyReport(ctx, e, log)
	case "outbox":
		return d.flush(ctx, e, log)
	case "backup":
		return d.backupJob(ctx, e, log)
	}
	return fmt.Errorf("unknown job %q", name)
}

// weeklyReport writes the report (and extracts) into the report folder,
// keeps the configured number of weeks, and mails it if configured.
func (d *Daemon) weeklyReport(ctx context.Context, e *app.Env, log *slog.Logger) error {
	today := e.Today()
	paths, h, err := e.WriteReports(ctx, today, "", "", e.Cfg.Report.Split)
	if err != nil {
		return err
	}
	log.Info(e.L("rapport skrevet", "report written"), "path", paths[0], "tasks", h.Tasks, "overdue", h.Overdue)
	pruneReports(e.Cfg.ReportDir(), e.Cfg.Report.Keep, log, e.L)
	week := app.ISOWeek(today)
	subject := fmt.Sprintf("udrul: ugerapport %s", week)
	text := fmt.Sprintf("Ugerapporten for %s er vedhæftet.\n\n%d planer, %d opgaver, %.0f%% færdige, %d forsinkede, %d skredet denne uge, %d røde planer.\n",
		week, h.Plans, h.Tasks, h.Done*100, h.Overdue, h.SlippedWeek, h.RedPlans)
	if e.English() {
		subject = fmt.Sprintf("udrul: weekly report %s", week)
		text = fmt.Sprintf("The weekly report for %s is attached.\n\n%d plans, %d tasks, %.0f%% done, %d overdue, %d slipped this week, %d red plans.\n",
			week, h.Plans, h.Tasks, h.Done*100, h.Overdue, h.SlippedWeek, h.RedPlans)
	}
	if e.Cfg.Report.Email {
		for _, c := range e.Cfg.Alerts.Coordinators {
			m := store.Message{Channel: "email", Recipient: c.Email, Subject: subject, Text: text, Attachment: paths[0],
				Key: "report|" + paths[0] + "|" + c.Email}
			if _, err := e.DB.Queue(ctx, m, nil, nil); err != nil && !errors.Is(err, store.ErrAlreadyQueued) {
				return err
			}
		}
	}
	if e.Cfg.Report.Split && len(paths) > 1 {
		plans, err := e.DB.ListPlans(ctx)
		if err != nil {
			return err
		}
		// Each contact gets the extracts of the municipalities of its plans;
		// a plan's municipality is taken from the plan, never cut out of its
		// key (a name from a sheet may hold a "/").
		extract := map[string]string{} // file name → path
		for _, p := range paths[1:] {
			extract[filepath.Base(p)] = p
		}
		munOf := map[string]string{} // plan key → municipality
		for _, p := range plans {
			munOf[p.Key()] = p.Municipality
		}
		for _, r := range e.Recipients(plans) {
			if r.Channel != "email" || r.Plans == nil {
				continue
			}
			seen := map[string]bool{}
			for plan := range r.Plans {
				mun := munOf[plan]
				p, ok := extract[reports.FileName(today, mun)]
				if !ok || seen[p] {
					continue
				}
				seen[p] = true
				m := store.Message{Channel: "email", Recipient: r.Address, Subject: subject + " – " + mun, Text: text, Attachment: p,
					Key: "report|" + p + "|" + r.Address}
				if _, err := e.DB.Queue(ctx, m, nil, nil); err != nil && !errors.Is(err, store.ErrAlreadyQueued) {
					return err
				}
			}
		}
	}
	return d.flush(ctx, e, log)
}

// failedDeliveries is a flush in which some deliveries failed: the job
// ends with a warning, not "done".
type failedDeliveries struct{ sent, failed int }

func (f failedDeliveries) Error() string {
	return fmt.Sprintf("%d of %d deliveries failed; they stay in the outbox and are retried", f.failed, f.sent+f.failed)
}

// flush delivers the outbox, each failure logged at WARN with its reason.
func (d *Daemon) flush(ctx context.Context, e *app.Env, log *slog.Logger) error {
	sent, failed, err := e.Sender(log, d.metrics.sent, d.metrics.failed).Flush(ctx)
	if err != nil {
		return err
	}
	if failed > 0 {
		return failedDeliveries{sent, failed}
	}
	if sent > 0 {
		log.Info(e.L("beskeder leveret", "messages delivered"), "count", sent)
	}
	return nil
}

// cleanLeftovers clears what a killed udrul left: sync runs still marked
// running whose process is gone become interrupted, and temporary report
// files are removed.
func (d *Daemon) cleanLeftovers(ctx context.Context, e *app.Env) {
	if n, err := e.DB.MarkInterruptedRuns(ctx); err != nil {
		d.log.Warn(e.L("afbrudte synkroniseringer kunne ikke markeres", "mark interrupted sync runs"), "err", err)
	} else if n > 0 {
		d.log.Warn(e.L("synkroniseringer afbrudt af et nedbrud eller kill markeret som afbrudt", "sync runs interrupted by a crash or kill marked interrupted"), "count", n)
	}
	removed, err := reports.RemoveStaleTemp(e.Cfg.ReportDir(), app.StaleTempAge)
	for _, p := range removed {
		d.log.Info(e.L("fjernede en halvt skrevet rapport", "removed a report left half-written"), "path", p)
	}
	if err != nil {
		d.log.Warn(e.L("rapportmappen kunne ikke ryddes op", "clean the report folder"), "err", err)
	}
}

// pruneReports keeps the newest keep weeks of reports (and their extracts).
func pruneReports(dir string, keep int, log *slog.Logger, say func(da, en string) string) {
	if dir == "" {
		dir = "."
	}
	if keep <= 0 {
		return
	}
	all, _ := filepath.Glob(filepath.Join(dir, "udrul-rapport-*.xlsx"))
	weeks := map[string]bool{}
	for _, p := range all {
		base := filepath.Base(p)
		if len(base) >= len("udrul-rapport-2026-W48") {
			weeks[base[:len("udrul-rapport-2026-W48")]] = true
		}
	}
	var list []string
	for w := range weeks {
		list = append(list, w)
	}
	sort.Strings(list)
	if len(list) <= keep {
		return
	}
	old := map[string]bool{}
	for _, w := range list[:len(list)-keep] {
		old[w] = true
	}
	for _, p := range all {
		base := filepath.Base(p)
		if len(base) >= len("udrul-rapport-2026-W48") && old[base[:len("udrul-rapport-2026-W48")]] {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				log.Warn(say("gammel rapport kunne ikke fjernes", "prune report"), "path", p, "err", err)
			}
		}
	}
}
