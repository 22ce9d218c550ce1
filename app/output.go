package app

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// OutputPath is where a command writes its file: out as given, or, when out
// is empty, names an existing folder or ends in a path separator, the
// default name inside that folder (dir when out is empty).
func OutputPath(out, dir, name string) string {
	if out == "" {
		if dir == "" {
			dir = "."
		}
		return filepath.Join(dir, name)
	}
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		return filepath.Join(out, name)
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return filepath.Join(out, name)
	}
	return out
}

// WriteFile writes a file the way every command does: missing folders are
// created, the content goes to a temporary file beside it that is renamed
// into place only when complete, and nothing is left behind on failure.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create folder %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
