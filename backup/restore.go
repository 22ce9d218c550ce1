package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/udrul/udrul/store"
)

// Restored says what Restore did.
type Restored struct {
	Info
	// Replaced is where the database that was in place is now kept ("" when
	// there was none).
	Replaced string
}

// Restore puts the database in the backup file in place of the database at
// dbPath, after checking it (whole, integrity, schema not newer than this
// udrul's). The database it replaces is kept beside it as ReplacedName(dbPath,
// now), with everything in its write-ahead log, so that nothing in it is
// lost, and a restore killed at any point leaves a whole database at
// dbPath (see keep). It refuses
// while any udrul holds the database's lock or any program has the
// database open. On an error the database in place is left untouched.
func Restore(ctx context.Context, file, dbPath string, now time.Time) (Restored, error) {
	lock, err := LockExclusive(dbPath)
	if err != nil {
		return Restored{}, err
	}
	defer lock.Release()
	if err := checkNotOpen(dbPath); err != nil {
		return Restored{}, err
	}
	dir := filepath.Dir(dbPath)
	tmp, info, err := Expand(ctx, file, dir)
	if err != nil {
		return Restored{}, err
	}
	defer os.Remove(tmp) // gone after the rename
	res := Restored{Info: info}
	mode := os.FileMode(0o600)
	if fi, err := os.Stat(dbPath); err == nil {
		mode = fi.Mode().Perm()
		replaced := ReplacedName(dbPath, now)
		for i := 2; exists(replaced); i++ {
			replaced = fmt.Sprintf("%s-%d", ReplacedName(dbPath, now), i)
		}
		// Checked once more, just before the move: nobody opened it
		// while the backup was being expanded.
		if err := checkNotOpen(dbPath); err != nil {
			return Restored{}, err
		}
		if err := keep(ctx, dbPath, replaced); err != nil {
			return Restored{}, err
		}
		res.Replaced = replaced
	} else if !errors.Is(err, os.ErrNotExist) {
		return Restored{}, err
	}
	if crashed("kept") {
		return res, errCrash
	}
	// A stale shared-memory index or log must not be applied to the
	// restored database.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return res, fmt.Errorf("remove stale %s: %w", dbPath+suffix, err)
		}
	}
	if crashed("cleared") {
		return res, errCrash
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return res, err
	}
	// In WAL mode, as udrul keeps it: a program that opens it before the
	// next udrul does is then seen by the next restore (a connection to a
	// database in rollback mode holds no lock while it is idle).
	if err := toWAL(ctx, tmp); err != nil {
		return res, fmt.Errorf("set the restored database to WAL: %w", err)
	}
	// One rename puts the backup in place of the database, so that a
	// restore killed at any point leaves a database there: the old one,
	// or the restored one.
	if err := os.Rename(tmp, dbPath); err != nil {
		return res, fmt.Errorf("put the backup in place: %w (the replaced database is %s)", err, res.Replaced)
	}
	syncDir(dir)
	return res, nil
}

// keep keeps the database at dbPath, with everything in its write-ahead
// log, under the name replaced, leaving dbPath whole until the restored
// database takes its place. The log is written into the database first (a
// checkpoint, as SQLite does when the last connection closes) and the
// database is given its second name by a hard link: dbPath stays a whole
// database throughout. Where that fails (a database too damaged to open,
// a file system without hard links) it is moved instead, its log with it
// under the name SQLite looks for; a restore killed before the restored
// database is in place then leaves no database at dbPath, and the next
// udrul run would start an empty one.
func keep(ctx context.Context, dbPath, replaced string) error {
	if checkpoint(ctx, dbPath) == nil && os.Link(dbPath, replaced) == nil {
		syncDir(filepath.Dir(dbPath))
		return nil
	}
	if crashed("moving") {
		return errCrash
	}
	if err := os.Rename(dbPath, replaced); err != nil {
		return fmt.Errorf("keep the replaced database: %w", err)
	}
	if err := os.Rename(dbPath+"-wal", replaced+"-wal"); err != nil && !errors.Is(err, os.ErrNotExist) {
		os.Rename(replaced, dbPath)
		return fmt.Errorf("keep the replaced database's log: %w", err)
	}
	return nil
}

// checkpoint writes the write-ahead log of the database at dbPath, which
// nobody has open, into the database and empties it; it fails unless the
// log is empty or gone after it.
func checkpoint(ctx context.Context, dbPath string) error {
	if forceMove {
		return errors.New("moving (a test)")
	}
	db, err := sql.Open("sqlite3", store.FileURI(dbPath)+"?mode=rw")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	// A first read rolls back a journal left by a crash; the checkpoint
	// writes the log into the database.
	var n, busy, logged, done int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master`).Scan(&n)
	if err == nil {
		err = db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &done)
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if busy != 0 {
		return errors.New("the checkpoint was blocked")
	}
	if fi, err := os.Stat(dbPath + "-wal"); err == nil && fi.Size() > 0 {
		return errors.New("the log is not empty after the checkpoint")
	}
	return nil
}

// Tests stop Restore at a named step, as a kill would (crashAt), and make
// it move the replaced database instead of linking it (forceMove).
var (
	crashAt   func(step string) bool
	forceMove bool
	errCrash  = errors.New("killed (a test)")
)

func crashed(step string) bool { return crashAt != nil && crashAt(step) }

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// dropPacked deletes the restored database's packed tasks (see
// store.PackMissing): they are a copy of its task rows, and a backup's
// copy is not trusted to match them (an edited backup could show one
// thing in the findings and another in the tasks). The next sync packs
// the plans again from their rows; until then they are read row by row.
func dropPacked(ctx context.Context, db *sql.DB) error {
	var has bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'plan_tasks_packed')`).Scan(&has); err != nil || !has {
		return err
	}
	_, err := db.ExecContext(ctx, `DELETE FROM plan_tasks_packed`)
	return err
}

// toWAL sets the database file at path to WAL mode, leaving no log beside
// it, and drops its packed tasks (dropPacked).
func toWAL(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", store.FileURI(path)+"?mode=rw")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	var mode string
	err = db.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode)
	if err == nil {
		err = dropPacked(ctx, db)
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	removeSidecars(path)
	if err == nil && mode != "wal" {
		err = fmt.Errorf("journal mode %q", mode)
	}
	return err
}
