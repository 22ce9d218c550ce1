package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/backup"
)

// TestOpen_restoreLock: an open Env holds the database's lock shared, so a
// restore cannot start under it; an Open while a restore holds the lock
// waits for it, and says so plainly when it does not end.
func TestOpen_restoreLock(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "udrul.yaml")
	if err := os.WriteFile(cfg, []byte("language: en\ndatabase: "+filepath.Join(dir, "udrul.db")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db := filepath.Join(dir, "udrul.db")

	t.Run("a restore refused while open", func(t *testing.T) {
		e, err := Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if l, err := backup.LockExclusive(db); !errors.Is(err, backup.ErrInUse) {
			l.Release()
			t.Errorf("restore's lock while a command has the database open: %v, want ErrInUse", err)
		}
		e.Close()
		l, err := backup.LockExclusive(db)
		if err != nil {
			t.Fatalf("restore's lock after Close: %v", err)
		}
		l.Release()
	})
	t.Run("waits for a restore", func(t *testing.T) {
		l, err := backup.LockExclusive(db)
		if err != nil {
			t.Fatal(err)
		}
		go func() { time.Sleep(300 * time.Millisecond); l.Release() }()
		e, err := Open(ctx, cfg)
		if err != nil {
			t.Fatalf("open after the restore ended: %v", err)
		}
		e.Close()
	})
	t.Run("a restore that does not end", func(t *testing.T) {
		defer func(w time.Duration) { restoreWait = w }(restoreWait)
		restoreWait = 200 * time.Millisecond
		l, err := backup.LockExclusive(db)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Release()
		_, err = Open(ctx, cfg)
		if !errors.Is(err, backup.ErrInUse) || !strings.Contains(err.Error(), "a restore of the database (udrul restore) is still under way") ||
			strings.Contains(err.Error(), "in use") {
			t.Errorf("open during a restore: %v", err)
		}
	})
}
