// Package syncer runs a sync cycle: for every source it lists the documents,
// skips those that did not change, reads and parses the others on all
// cores, and reconciles each plan into the store, one transaction per plan.
// A source's failure does not stop the others.
package syncer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/udrul/udrul/sync/source"
)

// Source is what the sync cycle needs of a source.
type Source interface {
	Name() string
	Kind() string
	Location() string
	List(ctx context.Context) ([]source.Item, error)
	Fetch(ctx context.Context, it source.Item) (source.Fetched, error)
}

// Stateful is a source that keeps state between cycles (a change token);
// the syncer stores it with the source.
type Stateful interface {
	SetState(state []byte)
	State() []byte
}

// Metered is a source that counts its API calls.
type Metered interface {
	// TakeCalls returns the calls made since the last TakeCalls.
	TakeCalls() int
}

var _ Source = (*source.Files)(nil)

// Identity names the plan a document holds.
type Identity struct{ Municipality, Solution, Wave string }

// Target is a source with the rule that names the plans in it: from the
// source's fixed settings, the file name, or the plan's own lines.
type Target struct {
	Source   Source
	Identify func(it source.Item, md model.Metadata) (Identity, error)
}

// Syncer runs sync cycles into a store.
type Syncer struct {
	DB       *store.DB
	Parser   *parse.Parser
	ReadOpts grid.Options
	Guard    reconcile.Guard
	Log      *slog.Logger
	// Progress, when set, receives a progress line for long cycles.
	Progress io.Writer
	// Workers is the number of documents read at once (default: cores).
	Workers int
}

// Result is one source's outcome in a cycle.
type Result struct {
	Source    string
	RunID     int64
	Err       error // the source could not be listed: nothing changed
	Documents int
	Unchanged int
	Read      int
	Failed    int
	Held      int
	Created   int
	Added     int
	Changed   int
	Removed   int
	Restored  int
	Gone      int
	Errors    []string // per document: "file: reason"
	HeldPlans []string // "Aarhus/KY: reason"
	Bytes     int64
	Calls     int // API calls, for sources that count them
	Duration  time.Duration
}

// OK reports whether every document of the source was read.
func (r Result) OK() bool { return r.Err == nil && r.Failed == 0 }

// Summary is a one-line account of the result.
func (r Result) Summary() string {
	if r.Err != nil {
		return fmt.Sprintf("%s: failed: %v", r.Source, r.Err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d files, %d unchanged, %d read", r.Source, r.Documents, r.Unchanged, r.Read)
	if r.Created > 0 {
		fmt.Fprintf(&b, ", %d new plans", r.Created)
	}
	fmt.Fprintf(&b, "; tasks %d added, %d changed, %d removed", r.Added, r.Changed, r.Removed)
	if r.Restored > 0 {
		fmt.Fprintf(&b, ", %d restored", r.Restored)
	}
	if r.Held > 0 {
		fmt.Fprintf(&b, "; %d held", r.Held)
	}
	if r.Gone > 0 {
		fmt.Fprintf(&b, "; %d files gone", r.Gone)
	}
	if r.Failed > 0 {
		fmt.Fprintf(&b, "; %d failed", r.Failed)
	}
	fmt.Fprintf(&b, " (%s)", r.Duration.Round(time.Millisecond))
	return b.String()
}

// Options of one cycle.
type Options struct {
	// Accept applies held plans (by key "Aarhus/KY") despite the guard.
	Accept map[string]bool
}

// Cycle syncs every target once and returns a result per target. It
// records the run in the store. A cancelled context stops the cycle: the
// plan being applied is rolled back, and those applied before stay.
func (s *Syncer) Cycle(ctx context.Context, targets []Target, opts Options) ([]Result, error) {
	runID, err := s.DB.BeginRun(ctx)
	if err != nil {
		return nil, err
	}
	var results []Result
	status := "ok"
	for _, t := range targets {
		if ctx.Err() != nil {
			break
		}
		r := s.syncSource(ctx, runID, t, opts)
		if !r.OK() {
			status = "failed"
		}
		results = append(results, r)
	}
	if ctx.Err() != nil {
		status = "interrupted"
	}
	var lines []string
	for _, r := range results {
		lines = append(lines, r.Summary())
	}
	// Record the end even when interrupted.
	if err := s.DB.FinishRun(context.WithoutCancel(ctx), runID, status, strings.Join(lines, "\n")); err != nil {
		return results, err
	}
	return results, ctx.Err()
}

type readResult struct {
	item  source.Item
	doc   store.Document
	hash  string
	plan  *model.Plan
	err   error
	bytes int64
	held  bool // the content is the one already held: nothing to do
	same  bool // the content did not change
}

func (s *Syncer) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

func (s *Syncer) syncSource(ctx context.Context, runID int64, t Target, opts Options) (r Result) {
	start := time.Now()
	src := t.Source
	r = Result{Source: src.Name(), RunID: runID}
	log := s.log().With("source", src.Name())
	defer func() { r.Duration = time.Since(start) }()
	sourceID, err := s.DB.EnsureSource(ctx, src.Name(), src.Kind(), src.Location())
	if err != nil {
		r.Err = err
		return r
	}
	stateful, _ := src.(Stateful)
	if stateful != nil {
		state, err := s.DB.SourceState(ctx, sourceID)
		if err != nil {
			r.Err = err
			return r
		}
		stateful.SetState(state)
	}
	metered, _ := src.(Metered)
	if metered != nil {
		metered.TakeCalls()
	}
	items, err := src.List(ctx)
	if err != nil {
		r.Err = err
		log.Warn("source failed", "err", err)
		s.DB.SourceResult(context.WithoutCancel(ctx), sourceID, err, nil)
		return r
	}
	docs, err := s.DB.Documents(ctx, sourceID)
	if err != nil {
		r.Err = err
		return r
	}
	plans, err := s.DB.ListPlans(ctx)
	if err != nil {
		r.Err = err
		return r
	}
	planKey := map[int64]string{}
	for _, p := range plans {
		planKey[p.ID] = p.Key()
	}
	r.Documents = len(items)

	// Decide what to read: a document whose version did not move, that
	// read fine and is not held, costs nothing.
	var todo []source.Item
	var touch []store.Document
	listed := map[string]bool{}
	for _, it := range items {
		listed[it.Key] = true
		d, known := docs[it.Key]
		accept := known && opts.Accept[planKey[d.PlanID]]
		if known && d.Version == it.Version && d.LastError == "" && (d.HeldHash == "" || !accept) && d.ContentHash != "" {
			touch = append(touch, d)
			r.Unchanged++
			if d.HeldHash != "" {
				r.Held++
				r.HeldPlans = append(r.HeldPlans, planKey[d.PlanID]+": still held")
			}
			continue
		}
		todo = append(todo, it)
	}
	if err := s.DB.TouchDocuments(ctx, touch); err != nil {
		r.Err = err
		return r
	}

	// Read and parse on all cores; apply one plan at a time.
	results := make(chan readResult)
	jobs := make(chan source.Item)
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for range min(workers, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range jobs {
				rr := s.read(ctx, src, it, docs[it.Key], opts.Accept[planKey[docs[it.Key].PlanID]])
				select {
				case results <- rr:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, it := range todo {
			select {
			case jobs <- it:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	done := 0
	for rr := range results {
		done++
		s.progress(src.Name(), done, len(todo))
		r.Bytes += rr.bytes
		if ctx.Err() != nil {
			continue
		}
		s.apply(ctx, runID, sourceID, t, rr, opts, &r, log)
	}
	if s.Progress != nil && len(todo) > 0 {
		fmt.Fprint(s.Progress, "\r\033[K")
	}

	// Documents that disappeared from the source: their plans keep their
	// tasks and are marked gone.
	var gone []string
	for key := range docs {
		if !listed[key] {
			gone = append(gone, key)
		}
	}
	sort.Strings(gone)
	for _, key := range gone {
		if docs[key].LastError == "gone" {
			continue
		}
		if err := s.DB.DocumentGone(ctx, docs[key]); err != nil {
			r.Err = err
			return r
		}
		r.Gone++
	}
	var srcErr error
	if r.Failed > 0 {
		srcErr = fmt.Errorf("%d of %d files could not be read", r.Failed, r.Documents)
	}
	if stateful != nil && ctx.Err() == nil {
		if err := s.DB.SaveSourceState(ctx, sourceID, stateful.State()); err != nil && r.Err == nil {
			r.Err = err
		}
	}
	calls := 0
	if metered != nil {
		calls = metered.TakeCalls()
		r.Calls = calls
	}
	stats := map[string]any{"files": r.Documents, "read": r.Read, "unchanged": r.Unchanged, "failed": r.Failed, "held": r.Held,
		"bytes": r.Bytes, "calls": calls, "duration_ms": time.Since(start).Milliseconds()}
	if err := s.DB.SourceResult(context.WithoutCancel(ctx), sourceID, srcErr, stats); err != nil && r.Err == nil {
		r.Err = err
	}
	log.Info("source synced", "files", r.Documents, "read", r.Read, "unchanged", r.Unchanged, "failed", r.Failed, "held", r.Held)
	return r
}

func (s *Syncer) read(ctx context.Context, src Source, it source.Item, doc store.Document, accept bool) readResult {
	rr := readResult{item: it, doc: doc}
	if rr.doc.Key == "" {
		rr.doc.Key = it.Key
	}
	if it.Err != nil {
		rr.err = it.Err
		return rr
	}
	fetched, err := src.Fetch(ctx, it)
	if err != nil {
		rr.err = err
		return rr
	}
	data := fetched.Data
	rr.bytes = int64(len(data))
	sum := sha256.Sum256(data)
	rr.hash = hex.EncodeToString(sum[:])
	switch {
	case doc.LastError == "" && doc.HeldHash == "" && rr.hash == doc.ContentHash:
		rr.same = true
		return rr
	case doc.HeldHash != "" && rr.hash == doc.HeldHash && !accept:
		rr.held = true
		return rr
	}
	g := fetched.Grid
	if g == nil {
		if g, err = grid.ReadBytes(it.Name, data, s.ReadOpts); err != nil {
			rr.err = err
			return rr
		}
	}
	g.File = it.Name
	rr.plan, rr.err = s.Parser.Parse(g)
	if rr.err == nil {
		linkIssues(rr.plan, g)
	}
	return rr
}

func (s *Syncer) apply(ctx context.Context, runID, sourceID int64, t Target, rr readResult, opts Options, r *Result, log *slog.Logger) {
	it := rr.item
	fail := func(err error) {
		r.Failed++
		r.Errors = append(r.Errors, fmt.Sprintf("%s: %v", it.Key, err))
		log.Warn("document failed", "document", it.Key, "err", err)
		if err := s.DB.DocumentError(context.WithoutCancel(ctx), sourceID, it.Key, err); err != nil {
			log.Error("record document error", "err", err)
		}
	}
	switch {
	case rr.err != nil:
		fail(rr.err)
		return
	case rr.same || rr.held:
		d := rr.doc
		d.Version = it.Version
		if err := s.DB.TouchDocuments(ctx, []store.Document{d}); err != nil {
			fail(err)
			return
		}
		r.Unchanged++
		if rr.held {
			r.Held++
			r.HeldPlans = append(r.HeldPlans, it.Key+": still held")
		}
		return
	}
	id, err := t.Identify(it, rr.plan.Metadata)
	if err != nil {
		fail(err)
		return
	}
	out, err := reconcile.Apply(ctx, s.DB, reconcile.Input{
		RunID: runID, SourceID: sourceID, Doc: rr.doc, Version: it.Version, Hash: rr.hash, Location: location(it),
		Municipality: id.Municipality, Solution: id.Solution, Wave: id.Wave, Plan: rr.plan,
		Guard: s.Guard, Accept: opts.Accept[id.Municipality+"/"+id.Solution],
	})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return
		}
		fail(err)
		return
	}
	r.Read++
	if out.Created {
		r.Created++
	}
	if out.Held {
		r.Held++
		r.HeldPlans = append(r.HeldPlans, out.PlanKey+": "+out.HeldWhy)
		log.Warn("plan held", "plan", out.PlanKey, "why", out.HeldWhy)
		return
	}
	r.Added += out.Added
	r.Changed += out.Changed
	r.Removed += out.Removed
	r.Restored += out.Restored
}

// linkIssues gives each problem the URL of its cell, for sheets that have
// one (Google Sheets).
func linkIssues(plan *model.Plan, g *grid.Grid) {
	links := map[string]string{}
	for _, sh := range g.Sheets {
		if sh.Link != "" {
			links[sh.Name] = sh.Link
		}
	}
	if len(links) == 0 {
		return
	}
	for i := range plan.Issues {
		is := &plan.Issues[i]
		if l, ok := links[is.Pos.Sheet]; ok {
			is.Link = l + is.Pos.Cell
		}
	}
}

func (s *Syncer) progress(name string, done, total int) {
	if s.Progress == nil || total < 20 {
		return
	}
	const width = 30
	n := done * width / total
	fmt.Fprintf(s.Progress, "\r%s [%s%s] %d/%d", name, strings.Repeat("=", n), strings.Repeat(" ", width-n), done, total)
}

// location is where a person finds the document: its URL, or its path.
func location(it source.Item) string {
	if it.URL != "" {
		return it.URL
	}
	return it.Key
}
