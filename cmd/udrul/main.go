// Command udrul reads the implementation plans that municipalities keep in
// spreadsheets and turns them into one picture of a national rollout.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
)

// The soft memory limits (GOMEMLIMIT) of udrul: a command's, and the
// daemon's, which also keeps the web view's evaluation of the whole
// portfolio. 160 MiB keeps the national report under 200 MB of resident
// memory at the cost of 2 % more time (measured: 194 MB, 8.7 s against
// 258 MB, 8.6 s at 240 MiB); a lower limit costs much more time.
const (
	defaultMemoryLimit = 160 << 20
	daemonMemoryLimit  = 240 << 20
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// UDRUL_CPUPROFILE=file writes a CPU profile of the command, for
	// finding where time goes on a real portfolio.
	if path := os.Getenv("UDRUL_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	// A soft memory limit makes the garbage collector work harder before
	// the heap doubles, keeping large reports and syncs within budget;
	// GOMEMLIMIT overrides it.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit(os.Args[1:]))
	}
	m := NewMain(os.Stdin, os.Stdout, os.Stderr)
	code := m.Run(ctx, os.Args[1:])
	pprof.StopCPUProfile()
	os.Exit(code)
}

// memoryLimit is the soft memory limit for a command line: the daemon's
// for run, also with flags before it ("udrul --config x.yaml run").
func memoryLimit(args []string) int64 {
	if args, named := commandFirst(args); named && len(args) > 0 && args[0] == "run" {
		return daemonMemoryLimit
	}
	return defaultMemoryLimit
}
