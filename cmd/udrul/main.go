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

// defaultMemoryLimit is the soft memory limit (GOMEMLIMIT) of udrul.
const defaultMemoryLimit = 240 << 20

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
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	m := NewMain(os.Stdin, os.Stdout, os.Stderr)
	code := m.Run(ctx, os.Args[1:])
	pprof.StopCPUProfile()
	os.Exit(code)
}
