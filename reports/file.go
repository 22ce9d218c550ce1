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
	if !filepath.IsLocal(name) || filepath.Base(name) != name || strings.HasPrefix(name, tempPrefix) {
		return "", fmt.Errorf("report name %q is not a plain file name", name)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", fmt.Errorf("report folder: %w", err)
	}
	defer root.Close()
	path := filepath.Join(dir, name)
	b := make([]byte, 6)
	rand.Read(b)
	tmp := tempPrefix + hex.EncodeToString(b) + "-" + name
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := Write(f, d); err != nil {
		f.Close()
		root.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		root.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := root.Rename(tmp, name); err != nil {
		root.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
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
