package backup

import "golang.org/x/sys/unix"

// getLockCmd asks about open file description locks, which conflict with
// every POSIX lock, those of this process included.
const getLockCmd = unix.F_OFD_GETLK
