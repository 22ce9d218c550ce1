package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/daemon"
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

// newLogger makes the daemon's logger as the configuration asks, its
// times in the configured time zone (the machine's may be UTC).
func newLogger(w io.Writer, c config.Log, loc *time.Location) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey && a.Value.Kind() == slog.KindTime && loc != nil {
			a.Value = slog.TimeValue(a.Value.Time().In(loc))
		}
		return a
	}}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Run runs the command.
func (c *RunCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("run", runSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	e, err := openTelling(ctx, fs, args, cfgPath, nil, nil) // the daemon logs what opening found
	if err != nil {
		return err
	}
	defer e.Close()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	return daemon.New(*cfgPath, e, newLogger(c.Stderr, e.Cfg.Log, e.Cfg.Location())).Run(ctx, hup)
}
