package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/backup"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/store"
)

// TestBackupRestoreCommands: backup writes a checked file; restore --check
// reads it; restore refuses a damaged file and an open database, in
// Danish, changing nothing; restore puts the backup in place and keeps
// the replaced database.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("database: udrul.db\nsources:\n  - {name: share, kind: files, path: plans}\nbackup: {dir: bk}\n"), 0o644)
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	p := plangen.Generate(plangen.Spec{Seed: 1, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1})
	p.Write(plans)
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("sync: %d %s %s", code, out, errOut)
	}
	file := filepath.Join(dir, "b.db.gz")
	code, out, errOut := run(t, "backup", "--config", cfg, "--out", file)
	if code != exitOK || !strings.Contains(out, "1 planer") || !strings.Contains(out, "kontrolleret") {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := run(t, "backup", "--config", cfg); code != exitOK || !strings.Contains(out, filepath.Join(dir, "bk", "udrul-backup-")) {
		t.Errorf("backup into backup.dir: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := run(t, "restore", "--config", cfg, "--check", file); code != exitOK || !strings.Contains(out, "er i orden") {
		t.Errorf("restore --check: %d %q %q", code, out, errOut)
	}
	b, _ := os.ReadFile(file)
	damaged := filepath.Join(dir, "damaged.db.gz")
	os.WriteFile(damaged, b[:len(b)-100], 0o600)
	if code, _, errOut := run(t, "restore", "--config", cfg, damaged); code != exitFailure || !strings.Contains(errOut, "er beskadiget") || !strings.Contains(errOut, "Intet er ændret") {
		t.Errorf("restore of a damaged file: %d %q", code, errOut)
	}
	// A backup whose database header claims 128 TB: refused for want of
	// room, in words, before anything is written.
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 4096)
	io.ReadFull(zr, head)
	binary.BigEndian.PutUint16(head[16:18], 1)
	binary.BigEndian.PutUint32(head[28:32], 0x7fffffff)
	var huge bytes.Buffer
	zw := gzip.NewWriter(&huge)
	zw.Write(head)
	zw.Close()
	hugeFile := filepath.Join(dir, "huge.db.gz")
	os.WriteFile(hugeFile, huge.Bytes(), 0o600)
	if code, _, errOut := run(t, "restore", "--config", cfg, hugeFile); code != exitFailure || !strings.Contains(errOut, "der er ikke plads til at pakke") ||
		!strings.Contains(errOut, "134217744 MB udpakket") || !strings.Contains(errOut, "Intet er ændret") {
		t.Errorf("restore of a backup bigger than the disk: %d %q", code, errOut)
	}
	if code, _, _ := run(t, "restore", "--config", cfg); code != exitUsage {
		t.Errorf("restore without a file: exit %d, want %d", code, exitUsage)
	}

	dbPath := filepath.Join(dir, "udrul.db")
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "restore", "--config", cfg, file)
	db.Close()
	if code != exitFailure || !strings.Contains(errOut, "er i brug") {
		t.Errorf("restore while the database is open: %d %q", code, errOut)
	}

	code, out, errOut = run(t, "restore", "--config", cfg, file)
	if code != exitOK || !strings.Contains(out, "gendannet") || !strings.Contains(out, "udrul.db.replaced-") {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	matches, _ := filepath.Glob(dbPath + ".replaced-*")
	if len(matches) != 1 {
		t.Errorf("replaced databases kept: %v, want one", matches)
	}
	if _, err := backup.Verify(context.Background(), matches[0]); err != nil {
		t.Errorf("the replaced database: %v", err)
	}
	if code, out, _ := run(t, "plans", "--config", cfg); code != exitOK || !strings.Contains(out, "Aarhus/KY") {
		t.Errorf("plans after the restore: %d %q", code, out)
	}
}
