package backup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/udrul/udrul/store"
)

// planDB makes a udrul database at path with n plans, the last of them
// only in its write-ahead log (a daemon killed before a checkpoint): the
// file and its log are copied while the database is open.
func planDB(t *testing.T, path string, n int) {
	t.Helper()
	ctx := context.Background()
	live := filepath.Join(t.TempDir(), "live.db")
	db, err := store.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range n {
		if i == n-1 {
			if _, err := db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.CreatePlan(store.Plan{Municipality: fmt.Sprintf("Kommune%d", i), Solution: "KY"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(live + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func plansIn(t *testing.T, path string) int {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open %s: %v", filepath.Base(path), err)
	}
	defer db.Close()
	plans, err := db.ListPlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(plans)
}

// TestRestore_killed: a restore killed at any step leaves a whole database
// at the database's path — the old one with every transaction of its log,
// or the restored one — never none (the next udrul run would start an
// empty database: no history, every alert sent again); and a restore run
// again afterwards completes. Where the replaced database cannot be linked
// it is moved with its log.
func TestRestore_killed(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "backup.db")
	planDB(t, src, 1)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	for _, step := range []string{"kept", "cleared"} {
		t.Run("killed after "+step, func(t *testing.T) {
			dbPath := filepath.Join(t.TempDir(), "udrul.db")
			planDB(t, dbPath, 3)
			crashAt = func(s string) bool { return s == step }
			_, err := Restore(ctx, src, dbPath, now)
			crashAt = nil
			if !errors.Is(err, errCrash) {
				t.Fatalf("Restore = %v, want the simulated kill", err)
			}
			if _, err := os.Stat(dbPath); err != nil {
				t.Fatalf("no database at its path after a restore killed after %s: %v", step, err)
			}
			if got := plansIn(t, dbPath); got != 3 {
				t.Errorf("the database in place holds %d plans, want the old 3 (its log's last one included)", got)
			}
			res, err := Restore(ctx, src, dbPath, now)
			if err != nil {
				t.Fatalf("the restore run again: %v", err)
			}
			if got := plansIn(t, dbPath); got != 1 {
				t.Errorf("restored: %d plans, want 1", got)
			}
			if got := plansIn(t, res.Replaced); got != 3 {
				t.Errorf("the replaced database %s holds %d plans, want 3", filepath.Base(res.Replaced), got)
			}
		})
	}
	t.Run("moved when it cannot be linked", func(t *testing.T) {
		dbPath := filepath.Join(t.TempDir(), "udrul.db")
		planDB(t, dbPath, 3)
		forceMove = true
		defer func() { forceMove = false }()
		res, err := Restore(ctx, src, dbPath, now)
		if err != nil {
			t.Fatal(err)
		}
		if got := plansIn(t, dbPath); got != 1 {
			t.Errorf("restored: %d plans, want 1", got)
		}
		if got := plansIn(t, res.Replaced); got != 3 {
			t.Errorf("the replaced database holds %d plans, want 3 (its log moved with it)", got)
		}
	})
}
