//go:build linux

package source

import (
	"os"
	"strconv"
)

// openedPath is the real path of the file fh has open, as the kernel
// knows it: what was opened, whatever links led to it or were swapped in
// since (one system call, where resolving the name again takes one per
// part of the path).
func openedPath(fh *os.File) (string, error) {
	conn, err := fh.SyscallConn()
	if err != nil {
		return "", err
	}
	var p string
	var rerr error
	if err := conn.Control(func(fd uintptr) {
		p, rerr = os.Readlink("/proc/self/fd/" + strconv.FormatUint(uint64(fd), 10))
	}); err != nil {
		return "", err
	}
	return p, rerr
}
