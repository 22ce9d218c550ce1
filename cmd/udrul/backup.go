package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/backup"
	"github.com/udrul/udrul/internal/lang"
)

// BackupCommand writes a backup of the store.
type BackupCommand struct {
	Stdout, Stderr io.Writer
}

const backupSynopsis = `[--config FILE] [--out FILE]

Writes a consistent copy of the database, also while udrul run is working
on it (syncs go on: the copy reads one snapshot), checks it (integrity, and
its schema version is recorded) and compresses it (gzip). The file takes its
name only when whole. Without --out it goes into backup.dir as
udrul-backup-YYYY-MM-DDTHHMMSS.db.gz, where the daemon's nightly backups are
kept; --out FOLDER/ (or an existing folder) puts it there under that name.
--out replaces only an earlier backup, never another file, a named pipe or a
device. Put it back with 'udrul restore FILE'.`

// Run runs the command.
func (c *BackupCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("backup", backupSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	out := fs.String("out", "", "write the backup to this `file` or folder (default: a new file in backup.dir)")
	e, err := openFor(ctx, fs, args, cfgPath, nil)
	if err != nil {
		return err
	}
	defer e.Close()
	en := e.English()
	path := *out
	if path == "" {
		dir := e.Cfg.BackupDir()
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("backup.dir: %w", e.Plain(err))
		}
		path = filepath.Join(dir, backup.FileName(time.Now().In(e.Cfg.Location())))
	} else if app.IsFolder(path) {
		path = filepath.Join(path, backup.FileName(time.Now().In(e.Cfg.Location())))
	}
	// A named pipe, a device or a link to one: said as report --out says it.
	if err := e.CheckRegular(path, [2]string{"en sikkerhedskopi", "a backup"}); err != nil {
		fmt.Fprintln(c.Stderr, "udrul backup: "+err.Error())
		return errReported
	}
	info, err := backup.Take(ctx, e.DB.SQL(), path)
	if err != nil {
		fmt.Fprintln(c.Stderr, say(en, "udrul backup: sikkerhedskopien kunne ikke tages; intet er skrevet til "+path,
			"udrul backup: the backup failed; nothing was written to "+path))
		if errors.Is(err, backup.ErrNotABackup) {
			fmt.Fprintln(c.Stderr, say(en, "udrul backup: "+path+" findes og er ikke en tidligere sikkerhedskopi (men fx databasen selv, konfigurationen eller en plan): en sikkerhedskopi erstatter kun en tidligere; skriv den til en anden fil",
				"udrul backup: "+path+" exists and is not an earlier backup (but, say, the database itself, the configuration or a plan): a backup replaces only an earlier one; write it to another file"))
			return errReported
		}
		if plain := e.PlainAt(err, path); plain != err {
			fmt.Fprintln(c.Stderr, "udrul backup: "+plain.Error())
			return errReported
		}
		return err
	}
	fmt.Fprintln(c.Stdout, say(en,
		fmt.Sprintf("%s: %s (database %s, skema %d, %d planer, %d opgaver), kontrolleret, på %s",
			info.Path, mb(info.Size), mb(info.DBSize), info.SchemaVersion, info.Plans, info.Tasks, info.Duration.Round(time.Millisecond)),
		fmt.Sprintf("%s: %s (database %s, schema %d, %d plans, %d tasks), checked, in %s",
			info.Path, mb(info.Size), mb(info.DBSize), info.SchemaVersion, info.Plans, info.Tasks, info.Duration.Round(time.Millisecond))))
	return nil
}

// say picks the message in the configured language.
func say(english bool, da, en string) string { return lang.Pick(english, da, en) }

// mb writes a size in MB, or kB below one MB.
func mb(n int64) string {
	if n < 1e6 {
		return fmt.Sprintf("%d kB", (n+500)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
