package app

import (
	"os"
	"runtime/debug"
	"sync"
)

// evaluationGCPercent is the garbage collector's target while the
// portfolio is evaluated (GOGC; Go's default is 100). An evaluation
// allocates a quarter of a gigabyte for the country's 120,000 tasks and
// 72,000 findings, most of it garbage within a municipality; at 100 the
// collector took a fifth of its CPU (BENCHMARKS.md, issue 16 goal 3,
// sixth session). At 200 the heap may grow to three times what is live
// rather than twice: measured, the `udrul findings` command's resident
// memory 87 → 105 MB. The soft memory limit (cmd/udrul: 160 MiB for a
// command, 240 MiB for the daemon) still holds it down: the collector
// works harder near the limit whatever the target.
const evaluationGCPercent = 200

// gcRaise counts the evaluations running: the first raises the target,
// the last puts back what was there before.
var gcRaise struct {
	sync.Mutex
	running int
	before  int
}

// raiseGC raises the garbage collector's target for an evaluation, unless
// GOGC was set (the user's choice stands); call the function it returns
// when the evaluation ends.
func raiseGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	gcRaise.Lock()
	defer gcRaise.Unlock()
	if gcRaise.running == 0 {
		gcRaise.before = debug.SetGCPercent(evaluationGCPercent)
	}
	gcRaise.running++
	var once sync.Once
	return func() {
		once.Do(func() {
			gcRaise.Lock()
			defer gcRaise.Unlock()
			if gcRaise.running--; gcRaise.running == 0 {
				debug.SetGCPercent(gcRaise.before)
			}
		})
	}
}
