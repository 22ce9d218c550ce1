//go:build !unix

package store

// processAlive cannot ask other systems; a run is taken to be alive (it is
// marked interrupted a day after it started instead).
func processAlive(pid int) bool { return true }
