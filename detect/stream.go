package detect

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// Group is one municipality's part of a streamed evaluation: its plans and
// current tasks, and the rules' result over them, with the findings'
// first-seen dates set as Run sets them.
type Group struct {
	Municipality string
	Input        Input // the municipality's plans and tasks
	Result
	// isNew says which of Findings are new since the previous evaluation
	// (Opened lists them).
	isNew []bool

	prepared *store.Prepared // Findings made ready to save, by the worker that evaluated them
}

// Opened lists the findings new since the previous evaluation (a copy,
// made when asked: most callers only count them).
func (g *Group) Opened() []model.Finding {
	var out []model.Finding
	for i, n := range g.isNew {
		if n {
			out = append(out, g.Findings[i])
		}
	}
	return out
}

// Summary is what a streamed evaluation keeps of the whole portfolio: the
// status of every plan and municipality, the findings resolved, and counts.
type Summary struct {
	AsOf            model.Date
	PlanStatus      map[int64]string
	MunicipalStatus map[string]string
	Resolved        []model.Finding // gone since the previous evaluation
	Findings        int             // findings found (each key once, as saved)
	Opened          int
	// Changed counts the open findings found again saying something else
	// (the only ones, with the opened and resolved, that are written).
	Changed int
	// Persisted says whether the lifecycle was saved (see Evaluation).
	Persisted bool
	// Reevaluated counts the municipalities evaluated again, holding the
	// write lock, because a sync changed their plans meanwhile.
	Reevaluated int
}

// Stream evaluates the rules as Run does, a municipality at a time: the
// store's plans are read, then each municipality's tasks (plan by plan),
// evaluated together (the load across solutions and the go-live clashes
// are a municipality's), their findings' lifecycle applied, and fn called
// with the group; what is held at a time is a few municipalities' tasks
// and findings, not the portfolio's. The findings, their first-seen dates
// and the opened and resolved findings are Run's, in the same order
// (grouped). in gives the as-of date, GoLive and Standard; its Plans, Tasks
// and WeekChanges are read from the store. loc is the time zone of the
// last-week window. record is Run's: the lifecycle is saved only for a
// recorded evaluation not before the latest one.
//
// The municipalities are read and evaluated on every core (without any
// lock: SQLite's readers do not wait for its writer) and recorded in
// order in short write transactions (a municipality, or those whose
// findings are at hand, up to commitRows findings or commitAfter) that
// also check each municipality's plans did not change meanwhile (else it
// is evaluated again, holding the lock); fn is called after the commit,
// with no transaction open, so a slow fn (output to a slow reader) never
// holds up a sync. A preview takes no write lock.
func Stream(ctx context.Context, db *store.DB, in Input, loc *time.Location, r Rules, record bool, fn func(*Group) error) (*Summary, error) {
	sum := &Summary{AsOf: in.AsOf, PlanStatus: map[int64]string{}, MunicipalStatus: map[string]string{}}
	lc, err := db.BeginFindings(ctx, in.AsOf, record)
	if err != nil {
		return nil, fmt.Errorf("save findings: %w", err)
	}
	sum.Persisted = lc.Persisted()
	rd := db.Reader()
	plans, err := db.ListPlans(ctx)
	if err != nil {
		return nil, fmt.Errorf("load plans: %w", err)
	}
	weekAgo := in.AsOf.AddDays(-7).In(loc)
	changes, err := rd.ChangesSince(ctx, weekAgo)
	if err != nil {
		return nil, fmt.Errorf("load changes: %w", err)
	}
	var groups [][]store.Plan
	for from := 0; from < len(plans); {
		to := from + 1
		for to < len(plans) && plans[to].Municipality == plans[from].Municipality {
			to++
		}
		groups = append(groups, plans[from:to:to])
		from = to
	}
	evaluateGroup := func(ctx context.Context, rd store.Reader, plans []store.Plan, changes map[int64][]store.Change, c *cache) (*Group, error) {
		var tasks []store.PlanTask
		var err error
		if c != nil {
			tasks, err = c.plansTasks(ctx, rd, plans)
		} else {
			tasks, err = rd.PlansTasks(ctx, plans)
		}
		if err != nil {
			return nil, fmt.Errorf("load tasks: %w", err)
		}
		g := &Group{Input: Input{AsOf: in.AsOf, Plans: plans, Tasks: tasks, WeekChanges: changes, GoLive: in.GoLive, Standard: in.Standard}}
		g.Result = evaluate(g.Input, r, c)
		return g, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := parallel(ctx, len(groups), func(ctx context.Context, i int, c *cache) (*Group, error) {
		g, err := evaluateGroup(ctx, rd, groups[i], changes, c)
		if g != nil {
			g.Municipality = groups[i][0].Municipality
			g.prepared = lc.Prepare(g.Findings) // (evaluated again under the lock, Apply prepares them)
		}
		return g, err
	})
	defer results.wait(cancel) // no worker reads the store after Stream returns
	defer lc.Abort()           // on an error
	// The groups applied in the open write transaction, given to fn once
	// it is committed.
	var waiting []*Group
	flush := func() error {
		if err := lc.Commit(); err != nil {
			return fmt.Errorf("save findings: %w", err)
		}
		for _, g := range waiting {
			if err := fn(g); err != nil {
				return err
			}
		}
		waiting = waiting[:0]
		return nil
	}
	for i := range groups {
		res := results.get(i)
		if res.err != nil {
			return nil, res.err
		}
		g := res.g
		// Evaluated again, holding the write lock, when a sync changed the
		// municipality's plans since they were read.
		redo := func(rd store.Reader) ([]model.Finding, error) {
			plans, err := rd.Plans(ctx, g.Municipality)
			if err != nil {
				return nil, fmt.Errorf("load plans: %w", err)
			}
			changes, err := rd.ChangesSince(ctx, weekAgo)
			if err != nil {
				return nil, fmt.Errorf("load changes: %w", err)
			}
			again, err := evaluateGroup(ctx, rd, plans, changes, nil)
			if err != nil {
				return nil, err
			}
			g.Input, g.Result = again.Input, again.Result
			return g.Findings, nil
		}
		found, isNew, err := lc.Apply(ctx, g.Municipality, g.Input.Plans, g.Findings, g.prepared, redo) // leaves the write transaction open
		g.prepared = nil
		if err != nil {
			return nil, fmt.Errorf("save findings: %w", err)
		}
		g.Findings, g.isNew = found, isNew
		for i := range g.Findings {
			f := &g.Findings[i]
			f.LastSeen = in.AsOf
			if f.FirstSeen.After(in.AsOf) { // a preview of an earlier date
				f.FirstSeen = in.AsOf
			}
		}
		for id, st := range g.PlanStatus {
			sum.PlanStatus[id] = st
		}
		for m, st := range g.MunicipalStatus {
			sum.MunicipalStatus[m] = st
		}
		waiting = append(waiting, g)
		// The write transaction stays open for the next municipality
		// only when its findings are at hand and the transaction is young
		// and small: the lock is not held while rules run or fn prints.
		if i+1 < len(groups) && results.ready(i+1) && lc.Pending() < commitRows && lc.Held() < commitAfter {
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if sum.Resolved, err = lc.Finish(ctx); err != nil {
		return nil, fmt.Errorf("save findings: %w", err)
	}
	sum.Findings, sum.Opened, sum.Changed, sum.Reevaluated = lc.Found, lc.Opened, lc.Changed, lc.Reevaluated
	return sum, nil
}

// A write transaction of a streamed evaluation is committed when it has
// written commitRows findings or been open commitAfter.
const (
	commitRows  = 4096
	commitAfter = 50 * time.Millisecond
)

// result is a municipality evaluated, or why not.
type result struct {
	g   *Group
	err error
}

// ordered runs work(0) … work(n-1) on every core, a few ahead of the
// caller, who takes result i with get(i), in order, whatever order they
// finish in: at most twice the cores' number of results wait. The caller
// cancels ctx when it stops before the end (the work stops).
type ordered struct {
	ctx     context.Context
	workers sync.WaitGroup
	out     []chan result
	ahead   chan struct{}  // results started and not yet taken
	early   map[int]result // received by ready, not yet taken
}

// parallel starts the work for an ordered: a worker per core, each with a
// cache of its own.
func parallel(ctx context.Context, n int, work func(context.Context, int, *cache) (*Group, error)) *ordered {
	workers := max(1, runtime.GOMAXPROCS(0))
	o := &ordered{ctx: ctx, out: make([]chan result, n), ahead: make(chan struct{}, 2*workers), early: map[int]result{}}
	for i := range o.out {
		o.out[i] = make(chan result, 1)
	}
	next := make(chan int)
	go func() {
		defer close(next)
		for i := 0; i < n; i++ {
			select {
			case o.ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		o.workers.Go(func() {
			c := &cache{}
			defer c.close()
			for i := range next {
				g, err := work(ctx, i, c)
				o.out[i] <- result{g, err}
			}
		})
	}
	return o
}

// wait stops the work not started (cancel) and waits for the workers to
// end what they started.
func (o *ordered) wait(cancel context.CancelFunc) {
	cancel()
	o.workers.Wait()
}

// get waits for result i and frees its place. Once the work is cancelled,
// result i may never come (the feeder stops handing out work): get then
// says why.
func (o *ordered) get(i int) result {
	r, ok := o.early[i]
	if ok {
		delete(o.early, i)
	} else {
		select {
		case r = <-o.out[i]:
		case <-o.ctx.Done():
			select {
			case r = <-o.out[i]: // done meanwhile
			default:
				return result{err: o.ctx.Err()}
			}
		}
	}
	<-o.ahead
	return r
}

// ready reports whether result i is done (get(i) will not wait).
func (o *ordered) ready(i int) bool {
	if _, ok := o.early[i]; ok {
		return true
	}
	select {
	case r := <-o.out[i]:
		o.early[i] = r
		return true
	default:
		return false
	}
}
