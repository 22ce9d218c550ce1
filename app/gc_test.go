package app

import (
	"runtime/debug"
	"sync"
	"testing"
)

// TestRaiseGC: evaluations running at once raise the collector's target
// once and the last one puts back what was there before, whatever the
// order they end in; GOGC set by the user stands.
func TestRaiseGC(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(137)
	defer debug.SetGCPercent(before)
	var restores []func()
	for range 3 {
		restores = append(restores, raiseGC())
	}
	if got := debug.SetGCPercent(evaluationGCPercent); got != evaluationGCPercent {
		t.Errorf("during the evaluations the target is %d, want %d", got, evaluationGCPercent)
	}
	var wg sync.WaitGroup
	for _, r := range restores[1:] {
		wg.Go(r)
	}
	wg.Wait()
	restores[1]() // twice: no effect
	if got := debug.SetGCPercent(evaluationGCPercent); got != evaluationGCPercent {
		t.Errorf("with one evaluation left the target is %d, want %d", got, evaluationGCPercent)
	}
	restores[0]()
	if got := debug.SetGCPercent(137); got != 137 {
		t.Errorf("after the evaluations the target is %d, want 137 as before", got)
	}

	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	restore := raiseGC()
	if got := debug.SetGCPercent(50); got != 50 {
		t.Errorf("GOGC=50 set by the user: the target is %d during an evaluation", got)
	}
	restore()
}
