package backup

import "syscall"

// freeSpace is the room left in dir for an unprivileged writer; ok is
// false when it cannot be told.
func freeSpace(dir string) (free uint64, ok bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return st.Bavail * uint64(st.Bsize), true
}
