//go:build unix

package store

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestMarkInterruptedRuns_zombie: a sync killed and not yet reaped by its
// parent (a zombie, as in a container whose first process does not reap)
// no longer runs; its run is marked interrupted by the next sync, as a run
// of a process gone is. One that runs is left.
func TestMarkInterruptedRuns_zombie(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("zombies are told from /proc")
	}
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep command")
	}
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	start := func() *exec.Cmd {
		t.Helper()
		c := exec.Command(sleep, "30")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		return c
	}
	live, dead := start(), start()
	defer func() { live.Process.Kill(); live.Wait() }()
	if err := dead.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	// Not waited for: it stays a zombie until Wait.
	for i := 0; !zombie(dead.Process.Pid); i++ {
		if i == 200 {
			t.Fatal("the killed process never showed as ended in /proc")
		}
		time.Sleep(10 * time.Millisecond)
	}
	defer dead.Wait()
	tests := []struct {
		name string
		pid  int
		want bool
	}{
		{"this process", os.Getpid(), true},
		{"a running child", live.Process.Pid, true},
		{"a killed child not reaped", dead.Process.Pid, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := processAlive(tt.pid); got != tt.want {
				t.Errorf("processAlive(%d) = %v, want %v", tt.pid, got, tt.want)
			}
		})
	}
	for _, pid := range []int{live.Process.Pid, dead.Process.Pid} {
		if _, err := db.SQL().ExecContext(ctx, `INSERT INTO sync_runs (started_at, pid, host) VALUES (?, ?, ?)`, db.now(), pid, hostname()); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.MarkInterruptedRuns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var running int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM sync_runs WHERE status = 'running' AND pid = ?`, live.Process.Pid).Scan(&running); err != nil {
		t.Fatal(err)
	}
	if n != 1 || running != 1 {
		t.Errorf("marked %d runs interrupted, the running one's left %d; want 1 and 1", n, running)
	}
}
