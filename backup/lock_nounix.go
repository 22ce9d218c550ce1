//go:build !unix

package backup

import "errors"

// Lock is an advisory lock on a database (not available on this system).
type Lock struct{}

// LockPath is the lock file of the database at dbPath.
func LockPath(dbPath string) string { return dbPath + ".lock" }

var errNoLock = errors.New("restoring needs file locks, which udrul supports on Linux and other Unix systems only")

// LockShared is not available on this system; it holds nothing.
func LockShared(dbPath string) (*Lock, error) { return &Lock{}, nil }

// LockExclusive is not available on this system.
func LockExclusive(dbPath string) (*Lock, error) { return nil, errNoLock }

// Release does nothing.
func (l *Lock) Release() error { return nil }

func checkNotOpen(dbPath string) error { return errNoLock }
