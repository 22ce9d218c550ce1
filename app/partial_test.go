package app_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/model"
)

// TestEnv_EvaluateStream_afterAStoppedRun: a streamed evaluation stopped
// halfway (its output failed, or it was killed) has written some
// municipalities and recorded no evaluation; the next one completes it.
// Its findings, first-seen dates, findings new in the period, findings
// resolved in the period and the stored open findings are those of a store
// where no run stopped.
func TestEnv_EvaluateStream_afterAStoppedRun(t *testing.T) {
	ctx := context.Background()
	p := portfolio(t, 60, 0)
	clean, stopped := p.open(t), p.open(t)
	start := model.NewDate(2026, 11, 20)
	stop := errors.New("stopped")
	for day := 0; day < 3; day++ {
		asOf := start.AddDays(day)
		now := func() time.Time { return asOf.In(time.UTC).Add(9 * time.Hour) }
		clean.DB.Now, stopped.DB.Now = now, now
		if day > 0 {
			var changed []int
			for i := day; i < len(p.plans); i += 3 {
				pl := p.plans[i]
				for j := day; j < len(pl.Tasks); j += 11 {
					pl.Slip(j, []int{9, -4, 15, -20}[(i+j)%4])
				}
				pl.SetStatus((day*13)%len(pl.Tasks), model.Done, "Færdig")
				changed = append(changed, i)
			}
			p.store(t, clean.DB, changed)
			p.store(t, stopped.DB, changed)
		}
		since := asOf.AddDays(-6)
		if day > 0 {
			groups := 0
			_, _, err := stopped.EvaluateStream(ctx, asOf, since, true, func(*detect.Group) error {
				if groups++; groups == 7 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) {
				t.Fatalf("day %d: the stopped run: %v", day, err)
			}
			// It wrote some municipalities: the stores differ now.
			a, errA := clean.DB.OpenFindings(ctx)
			b, errB := stopped.DB.OpenFindings(ctx)
			if errA != nil || errB != nil {
				t.Fatal(errA, errB)
			}
			if reflect.DeepEqual(a, b) {
				t.Fatalf("day %d: the stopped run wrote nothing; the test needs it to have written some municipalities", day)
			}
		}
		run := func(e *app.Env) ([]model.Finding, []model.Finding, int) {
			var found []model.Finding
			_, resolved, err := e.EvaluateStream(ctx, asOf, since, true, func(g *detect.Group) error {
				found = append(found, g.Findings...)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range found {
				if detect.IsNew(f, since) {
					n++
				}
			}
			return found, resolved, n
		}
		wantFound, wantResolved, wantNew := run(clean)
		found, resolved, isNew := run(stopped)
		name := fmt.Sprintf("day %d", day)
		same(t, name+" findings", found, wantFound)
		same(t, name+" resolved in the period", resolved, wantResolved)
		if isNew != wantNew {
			t.Errorf("%s: %d findings new in the period, want %d", name, isNew, wantNew)
		}
		a, err := clean.DB.OpenFindings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := stopped.DB.OpenFindings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		same(t, name+" stored open findings", b, a)
	}
}
