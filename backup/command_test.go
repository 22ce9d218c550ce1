package backup_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/backup"
)

func TestCommand_Run(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on this machine")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "udrul-backup-2026-11-25T023000.db.gz")
	os.WriteFile(file, []byte("backup"), 0o600)
	remote := filepath.Join(dir, "remote")
	os.Mkdir(remote, 0o755)

	t.Run("copies", func(t *testing.T) {
		c := backup.Command{Args: []string{"cp", "{file}", filepath.Join(remote, "{name}")}, Timeout: 10 * time.Second}
		res, err := c.Run(context.Background(), file)
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode != 0 {
			t.Errorf("exit code %d", res.ExitCode)
		}
		if b, err := os.ReadFile(filepath.Join(remote, filepath.Base(file))); err != nil || string(b) != "backup" {
			t.Errorf("the copy = %q, %v", b, err)
		}
	})
	t.Run("no shell: arguments stay whole", func(t *testing.T) {
		c := backup.Command{Args: []string{"sh", "-c", `printf '%s|' "$@"`, "sh", "{name}; rm -rf /", "$HOME"}}
		res, err := c.Run(context.Background(), file)
		if err != nil {
			t.Fatal(err)
		}
		if want := "udrul-backup-2026-11-25T023000.db.gz; rm -rf /|$HOME|"; res.Output != want {
			t.Errorf("output %q, want %q", res.Output, want)
		}
	})
	t.Run("fails", func(t *testing.T) {
		c := backup.Command{Args: []string{"sh", "-c", "echo upload refused >&2; exit 3"}}
		res, err := c.Run(context.Background(), file)
		if err == nil || !strings.Contains(err.Error(), "exit status 3") {
			t.Errorf("err = %v, want exit status 3", err)
		}
		if res.ExitCode != 3 || res.Output != "upload refused" {
			t.Errorf("result = %d %q, want 3 \"upload refused\"", res.ExitCode, res.Output)
		}
	})
	t.Run("not found", func(t *testing.T) {
		c := backup.Command{Args: []string{filepath.Join(dir, "no-such-program")}}
		if _, err := c.Run(context.Background(), file); err == nil {
			t.Error("a missing program ran")
		}
	})
	t.Run("timeout", func(t *testing.T) {
		c := backup.Command{Args: []string{"sh", "-c", "sleep 30 & wait"}, Timeout: 200 * time.Millisecond}
		start := time.Now()
		_, err := c.Run(context.Background(), file)
		if err == nil || !strings.Contains(err.Error(), "stopped after") {
			t.Errorf("err = %v, want stopped after the timeout", err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("the command ran %s past its timeout", d)
		}
	})
	t.Run("output is bounded", func(t *testing.T) {
		c := backup.Command{Args: []string{"sh", "-c", "yes abcdefgh | head -c 1000000"}}
		res, err := c.Run(context.Background(), file)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Output) > 20<<10 || !strings.HasPrefix(res.Output, "…") {
			t.Errorf("kept %d bytes of output (starts %q), want the last 16 KiB", len(res.Output), res.Output[:10])
		}
	})
}
