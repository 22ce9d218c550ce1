package syncer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/source"
)

// Lister is a source whose listing says more than its documents: the folder
// below which its plans lie in subfolders, the subfolders it could not
// read, and the files it skipped (source.Files).
type Lister interface {
	Listing(ctx context.Context) (source.Listing, error)
}

var _ Lister = (*source.Files)(nil)

// Folders held: a subfolder of a source (any depth) that held two or more
// plans at the last sync and lists none now — a sub-share not mounted shows
// an empty folder; a folder renamed away — or that cannot be read keeps its
// plans: none of its documents is marked gone, and the source fails in
// words naming the folder, until it lists plans again or the emptying is
// accepted (sync --accept-empty SOURCE, or SOURCE/FOLDER for the folder
// alone), as for a whole source (see collect). A folder that cannot be
// read is accepted by SOURCE/FOLDER (it or a folder it is in) only: the
// source's name accepts emptiness, and nothing says an unreadable folder's
// plans were removed. A folder moved within the
// source is not held: its plans are claimed by the files listed where it
// went. One plan's file gone is that file deleted or moved, as anywhere.

// folderHold is a folder whose plans may be held.
type folderHold struct {
	dir string
	rel string // below the listing's base, with forward slashes
	had int    // the plans read from documents in it (an emptied folder)
	// docs are the documents its plans were read from (an emptied folder).
	docs []store.Document
	err  error // the folder could not be read
}

// folderHolds finds, right after the listing, the folders below the
// listing's base that list no document although two or more plans were
// read from documents in them, and those that could not be read. Which are
// held is decided once the documents read are named (holdFolders).
func (s *Syncer) folderHolds(run *sourceRun, plans []store.Plan, l source.Listing, opts Options) []folderHold {
	name := run.t.Source.Name()
	if l.Base == "" {
		return nil
	}
	var out []folderHold
	for _, u := range unreadHeld(name, l, opts) {
		out = append(out, folderHold{dir: u.Path, rel: relFolder(l.Base, u.Path), err: u.Err})
	}
	// --accept-empty SOURCE accepts the source's folders emptied, not
	// those that cannot be read: nothing says their plans were removed.
	if opts.AcceptEmpty[name] {
		sort.Slice(out, func(i, j int) bool { return out[i].dir < out[j].dir })
		return out
	}
	// The folders something is listed in now.
	listed := map[string]bool{}
	for _, it := range l.Items {
		for dir := filepath.Dir(it.Key); dir != l.Base && below(l.Base, dir) && !listed[dir]; dir = filepath.Dir(dir) {
			listed[dir] = true
		}
	}
	// The documents in a subfolder that lists nothing now (when its own
	// folder lists something, so do those it is in).
	var unlisted []store.Document
	for _, d := range run.docs {
		if dir := filepath.Dir(d.Key); d.LastError != "gone" && dir != l.Base && !listed[dir] && below(l.Base, dir) {
			unlisted = append(unlisted, d)
		}
	}
	// Those plans were last read from (as for a whole source: a copy in
	// conflict is none), by the unlisted folders they lie in; with fewer
	// than two, no folder can have held two plans.
	had := map[string][]store.Document{}
	if len(unlisted) > 1 {
		reads := map[int64]bool{}
		for _, p := range plans {
			if p.DocumentID != 0 && p.State != store.PlanGone {
				reads[p.DocumentID] = true
			}
		}
		for _, d := range unlisted {
			if !reads[d.ID] {
				continue
			}
			for dir := filepath.Dir(d.Key); dir != l.Base && below(l.Base, dir) && !listed[dir]; dir = filepath.Dir(dir) {
				had[dir] = append(had[dir], d)
			}
		}
	}
	unreadable := func(dir string) bool {
		return slices.ContainsFunc(l.Unreadable, func(u source.FolderError) bool { return u.Path == dir || below(u.Path, dir) })
	}
	for dir, docs := range had {
		if rel := relFolder(l.Base, dir); len(docs) > 1 && rel != "" && !folderAccepted(name, rel, opts) && !unreadable(dir) {
			out = append(out, folderHold{dir: dir, rel: rel, had: len(docs), docs: docs})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].dir < out[j].dir })
	return out
}

// folderAccepted reports whether --accept-empty SOURCE/FOLDER names the
// folder rel (below the source's folder, with forward slashes) or one it
// is in.
func folderAccepted(name, rel string, opts Options) bool {
	for p := rel; ; {
		if opts.AcceptEmpty[name+"/"+p] {
			return true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// unreadHeld are the folders of the listing that cannot be read and are
// not accepted by --accept-empty SOURCE/FOLDER (the source's name alone
// does not accept them): what is in them is held.
func unreadHeld(name string, l source.Listing, opts Options) []source.FolderError {
	var out []source.FolderError
	for _, u := range l.Unreadable {
		if rel := relFolder(l.Base, u.Path); rel != "" && !folderAccepted(name, rel, opts) {
			out = append(out, u)
		}
	}
	return out
}

// unreadEmpty is the whole-source guard's error when the source lists no
// plan and folders in it that held documents cannot be read (nil when none
// does): it names them, and the command that accepts a folder removed on
// purpose, never the source's (which would not accept them; see
// folderHolds).
func (s *Syncer) unreadEmpty(run *sourceRun, l source.Listing, opts Options, had int) error {
	const named = 10
	name := run.t.Source.Name()
	var said, accept []string
	more := 0
	held := func(dir string) bool {
		for key, d := range run.docs {
			if d.LastError != "gone" && below(dir, key) {
				return true
			}
		}
		return false // nothing was read from it
	}
	for _, u := range unreadHeld(name, l, opts) {
		if !held(u.Path) {
			continue
		}
		if len(said) == named {
			more++
			continue
		}
		said = append(said, u.Err.Error())
		accept = append(accept, "--accept-empty "+safeout.ShellArg(name+"/"+relFolder(l.Base, u.Path)))
	}
	if len(said) == 0 {
		return nil
	}
	list := strings.Join(said, "; ")
	cmd := "udrul sync " + strings.Join(accept, " ")
	if more > 0 {
		return errors.New(s.l(fmt.Sprintf("kilden viser ingen planer nu (den havde %d), og mapper i den kan ikke læses: %s (og %d mapper mere). Intet er markeret som væk: planerne i en mappe, der ikke kan læses, holdes, til den kan læses igen; er en mappe fjernet med vilje: %s, og --accept-empty %s for hver af de andre", had, list, more, cmd, safeout.ShellArg(name+"/MAPPE")),
			fmt.Sprintf("the source lists no plans now (it had %d), and folders in it cannot be read: %s (and %d more folders). Nothing is marked gone: the plans in a folder that cannot be read are held until it can be read again; if a folder was removed on purpose: %s, and --accept-empty %s for each of the others", had, list, more, cmd, safeout.ShellArg(name+"/FOLDER"))))
	}
	return errors.New(s.l(fmt.Sprintf("kilden viser ingen planer nu (den havde %d), og mapper i den kan ikke læses: %s. Intet er markeret som væk: planerne i en mappe, der ikke kan læses, holdes, til den kan læses igen; er mapperne fjernet med vilje: %s", had, list, cmd),
		fmt.Sprintf("the source lists no plans now (it had %d), and folders in it cannot be read: %s. Nothing is marked gone: the plans in a folder that cannot be read are held until it can be read again; if the folders were removed on purpose: %s", had, list, cmd)))
}

// holdFolders decides, once the source's documents are read and named,
// which of the folders found by folderHolds are held: an unreadable folder
// always, an emptied one when two or more of its plans are claimed by no
// document listed now (a folder moved within the source is listed where it
// went). The documents in a held folder are not marked gone, and the
// result says why and what to do.
//
// The plans last read from a document in a held folder, and claimed by no
// document read now, are marked held, with why in their state (see
// holdPlans), so that `udrul plans`, the findings and the status page do
// not call them OK.
func (s *Syncer) holdFolders(ctx context.Context, run *sourceRun, plans []store.Plan) {
	if len(run.folders) == 0 {
		s.holdPlans(ctx, run, plans, nil, nil) // releases only, if any
		return
	}
	keyOf := map[int64]string{}
	for _, p := range plans {
		keyOf[p.ID] = planKeyOf(p.Municipality, p.Solution)
	}
	claimed := map[string]bool{}
	for _, d := range run.unchanged {
		if k, ok := keyOf[d.PlanID]; ok {
			claimed[k] = true
		}
	}
	for _, rr := range run.reads {
		switch {
		case rr.parsed() && rr.idErr == nil:
			claimed[planKeyOf(rr.id.Municipality, rr.id.Solution)] = true
		case rr.doc.PlanID != 0:
			if k, ok := keyOf[rr.doc.PlanID]; ok {
				claimed[k] = true
			}
		}
	}
	var held []string
	// planWhy is, for each folder held, why its plans are held, in English
	// as the store keeps the reasons (model.HeldReason words them).
	planWhy := map[string]string{}
	defer func() {
		var whyOf func(string) string
		if len(planWhy) > 0 {
			whyOf = func(key string) string {
				for dir, why := range planWhy {
					if below(dir, key) {
						return why
					}
				}
				return ""
			}
		}
		s.holdPlans(ctx, run, plans, whyOf, func(id int64) bool { return claimed[keyOf[id]] })
	}()
	for _, h := range run.folders {
		if h.err == nil {
			missing := 0
			for _, d := range h.docs {
				if !claimed[keyOf[d.PlanID]] {
					missing++
				}
			}
			if missing < 2 {
				continue // moved within the source, or one file gone
			}
		}
		if h.err == nil && slices.ContainsFunc(held, func(dir string) bool { return below(dir, h.dir) }) {
			continue // said for the folder it is in
		}
		// Every document in it, not only those its plans were read from:
		// nothing in a folder that cannot be seen is gone.
		kept := 0
		for key, d := range run.docs {
			if below(h.dir, key) && d.LastError != "gone" {
				delete(run.gone, key)
				kept++
			}
		}
		if h.err != nil && kept == 0 {
			// Nothing was read from it: said, but no plan is held.
			run.r.UnreadFolders = append(run.r.UnreadFolders, h.err.Error())
			continue
		}
		held = append(held, h.dir)
		accept := safeout.ShellArg(run.t.Source.Name() + "/" + h.rel)
		var why string
		if h.err != nil {
			planWhy[h.dir] = fmt.Sprintf("its folder cannot be read: %v; the plan is not updated until the folder can be read again; if the folder was removed on purpose: udrul sync --accept-empty %s", h.err, accept)
		} else {
			planWhy[h.dir] = fmt.Sprintf("its folder %s lists no plans now (it had %d): is its drive mounted, and is the folder still in its place? The plan is not updated nor marked gone; if the folder's plans were removed on purpose: udrul sync --accept-empty %s", h.dir, h.had, accept)
		}
		if h.err != nil {
			why = s.l(fmt.Sprintf("%v; filerne i den (%d) er ikke markeret som væk; er mappen fjernet med vilje: udrul sync --accept-empty %s", h.err, kept, accept),
				fmt.Sprintf("%v; its files (%d) are not marked gone; if the folder was removed on purpose: udrul sync --accept-empty %s", h.err, kept, accept))
		} else {
			why = s.l(fmt.Sprintf("mappen %s viser ingen planer nu (den havde %d): er drevet monteret, og er mappen stadig det rigtige sted? Dens planer er ikke markeret som væk; er de fjernet med vilje: udrul sync --accept-empty %s", h.dir, h.had, accept),
				fmt.Sprintf("the folder %s lists no plans now (it had %d): is its drive mounted, and is the folder still in its place? Its plans are not marked gone; if they were removed on purpose: udrul sync --accept-empty %s", h.dir, h.had, accept))
		}
		run.r.HeldFolders = append(run.r.HeldFolders, why)
		run.log.Warn(s.l("mappe holdt tilbage", "folder held"), "folder", h.dir, "why", why)
	}
}

// holdPlans marks held the plans last read from a document not listed now
// for which whyOf (by the document's key) gives a reason — a folder held,
// or the whole source — unless a document read now claims them (claimed:
// a copy elsewhere is applied instead), and marks OK again the plans held
// so before whose document is listed now: an unchanged document is not
// read again, and nothing else would release them. A plan held by the
// guard is not released (its reason is the guard's, and its document keeps
// the held content's hash). The
// reasons are in English, as the store keeps them (model.HeldReason words
// them).
func (s *Syncer) holdPlans(ctx context.Context, run *sourceRun, plans []store.Plan, whyOf func(key string) string, claimed func(planID int64) bool) {
	if whyOf == nil && !slices.ContainsFunc(plans, func(p store.Plan) bool { return p.State == store.PlanHeld }) {
		return // nothing to hold or release
	}
	byID := make(map[int64]store.Plan, len(plans))
	for _, p := range plans {
		byID[p.ID] = p
	}
	type change struct {
		plan            int64
		state, why, key string
	}
	var changes []change
	for key, d := range run.docs {
		p, ok := byID[d.PlanID]
		if !ok || d.LastError == "gone" || p.DocumentID != d.ID {
			continue
		}
		if _, listed := run.items[key]; listed {
			if p.State == store.PlanHeld && d.HeldHash == "" && heldByListing(p.StateReason) {
				changes = append(changes, change{p.ID, store.PlanOK, "", p.Key()})
			}
			continue
		}
		if whyOf == nil || p.State != store.PlanOK || (claimed != nil && claimed(p.ID)) {
			continue
		}
		if why := whyOf(key); why != "" {
			changes = append(changes, change{p.ID, store.PlanHeld, why, p.Key()})
		}
	}
	if len(changes) == 0 {
		return
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].key < changes[j].key })
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		for _, c := range changes {
			if err := tx.SetPlanState(c.plan, c.state, c.why); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if run.r.Err == nil {
			run.r.Err = fmt.Errorf("mark the plans of what is held: %w", err)
		}
		return
	}
	for _, c := range changes {
		run.log.Debug(s.l("planens tilstand ændret", "plan state set"), "plan", c.key, "state", c.state)
	}
}

// heldByListing reports whether a held plan's reason is holdPlans' (its
// folder or its source held), not the guard's: only those are released
// when the document is listed again.
func heldByListing(reason string) bool {
	return strings.HasPrefix(reason, "its folder ") || strings.HasPrefix(reason, "its source ")
}

// below reports whether path is below dir (not dir itself).
func below(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// relFolder is dir below base with forward slashes, "" when it is not
// below it.
func relFolder(base, dir string) string {
	if !below(base, dir) {
		return ""
	}
	rel, _ := filepath.Rel(base, dir)
	return filepath.ToSlash(rel)
}

// errorsOf makes each sentence an error.
func errorsOf(lines []string) []error {
	var out []error
	for _, l := range lines {
		out = append(out, errors.New(l))
	}
	return out
}
