package reports

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tempPrefix starts the name of a report being written.
const tempPrefix = ".udrul-tmp-"

// WriteFile writes d as the workbook name inside dir, which it cannot
// leave: name must be a plain file name (no separator, no ".."), and the
// file is created through an os.Root of dir, so no symbolic link in dir
// leads it elsewhere either. It writes a temporary file in dir and renames
// it into place, so a reader never sees half a workbook and a crash leaves
// at most a temporary file, which RemoveStaleTemp clears.
func WriteFile(dir, name string, d *Data) (string, error) {
	tf, err := createTemp(dir, name)
	if err != nil {
		return "", err
	}
	if err := Write(tf.f, d); err != nil {
		tf.abort()
		return "", fmt.Errorf("write %s: %w", tf.path, err)
	}
	return tf.commit()
}

// tempFile is a report being written under a temporary name in its folder.
type tempFile struct {
	root      *os.Root
	f         *os.File
	tmp, name string
	path      string // the report's path
}

// createTemp creates the temporary file of the report name in dir (see
// WriteFile).
func createTemp(dir, name string) (*tempFile, error) {
	if !filepath.IsLocal(name) || filepath.Base(name) != name || strings.HasPrefix(name, tempPrefix) {
		return nil, fmt.Errorf("report name %q is not a plain file name", name)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("report folder: %w", err)
	}
	path := filepath.Join(dir, name)
	b := make([]byte, 6)
	rand.Read(b)
	tmp := tempPrefix + hex.EncodeToString(b) + "-" + name
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &tempFile{root: root, f: f, tmp: tmp, name: name, path: path}, nil
}

// abort removes the temporary file.
func (t *tempFile) abort() {
	t.f.Close()
	t.root.Remove(t.tmp)
	t.root.Close()
}

// commit closes the temporary file and renames it into place.
func (t *tempFile) commit() (string, error) {
	defer t.root.Close()
	if err := t.f.Close(); err != nil {
		t.root.Remove(t.tmp)
		return "", fmt.Errorf("write %s: %w", t.path, err)
	}
	if err := t.root.Rename(t.tmp, t.name); err != nil {
		t.root.Remove(t.tmp)
		return "", fmt.Errorf("write %s: %w", t.path, err)
	}
	return t.path, nil
}

// RemoveStaleTemp removes the temporary files of reports whose writing
// stopped (the process was killed) more than age ago, and returns their
// paths. Younger ones may belong to a report being written right now.
func RemoveStaleTemp(dir string, age time.Duration) ([]string, error) {
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		name := e.Name()
		// Also the temporary names of udrul before 2026-11 (path + ".tmp").
		old := strings.HasPrefix(name, "udrul-rapport-") && strings.HasSuffix(name, ".xlsx.tmp")
		if !e.Type().IsRegular() || !(strings.HasPrefix(name, tempPrefix) || old) {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < age {
			continue
		}
		p := filepath.Join(dir, name)
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, p)
	}
	return removed, errors.Join(errs...)
}
