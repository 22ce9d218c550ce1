package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
)

// TestBackupCommand_oddOut: backup --out onto a named pipe, a device, or a
// link to one is refused in the words report --out uses (what is there,
// and what to do), in the configured language, writing nothing; --out
// naming a folder puts the backup in it.
func TestBackupCommand_oddOut(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	plangen.Generate(plangen.Spec{Seed: 1, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1}).Write(plans)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	link := filepath.Join(dir, "link-to-fifo")
	os.Symlink(fifo, link)
	devLink := filepath.Join(dir, "link-to-null")
	os.Symlink("/dev/null", devLink)
	memLink := filepath.Join(dir, "mem.db.gz")
	os.Symlink("/proc/self/mem", memLink)
	for _, tt := range []struct {
		name, language, out, want string
	}{
		{"fifo, danish", "da", fifo, fifo + " er ikke en almindelig fil (et navngivet rør, en FIFO): udrul skriver en sikkerhedskopi kun som en fil for sig, aldrig over noget andet; intet er skrevet; vælg et andet navn, eller angiv en mappe"},
		{"fifo, english", "en", fifo, fifo + " is not a regular file (a named pipe, a FIFO): udrul writes a backup only as a file of its own, never over anything else; nothing was written; choose another name, or name a folder"},
		{"link to a fifo", "en", link, link + " is not a regular file (a link to " + fifo + ", a named pipe, a FIFO)"},
		{"device", "da", "/dev/null", "/dev/null er ikke en almindelig fil (en enhed)"},
		{"link to a device", "en", devLink, devLink + " is not a regular file (a link to /dev/null, a device)"},
		{"link to the kernel's file", "en", memLink, memLink + " is not a regular file (a link to /proc/self/mem, one of the kernel's files, not a file on disk)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := filepath.Join(dir, "udrul-"+tt.language+".yaml")
			os.WriteFile(cfg, []byte("database: udrul.db\nlanguage: "+tt.language+"\nsources:\n  - {name: share, kind: files, path: plans}\n"), 0o644)
			code, out, errOut := run(t, "backup", "--config", cfg, "--out", tt.out)
			if code != exitFailure || !strings.Contains(errOut, "udrul backup: "+tt.want) || strings.Contains(errOut, "plan") {
				t.Errorf("backup --out %s: exit %d, stdout %q, stderr %q; want %d and %q", tt.out, code, out, errOut, exitFailure, tt.want)
			}
		})
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO is gone or replaced: %v %v", fi, err)
	}
	t.Run("folder", func(t *testing.T) {
		cfg := filepath.Join(dir, "udrul-da.yaml")
		into := filepath.Join(dir, "bk")
		os.Mkdir(into, 0o755)
		code, out, errOut := run(t, "backup", "--config", cfg, "--out", into)
		if code != exitOK || !strings.Contains(out, filepath.Join(into, "udrul-backup-")) {
			t.Errorf("backup --out FOLDER: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		if m, _ := filepath.Glob(filepath.Join(into, "udrul-backup-*.db.gz")); len(m) != 1 {
			t.Errorf("backups in the folder: %v, want one", m)
		}
	})
}
