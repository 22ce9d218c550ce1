package store

import (
	"io/fs"
	"syscall"
)

// inodeOf is fi's inode and change time: a file replaced or rewritten in
// place within one tick of the clock that stamps modification times.
func inodeOf(fi fs.FileInfo) (ino uint64, ctime int64) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino, st.Ctim.Nano()
	}
	return 0, 0
}
