package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/notify"
	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/syncer"
)

// RunCommand runs udrul as a daemon.
type RunCommand struct {
	Stdout, Stderr io.Writer
}

const runSynopsis = `[--config FILE]

Runs unattended: syncs, alert digests and the weekly report on the
configured schedules (cron, in the configured time zone; a job still running
is not started again), delivers the outbox, and serves /healthz, /readyz,
/metrics and a status page. SIGHUP reloads the configuration (an invalid one
is rejected and the old one kept); SIGINT or SIGTERM stop it cleanly.`

// daemon is a running udrul.
type daemon struct {
	cfgPath string
	out     io.Writer
	log     *slog.Logger
	metrics *metrics

	mu   sync.RWMutex
	cur  *env
	cron *cron.Cron

	jobCtx context.Context
	jobs   sync.WaitGroup
	// onJob, in tests, is told when a job finished.
	onJob func(name string, err error)
	// addr is the HTTP endpoint's address once listening.
	addr atomic.Value
}

// Addr is the HTTP endpoint's address, or "" until it listens.
func (d *daemon) Addr() string {
	a, _ := d.addr.Load().(string)
	return a
}

func (d *daemon) env() *env {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.cur
}

// newLogger makes the daemon's logger as the configuration asks.
func newLogger(w io.Writer, c config.Log) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Run runs the command.
func (c *RunCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("run", runSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	e, err := openFor(ctx, fs, args, cfgPath, nil)
	if err != nil {
		return err
	}
	defer e.Close()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	d := &daemon{cfgPath: *cfgPath, out: c.Stdout, log: newLogger(c.Stderr, e.cfg.Log), metrics: newMetrics(), cur: e}
	return d.run(ctx, hup)
}

// run runs until ctx is done; a value on reload reloads the configuration.
func (d *daemon) run(ctx context.Context, reload <-chan os.Signal) error {
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()
	d.jobCtx = jobCtx
	e := d.env()
	var srv *server
	if l := e.cfg.HTTP.Listen; l != "" && l != "off" {
		var err error
		if srv, err = d.serve(l); err != nil {
			return err
		}
		d.addr.Store(srv.Addr())
		d.log.Info("http listening", "addr", srv.Addr())
	}
	if err := d.schedule(e.cfg); err != nil {
		return err
	}
	d.log.Info("udrul started", "config", d.cfgPath, "database", e.cfg.DatabasePath(), "sources", len(e.cfg.Sources))
	d.start("sync") // a first sync, so that /readyz turns ready
	for {
		select {
		case <-ctx.Done():
			d.log.Info("stopping: waiting for running jobs")
			stopped := d.cron.Stop()
			cancelJobs() // a sync in progress rolls back its current plan
			<-stopped.Done()
			d.jobs.Wait()
			if srv != nil {
				sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				srv.Close(sctx)
				cancel()
			}
			d.log.Info("udrul stopped")
			return nil
		case <-reload:
			d.reload()
		}
	}
}

// reload reads the configuration again; an invalid one is rejected and the
// running one kept.
func (d *daemon) reload() {
	cfg, err := config.Load(d.cfgPath)
	if err == nil && cfg.WaveTable != "" {
		err = mergeWaveTable(cfg)
	}
	if err != nil {
		d.log.Error("reload rejected: the configuration is invalid; keeping the running one", "config", d.cfgPath, "err", err)
		return
	}
	old := d.env()
	if cfg.DatabasePath() != old.cfg.DatabasePath() {
		d.log.Error("reload rejected: the database cannot change while running; restart udrul", "database", cfg.DatabasePath())
		return
	}
	d.mu.Lock()
	d.cur = &env{cfg: cfg, db: old.db}
	d.mu.Unlock()
	// The log format and level stay until a restart: jobs may be logging.
	if err := d.schedule(cfg); err != nil {
		d.log.Error("reload: schedules", "err", err)
		return
	}
	d.log.Info("configuration reloaded", "config", d.cfgPath, "sources", len(cfg.Sources))
}

// schedule (re)builds the cron schedules; running jobs go on.
func (d *daemon) schedule(cfg *config.Config) error {
	c := cron.New(cron.WithLocation(cfg.Location()), cron.WithParser(config.CronParser()))
	for _, j := range []struct{ name, spec string }{
		{"sync", cfg.Schedules.Sync}, {"alerts", cfg.Schedules.Alerts}, {"report", cfg.Schedules.Report}, {"outbox", cfg.Schedules.Outbox},
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

var running sync.Map // job name → struct{}: a job still running is not started twice

// start runs a job unless it is still running from its last start.
func (d *daemon) start(name string) {
	if _, busy := running.LoadOrStore(name, struct{}{}); busy {
		d.log.Warn("job still running; this start skipped", "job", name)
		return
	}
	if d.jobCtx.Err() != nil {
		running.Delete(name)
		return
	}
	d.jobs.Add(1)
	go func() {
		defer d.jobs.Done()
		defer running.Delete(name)
		start := time.Now()
		err := d.runJob(d.jobCtx, name)
		result := "ok"
		if err != nil {
			result = "failed"
			d.log.Error("job failed", "job", name, "err", err, "duration", time.Since(start))
		} else {
			d.log.Info("job done", "job", name, "duration", time.Since(start).Round(time.Millisecond))
		}
		d.metrics.jobRuns.WithLabelValues(name, result).Inc()
		if d.onJob != nil {
			d.onJob(name, err)
		}
	}()
}

func (d *daemon) runJob(ctx context.Context, name string) error {
	e := d.env()
	log := d.log.With("job", name)
	switch name {
	case "sync":
		s, targets, err := e.newSyncer(log, nil, "")
		if err != nil {
			return err
		}
		results, err := s.Cycle(ctx, targets, syncer.Options{})
		d.metrics.observeSync(results)
		for _, r := range results {
			log.Info(r.Summary(), "source", r.Source, "ok", r.OK())
			for _, h := range r.HeldPlans {
				log.Warn("plan held", "plan", h)
			}
		}
		d.metrics.refresh(ctx, e.db)
		return err
	case "alerts":
		today := e.today()
		digests, err := e.composeAlerts(ctx, today)
		if err != nil {
			return err
		}
		n, err := notify.Queue(ctx, e.db, digests, e.english(), isoWeek(today))
		if err != nil {
			return err
		}
		log.Info("digests queued", "count", n)
		_, _, err = e.sender(d.metrics).Flush(ctx)
		d.metrics.refresh(ctx, e.db)
		return err
	case "report":
		return d.weeklyReport(ctx, e, log)
	case "outbox":
		_, _, err := e.sender(d.metrics).Flush(ctx)
		return err
	}
	return fmt.Errorf("unknown job %q", name)
}

// weeklyReport writes the report (and extracts) into the report folder,
// keeps the configured number of weeks, and mails it if configured.
func (d *daemon) weeklyReport(ctx context.Context, e *env, log *slog.Logger) error {
	today := e.today()
	paths, h, err := e.writeReports(ctx, today, "", "", e.cfg.Report.Split)
	if err != nil {
		return err
	}
	log.Info("report written", "path", paths[0], "tasks", h.Tasks, "overdue", h.Overdue)
	pruneReports(e.cfg.ReportDir(), e.cfg.Report.Keep, log)
	week := isoWeek(today)
	subject := fmt.Sprintf("udrul: ugerapport %s", week)
	text := fmt.Sprintf("Ugerapporten for %s er vedhæftet.\n\n%d planer, %d opgaver, %.0f%% færdige, %d forsinkede, %d skredet denne uge, %d røde planer.\n",
		week, h.Plans, h.Tasks, h.Done*100, h.Overdue, h.SlippedWeek, h.RedPlans)
	if e.english() {
		subject = fmt.Sprintf("udrul: weekly report %s", week)
		text = fmt.Sprintf("The weekly report for %s is attached.\n\n%d plans, %d tasks, %.0f%% done, %d overdue, %d slipped this week, %d red plans.\n",
			week, h.Plans, h.Tasks, h.Done*100, h.Overdue, h.SlippedWeek, h.RedPlans)
	}
	if e.cfg.Report.Email {
		for _, c := range e.cfg.Alerts.Coordinators {
			m := store.Message{Channel: "email", Recipient: c.Email, Subject: subject, Text: text, Attachment: paths[0]}
			if _, err := e.db.Queue(ctx, m, nil, nil); err != nil {
				return err
			}
		}
	}
	if e.cfg.Report.Split && len(paths) > 1 {
		plans, err := e.db.ListPlans(ctx)
		if err != nil {
			return err
		}
		for _, r := range e.recipients(plans) {
			if r.Channel != "email" || r.Plans == nil {
				continue
			}
			for _, p := range paths[1:] {
				for plan := range r.Plans {
					mun, _, _ := strings.Cut(plan, "/")
					if filepath.Base(p) == reports.FileName(today, mun) {
						m := store.Message{Channel: "email", Recipient: r.Address, Subject: subject + " – " + mun, Text: text, Attachment: p}
						if _, err := e.db.Queue(ctx, m, nil, nil); err != nil {
							return err
						}
						break
					}
				}
			}
		}
	}
	_, _, err = e.sender(d.metrics).Flush(ctx)
	return err
}

// pruneReports keeps the newest keep weeks of reports (and their extracts).
func pruneReports(dir string, keep int, log *slog.Logger) {
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
				log.Warn("prune report", "path", p, "err", err)
			}
		}
	}
}
