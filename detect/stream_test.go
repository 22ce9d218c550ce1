package detect

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// TestParallel_inOrder: work done by several workers, finishing in any
// order, is taken in the order of its index, with at most twice the
// workers' number of results made ahead of the taker.
func TestParallel_inOrder(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 200
	var running, most atomic.Int32
	taken := atomic.Int32{}
	o := parallel(ctx, n, func(ctx context.Context, i int, c *cache) (*Group, error) {
		if c == nil {
			return nil, fmt.Errorf("work %d without a cache", i)
		}
		ahead := int32(i) - taken.Load()
		for {
			m := most.Load()
			if ahead <= m || most.CompareAndSwap(m, ahead) {
				break
			}
		}
		running.Add(1)
		defer running.Add(-1)
		time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
		return &Group{Municipality: fmt.Sprint(i)}, nil
	})
	for i := range n {
		r := o.get(i)
		taken.Add(1)
		if r.err != nil || r.g.Municipality != fmt.Sprint(i) {
			t.Fatalf("result %d: %+v, %v", i, r.g, r.err)
		}
	}
	if limit := int32(cap(o.ahead) + 1); most.Load() > limit {
		t.Errorf("work started %d ahead of the taker, want at most %d", most.Load(), limit)
	}
}
