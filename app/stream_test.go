package app_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/udrul/udrul/detect"
	"github.com/udrul/udrul/model"
)

// TestEnv_EvaluateStream_sameAsEvaluate: on a generated portfolio edited
// over several days, the streamed evaluation (a municipality at a time) and
// the evaluation of everything at once, each recording into its own copy of
// the same store, give the same findings in the same order, with the same
// first-seen dates, the same opened and resolved findings, the same plan
// and municipality status and the same findings resolved in the period;
// and their stores hold the same open findings. A preview of an earlier
// date agrees too, and changes neither store.
func TestEnv_EvaluateStream_sameAsEvaluate(t *testing.T) {
	ctx := context.Background()
	p := portfolio(t, 120, 0) // 98 municipalities, some with two plans, of the standard plan's tasks
	all, streamed := p.open(t), p.open(t)
	start := model.NewDate(2026, 11, 20)
	laterOpened, laterResolved := 0, 0
	for day := 0; day < 5; day++ {
		asOf := start.AddDays(day)
		now := func() time.Time { return asOf.In(time.UTC).Add(9 * time.Hour) }
		all.DB.Now, streamed.DB.Now = now, now
		if day > 0 {
			// The day's edits, made to both stores: slips (later and
			// back), tasks done, a task removed and one added.
			var changed []int
			for i := day; i < len(p.plans); i += 7 {
				pl := p.plans[i]
				for j := day; j < len(pl.Tasks); j += 23 {
					pl.Slip(j, []int{9, -4, 15, -20}[(i+j)%4])
				}
				pl.SetStatus((day*13)%len(pl.Tasks), model.Done, "Færdig")
				if i%3 == 0 {
					pl.Remove((day * 29) % len(pl.Tasks))
					pl.Add(day, fmt.Sprintf("Ekstra opgave dag %d", day))
				}
				changed = append(changed, i)
			}
			p.store(t, all.DB, changed)
			p.store(t, streamed.DB, changed)
		}
		since := asOf.AddDays(-6)
		for _, record := range []bool{true, true, false} { // twice the same day, then a preview of the day before
			when := asOf
			if !record {
				when = asOf.AddDays(-1)
			}
			name := fmt.Sprintf("%s record=%v", when, record)
			// The reference: every task in memory, evaluated at once
			// (detect.Run).
			in, err := all.Input(ctx, when)
			if err != nil {
				t.Fatal(err)
			}
			want, err := detect.Run(ctx, all.DB, in, all.Rules(), record)
			if err != nil {
				t.Fatal(err)
			}
			wantResolved, err := all.ResolvedSince(ctx, want, since)
			if err != nil {
				t.Fatal(err)
			}
			var found, opened []model.Finding
			forecasts := 0
			sum, resolved, err := streamed.EvaluateStream(ctx, when, since, record, func(g *detect.Group) error {
				for _, f := range g.Findings {
					if f.Municipality != g.Municipality {
						t.Errorf("%s: finding %s of %s in %s's group", name, f.Key, f.Municipality, g.Municipality)
					}
				}
				found = append(found, g.Findings...)
				opened = append(opened, g.Opened()...)
				forecasts += len(g.Forecasts)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if day == 0 && record && len(want.Findings) < 1000 {
				t.Fatalf("%s: %d findings; the portfolio should give thousands", name, len(want.Findings))
			}
			if day > 0 && record {
				laterOpened, laterResolved = laterOpened+len(want.Opened), laterResolved+len(want.Resolved)
			}
			same(t, name+" findings", found, want.Findings)
			same(t, name+" opened", opened, want.Opened)
			same(t, name+" resolved", sum.Resolved, want.Resolved)
			same(t, name+" resolved in the period", resolved, wantResolved)
			if !reflect.DeepEqual(sum.PlanStatus, want.PlanStatus) || !reflect.DeepEqual(sum.MunicipalStatus, want.MunicipalStatus) {
				t.Errorf("%s: status differs", name)
			}
			if sum.Persisted != want.Persisted || sum.Findings != len(want.Findings) || sum.Opened != len(want.Opened) {
				t.Errorf("%s: persisted %v, %d findings, %d opened; want %v, %d, %d", name, sum.Persisted, sum.Findings, sum.Opened,
					want.Persisted, len(want.Findings), len(want.Opened))
			}
			if sum.Reevaluated != 0 { // nothing changed the store while it ran
				t.Errorf("%s: %d municipalities evaluated again, want none", name, sum.Reevaluated)
			}
			if forecasts != len(want.Forecasts) {
				t.Errorf("%s: %d forecasts, want %d", name, forecasts, len(want.Forecasts))
			}
			if !record { // a preview changes nothing: EvaluateFor (detect.Collect) gives the same
				got, err := streamed.EvaluateFor(ctx, when, false)
				if err != nil {
					t.Fatal(err)
				}
				same(t, name+" EvaluateFor findings", got.Findings, want.Findings)
				same(t, name+" EvaluateFor opened", got.Opened, want.Opened)
				same(t, name+" EvaluateFor resolved", got.Resolved, want.Resolved)
				if !reflect.DeepEqual(got.PlanStatus, want.PlanStatus) || !reflect.DeepEqual(got.MunicipalStatus, want.MunicipalStatus) ||
					len(got.Forecasts) != len(want.Forecasts) || got.Persisted != want.Persisted {
					t.Errorf("%s: EvaluateFor's status, forecasts or persisted differ", name)
				}
				if len(got.Input.Plans) != len(want.Input.Plans) || len(got.Input.Tasks) != len(want.Input.Tasks) {
					t.Errorf("%s: EvaluateFor read %d plans and %d tasks, want %d and %d", name, len(got.Input.Plans), len(got.Input.Tasks),
						len(want.Input.Plans), len(want.Input.Tasks))
				}
				for i := range min(len(got.Input.Tasks), len(want.Input.Tasks)) {
					if g, w := got.Input.Tasks[i], want.Input.Tasks[i]; g.ID != w.ID || g.Title != w.Title || g.End != w.End || g.Plan.ID != w.Plan.ID {
						t.Errorf("%s: EvaluateFor's task #%d is %d %q, want %d %q", name, i, g.ID, g.Title, w.ID, w.Title)
						break
					}
				}
			}
			a, err := all.DB.OpenFindings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			b, err := streamed.DB.OpenFindings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			same(t, name+" stored open findings", b, a)
		}
	}
	if laterOpened == 0 || laterResolved == 0 {
		t.Errorf("the edits opened %d and resolved %d findings; the test needs both", laterOpened, laterResolved)
	}
}

// same compares two lists of findings, naming the first difference.
func same(t *testing.T, what string, got, want []model.Finding) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d, want %d", what, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s: #%d\n got %+v\nwant %+v", what, i, got[i], want[i])
			return
		}
	}
}

// TestEnv_EvaluateStream_cancelled: an evaluation stopped part-way (udrul
// stopping during an alerts run) returns at once, saying it was stopped,
// whichever municipality it was at; the next evaluation finishes, and the
// findings saved are those of an evaluation never stopped.
func TestEnv_EvaluateStream_cancelled(t *testing.T) {
	p := portfolio(t, 60, 0)
	want := p.open(t)
	asOf := model.NewDate(2026, 11, 20)
	if _, _, err := want.EvaluateStream(context.Background(), asOf, asOf, true, func(*detect.Group) error { return nil }); err != nil {
		t.Fatal(err)
	}
	wantOpen, err := want.DB.OpenFindings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, after := range []int{0, 1, 7, 30} {
		t.Run(fmt.Sprintf("after %d groups", after), func(t *testing.T) {
			e := p.open(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			seen := 0
			done := make(chan error, 1)
			go func() {
				_, _, err := e.EvaluateStream(ctx, asOf, asOf, true, func(*detect.Group) error {
					if seen++; seen > after {
						cancel()
					}
					return nil
				})
				done <- err
			}()
			if after == 0 {
				cancel()
			}
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("stopped evaluation: %v, want it to say it was stopped", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the stopped evaluation did not return")
			}
			if _, _, err := e.EvaluateStream(context.Background(), asOf, asOf, true, func(*detect.Group) error { return nil }); err != nil {
				t.Fatal(err)
			}
			got, err := e.DB.OpenFindings(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(wantOpen) || !reflect.DeepEqual(got, wantOpen) {
				t.Errorf("after a stopped evaluation and another: %d open findings, want %d as never stopped", len(got), len(wantOpen))
			}
		})
	}
}
