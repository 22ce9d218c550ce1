package backup_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/backup"
)

// FuzzExpand feeds Expand arbitrary files: it never panics, and it either
// refuses them as damaged or yields a database that passed the checks.
func FuzzExpand(f *testing.F) {
	db, _ := newDB(f)
	fill(f, db, 1, 2, 0)
	good := filepath.Join(f.TempDir(), "good.db.gz")
	if _, err := backup.Take(context.Background(), db.SQL(), good); err != nil {
		f.Fatal(err)
	}
	b, _ := os.ReadFile(good)
	f.Add(b)
	f.Add(b[:len(b)/3])
	f.Add([]byte("SQLite format 3\x00 and then nothing"))
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write([]byte("SQLite format 3\x00"))
	zw.Close()
	f.Add(zb.Bytes())
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		file := filepath.Join(dir, "in")
		os.WriteFile(file, data, 0o600)
		tmp, info, err := backup.Expand(context.Background(), file, dir)
		if err != nil {
			if !errors.Is(err, backup.ErrDamaged) && !errors.Is(err, backup.ErrNewerSchema) {
				t.Fatalf("Expand: %v, want ErrDamaged", err)
			}
			if tmp != "" {
				t.Errorf("a refused file left %s", tmp)
			}
			return
		}
		if info.SchemaVersion <= 0 {
			t.Errorf("accepted a database without a schema version")
		}
	})
}
