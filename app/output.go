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
	if IsFolder(out) {
		return filepath.Join(out, name)
	}
	return out
}

// IsFolder reports whether an --out value names a folder: it ends in a
// path separator or names an existing folder.
func IsFolder(out string) bool {
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		return true
	}
	fi, err := os.Stat(out)
	return err == nil && fi.IsDir()
}

// WriteFile writes a file the way every command does: missing folders are
// created, the content goes to a temporary file beside it that is renamed
// into place only when complete, and nothing is left behind on failure.
func WriteFile(path string, write func(io.Writer) error) error {
	return WriteFilePerm(path, 0o644, write)
}

// WriteFilePerm is WriteFile with the file's permissions (0o600 for a file
// that may come to hold a password): they are set before the file is in
// place.
func WriteFilePerm(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
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
	if err := f.Chmod(perm); err != nil {
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
