package backup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
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
// now), with its write-ahead log, so that nothing in it is lost. It refuses
// while a udrul daemon holds the database's lock or any program has the
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
		if err := os.Rename(dbPath, replaced); err != nil {
			return Restored{}, fmt.Errorf("keep the replaced database: %w", err)
		}
		// The write-ahead log holds the replaced database's last
		// transactions: it goes with it, under the name SQLite looks for.
		if err := os.Rename(dbPath+"-wal", replaced+"-wal"); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Rename(replaced, dbPath)
			return Restored{}, fmt.Errorf("keep the replaced database's log: %w", err)
		}
		res.Replaced = replaced
	} else if !errors.Is(err, os.ErrNotExist) {
		return Restored{}, err
	}
	// A stale shared-memory index or log must not be applied to the
	// restored database.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return res, fmt.Errorf("remove stale %s: %w", dbPath+suffix, err)
		}
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return res, err
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return res, fmt.Errorf("put the backup in place: %w (the replaced database is %s)", err, res.Replaced)
	}
	syncDir(dir)
	return res, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
