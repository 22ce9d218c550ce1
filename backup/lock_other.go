//go:build unix && !linux

package backup

import "golang.org/x/sys/unix"

// getLockCmd asks about POSIX locks; those of this process are not seen.
const getLockCmd = unix.F_GETLK
