//go:build unix

package backup

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Lock is an advisory lock on a database's lock file (the database's path
// with .lock added). The daemon holds it shared for as long as it runs;
// Restore takes it exclusively.
type Lock struct{ f *os.File }

// LockPath is the lock file of the database at dbPath.
func LockPath(dbPath string) string { return dbPath + ".lock" }

// LockShared takes the database's lock shared, without waiting: several
// udrul processes may hold it, a restore may not start while they do. It
// fails with ErrInUse while a restore holds it.
func LockShared(dbPath string) (*Lock, error) { return lock(dbPath, unix.LOCK_SH) }

// LockExclusive takes the database's lock exclusively, without waiting; it
// fails with ErrInUse while a udrul (the daemon or a command) holds it.
func LockExclusive(dbPath string) (*Lock, error) { return lock(dbPath, unix.LOCK_EX) }

func lock(dbPath string, how int) (*Lock, error) {
	f, err := os.OpenFile(LockPath(dbPath), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dbPath, err)
	}
	if err := unix.Flock(int(f.Fd()), how|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			if how == unix.LOCK_EX {
				return nil, fmt.Errorf("%w: udrul is running on %s (the daemon, or a command: it holds %s); stop it first", ErrInUse, dbPath, LockPath(dbPath))
			}
			return nil, fmt.Errorf("%w: a restore of %s is under way (it holds %s)", ErrInUse, dbPath, LockPath(dbPath))
		}
		return nil, fmt.Errorf("lock %s: %w", dbPath, err)
	}
	return &Lock{f: f}, nil
}

// Release lets the lock go. The lock file stays: removing it would let two
// processes lock different files.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// shmDMS is the byte of a WAL database's -shm file on which every open
// connection holds a shared lock for as long as it is open (SQLite's unix
// VFS: UNIX_SHM_DMS, ((22+8)*4)+8).
const shmDMS = 128

// checkNotOpen fails with ErrInUse when any program, this one included, has
// the WAL database at dbPath open: it asks the kernel whether a write lock on
// the -shm file's DMS byte would conflict with a lock held. Open file
// description locks (Linux) see the locks of this process too.
func checkNotOpen(dbPath string) error {
	if err := checkNoTransaction(dbPath); err != nil {
		return err
	}
	f, err := os.Open(dbPath + "-shm")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil // no connection in WAL mode: SQLite makes it on open
		}
		return fmt.Errorf("check whether %s is open: %w", dbPath, err)
	}
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0, Start: shmDMS, Len: 1}
	if err := unix.FcntlFlock(f.Fd(), getLockCmd, &lk); err != nil {
		return fmt.Errorf("check whether %s is open: %w", dbPath, err)
	}
	if lk.Type != unix.F_UNLCK {
		who := "another program"
		if lk.Pid > 0 {
			who = fmt.Sprintf("process %d", lk.Pid)
		}
		return fmt.Errorf("%w: %s has %s open; stop it first (udrul run, or another udrul command)", ErrInUse, who, dbPath)
	}
	return nil
}

// sqliteLockBytes are the bytes of a database file SQLite locks for a
// transaction in rollback-journal mode (its PENDING, RESERVED and SHARED
// bytes, from 1 GiB on): a database not (yet) in WAL mode — one restored,
// before a udrul opened it — shows its readers and writers only there.
const (
	sqlitePendingByte = 0x40000000
	sqliteLockBytes   = 2 + 510
)

// checkNoTransaction refuses a database file another program has a
// transaction on (rollback-journal mode: a connection merely open holds
// no lock there; in WAL mode, see checkNotOpen).
func checkNoTransaction(dbPath string) error {
	f, err := os.Open(dbPath)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("check whether %s is open: %w", dbPath, err)
	}
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0, Start: sqlitePendingByte, Len: sqliteLockBytes}
	if err := unix.FcntlFlock(f.Fd(), getLockCmd, &lk); err != nil {
		return fmt.Errorf("check whether %s is open: %w", dbPath, err)
	}
	if lk.Type != unix.F_UNLCK {
		who := "another program"
		if lk.Pid > 0 {
			who = fmt.Sprintf("process %d", lk.Pid)
		}
		return fmt.Errorf("%w: %s is reading or writing %s; stop it first", ErrInUse, who, dbPath)
	}
	return nil
}
