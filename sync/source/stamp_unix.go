//go:build linux

package source

import (
	"io/fs"
	"strconv"
	"syscall"
)

// changeStamp adds what a copy that keeps the modification time cannot
// keep: the inode's change time and number. cp -p, rsync -t, robocopy or a
// restore can give an edited file its old size and mtime; ctime moves on
// every write (and cannot be set back by a user), so the file is read.
func changeStamp(fi fs.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return "-" + strconv.FormatInt(st.Ctim.Nano(), 10) + "-" + strconv.FormatUint(st.Ino, 10)
}
