package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/backup"
)

// backupStale: a last good backup older than this is a warning.
const backupStale = 48 * time.Hour

// backupMetrics report the backups. The last good backup is read from the
// backup folder's newest file, so it survives a restart.
type backupMetrics struct {
	duration        prometheus.Gauge
	failures        prometheus.Counter
	commandFailures prometheus.Counter
}

// registerBackupMetrics adds the backup metrics to the daemon's registry.
func (d *Daemon) registerBackupMetrics() {
	latest := func() (backup.Copy, bool) {
		cfg := d.env().Cfg
		c, ok, _ := backup.Latest(cfg.BackupDir(), time.Now().In(cfg.Location()))
		return c, ok
	}
	m := &backupMetrics{
		duration:        prometheus.NewGauge(prometheus.GaugeOpts{Name: "udrul_backup_duration_seconds", Help: "How long the last backup took (snapshot, check, compression)."}),
		failures:        prometheus.NewCounter(prometheus.CounterOpts{Name: "udrul_backup_failures_total", Help: "Scheduled backups that failed."}),
		commandFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "udrul_backup_command_failures_total", Help: "Runs of backup.command that failed."}),
	}
	d.metrics.backup = m
	d.metrics.reg.MustRegister(m.duration, m.failures, m.commandFailures,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "udrul_backup_last_success_timestamp_seconds", Help: "When the newest backup in backup.dir was taken (0: none)."},
			func() float64 {
				if c, ok := latest(); ok {
					return float64(c.Taken.Unix())
				}
				return 0
			}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "udrul_backup_size_bytes", Help: "Size of the newest backup in backup.dir."},
			func() float64 {
				if c, ok := latest(); ok {
					return float64(c.Size)
				}
				return 0
			}))
}

// backupJob writes a backup into the backup folder, prunes the folder to
// the configured retention and runs backup.command on the new file.
func (d *Daemon) backupJob(ctx context.Context, e *app.Env, log *slog.Logger) error {
	cfg := e.Cfg
	dir := cfg.BackupDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		d.metrics.backup.failures.Inc()
		return fmt.Errorf("backup.dir: %w", err)
	}
	now := time.Now().In(cfg.Location())
	info, err := backup.Take(ctx, e.DB.SQL(), filepath.Join(dir, backup.FileName(now)))
	if err != nil {
		d.metrics.backup.failures.Inc()
		return err
	}
	d.metrics.backup.duration.Set(info.Duration.Seconds())
	log.Info(d.say("sikkerhedskopi skrevet", "backup written"), "path", info.Path, "bytes", info.Size, "database_bytes", info.DBSize, "schema", info.SchemaVersion,
		"plans", info.Plans, "tasks", info.Tasks, "snapshot", info.Snapshot.Round(time.Millisecond), "duration", info.Duration.Round(time.Millisecond))
	removed, err := backup.Prune(dir, cfg.Backup.KeepDaily, cfg.Backup.KeepWeekly, now)
	for _, p := range removed {
		log.Info(d.say("gammel sikkerhedskopi fjernet", "old backup removed"), "path", p)
	}
	if err != nil {
		log.Warn(d.say("gamle sikkerhedskopier kunne ikke ryddes op", "prune backups"), "dir", dir, "err", err)
	}
	if len(cfg.Backup.Command) == 0 {
		return nil
	}
	c := backup.Command{Args: cfg.Backup.Command, Timeout: time.Duration(cfg.Backup.CommandTimeoutSeconds) * time.Second}
	res, err := c.Run(ctx, info.Path)
	if err != nil {
		d.metrics.backup.commandFailures.Inc()
		log.Error(d.say("backup.command fejlede", "backup.command failed"), "args", res.Args, "exit", res.ExitCode, "output", res.Output, "duration", res.Duration.Round(time.Millisecond), "err", err)
		return fmt.Errorf("backup %s written, but %w", info.Path, err)
	}
	log.Info(d.say("backup.command udført", "backup.command done"), "args", res.Args, "exit", res.ExitCode, "output", res.Output, "duration", res.Duration.Round(time.Millisecond))
	return nil
}

// backupState describes the last good backup for /readyz and the status
// page: a line, and whether it is a warning.
func (d *Daemon) backupState() (string, string, bool) {
	cfg := d.env().Cfg
	if cfg.Schedules.Backup == "" || cfg.Schedules.Backup == "off" {
		return "backup: off (schedules.backup)", "Sikkerhedskopi: slået fra (schedules.backup)", true
	}
	c, ok, err := backup.Latest(cfg.BackupDir(), time.Now().In(cfg.Location()))
	switch {
	case err != nil:
		return fmt.Sprintf("warning: backup: cannot read %s: %v", cfg.BackupDir(), err), fmt.Sprintf("Sikkerhedskopi: kan ikke læse %s", cfg.BackupDir()), true
	case !ok:
		return "warning: backup: none yet in " + cfg.BackupDir(), "Ingen sikkerhedskopi endnu i " + cfg.BackupDir(), true
	}
	when := c.Taken.In(cfg.Location()).Format("2006-01-02 15:04")
	size := fmt.Sprintf("%.1f MB", float64(c.Size)/1e6)
	if c.Size < 1e6 {
		size = fmt.Sprintf("%d kB", (c.Size+500)/1000)
	}
	if time.Since(c.Taken) > backupStale {
		return fmt.Sprintf("warning: backup: the last good backup is from %s, more than two days ago (%s)", when, c.Path),
			fmt.Sprintf("Seneste sikkerhedskopi: %s (%s) – ældre end to døgn", when, size), true
	}
	return fmt.Sprintf("backup: last good %s, %s (%s)", when, size, c.Path), fmt.Sprintf("Seneste sikkerhedskopi: %s (%s)", when, size), false
}
