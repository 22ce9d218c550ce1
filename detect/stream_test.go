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

// TestParallel_cancelled: the taker of results cancelled part-way is told
// so for every result it still asks for, and does not wait for work never
// handed out (a daemon stopped during an alerts run hung there, its
// feeder having stopped before the next municipality).
func TestParallel_cancelled(t *testing.T) {
	for round := range 200 {
		ctx, cancel := context.WithCancel(context.Background())
		const n = 50
		o := parallel(ctx, n, func(ctx context.Context, i int, c *cache) (*Group, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return &Group{Municipality: fmt.Sprint(i)}, nil
		})
		stopAt := round % n
		done := make(chan int)
		go func() {
			errs := 0
			for i := range n {
				if i == stopAt {
					cancel()
				}
				if r := o.get(i); r.err != nil {
					errs++
				} else if r.g.Municipality != fmt.Sprint(i) {
					t.Errorf("round %d: result %d is %s's", round, i, r.g.Municipality)
				}
			}
			o.wait(cancel)
			done <- errs
		}()
		select {
		case errs := <-done:
			if errs == 0 && stopAt < n-cap(o.ahead)-2 { // the feeder is at most 2×cores ahead
				t.Errorf("round %d: cancelled at %d, yet every result came", round, stopAt)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: get waited for work never handed out after a cancel at %d", round, stopAt)
		}
	}
}
