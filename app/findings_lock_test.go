package app_test

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// TestEnv_EvaluateStream_syncWhileOutputWaits: while a recorded streamed
// evaluation waits for its output (fn blocks, as a `udrul findings` piped
// into a slow reader does), a sync through another connection, which waits
// for the write lock only briefly, stores its changes; the evaluation then
// ends, and what it saved is right for the store as the sync left it (an
// evaluation right after writes nothing).
func TestEnv_EvaluateStream_syncWhileOutputWaits(t *testing.T) {
	ctx := context.Background()
	p := portfolio(t, 120, 0)
	e := p.open(t)
	other, err := store.OpenWith(ctx, e.Cfg.DatabasePath(), store.Options{BusyTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Now = e.DB.Now
	// The sync edits the plans of the last two municipalities: not yet
	// written while the first one's output waits (Lifecycle.Apply's test
	// has a sync between a municipality's read and its write).
	var muns []string
	for _, pl := range p.plans {
		muns = append(muns, pl.Municipality)
	}
	sort.Strings(muns)
	muns = compactStrings(muns)
	var edit []int
	for i, pl := range p.plans {
		if pl.Municipality == muns[len(muns)-1] || pl.Municipality == muns[len(muns)-2] {
			for j := 0; j < len(pl.Tasks); j += 3 {
				pl.Slip(j, 30)
			}
			pl.SetStatus(1, model.Done, "Færdig")
			edit = append(edit, i)
		}
	}
	waiting, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	var sum *detect.Summary
	go func() {
		first := true
		var err error
		sum, _, err = e.EvaluateStream(ctx, benchAsOf, benchAsOf.AddDays(-6), true, func(g *detect.Group) error {
			if first {
				first = false
				close(waiting)
				<-release
			}
			return nil
		})
		done <- err
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("the evaluation ended before its output: %v", err)
	}
	p.store(t, other, edit) // fails (busy) while the evaluation holds the write lock
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Logf("%d findings, %d municipalities evaluated again", sum.Findings, sum.Reevaluated)
	if _, _, err := e.EvaluateStream(ctx, benchAsOf, benchAsOf.AddDays(-6), true, func(*detect.Group) error { return nil }); err != nil {
		t.Fatal(err)
	}
	var found, written int
	if err := e.DB.SQL().QueryRowContext(ctx, `SELECT found, opened + changed + resolved FROM evaluations ORDER BY id DESC LIMIT 1`).Scan(&found, &written); err != nil {
		t.Fatal(err)
	}
	if written != 0 || found != sum.Findings {
		t.Errorf("the evaluation after found %d and wrote %d findings, want %d and none: the one during the sync saved a stale state", found, written, sum.Findings)
	}
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// TestEnv_EvaluateStream_previewTakesNoWriteLock: a preview evaluates while
// another connection holds the write lock.
func TestEnv_EvaluateStream_previewTakesNoWriteLock(t *testing.T) {
	ctx := context.Background()
	p := portfolio(t, 120, 0)
	e := p.open(t)
	if _, _, err := e.EvaluateStream(ctx, benchAsOf, benchAsOf.AddDays(-6), true, func(*detect.Group) error { return nil }); err != nil {
		t.Fatal(err)
	}
	other, err := store.Open(ctx, e.Cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- other.Update(ctx, func(*store.Tx) error {
			close(held)
			<-release
			return errors.New("rolled back")
		})
	}()
	<-held
	defer func() { close(release); <-done }()
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	n := 0
	sum, _, err := e.EvaluateStream(tctx, benchAsOf.AddDays(1), benchAsOf.AddDays(-5), false, func(g *detect.Group) error {
		n += len(g.Findings)
		return nil
	})
	if err != nil {
		t.Fatalf("preview while another writer holds the lock: %v", err)
	}
	if sum.Persisted || n == 0 || n != sum.Findings {
		t.Errorf("preview: persisted %v, %d findings shown, summary %d; want a preview with findings counted alike", sum.Persisted, n, sum.Findings)
	}
}

// TestCollect_syncWhileEvaluating: a sync stores edits of the first
// municipalities while they are being evaluated (from the go-live look-up
// the rules make); detect.Collect (EvaluateFor: alerts, the report) saves
// what is right for the store as the sync left it, as the evaluation right
// after shows by writing nothing. detect.Run, which it replaced there,
// saved the findings of the tasks read before the sync.
func TestCollect_syncWhileEvaluating(t *testing.T) {
	ctx := context.Background()
	p := portfolio(t, 120, 0)
	for _, tt := range []struct {
		name string
		run  func(e *app.Env, in detect.Input) (*detect.Evaluation, error)
		safe bool
	}{
		{"Collect", func(e *app.Env, in detect.Input) (*detect.Evaluation, error) {
			return detect.Collect(ctx, e.DB, in, e.Cfg.Location(), e.Rules(), true)
		}, true},
		{"Run", func(e *app.Env, in detect.Input) (*detect.Evaluation, error) {
			return detect.Run(ctx, e.DB, in, e.Rules(), true)
		}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := p.open(t)
			other, err := store.OpenWith(ctx, e.Cfg.DatabasePath(), store.Options{BusyTimeout: 20 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			other.Now = e.DB.Now
			// The edits: the first two municipalities' plans, read (with
			// the tasks of a few more) before the first go-live is asked.
			var muns []string
			for _, pl := range p.plans {
				muns = append(muns, pl.Municipality)
			}
			sort.Strings(muns)
			muns = compactStrings(muns)
			var edit []int
			for i, pl := range p.plans {
				if pl.Municipality == muns[0] || pl.Municipality == muns[1] {
					for j := 0; j < len(pl.Tasks); j += 3 {
						pl.Slip(j, 30)
					}
					edit = append(edit, i)
				}
			}
			defer func() { // the portfolio as it was, for the other tests
				for _, i := range edit {
					pl := p.plans[i]
					for j := 0; j < len(pl.Tasks); j += 3 {
						pl.Slip(j, -30)
					}
				}
			}()
			in, err := e.Input(ctx, benchAsOf)
			if err != nil {
				t.Fatal(err)
			}
			goLive := in.GoLive
			var once sync.Once
			synced := make(chan struct{})
			in.GoLive = func(solution, wave string) model.Date {
				once.Do(func() {
					p.store(t, other, edit)
					close(synced)
				})
				<-synced
				return goLive(solution, wave)
			}
			ev, err := tt.run(e, in)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.EvaluateFor(ctx, benchAsOf, true); err != nil {
				t.Fatal(err)
			}
			var found, written int
			if err := e.DB.SQL().QueryRowContext(ctx, `SELECT found, opened + changed + resolved FROM evaluations ORDER BY id DESC LIMIT 1`).Scan(&found, &written); err != nil {
				t.Fatal(err)
			}
			if !tt.safe {
				t.Logf("detect.Run saved %d findings; the evaluation after found %d and wrote %d", len(ev.Findings), found, written)
				return
			}
			if ev.Reevaluated == 0 {
				t.Errorf("no municipality evaluated again: the sync came too late to test anything")
			}
			if written != 0 || found != len(ev.Findings) {
				t.Errorf("the evaluation after found %d and wrote %d findings, want %d and none: the one during the sync saved a stale state", found, written, len(ev.Findings))
			}
		})
	}
}
