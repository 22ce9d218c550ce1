// Package benchmem measures memory in benchmarks: the peak heap in use while
// a benchmark runs, and the process's peak resident memory.
package benchmem

import (
	"runtime/metrics"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// heapInUse are the runtime's metrics whose sum is the heap in use (the
// bytes in spans holding objects: runtime.MemStats.HeapInuse).
var heapInUse = []string{"/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes"}

// Peak runs fn while sampling the heap every 5 ms, and reports the peak in
// use (peak-heap-MB) and the process's peak resident memory (maxrss-MB).
//
// The heap is read from runtime/metrics, which does not stop the world:
// runtime.ReadMemStats did, 200 times a second, and that cost a first sync
// about a twentieth of its time (measured: BENCHMARKS.md, seventh session).
func Peak(b *testing.B, fn func()) {
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		samples := make([]metrics.Sample, len(heapInUse))
		for i, name := range heapInUse {
			samples[i].Name = name
		}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			var inUse uint64
			for _, s := range samples {
				if s.Value.Kind() == metrics.KindUint64 {
					inUse += s.Value.Uint64()
				}
			}
			if inUse > peak.Load() {
				peak.Store(inUse)
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
	<-sampled
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MB")
	}
}
