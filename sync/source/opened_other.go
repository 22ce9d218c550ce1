//go:build !linux

package source

import (
	"errors"
	"os"
)

// openedPath is not known without /proc: the name is resolved again and
// compared with the file opened (see readWithin).
func openedPath(*os.File) (string, error) { return "", errors.ErrUnsupported }
