// Package benchmem measures memory in benchmarks: the peak heap in use while
// a benchmark runs, and the process's peak resident memory.
package benchmem

import (
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Peak runs fn while sampling the heap every 5 ms, and reports the peak in
// use (peak-heap-MB) and the process's peak resident memory (maxrss-MB).
func Peak(b *testing.B, fn func()) {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MB")
	}
}
