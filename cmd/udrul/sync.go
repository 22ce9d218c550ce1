package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/syncer"
)

// SyncCommand runs one sync cycle over the configured sources.
type SyncCommand struct {
	Stdout, Stderr io.Writer
}

const syncSynopsis = `[--config FILE] [--source NAME] [--accept PLAN]... [--accept-empty SOURCE[/FOLDER]]...

Reads every source once: unchanged files cost almost nothing, changed ones
are parsed and reconciled into the store with their history. A read that
looks like an accident (the sheet emptied or cut off, most of its tasks
gone, another plan saved over the file) is held, not applied, until its
sheet recovers or it is accepted with --accept Municipality/Solution. A plan
claimed by two files (a copy beside it) is not changed from either: it is
shown as a conflict until one remains, an ignore pattern skips the copy or
a prefer pattern picks the file. A source that had several plans and lists none (a
share not mounted) is held too: nothing is marked gone until it lists plans
again or --accept-empty NAME accepts it; so is a subfolder of a files source
that had several plans and lists none, or cannot be read (--accept-empty
NAME/FOLDER accepts that folder alone; --accept-empty NAME does not accept
a folder that cannot be read). Spreadsheets in formats udrul does
not read (.xls, .xlsb, .ods) are named. Exit code 0 when every source
synced, 1 otherwise.`

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// Run runs the command.
func (c *SyncCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("sync", syncSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	only := fs.String("source", "", "sync only the source with this `name`")
	var accept multiFlag
	fs.Var(&accept, "accept", "apply the held `plan` (Municipality/Solution) despite the guard; repeatable")
	var acceptEmpty multiFlag
	fs.Var(&acceptEmpty, "accept-empty", "let the `source` (or SOURCE/FOLDER, a folder in it) that had plans list none: its plans are marked gone; repeatable")
	e, err := openFor(ctx, fs, args, cfgPath, nil)
	if err != nil {
		return err
	}
	defer e.Close()
	var progress io.Writer
	if isTerminal(c.Stderr) {
		progress = c.Stderr
	}
	logger := slog.New(slog.NewTextHandler(c.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	s, targets, err := e.NewSyncer(logger, progress, *only)
	if err != nil {
		return err
	}
	opts := syncer.Options{Accept: map[string]bool{}, AcceptEmpty: map[string]bool{}}
	for _, name := range acceptEmpty {
		// A source's name, or SOURCE/FOLDER: a folder below the source's
		// (a source's name has no slash).
		src, folder, isFolder := strings.Cut(name, "/")
		found := false
		for _, t := range targets {
			found = found || t.Source.Name() == src
		}
		if !found {
			return badUsage(fs, "--accept-empty %q: no source has that name", name)
		}
		key := src
		if isFolder {
			folder = path.Clean(strings.Trim(filepath.ToSlash(folder), "/"))
			if folder == "." || folder == ".." || strings.HasPrefix(folder, "../") {
				return badUsage(fs, "--accept-empty %q: name a folder below the source's folder, as the sync's message does (SOURCE/FOLDER)", name)
			}
			key += "/" + folder
		}
		opts.AcceptEmpty[key] = true
	}
	for _, a := range accept {
		// The municipality in any spelling ("århus/kp"), as elsewhere.
		if mun, sol, ok := strings.Cut(a, "/"); ok {
			if m, err := e.Municipality(mun); err == nil {
				if s, err := e.Solution(ctx, sol); err == nil {
					a = m + "/" + s
				}
			}
		}
		p, err := e.DB.Plan(ctx, a)
		if err != nil {
			return err
		}
		opts.Accept[p.Key()] = true
	}
	results, err := s.Cycle(ctx, targets, opts)
	printSyncResults(c.Stdout, results, e.L)
	if err != nil {
		return err
	}
	for _, r := range results {
		if !r.OK() {
			return errReported
		}
	}
	return nil
}

func printSyncResults(w io.Writer, results []syncer.Result, l func(da, en string) string) {
	english := l("da", "en") == "en"
	for _, r := range results {
		fmt.Fprintln(w, safeout.Terminal(syncSummary(r, l)))
		if r.Err == nil && r.Documents == 0 {
			fmt.Fprintf(w, l("  advarsel: kilden %s fandt ingen planfiler: se dens path eller folders ('udrul config check' siger mere)\n",
				"  warning: source %s found no plan files: check its path or folders ('udrul config check' says more)\n"), safeout.Terminal(r.Source))
		}
		for _, e := range r.Errors {
			fmt.Fprintf(w, l("  fejl: %s\n", "  failed: %s\n"), safeout.Terminal(fmt.Sprint(e)))
		}
		// Folders whose plans are held: each line says why and what to do.
		for _, f := range r.HeldFolders {
			fmt.Fprintf(w, l("  mappe holdt tilbage: %s\n", "  folder held: %s\n"), safeout.Terminal(f))
		}
		for _, f := range r.UnreadFolders {
			fmt.Fprintf(w, l("  mappe ikke læst: %s\n", "  folder not read: %s\n"), safeout.Terminal(f))
		}
		// Spreadsheets in formats udrul does not read: plans kept in them
		// are never read, so they are named (the first few).
		const maxUnreadShown = 5
		for i, f := range r.Unread {
			if i == maxUnreadShown {
				fmt.Fprintf(w, l("  … og %d til i et format, udrul ikke læser\n", "  … and %d more in a format udrul does not read\n"), len(r.Unread)-i)
				break
			}
			fmt.Fprintf(w, l("  ikke læst: %s (udrul læser ikke %s; gem den som Excel-projektmappe .xlsx, så læses den)\n",
				"  not read: %s (udrul does not read %s; save it as Excel Workbook .xlsx to have it read)\n"), safeout.Terminal(f), safeout.Terminal(strings.ToLower(filepath.Ext(f))))
		}
		for _, h := range r.HeldPlans {
			plan, reason, _ := strings.Cut(h, ": ")
			fmt.Fprintf(w, l("  holdt tilbage: %s: %s\n", "  held: %s: %s\n"), safeout.Terminal(plan), safeout.Terminal(model.HeldReason(reason, english)))
		}
		// Files set aside as copies: a plan's only file named like one
		// ("KY_Horsens (1).xlsx", a browser's download) is never read.
		const maxIgnoredShown = 10
		for i, f := range r.IgnoredFiles {
			if i == maxIgnoredShown {
				fmt.Fprintf(w, l("  … og %d til ignoreret\n", "  … and %d more ignored\n"), len(r.IgnoredFiles)-i)
				break
			}
			file, pattern, _ := strings.Cut(f, "\x00")
			fmt.Fprintf(w, l("  ignoreret: %s (passer på ignore-mønstret %q; er den planens eneste fil, så omdøb den)\n",
				"  ignored: %s (matches the ignore pattern %q; if it is the plan's only file, rename it)\n"), safeout.Terminal(file), pattern)
		}
		// File names come from the share: made safe for the terminal.
		for _, c := range r.Conflicts {
			fmt.Fprintf(w, l("  konflikt, ikke anvendt: %s (flyt eller omdøb kopien, så kun én fil er planen, eller vælg den med 'prefer')\n",
				"  conflict, not applied: %s (move or rename the copy so that only one file is the plan, or pick it with 'prefer')\n"), safeout.Terminal(c))
		}
		// One file read by several sources: the configuration is to
		// correct (each line says so, in the language).
		for _, c := range r.SharedFiles {
			fmt.Fprintf(w, l("  ikke anvendt: %s\n", "  not applied: %s\n"), safeout.Terminal(c))
		}
		for _, c := range r.Superseded {
			fmt.Fprintf(w, l("  ikke læst: %s\n", "  not read: %s\n"), safeout.Terminal(c))
		}
	}
}

// syncSummary is a one-line account of a source's sync, in the language.
func syncSummary(r syncer.Result, l func(da, en string) string) string {
	if r.Err != nil {
		return fmt.Sprintf(l("%s: fejlede: %v", "%s: failed: %v"), r.Source, r.Err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, l("%s: %d filer, %d uændrede, %d læst", "%s: %d files, %d unchanged, %d read"), r.Source, r.Documents, r.Unchanged, r.Read)
	if r.Created > 0 {
		fmt.Fprintf(&b, l(", %d nye planer", ", %d new plans"), r.Created)
	}
	fmt.Fprintf(&b, l("; opgaver %d tilføjet, %d ændret, %d fjernet", "; tasks %d added, %d changed, %d removed"), r.Added, r.Changed, r.Removed)
	if r.Restored > 0 {
		fmt.Fprintf(&b, l(", %d genindsat", ", %d restored"), r.Restored)
	}
	if r.Held > 0 {
		fmt.Fprintf(&b, l("; %d holdt tilbage", "; %d held"), r.Held)
	}
	if n := len(r.HeldFolders); n > 0 {
		fmt.Fprintf(&b, l("; %d mapper holdt tilbage", "; %d folders held"), n)
	}
	if n := len(r.Conflicts); n > 0 {
		fmt.Fprintf(&b, l("; %d i konflikt", "; %d in conflict"), n)
	}
	if n := len(r.SharedFiles); n > 0 {
		fmt.Fprintf(&b, l("; %d læst af flere kilder", "; %d read by several sources"), n)
	}
	if r.Ignored > 0 {
		fmt.Fprintf(&b, l("; %d ignoreret", "; %d ignored"), r.Ignored)
	}
	if n := len(r.Unread); n > 0 {
		fmt.Fprintf(&b, l("; %d ikke læst (format)", "; %d not read (format)"), n)
	}
	if r.Gone > 0 {
		fmt.Fprintf(&b, l("; %d filer væk", "; %d files gone"), r.Gone)
	}
	if r.Failed > 0 {
		fmt.Fprintf(&b, l("; %d fejlede", "; %d failed"), r.Failed)
	}
	fmt.Fprintf(&b, " (%s)", r.Duration.Round(time.Millisecond))
	return b.String()
}
