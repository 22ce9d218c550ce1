package benchmem

import (
	"runtime"
	"runtime/metrics"
	"testing"
)

// TestHeapInUse checks that the metrics Peak samples add up to what
// runtime.MemStats calls the heap in use, which the figures before it were.
func TestHeapInUse(t *testing.T) {
	keep := make([][]byte, 0, 1000)
	for range 1000 {
		keep = append(keep, make([]byte, 10_000))
	}
	runtime.GC()
	samples := make([]metrics.Sample, len(heapInUse))
	for i, name := range heapInUse {
		samples[i].Name = name
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	metrics.Read(samples)
	var got uint64
	for _, s := range samples {
		if s.Value.Kind() != metrics.KindUint64 {
			t.Fatalf("metric %s is not known to this Go", s.Name)
		}
		got += s.Value.Uint64()
	}
	// The two reads are a moment apart: allow for what the runtime did
	// in between.
	if d := int64(got) - int64(ms.HeapInuse); d < -1<<20 || d > 1<<20 {
		t.Errorf("heap in use from metrics = %d, MemStats.HeapInuse = %d", got, ms.HeapInuse)
	}
	if got < 10_000_000 {
		t.Errorf("heap in use = %d, want at least the 10 MB held", got)
	}
	runtime.KeepAlive(keep)
}
