// Package syncer runs a sync cycle: for every source it lists the documents,
// skips those that did not change, reads and parses the others on all
// cores, names the plan each one claims, and reconciles each plan into the
// store, one transaction per plan. A source's failure does not stop the
// others. Copies are never read (ignore patterns), workbooks udrul wrote are
// never plans, and a plan claimed by more than one file — in one source or
// across sources — is not changed from any of them: it is marked conflict,
// naming them, until one remains or a prefer pattern picks it.
package syncer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/udrul/udrul/internal/lang"
	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/internal/safeout"
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
	// ReadStamp names the settings files are read with (see
	// config.ReadFingerprint): it is kept with each document's content
	// hash, and a document read with other settings is read again.
	ReadStamp string
	// English makes the syncer's own sentences and log messages English
	// (default Danish); the log attributes' keys are English in both.
	English bool
	// Workers is the number of documents read at once (default: cores).
	Workers int
	// Ignore lists file-name patterns never read as plans: copies and
	// backups ("*Kopi*", "*backup*"), matched against the name and the path
	// below the source (see MatchPattern).
	Ignore []string
	// Prefer lists patterns that settle several files claiming one plan:
	// the first pattern exactly one of them matches picks the file read.
	Prefer []string
	// AllSources names every configured source. The documents of those not
	// synced in a cycle (sync --source) still claim their plans; documents
	// of sources no longer configured do not.
	AllSources []string
	// HoldBudget bounds the memory (bytes) of the parsed plans held between
	// reading them and applying them (default DefaultHoldBudget). A plan
	// read beyond it is set aside in a temporary file once the plan it
	// claims is known, and read back when it is applied, so that a cycle's
	// memory follows its largest plans, not the whole portfolio. Should the
	// file fail, a plan of a folder is read again instead (and one of an
	// API source kept in memory: fetching it again costs calls).
	HoldBudget int64

	idMu sync.Mutex // Identify is called by one goroutine at a time
}

// DefaultHoldBudget is the default Syncer.HoldBudget: about 200,000 tasks
// packed (see held.go).
const DefaultHoldBudget = 32 << 20

func (s *Syncer) holdBudget() int64 {
	if s.HoldBudget > 0 {
		return s.HoldBudget
	}
	return DefaultHoldBudget
}

func (s *Syncer) workers() int {
	if s.Workers > 0 {
		return s.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// identify names the plan of a document; the target's Identify need not be
// safe for concurrent use.
func (s *Syncer) identify(t Target, it source.Item, md model.Metadata) (Identity, error) {
	s.idMu.Lock()
	defer s.idMu.Unlock()
	return t.Identify(it, md)
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
	Ignored   int // files matching an ignore pattern, and workbooks udrul wrote
	// IgnoredFiles are the files an ignore pattern set aside, with the
	// pattern: "plans/KY_Horsens (1).xlsx\x00*(1)*" (file, NUL, pattern): a
	// plan's only file named like a copy is never read, and is shown.
	IgnoredFiles []string
	// HeldFolders say, for each folder whose plans are held (it lists
	// none now, or cannot be read; see folders.go), why and what to do:
	// the source fails, the rest of it is synced.
	HeldFolders []string
	// UnreadFolders say why a subfolder no plan was read from cannot be
	// read, or that a link to a folder is not followed; Unread are
	// spreadsheets in formats udrul does not read (.xls, .xlsb, .ods),
	// skipped: neither fails the source.
	UnreadFolders []string
	Unread        []string
	Errors        []string // per document: "file: reason"
	HeldPlans     []string // "Aarhus/KY: reason"
	// Conflicts are the plans claimed by more than one file, of which one
	// is in this source: "Aarhus/KY: a.xlsx, b.xlsx"; the plan is not changed.
	Conflicts []string
	// SharedFiles are the plans not changed because one file of theirs is
	// read by more than one source, of which this is one: "Aarhus/KY: the
	// file … is read by more than one source (a, b): …", in the language.
	SharedFiles []string
	// Superseded are files not read because a prefer pattern picked another
	// file for their plan: "Aarhus/KY: b.xlsx (prefer picks a.xlsx)".
	Superseded []string
	Bytes      int64
	Calls      int // API calls, for sources that count them
	Duration   time.Duration
}

// OK reports whether every document of the source was read.
func (r Result) OK() bool {
	return r.Err == nil && r.Failed == 0 && len(r.HeldFolders) == 0 && len(r.SharedFiles) == 0
}

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
	if n := len(r.HeldFolders); n > 0 {
		fmt.Fprintf(&b, "; %d folders held", n)
	}
	if n := len(r.Conflicts); n > 0 {
		fmt.Fprintf(&b, "; %d in conflict", n)
	}
	if n := len(r.SharedFiles); n > 0 {
		fmt.Fprintf(&b, "; %d read by several sources", n)
	}
	if r.Ignored > 0 {
		fmt.Fprintf(&b, "; %d ignored", r.Ignored)
	}
	if n := len(r.Unread); n > 0 {
		fmt.Fprintf(&b, "; %d not read (format)", n)
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
	// AcceptEmpty lets the sources named list no plan at all when they
	// had some: their plans are marked gone (see collect). "SOURCE/FOLDER"
	// accepts a folder of a source (and those in it) emptied or unreadable;
	// a source's name alone does not accept a folder that cannot be read
	// (see folderHolds).
	AcceptEmpty map[string]bool
}

// Cycle syncs every target once and returns a result per target. It
// records the run in the store. A cancelled context stops the cycle: the
// plan being applied is rolled back, and those applied before stay.
//
// It works in three steps: every source is listed and its changed
// documents read and named; the claims of all documents on the plans are
// gathered (with those of configured sources not synced now); then each
// plan claimed by exactly one document (or picked by a prefer pattern) is
// applied, and each plan claimed by more is marked conflict. The parsed
// plans are held from the first step to the last only up to HoldBudget;
// the others are read again when they are applied. While one goroutine
// applies the plans in order, one after the other, the others read the
// plans let go and match each plan's read to its stored tasks ahead of it,
// so that the write lock is held only for the writes.
func (s *Syncer) Cycle(ctx context.Context, targets []Target, opts Options) ([]Result, error) {
	runID, err := s.DB.BeginRun(ctx)
	if err != nil {
		return nil, err
	}
	// The plans as they stand before the cycle: what unchanged documents
	// claim, and which document each plan was last read from.
	plans, err := s.DB.ListPlans(ctx)
	if err != nil {
		return nil, err
	}
	var runs []*sourceRun
	kept := &keeper{}
	defer kept.close()
	for _, t := range targets {
		if ctx.Err() != nil {
			break
		}
		runs = append(runs, s.collect(ctx, runID, t, plans, opts, kept))
	}
	if ctx.Err() == nil {
		if err := s.settle(ctx, runID, runs, plans, opts); err != nil && ctx.Err() == nil {
			for _, run := range runs {
				if run.r.Err == nil {
					run.r.Err = err
				}
			}
		}
	}
	// Plans whose tasks are not packed (a database from before packing,
	// a task changed by something else) are packed from their rows, so
	// that the evaluations read them as one value each (store.PackMissing).
	if ctx.Err() == nil {
		if n, err := s.DB.PackMissing(ctx); err != nil && ctx.Err() == nil {
			s.log().Warn(s.l("planernes opgaver kunne ikke pakkes; de læses række for række", "packing the plans' tasks failed; they are read row by row"), "packed", n, "err", err)
		}
	}
	var results []Result
	status := "ok"
	for _, run := range runs {
		if !run.r.OK() {
			status = "failed"
		}
		results = append(results, run.r)
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
	item source.Item
	doc  store.Document
	hash string
	plan *model.Plan // parsed, until it is kept or applied
	// kept is the parsed plan encoded (see held.go), from the read to the
	// apply; dropped says it was let go (HoldBudget) once its claim was
	// known: it is read again to be applied.
	kept    []byte
	spill   *spilled // or kept on disk
	dropped bool
	size    int64 // the memory the plan kept takes
	memory  int64 // the memory the plan takes parsed (estimated)
	err     error
	bytes   int64
	held    bool   // the content is the one already held: nothing to do
	same    bool   // the content did not change
	own     string // a workbook udrul wrote (its kind): not a plan
	id      Identity
	idErr   error // the plan could not be named
}

// sourceRun is one source's part of a cycle.
type sourceRun struct {
	t         Target
	r         Result
	sourceID  int64
	log       *slog.Logger
	stateful  Stateful
	metered   Metered
	elapsed   time.Duration
	listed    bool                      // the listing succeeded
	docs      map[string]store.Document // as stored before the cycle
	items     map[string]source.Item    // listed, by key
	unchanged []store.Document          // not read: their version did not move
	reads     []*readResult
	gone      map[string]string // document key → why its plan may be gone
	folders   []folderHold      // folders whose plans may be held (folders.go)
}

// parsed reports whether the document was parsed (its plan held or let go).
func (rr *readResult) parsed() bool {
	return rr.plan != nil || rr.kept != nil || rr.spill != nil || rr.dropped
}

func (s *Syncer) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// collect lists a source and reads, parses and names its changed documents.
// kept holds the cycle's parsed plans.
func (s *Syncer) collect(ctx context.Context, runID int64, t Target, plans []store.Plan, opts Options, kept *keeper) *sourceRun {
	start := time.Now()
	src := t.Source
	run := &sourceRun{t: t, r: Result{Source: src.Name(), RunID: runID}, log: s.log().With("source", src.Name()),
		items: map[string]source.Item{}, gone: map[string]string{}}
	defer func() { run.elapsed += time.Since(start) }()
	var err error
	run.sourceID, err = s.DB.EnsureSource(ctx, src.Name(), src.Kind(), src.Location())
	if err != nil {
		run.r.Err = err
		return run
	}
	if run.docs, err = s.DB.Documents(ctx, run.sourceID); err != nil {
		run.r.Err = err
		return run
	}
	run.stateful, _ = src.(Stateful)
	if run.stateful != nil {
		state, err := s.DB.SourceState(ctx, run.sourceID)
		if err != nil {
			run.r.Err = err
			return run
		}
		run.stateful.SetState(state)
	}
	run.metered, _ = src.(Metered)
	if run.metered != nil {
		run.metered.TakeCalls()
	}
	var listing source.Listing
	if l, ok := src.(Lister); ok {
		listing, err = l.Listing(ctx)
	} else {
		listing.Items, err = src.List(ctx)
	}
	items := listing.Items
	if err != nil {
		run.r.Err = err
		run.log.Warn(s.l("kilden fejlede", "source failed"), "err", err)
		s.DB.SourceResult(context.WithoutCancel(ctx), run.sourceID, err, nil)
		return run
	}
	// A source that had several plans and now lists none (a share that
	// is not mounted shows an empty folder; a Google folder no longer
	// shared, an emptied library) is held: nothing is marked gone until
	// the source lists plans again or the emptying is accepted. When
	// folders in it that held plans cannot be read, the error names them
	// (unreadEmpty), as accepting the source would not accept them.
	if len(items) == 0 && !opts.AcceptEmpty[src.Name()] {
		// The plans read from this source's documents (a copy in
		// conflict is none: removing it is how a conflict is solved).
		reads := map[int64]bool{}
		for _, p := range plans {
			if p.DocumentID != 0 && p.State != store.PlanGone {
				reads[p.DocumentID] = true
			}
		}
		had := 0
		for _, d := range run.docs {
			if d.LastError != "gone" && reads[d.ID] {
				had++
			}
		}
		// One plan's file gone is that file deleted or moved (marked
		// gone, as any file is); every one of several is the source.
		if had > 1 {
			err := s.unreadEmpty(run, listing, opts, had)
			if err == nil {
				err = errors.New(s.l(fmt.Sprintf("kilden viser ingen planer nu (den havde %d): er drevet monteret, og er %s stadig det rigtige sted? Intet er markeret som væk; er planerne fjernet med vilje: udrul sync --accept-empty %s", had, src.Location(), safeout.ShellArg(src.Name())),
					fmt.Sprintf("the source lists no plans now (it had %d): is the drive mounted, and is %s still the right place? Nothing is marked gone; if the plans were removed on purpose: udrul sync --accept-empty %s", had, src.Location(), safeout.ShellArg(src.Name()))))
			}
			run.r.Err = err
			run.log.Warn(s.l("kilden fejlede", "source failed"), "err", err)
			// Its plans are held, saying so (not OK in `udrul plans`).
			why := fmt.Sprintf("its source %s failed: %v", src.Name(), err)
			s.holdPlans(ctx, run, plans, func(string) string { return why }, nil)
			s.DB.SourceResult(context.WithoutCancel(ctx), run.sourceID, err, nil)
			return run
		}
	}
	run.listed = true
	run.folders = s.folderHolds(run, plans, listing, opts)
	for _, p := range listing.Unread {
		// A copy an ignore pattern leaves out is not named.
		if _, ok := matchesAny(s.Ignore, filepath.Base(p), relPath(src.Location(), p)); !ok {
			run.r.Unread = append(run.r.Unread, p)
		}
	}
	for _, l := range listing.LinkedFolders {
		run.r.UnreadFolders = append(run.r.UnreadFolders, l.Err.Error())
	}
	if n := len(run.r.Unread); n > 0 {
		run.log.Info(s.l("regneark i et format, udrul ikke læser, springes over: gem dem som .xlsx", "spreadsheets in a format udrul does not read are skipped: save them as .xlsx"),
			"count", n, "first", run.r.Unread[0])
	}
	planKey := map[int64]string{}
	for _, p := range plans {
		planKey[p.ID] = p.Key()
	}

	// Decide what to read: a document whose version did not move, that
	// read fine and is not held, costs nothing.
	var todo []source.Item
	for _, it := range items {
		if p, ok := matchesAny(s.Ignore, it.Name, relPath(src.Location(), it.Key)); ok {
			run.r.Ignored++
			run.r.IgnoredFiles = append(run.r.IgnoredFiles, location(it)+"\x00"+p)
			run.gone[it.Key] = fmt.Sprintf("%s is ignored (it matches %q, a copy); its tasks are kept", location(it), p)
			continue
		}
		run.items[it.Key] = it
		d, known := run.docs[it.Key]
		accept := known && opts.Accept[planKey[d.PlanID]]
		if known && d.Version == it.Version && d.LastError == "" && (d.HeldHash == "" || !accept) && d.ContentHash != "" && s.stamped(d.ContentHash) {
			run.unchanged = append(run.unchanged, d)
			continue
		}
		todo = append(todo, it)
	}
	run.r.Documents = len(run.items)

	// Read and parse on all cores.
	results := make(chan readResult)
	jobs := make(chan source.Item)
	workers := s.workers()
	budget := s.holdBudget()
	var wg sync.WaitGroup
	for range min(workers, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range jobs {
				d := run.docs[it.Key]
				rr := s.read(ctx, src, it, d, opts.Accept[planKey[d.PlanID]], false)
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
		run.r.Bytes += rr.bytes
		if ctx.Err() != nil {
			continue
		}
		if rr.own != "" {
			run.r.Ignored++
			run.gone[rr.item.Key] = fmt.Sprintf("%s is a workbook udrul wrote (%s), not a plan; its tasks are kept", location(rr.item), rr.own)
			delete(run.items, rr.item.Key)
			run.r.Documents--
			continue
		}
		if rr.plan != nil {
			rr.id, rr.idErr = s.identify(t, rr.item, rr.plan.Metadata)
			if rr.idErr == nil {
				rr.kept = encodePlan(rr.plan)
				rr.size = heldSize(rr.kept)
				rr.memory = parsedSize(rr.plan, rr.kept)
			}
			rr.plan = nil // it fails (nothing of it is applied), or it is kept
			if rr.kept != nil && kept.held+rr.size > budget {
				// Its claim is known: set it aside on disk until it is
				// applied. Should that fail, a file is let go and read
				// again then; an API source's document (fetching it again
				// costs calls) stays in memory.
				if err := kept.spill(&rr); err != nil && src.Kind() == "files" {
					run.log.Warn(s.l("en plan kan ikke lægges til side på disken; den læses igen, når den anvendes", "cannot set a plan aside on disk; it is read again when applied"), "document", rr.item.Key, "err", err)
					rr.kept, rr.dropped = nil, true
				}
			}
			if rr.kept != nil {
				kept.held += rr.size
			}
		}
		run.reads = append(run.reads, &rr)
	}
	if s.Progress != nil && len(todo) > 0 {
		fmt.Fprint(s.Progress, "\r\033[K")
	}
	// Documents that disappeared from the source: their plans keep their
	// tasks and are marked gone.
	for key, d := range run.docs {
		if _, listed := run.items[key]; !listed && d.LastError != "gone" {
			if _, why := run.gone[key]; !why {
				run.gone[key] = ""
			}
		}
	}
	for key := range run.gone {
		if d, known := run.docs[key]; !known || d.LastError == "gone" {
			delete(run.gone, key)
		}
	}
	s.holdFolders(ctx, run, plans)
	sort.Slice(run.reads, func(i, j int) bool { return run.reads[i].item.Key < run.reads[j].item.Key })
	return run
}

func (s *Syncer) read(ctx context.Context, src Source, it source.Item, doc store.Document, accept, force bool) readResult {
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
	if kind, ok := provenance.Written(data); ok {
		rr.own = kind
		return rr
	}
	sum := sha256.Sum256(data)
	rr.hash = s.contentHash(sum[:])
	switch {
	case force:
	case doc.LastError == "" && doc.HeldHash == "" && rr.hash == doc.ContentHash:
		rr.same = true
		return rr
	case doc.HeldHash != "" && rr.hash == doc.HeldHash && !accept:
		rr.held = true
		return rr
	}
	g := fetched.Grid
	if g == nil {
		// A file: its rows stream through the parser, no grid is held.
		rr.plan, rr.err = s.Parser.ReadBytes(it.Name, data, s.ReadOpts)
		return rr
	}
	g.File = it.Name
	// A spreadsheet read through an API is bounded as a file is.
	if rr.err = grid.Bound(g, s.ReadOpts); rr.err != nil {
		return rr
	}
	rr.plan, rr.err = s.Parser.Parse(g)
	if rr.err == nil {
		linkIssues(rr.plan, g)
	}
	return rr
}

// A claim is a document naming the plan it holds.
type claim struct {
	run  *sourceRun // nil: a document of a source not synced in this cycle
	src  string     // the source's name
	doc  store.Document
	rr   *readResult // nil: not read in this cycle
	plan Identity
	key  string // the plan's key in lower case
	loc  string // where a person finds the document
}

func (c *claim) name() string {
	if c.rr != nil {
		return c.rr.item.Name
	}
	if c.doc.Name != "" {
		return c.doc.Name
	}
	return filepath.Base(c.doc.Key)
}

func (c *claim) path() string {
	if c.run != nil {
		return relPath(c.run.t.Source.Location(), c.doc.Key)
	}
	return ""
}

func planKeyOf(municipality, solution string) string {
	return strings.ToLower(municipality + "/" + solution)
}

// settle gathers the claims of every document on the plans and applies each
// plan that exactly one document claims.
func (s *Syncer) settle(ctx context.Context, runID int64, runs []*sourceRun, plans []store.Plan, opts Options) error {
	byID := map[int64]store.Plan{}
	for _, p := range plans {
		byID[p.ID] = p
	}
	// One claim per document: a source named twice (or listed once and
	// failing once) does not make its documents claim twice.
	type docRef struct {
		source int64
		key    string
	}
	byDoc := map[docRef]*claim{}
	var order []docRef
	add := func(c *claim) {
		ref := docRef{c.doc.SourceID, c.doc.Key}
		if c.run != nil {
			ref.source = c.run.sourceID
		}
		if prev, ok := byDoc[ref]; ok && (prev.run != nil || c.run == nil) {
			return
		} else if !ok {
			order = append(order, ref)
		}
		byDoc[ref] = c
	}
	stored := func(run *sourceRun, src string, d store.Document, rr *readResult) {
		if p, ok := byID[d.PlanID]; ok {
			loc := d.Location
			if loc == "" {
				loc = d.Key
			}
			if rr != nil {
				loc = location(rr.item)
			}
			add(&claim{run: run, src: src, doc: d, rr: rr, plan: Identity{p.Municipality, p.Solution, p.Wave}, key: planKeyOf(p.Municipality, p.Solution), loc: loc})
		}
	}
	inCycle := map[string]bool{}
	for _, run := range runs {
		inCycle[run.t.Source.Name()] = true
		if !run.listed {
			// A source that could not be listed: its documents still
			// claim their plans.
			for _, d := range run.docs {
				if d.LastError != "gone" {
					stored(nil, run.t.Source.Name(), d, nil)
				}
			}
			continue
		}
		for _, d := range run.unchanged {
			stored(run, run.t.Source.Name(), d, nil)
		}
		for _, rr := range run.reads {
			switch {
			case rr.parsed() && rr.idErr == nil:
				add(&claim{run: run, src: run.t.Source.Name(), doc: rr.doc, rr: rr, plan: rr.id, key: planKeyOf(rr.id.Municipality, rr.id.Solution), loc: location(rr.item)})
			default: // failed, unchanged or held: what it claimed before
				stored(run, run.t.Source.Name(), rr.doc, rr)
			}
		}
	}
	configured := map[string]bool{}
	for _, n := range s.AllSources {
		configured[n] = true
	}
	if len(configured) > 0 {
		others, err := s.DB.ClaimingDocuments(ctx)
		if err != nil {
			return err
		}
		for _, d := range others {
			if configured[d.Source] && !inCycle[d.Source] {
				stored(nil, d.Source, d.Document, nil)
			}
		}
	}

	claims := map[string][]*claim{}
	for _, ref := range order {
		c := byDoc[ref]
		claims[c.key] = append(claims[c.key], c)
	}

	// Settle each plan: one claimant, a preferred one, or a conflict.
	type verdict struct {
		winner *claim // nil: conflict
		all    []*claim
	}
	verdicts := map[string]*verdict{}
	for key, cs := range claims {
		v := &verdict{all: cs}
		verdicts[key] = v
		if len(cs) == 1 {
			v.winner = cs[0]
			continue
		}
		sort.Slice(cs, func(i, j int) bool { return cs[i].loc < cs[j].loc })
		for _, p := range s.Prefer {
			var hits []*claim
			for _, c := range cs {
				if MatchPattern(p, c.name()) || (c.path() != "" && MatchPattern(p, c.path())) {
					hits = append(hits, c)
				}
			}
			if len(hits) == 1 {
				v.winner = hits[0]
				break
			}
		}
	}

	for _, run := range runs {
		if !run.listed || ctx.Err() != nil {
			continue
		}
		start := time.Now()
		s.applyRun(ctx, runID, run, claims, func(c *claim) (winner *claim, all []*claim) {
			v := verdicts[c.key]
			return v.winner, v.all
		}, byID, opts)
		run.elapsed += time.Since(start)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}

	// Plans in conflict, and the files a prefer pattern set aside.
	keys := make([]string, 0, len(verdicts))
	for k := range verdicts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		v := verdicts[key]
		if len(v.all) < 2 {
			continue
		}
		var locs []string
		var docs []store.Document
		for _, c := range v.all {
			locs = append(locs, c.loc)
			if c.run == nil || c == v.winner || (c.rr != nil && (c.rr.err != nil || c.rr.idErr != nil)) {
				continue // another source's, the one read, or failing
			}
			d := c.doc
			d.SourceID, d.Name, d.Location = c.run.sourceID, c.name(), c.loc
			if c.rr != nil {
				// Its content is remembered although not applied, so that
				// it is not parsed again every cycle: the plan turning to
				// it reads it again (the plan's document is another one).
				d.Version = c.rr.item.Version
				if c.rr.hash != "" {
					d.ContentHash = c.rr.hash
				}
			} else if it, ok := c.run.items[d.Key]; ok {
				d.Version = it.Version
			}
			docs = append(docs, d)
		}
		id := v.all[0].plan
		if v.winner != nil {
			if err := s.DB.ClaimDocuments(ctx, v.winner.plan.Municipality, v.winner.plan.Solution, docs); err != nil {
				return err
			}
			for _, c := range v.all {
				if c != v.winner && c.run != nil {
					c.run.r.Superseded = append(c.run.r.Superseded, fmt.Sprintf("%s: %s (prefer picks %s)", c.plan.key(), c.loc, v.winner.loc))
				}
			}
			continue
		}
		// One file read by several sources (their paths or globs
		// overlap) is no copy to move: said as what it is.
		files := sameFiles(v.all)
		locs = locs[:0]
		for _, f := range files {
			locs = append(locs, f.loc())
		}
		reason := fmt.Sprintf("%d files claim this plan: %s; it is not changed from any of them until only one remains (move or rename the copies) or 'prefer' in the configuration picks one",
			len(locs), strings.Join(locs, ", "))
		line := fmt.Sprintf("%s: %s", id.key(), strings.Join(locs, ", "))
		shared := len(files) == 1
		if shared {
			reason = model.SharedFileReason(files[0].claims[0].loc, files[0].sources())
			line = fmt.Sprintf("%s: %s", id.key(), model.SharedFileWords(reason, s.English))
		}
		if _, err := s.DB.MarkConflict(ctx, id.Municipality, id.Solution, id.Wave, locs, reason, docs); err != nil {
			return err
		}
		seen := map[*sourceRun]bool{}
		for _, c := range v.all {
			if c.run != nil && !seen[c.run] {
				seen[c.run] = true
				if shared {
					c.run.r.SharedFiles = append(c.run.r.SharedFiles, line)
					c.run.log.Warn(s.l("en fil læses af flere kilder", "a file read by several sources"), "plan", id.key(), "file", files[0].claims[0].loc, "sources", strings.Join(files[0].sources(), ", "))
					continue
				}
				c.run.r.Conflicts = append(c.run.r.Conflicts, line)
				c.run.log.Warn(s.l("plan i konflikt", "plan in conflict"), "plan", id.key(), "files", strings.Join(locs, ", "))
			}
		}
	}

	for _, run := range runs {
		s.finish(ctx, run)
	}
	return nil
}

func (id Identity) key() string { return id.Municipality + "/" + id.Solution }

// applyRun applies a source's documents that won their plans.
func (s *Syncer) applyRun(ctx context.Context, runID int64, run *sourceRun, claims map[string][]*claim,
	verdict func(*claim) (*claim, []*claim), byID map[int64]store.Plan, opts Options) {
	r := &run.r
	mine := map[string]*claim{}
	for _, cs := range claims {
		for _, c := range cs {
			if c.run == run {
				mine[c.doc.Key] = c
			}
		}
	}
	// needsRead reports whether a document not read (or read unchanged)
	// must be read and applied: its plan was last read from another
	// document, or is in conflict or gone.
	needsRead := func(d store.Document) bool {
		p, ok := byID[d.PlanID]
		return ok && (p.DocumentID != d.ID || p.State == store.PlanConflict || p.State == store.PlanGone)
	}
	var jobs []*applyJob
	var touch []store.Document
	for _, d := range run.unchanged {
		c := mine[d.Key]
		if c != nil {
			if winner, _ := verdict(c); winner == c && needsRead(d) {
				// The plan follows this file now: read it.
				it := run.items[d.Key]
				jobs = append(jobs, &applyJob{item: it, doc: d, reread: true, weight: it.Size * parsedPerFileByte})
				continue
			}
		}
		d.Version = run.items[d.Key].Version
		touch = append(touch, d)
		r.Unchanged++
		if d.HeldHash != "" {
			r.Held++
			if p, ok := byID[d.PlanID]; ok {
				r.HeldPlans = append(r.HeldPlans, heldLine(p))
			}
		}
	}
	if err := s.DB.TouchDocuments(ctx, touch); err != nil {
		r.Err = err
		return
	}
	for _, rr := range run.reads {
		j := &applyJob{rr: rr, item: rr.item, doc: rr.doc, weight: rr.memory}
		if c := mine[rr.doc.Key]; c != nil && rr.err == nil && rr.idErr == nil {
			if winner, _ := verdict(c); winner != c {
				r.Read++ // read, and set aside: in conflict, or another file preferred (not "unchanged": a first sync of two copies said "2 unchanged, 0 read")
				rr.kept, rr.spill = nil, nil
				continue
			}
			switch {
			case !rr.parsed() && needsRead(rr.doc):
				j.reread, j.weight = true, rr.bytes*parsedPerFileByte
			case rr.dropped:
				j.reread, j.claimed = true, true
			}
		}
		jobs = append(jobs, j)
	}
	s.applyJobs(ctx, runID, run, jobs, opts)
}

// parsedPerFileByte estimates the memory of a parsed plan per byte of its
// file, for plans not parsed yet.
const parsedPerFileByte = 8

// applyJob is a document to apply: read again if need be and matched to
// its plan's stored tasks by a reader, then applied by the one writer.
type applyJob struct {
	rr     *readResult // nil: an unchanged document read now
	item   source.Item
	doc    store.Document
	reread bool // read the document (again)
	// claimed: the read was let go after naming its plan; read again, it
	// must name the same plan.
	claimed bool
	weight  int64 // the estimated memory it holds until applied

	ready chan struct{} // closed when the fields below are set
	res   *readResult   // what is applied
	prep  *reconcile.Prepared
	err   error // preparing failed
}

// applyJobs applies the jobs in order, one at a time, while readers read and
// prepare the next ones; the memory they hold ahead of the writer is
// bounded by half the HoldBudget (and by one job, however large).
func (s *Syncer) applyJobs(ctx context.Context, runID int64, run *sourceRun, jobs []*applyJob, opts Options) {
	if len(jobs) == 0 {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		cond     = sync.NewCond(&mu)
		inflight int64 // the estimated memory of the jobs ahead of the writer
		ahead    int   // and their number
		capacity = s.holdBudget() / 2
		maxAhead = 2*s.workers() + 2
	)
	stop := context.AfterFunc(ctx, func() { mu.Lock(); cond.Broadcast(); mu.Unlock() })
	defer stop()
	next := make(chan *applyJob)
	for _, j := range jobs {
		j.ready = make(chan struct{})
	}
	go func() {
		defer close(next)
		for _, j := range jobs {
			mu.Lock()
			for (ahead >= maxAhead || inflight > 0 && inflight+j.weight > capacity) && ctx.Err() == nil {
				cond.Wait()
			}
			inflight += j.weight
			ahead++
			mu.Unlock()
			select {
			case next <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range min(s.workers(), len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				s.prepareJob(ctx, runID, run, j, opts)
				close(j.ready)
			}
		}()
	}
	defer wg.Wait()
	// The plans are written one after another on one connection, whose
	// commits leave the copying of the log into the database file to a
	// goroutine beside it (see store.Writer). Should that connection not be
	// had, each plan takes one from the pool as it is written.
	var w reconcile.Updater = s.DB
	if bw, err := s.DB.Writer(ctx); err == nil {
		defer bw.Close()
		w = bw
	}
	for _, j := range jobs {
		select {
		case <-j.ready:
		case <-ctx.Done():
			return
		}
		if ctx.Err() != nil {
			return
		}
		s.applyPrepared(ctx, runID, run, j, w)
		if j.rr != nil {
			j.rr.plan, j.rr.kept, j.rr.spill = nil, nil, nil // applied: let it go
		}
		j.res, j.prep = nil, nil
		mu.Lock()
		inflight -= j.weight
		ahead--
		cond.Broadcast()
		mu.Unlock()
	}
}

// prepareJob reads the job's document if need be and matches its plan to
// the stored tasks; it runs beside the writer.
func (s *Syncer) prepareJob(ctx context.Context, runID int64, run *sourceRun, j *applyJob, opts Options) {
	j.res = j.rr
	if j.reread {
		again := s.read(ctx, run.t.Source, j.item, j.doc, false, true)
		if again.err == nil && again.own == "" && again.plan != nil {
			again.id, again.idErr = s.identify(run.t, again.item, again.plan.Metadata)
			if j.claimed && again.idErr == nil && again.id != j.rr.id {
				// The file changed between the two reads, and names another
				// plan now: its claim was settled for the plan it named.
				again.err = errors.New(s.l(fmt.Sprintf("%s blev ændret under synkroniseringen (den nævnte %s, nu %s); den læses igen ved næste synkronisering",
					location(j.item), j.rr.id.key(), again.id.key()),
					fmt.Sprintf("%s changed while it was synced (it named %s, now %s); it is read again at the next sync",
						location(j.item), j.rr.id.key(), again.id.key())))
				again.plan = nil
			}
		}
		j.res = &again
	}
	rr := j.res
	if rr.spill != nil && rr.kept == nil {
		if rr.kept, rr.err = rr.spill.read(); rr.err != nil {
			return
		}
	}
	if rr.kept != nil && rr.plan == nil {
		if rr.plan, rr.err = decodePlan(rr.kept); rr.err != nil {
			rr.plan = nil
			return
		}
	}
	if rr.err != nil || rr.own != "" || rr.same || rr.held || rr.idErr != nil || rr.plan == nil {
		return
	}
	id := rr.id
	doc := rr.doc
	doc.Name = rr.item.Name
	j.prep, j.err = reconcile.Prepare(ctx, s.DB, reconcile.Input{
		RunID: runID, SourceID: run.sourceID, Doc: doc, Version: rr.item.Version, Hash: rr.hash, Location: location(rr.item),
		Municipality: id.Municipality, Solution: id.Solution, Wave: id.Wave, Plan: rr.plan,
		Guard: s.Guard, Accept: opts.Accept[id.Municipality+"/"+id.Solution],
	})
}

// applyPrepared applies one prepared job to the store and returns the
// number of tasks it wrote.
func (s *Syncer) applyPrepared(ctx context.Context, runID int64, run *sourceRun, j *applyJob, w reconcile.Updater) {
	r := &run.r
	rr := j.res
	if j.reread {
		r.Bytes += rr.bytes
	}
	it := rr.item
	fail := func(err error) {
		r.Failed++
		r.Errors = append(r.Errors, fmt.Sprintf("%s: %v", it.Key, err))
		run.log.Warn(s.l("dokumentet fejlede", "document failed"), "document", it.Key, "err", err)
		if err := s.DB.DocumentError(context.WithoutCancel(ctx), run.sourceID, it.Key, err); err != nil {
			run.log.Error(s.l("dokumentets fejl kunne ikke gemmes", "record document error"), "err", err)
		}
	}
	switch {
	case rr.err != nil:
		fail(rr.err)
		return
	case rr.own != "":
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
			r.HeldPlans = append(r.HeldPlans, s.heldLineOf(ctx, rr.doc.PlanID, it.Key))
		}
		return
	case rr.idErr != nil:
		fail(rr.idErr)
		return
	case j.err != nil:
		if errors.Is(j.err, context.Canceled) {
			return
		}
		fail(j.err)
		return
	case j.prep == nil:
		return // not reached: a parsed plan is prepared
	}
	out, err := j.prep.Apply(ctx, w)
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
		run.log.Warn(s.l("plan holdt tilbage", "plan held"), "plan", out.PlanKey, "why", out.HeldWhy)
		return
	}
	r.Added += out.Added
	r.Changed += out.Changed
	r.Removed += out.Removed
	r.Restored += out.Restored
}

// finish marks the documents gone from the source and records the source's
// result.
func (s *Syncer) finish(ctx context.Context, run *sourceRun) {
	if !run.listed {
		run.r.Duration = run.elapsed
		return
	}
	start := time.Now()
	r := &run.r
	var gone []string
	for key := range run.gone {
		gone = append(gone, key)
	}
	sort.Strings(gone)
	for _, key := range gone {
		d := run.docs[key]
		why := run.gone[key]
		if why == "" {
			why = d.Key + " is no longer in its source; its tasks are kept"
		}
		if err := s.DB.DocumentGoneWhy(ctx, d, why); err != nil {
			r.Err = err
			return
		}
		r.Gone++
	}
	var srcErr error
	if r.Failed > 0 {
		srcErr = errors.New(s.l(fmt.Sprintf("%d af %d filer kunne ikke læses", r.Failed, r.Documents),
			fmt.Sprintf("%d of %d files could not be read", r.Failed, r.Documents)))
	}
	if len(r.HeldFolders) > 0 {
		srcErr = errors.Join(append([]error{srcErr}, errorsOf(r.HeldFolders)...)...)
	}
	if len(r.SharedFiles) > 0 {
		srcErr = errors.Join(append([]error{srcErr}, errorsOf(r.SharedFiles)...)...)
	}
	if run.stateful != nil && ctx.Err() == nil {
		if err := s.DB.SaveSourceState(ctx, run.sourceID, run.stateful.State()); err != nil && r.Err == nil {
			r.Err = err
		}
	}
	calls := 0
	if run.metered != nil {
		calls = run.metered.TakeCalls()
		r.Calls = calls
	}
	run.elapsed += time.Since(start)
	r.Duration = run.elapsed
	stats := map[string]any{"files": r.Documents, "read": r.Read, "unchanged": r.Unchanged, "failed": r.Failed, "held": r.Held,
		"conflicts": len(r.Conflicts), "ignored": r.Ignored, "bytes": r.Bytes, "calls": calls, "duration_ms": r.Duration.Milliseconds()}
	if err := s.DB.SourceResult(context.WithoutCancel(ctx), run.sourceID, srcErr, stats); err != nil && r.Err == nil {
		r.Err = err
	}
	attrs := []any{"files", r.Documents, "read", r.Read, "unchanged", r.Unchanged, "failed", r.Failed, "held", r.Held,
		"conflicts", len(r.Conflicts), "ignored", r.Ignored}
	switch {
	case ctx.Err() != nil:
		// Stopped (SIGTERM): what was applied is whole, the rest was not
		// read; not an error, and not "synced".
		run.log.Info(s.l("synkronisering af kilden stoppet", "source sync stopped"), attrs...)
	case srcErr != nil:
		run.log.Warn(s.l("synkronisering af kilden fejlede", "source sync failed"), append(attrs, "err", srcErr)...)
	default:
		run.log.Info(s.l("kilde synkroniseret", "source synced"), attrs...)
	}
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

// contentHash is what is kept of a read: the file's SHA-256 and, after an
// "@", the settings it was read with (none: nothing after the hash, as
// before there were any).
func (s *Syncer) contentHash(sum []byte) string {
	h := hex.EncodeToString(sum)
	if s.ReadStamp != "" {
		h += "@" + s.ReadStamp
	}
	return h
}

// stamped reports whether a kept content hash was read with the settings
// of this syncer.
func (s *Syncer) stamped(hash string) bool {
	_, stamp, _ := strings.Cut(hash, "@")
	return stamp == s.ReadStamp
}

// l returns the Danish or, with English set, the English sentence.
func (s *Syncer) l(da, en string) string { return lang.Pick(s.English, da, en) }
