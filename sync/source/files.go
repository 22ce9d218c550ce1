// Package source lists and fetches the documents that hold plans: files in
// a folder or matching a glob on a disk or network share.
package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/sync/grid"
)

// Item is one document of a source: a file, or a spreadsheet.
type Item struct {
	Key     string // stable identity within the source: a path, a spreadsheet ID
	Name    string // the file name, which may carry the plan's identity
	Version string // changes whenever the content may have changed
	Size    int64
	// Err, when set, says the item is listed but cannot be read (a sheet
	// not shared with udrul): it fails without a fetch.
	Err error
	// URL opens the document for a person, when it has one.
	URL string
}

// Fetched is a fetched document: its bytes, and for sources that read
// spreadsheets through an API, the grid already built from them.
type Fetched struct {
	Data []byte     // hashed to tell whether the content changed
	Grid *grid.Grid // nil: parse Data as a file
}

// PlanExts are the file types read as plans.
var PlanExts = map[string]bool{".xlsx": true, ".xlsm": true, ".csv": true, ".txt": true}

// Files is a folder, or a glob, of plan files.
type Files struct {
	name      string
	path      string
	recursive bool
	// MaxSize refuses larger files without reading them (default
	// grid.DefaultMaxSize); Lang is the language of the reasons ("da",
	// "en").
	MaxSize int64
	Lang    string
	// LinksOutside follows links that lead out of the folder (or the
	// glob's folder); by default such a link is refused (see List).
	LinksOutside bool
	// load reads a file (grid.Load; tests put a writer in it).
	load func(path string, max int64) ([]byte, error)
	// walk walks the folder (filepath.WalkDir; tests make a subfolder
	// unreadable, which root cannot do with permissions).
	walk func(root string, fn fs.WalkDirFunc) error
	// readDir reads a folder on a glob's way (os.ReadDir; tests make a
	// folder unreadable, which root cannot do with permissions).
	readDir func(dir string) ([]fs.DirEntry, error)
	// opened tells the real path of an open file (openedPath; tests take
	// the way of systems without /proc).
	opened func(*os.File) (string, error)

	mu         sync.Mutex
	listedRoot string // the real folder of the last listing (see root)
}

// NewFiles returns a source of the plan files at path: a folder (its plan
// files; with recursive, its subfolders' too) or a glob pattern.
func NewFiles(name, path string, recursive bool) *Files {
	return &Files{name: name, path: path, recursive: recursive}
}

// Name is the source's configured name.
func (f *Files) Name() string { return f.name }

// Kind is "files".
func (f *Files) Kind() string { return "files" }

// Location is the folder or glob.
func (f *Files) Location() string { return f.path }

// Listing is what a listing of a files source found: the plan files, and
// what it saw but could not read, which the sync names.
type Listing struct {
	Items []Item
	// Base is the folder whose subfolders hold plans (the folder, or a
	// glob's folder); "" for a single file. The sync holds a subfolder's
	// plans when it lists none (see syncer).
	Base string
	// Unreadable are the subfolders that could not be read: their plans
	// are not listed, and must not count as deleted.
	Unreadable []FolderError
	// LinkedFolders are links to folders in a recursive walk, which are
	// not followed: plans in them are not read.
	LinkedFolders []FolderError
	// Unread are spreadsheets in a format udrul does not read (.xls,
	// .xlsb, .ods, ...), skipped: plans kept in them are never read.
	Unread []string
}

// FolderError is a subfolder a listing could not read, and why (in plain
// words, in the source's language; errors.Is sees the cause).
type FolderError struct {
	Path string
	Err  error
}

// UnreadExts are spreadsheet formats udrul does not read: a files source
// skips them, and names them (Listing.Unread); config check warns of them
// (the one list).
var UnreadExts = config.UnreadExts

// List returns the plan files, in path order (see Listing).
func (f *Files) List(ctx context.Context) ([]Item, error) {
	l, err := f.Listing(ctx)
	return l.Items, err
}

// Listing lists the plan files, in path order. Office lock files (~$x.xlsx)
// and hidden files are skipped. Only regular files (or links to them) are
// read: anything else named like a plan (a FIFO, a link to /dev/zero) is
// listed with an error, so the sync's summary names it, and never opened.
// A subfolder that cannot be read is named in Unreadable, and the rest
// listed: its plans are then neither listed nor gone.
func (f *Files) Listing(ctx context.Context) (Listing, error) {
	var paths []string
	var out Listing
	fi, err := os.Stat(f.path)
	switch {
	case err == nil && fi.IsDir():
		out.Base = f.path
		// A folder given as a link to it (/srv/plans → /mnt/share) is
		// walked through the link: WalkDir does not follow a link as its
		// root, and would list nothing.
		root := f.path
		if lfi, err := os.Lstat(f.path); err == nil && lfi.Mode()&os.ModeSymlink != 0 {
			root = f.path + string(filepath.Separator)
		}
		walk := f.walk
		if walk == nil {
			walk = filepath.WalkDir
		}
		err = walk(root, func(p string, d fs.DirEntry, err error) error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				if p == root || d == nil || !d.IsDir() {
					return err
				}
				// A subfolder that cannot be read (no permission, removed
				// while listed): its plans are neither listed nor gone.
				out.Unreadable = append(out.Unreadable, FolderError{Path: p, Err: f.folderError(p, err)})
				return filepath.SkipDir
			}
			if d.IsDir() {
				if p != root && (!f.recursive || strings.HasPrefix(d.Name(), ".")) {
					return filepath.SkipDir
				}
				// A mount's lost+found (fsck's, readable by root only) holds no
				// plan: not read, nor named as unreadable at each sync.
				if d.Name() == "lost+found" && filepath.Dir(p) == filepath.Clean(root) {
					return filepath.SkipDir
				}
				return nil
			}
			if f.recursive && d.Type()&fs.ModeSymlink != 0 && !strings.HasPrefix(d.Name(), ".") {
				if fi, err := os.Stat(p); err == nil && fi.IsDir() {
					out.LinkedFolders = append(out.LinkedFolders, FolderError{Path: p, Err: f.folderLink(p)})
					return nil
				}
			}
			paths = append(paths, p)
			return nil
		})
		if err != nil {
			return Listing{}, f.listError(f.path, err)
		}
	case err == nil:
		paths = []string{f.path}
	default:
		if !isGlob(f.path) {
			return Listing{}, f.listError(f.path, err)
		}
		out.Base = globBase(f.path)
		if paths, err = f.glob(ctx, &out); err != nil {
			return Listing{}, err
		}
		paths = withoutHidden(paths, out.Base)
	}
	root := f.root(fi, len(paths) > 0)
	f.mu.Lock()
	f.listedRoot = root
	f.mu.Unlock()
	var items []Item
	for _, p := range paths {
		name := filepath.Base(p)
		ext := strings.ToLower(filepath.Ext(name))
		if strings.HasPrefix(name, "~$") || strings.HasPrefix(name, ".") {
			continue
		}
		if !PlanExts[ext] {
			if UnreadExts[ext] {
				out.Unread = append(out.Unread, p)
			}
			continue
		}
		if strings.HasPrefix(name, "udrul-rapport-") {
			continue // udrul's own reports, if written beside the plans
		}
		fi, err := os.Stat(p) // follows a link to what it points at
		if err != nil {
			// A link whose target cannot be read (a share not mounted, a
			// file moved) fails its plan, which keeps its tasks and
			// state: left out, the plan would count as deleted.
			if lfi, lerr := os.Lstat(p); lerr == nil && lfi.Mode()&os.ModeSymlink != 0 {
				target, _ := os.Readlink(p)
				items = append(items, Item{Key: p, Name: name, Version: "link:" + target, Err: f.brokenLink(target, err)})
				continue
			}
			if !errors.Is(err, fs.ErrNotExist) {
				// Listed but not to be looked at (a folder that may be
				// listed but not entered, an error of the drive): it
				// fails, its plan kept; left out, it would count as gone.
				items = append(items, Item{Key: p, Name: name, Version: "unreadable", Err: grid.Localize(err, f.Lang)})
			}
			continue // gone since listed
		}
		if fi.IsDir() {
			continue // a folder named like a file
		}
		if root != "" && fi.Mode().IsRegular() { // anything else is refused below, by its kind
			// Where the path really leads: the file may be a link, or a
			// glob may have walked through a linked folder.
			if real, err := filepath.EvalSymlinks(p); err != nil || !within(root, real) {
				items = append(items, Item{Key: p, Name: name, Version: "link:" + real, Err: f.linkOutside(real)})
				continue
			}
		}

		it := Item{Key: p, Name: name, Size: fi.Size(), Version: fmt.Sprintf("%d-%d", fi.Size(), fi.ModTime().UnixNano()) + changeStamp(fi)}
		if !fi.Mode().IsRegular() {
			_, err := grid.Load(p, 0) // refuses it by its mode, without opening it
			it.Err, it.Size = grid.Localize(err, f.Lang), 0
		}
		items = append(items, it)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Key < items[j].Key })
	out.Items = items
	return out, nil
}

// root is the real folder a plan file must lie in, "" when links may lead
// anywhere: anyone who can put a link on the share could otherwise have
// udrul read any file it may read (a configuration with a password,
// another municipality's plans) into its store, reports and web view. A
// single file named in path is the administrator's choice and followed.
// fi is the stat of the source's path (nil: a glob), found whether a glob
// matched anything.
func (f *Files) root(fi os.FileInfo, found bool) string {
	if f.LinksOutside {
		return ""
	}
	var root string
	switch {
	case fi != nil && fi.IsDir():
		root = f.path
	case found && isGlob(f.path):
		root = globBase(f.path)
	}
	if real, err := filepath.EvalSymlinks(root); root != "" && err == nil {
		root = real
	}
	return root
}

// globBase is the folder part of a glob before its first wildcard, its
// escapes read ("Kommune\ planer" is the folder "Kommune planer").
func globBase(pattern string) string {
	base, _ := splitGlob(pattern)
	return unescapeGlob(base)
}

// splitGlob cuts a glob before the folder holding its first wildcard: the
// fixed part (as written, escapes and all) and the rest.
func splitGlob(pattern string) (base, rest string) {
	sep := string(filepath.Separator)
	i := globMeta(pattern)
	if i < 0 {
		i = len(pattern)
	}
	j := strings.LastIndex(pattern[:i], sep)
	switch {
	case j < 0:
		return ".", pattern
	case j == 0:
		return sep, pattern[1:]
	}
	return pattern[:j], pattern[j+1:]
}

// globMeta is the index of the first wildcard of a glob that is not
// escaped (filepath.Match's syntax), -1 when there is none.
func globMeta(pattern string) int {
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '\\':
			i++ // the next character is itself
		case '*', '?', '[':
			return i
		}
	}
	return -1
}

// isGlob reports whether path is a glob: it has a wildcard.
func isGlob(path string) bool { return globMeta(path) >= 0 }

// unescapeGlob is a glob's fixed part as the name it matches.
func unescapeGlob(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// glob lists the paths matching the source's glob, as filepath.Glob does,
// from the glob's fixed folder (l.Base) down, one level of the pattern at a
// time. filepath.Glob skips a folder it cannot read without a word, so a
// folder on the share that lost its read permission would list none of its
// plans, and they would be marked gone: here a folder on the glob's way
// that cannot be read is named in l.Unreadable (its plans held, as a
// subfolder of a folder source is), and the glob's fixed folder itself
// fails the listing. Hidden folders (.snapshot) and a mount's lost+found
// are not entered (withoutHidden drops what is below a hidden folder).
func (f *Files) glob(ctx context.Context, l *Listing) ([]string, error) {
	if _, err := filepath.Match(f.path, ""); err != nil {
		return nil, f.badPattern(err)
	}
	_, rel := splitGlob(f.path)
	parts := strings.Split(rel, string(filepath.Separator))
	readDir := f.readDir
	if readDir == nil {
		readDir = os.ReadDir
	}
	var paths []string
	var level func(dir string, i int) error
	level = func(dir string, i int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var entries []fs.DirEntry
		var err error
		if globMeta(parts[i]) < 0 && !strings.Contains(parts[i], `\`) && i > 0 {
			// A part without a wildcard names what to enter, as a shell's
			// glob does: a folder that may be entered but not listed (a
			// traverse-only share) is in the way of a wildcard only.
			fi, lerr := os.Lstat(filepath.Join(dir, parts[i]))
			switch {
			case lerr == nil:
				entries = []fs.DirEntry{fs.FileInfoToDirEntry(fi)}
			case errors.Is(lerr, fs.ErrNotExist):
				return nil // matches nothing
			default:
				err = lerr
			}
		} else {
			entries, err = readDir(dir)
		}
		if err != nil {
			if i == 0 {
				return f.listError(dir, err)
			}
			l.Unreadable = append(l.Unreadable, FolderError{Path: dir, Err: f.folderError(dir, err)})
			return nil
		}
		last := i == len(parts)-1
		for _, e := range entries {
			name := e.Name()
			if ok, err := filepath.Match(parts[i], name); err != nil {
				return f.badPattern(err)
			} else if !ok {
				continue
			}
			p := filepath.Join(dir, name)
			if last {
				paths = append(paths, p)
				continue
			}
			if strings.HasPrefix(name, ".") || name == "lost+found" && parts[i] != name {
				continue
			}
			isDir := e.IsDir()
			if !isDir && e.Type()&fs.ModeSymlink != 0 {
				// A link on the glob's way is followed, as filepath.Glob
				// does; one whose folder cannot be reached (a share not
				// mounted, a folder moved) holds what was read through it.
				fi, err := os.Stat(p)
				if err != nil {
					l.Unreadable = append(l.Unreadable, FolderError{Path: p, Err: f.linkError(p, err)})
					continue
				}
				isDir = fi.IsDir()
			}
			if isDir {
				if err := level(p, i+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := level(l.Base, 0); err != nil {
		return nil, err
	}
	return paths, nil
}

// withoutHidden drops paths with a hidden folder (.git, .snapshot) below base.
func withoutHidden(paths []string, base string) []string {
	out := paths[:0]
	for _, p := range paths {
		rel, err := filepath.Rel(base, filepath.Dir(p))
		hidden := false
		for _, part := range strings.Split(rel, string(filepath.Separator)) {
			if strings.HasPrefix(part, ".") && part != "." && part != ".." {
				hidden = true
			}
		}
		if err == nil && !hidden {
			out = append(out, p)
		}
	}
	return out
}

// Fetch reads a file: a regular file of at most MaxSize bytes, refused
// by the size the listing saw before it is opened, and read through a
// reader that stops at the limit. List's check that a plan path leads
// nowhere outside the source's folder is made again on the file opened,
// and the file is read through what was opened: a file swapped for a link
// out of the folder after the listing is refused, never read.
func (f *Files) Fetch(ctx context.Context, it Item) (Fetched, error) {
	max := f.MaxSize
	if max <= 0 {
		max = grid.DefaultMaxSize
	}
	if it.Size > max {
		return Fetched{}, grid.Localize(grid.TooLarge(it.Size, max), f.Lang)
	}
	load := f.load
	if load == nil {
		f.mu.Lock()
		root := f.listedRoot // the folder as the listing found it
		f.mu.Unlock()
		if !f.LinksOutside && root == "" {
			fi, err := os.Stat(f.path)
			if err != nil && !isGlob(f.path) {
				return Fetched{}, f.listError(f.path, err) // the folder is gone since listed
			}
			root = f.root(fi, true)
		}
		load = func(path string, max int64) ([]byte, error) { return f.readWithin(root, path, max) }
	}
	// A file written while it is read (copied over in place, saved
	// slowly over the network) reads as neither the old file nor the
	// new one: a plan cut short would look like tasks deleted. A read is
	// kept only when the file was the same before and after it.
	for range readAttempts {
		before, err := os.Stat(it.Key)
		if err != nil {
			return Fetched{}, grid.Localize(err, f.Lang)
		}
		data, err := load(it.Key, max)
		if pe := (plainError{}); errors.As(err, &pe) {
			return Fetched{}, err // said in words already
		} else if err != nil {
			return Fetched{}, grid.Localize(err, f.Lang)
		}
		after, err := os.Stat(it.Key)
		if err == nil && sameFile(before, after) && int64(len(data)) == after.Size() {
			return Fetched{Data: data}, nil
		}
	}
	if f.Lang == "en" {
		return Fetched{}, fmt.Errorf("the file %s changed while it was read, %d times: it is being written; it is read again at the next sync", it.Key, readAttempts)
	}
	return Fetched{}, fmt.Errorf("filen %s blev ændret, mens den blev læst, %d gange: den er ved at blive skrevet; den læses igen ved næste synkronisering", it.Key, readAttempts)
}

// readWithin reads the file at path through the file it opens, after
// checking that what it opened lies in root (unless root is ""): the real
// path is found after the open, and must name the very file opened, so a
// link swapped in at any moment is either refused or not what is read.
func (f *Files) readWithin(root, path string, max int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return grid.Load(path, 0) // refuses it by its mode, without opening it
	}
	if fi.Size() > max {
		return nil, grid.TooLarge(fi.Size(), max)
	}
	// O_NONBLOCK: a FIFO swapped in since the Stat does not block the
	// open; grid.LoadFile refuses it by the Stat of the open file.
	fh, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if root != "" {
		opened := f.opened
		if opened == nil {
			opened = openedPath
		}
		if real, err := opened(fh); err == nil {
			if !within(root, real) {
				return nil, f.linkOutside(real)
			}
			return grid.LoadFile(fh, max)
		}
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			return nil, err // gone since opened
		}
		if !within(root, real) {
			return nil, f.linkOutside(real)
		}
		was, err1 := fh.Stat()
		there, err2 := os.Stat(real)
		if err1 != nil || err2 != nil || !os.SameFile(was, there) {
			// Swapped between the open and the check: what was opened
			// cannot be told to lie in the folder.
			return nil, f.linkOutside(real)
		}
	}
	return grid.LoadFile(fh, max)
}

// readAttempts is how many times Fetch reads a file that changes while it
// is read before it gives up until the next sync.
const readAttempts = 3

// sameFile reports whether a and b, two stats of a path, saw the same
// content: same file, size, modification and change time.
func sameFile(a, b os.FileInfo) bool {
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime()) && changeStamp(a) == changeStamp(b)
}

// listError says in plain words, in the source's language, why its folder
// dir (the source's path, or a glob's fixed folder) cannot be listed and
// what to do; errors.Is still sees the cause.
func (f *Files) listError(dir string, err error) error {
	da := f.Lang != "en"
	switch {
	case errors.Is(err, fs.ErrNotExist) && da:
		return plainError{fmt.Sprintf("mappen %s findes ikke: opret den, eller ret stien i konfigurationen (sources[].path)", dir), err}
	case errors.Is(err, fs.ErrNotExist):
		return plainError{fmt.Sprintf("the folder %s does not exist: create it, or correct the path in the configuration (sources[].path)", dir), err}
	case errors.Is(err, fs.ErrPermission) && da:
		return plainError{fmt.Sprintf("udrul må ikke læse mappen %s: giv brugeren, udrul kører som, læseadgang", dir), err}
	case errors.Is(err, fs.ErrPermission):
		return plainError{fmt.Sprintf("udrul may not read the folder %s: give the user udrul runs as read access", dir), err}
	case errors.Is(err, syscall.ENOTDIR) && da:
		return plainError{fmt.Sprintf("%s er ikke en mappe: ret stien i konfigurationen (sources[].path)", dir), err}
	case errors.Is(err, syscall.ENOTDIR):
		return plainError{fmt.Sprintf("%s is not a folder: correct the path in the configuration (sources[].path)", dir), err}
	}
	if dir != f.path { // a glob's folder: said in words, as a subfolder is
		return f.folderError(dir, err)
	}
	return fmt.Errorf("list %s: %w", f.path, err)
}

// badPattern says in plain words, in the source's language, that the
// source's glob is not a valid pattern.
func (f *Files) badPattern(err error) error {
	if f.Lang == "en" {
		return plainError{fmt.Sprintf("the path %s is not a valid pattern (an unclosed [ or a stray \\): correct sources[].path", f.path), err}
	}
	return plainError{fmt.Sprintf("stien %s er ikke et gyldigt mønster (en [ uden ] eller en løs \\): ret sources[].path", f.path), err}
}

// linkError says in plain words, in the source's language, that a link on
// a glob's way leads to a folder that cannot be reached.
func (f *Files) linkError(p string, err error) error {
	target, _ := os.Readlink(p)
	if f.Lang == "en" {
		return plainError{fmt.Sprintf("the link %s leads to %s, which cannot be read (it does not exist, its drive is not mounted, or the link leads in a circle): mount the drive or correct the link", p, target), err}
	}
	return plainError{fmt.Sprintf("linket %s peger på %s, som ikke kan læses (den findes ikke, drevet er ikke monteret, eller linket peger i ring): montér drevet, eller ret linket", p, target), err}
}

// folderError says in plain words, in the source's language, why a
// subfolder cannot be read; errors.Is still sees the cause.
func (f *Files) folderError(dir string, err error) error {
	da := f.Lang != "en"
	switch {
	case errors.Is(err, fs.ErrPermission) && da:
		return plainError{fmt.Sprintf("udrul må ikke læse mappen %s: giv brugeren, udrul kører som, læseadgang", dir), err}
	case errors.Is(err, fs.ErrPermission):
		return plainError{fmt.Sprintf("udrul may not read the folder %s: give the user udrul runs as read access", dir), err}
	case errors.Is(err, fs.ErrNotExist) && da:
		return plainError{fmt.Sprintf("mappen %s forsvandt, mens den blev læst (flyttet, omdøbt eller afmonteret)", dir), err}
	case errors.Is(err, fs.ErrNotExist):
		return plainError{fmt.Sprintf("the folder %s vanished while it was listed (moved, renamed or unmounted)", dir), err}
	case da:
		return plainError{fmt.Sprintf("mappen %s kan ikke læses (en fejl i filsystemet eller på drevet): er drevet monteret og i orden?", dir), err}
	}
	return plainError{fmt.Sprintf("the folder %s cannot be read (an error of the file system or drive): is the drive mounted and sound?", dir), err}
}

// folderLink says in plain words, in the source's language, that a link
// to a folder is not followed by a recursive walk.
func (f *Files) folderLink(p string) error {
	target, _ := os.Readlink(p)
	if f.Lang == "en" {
		return plainError{fmt.Sprintf("%s is a link to a folder (%s), which is not followed: plans in it are not read; move the folder into the source's folder, or make it a source of its own", p, target), errFolderLink}
	}
	return plainError{fmt.Sprintf("%s er et link til en mappe (%s), som ikke følges: planer i den læses ikke; flyt mappen ind i kildens mappe, eller gør den til en kilde for sig", p, target), errFolderLink}
}

var errFolderLink = errors.New("link to a folder, not followed")

// brokenLink says in plain words, in the source's language, that a link
// named like a plan leads to nothing that can be read.
func (f *Files) brokenLink(target string, err error) error {
	if f.Lang == "en" {
		return plainError{fmt.Sprintf("the link points to %s, which cannot be read (it does not exist, its drive is not mounted, or the link leads in a circle): correct the link, or remove it", target), err}
	}
	return plainError{fmt.Sprintf("linket peger på %s, som ikke kan læses (den findes ikke, drevet er ikke monteret, eller linket peger i ring): ret linket, eller fjern det", target), err}
}

// within reports whether path is dir or below it.
func within(dir, path string) bool {
	// A source's folder may be given relative to the working directory;
	// the path the kernel gives for an opened file is absolute.
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// linkOutside says in plain words, in the source's language, that a link
// named like a plan leads out of the source's folder and is not followed.
func (f *Files) linkOutside(target string) error {
	if f.Lang == "en" {
		return plainError{fmt.Sprintf("the link leads out of the source's folder (to %s) and is not followed: copy the file into the folder, or, if links are how plans are gathered here, set links_outside: true on the source", target), ErrLinkOutside}
	}
	return plainError{fmt.Sprintf("linket fører ud af kildens mappe (til %s) og følges ikke: kopiér filen ind i mappen, eller sæt links_outside: true på kilden, hvis planerne samles med links", target), ErrLinkOutside}
}

// ErrLinkOutside is a link out of a files source's folder, not followed.
var ErrLinkOutside = errors.New("link out of the source's folder")

// plainError is a message for people that wraps its cause for errors.Is
// without repeating the library's text.
type plainError struct {
	msg string
	err error
}

func (e plainError) Error() string { return e.msg }
func (e plainError) Unwrap() error { return e.err }
