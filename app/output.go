package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/udrul/udrul/internal/provenance"
)

// OutputPath is where a command writes its file: out as given, or, when out
// is empty, names an existing folder or ends in a path separator, the
// default name inside that folder (dir when out is empty).
func OutputPath(out, dir, name string) string {
	if out == "" {
		if dir == "" {
			dir = "."
		}
		return filepath.Join(dir, name)
	}
	if IsFolder(out) {
		return filepath.Join(out, name)
	}
	return out
}

// IsFolder reports whether an --out value names a folder: it ends in a
// path separator or names an existing folder.
func IsFolder(out string) bool {
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		return true
	}
	fi, err := os.Stat(out)
	return err == nil && fi.IsDir()
}

// WriteFile writes a file the way every command does: missing folders are
// created, the content goes to a temporary file beside it that is renamed
// into place only when complete, and nothing is left behind on failure.
func WriteFile(path string, write func(io.Writer) error) error {
	return WriteFilePerm(path, 0o644, write)
}

// WriteFilePerm is WriteFile with the file's permissions (0o600 for a file
// that may come to hold a password): they are set before the file is in
// place.
func WriteFilePerm(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create folder %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// maxReplaceCheck bounds what is read of an existing file to tell whether
// udrul wrote it: a report is far smaller.
const maxReplaceCheck = 256 << 20

// CheckReplace refuses to write a workbook udrul makes (kind: a
// provenance kind, a report or a proposal) at path unless the name ends in
// .xlsx and whatever is there already is such a workbook udrul wrote (an
// earlier run's): a mistyped --out must never overwrite a plan, the
// configuration, a criteria sheet or a file saved by hand. A file there
// that cannot be read is refused as such: whether udrul wrote it cannot be
// told.
func (e *Env) CheckReplace(path, kind string) error {
	what := [2]string{"en rapport", "a report"}
	if kind == provenance.Proposal {
		what = [2]string{"et bølgeforslag", "a wave proposal"}
	}
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return fmt.Errorf("%s", e.L(
			fmt.Sprintf("--out %s: %s er en Excel-projektmappe: giv den et navn, der ender på .xlsx, eller angiv en mappe", path, what[0]),
			fmt.Sprintf("--out %s: %s is an Excel workbook: give it a name ending in .xlsx, or name a folder", path, what[1])))
	}
	var odd *NotRegularError
	switch ours, err := replaceable(path, kind); {
	case errors.As(err, &odd):
		return e.notRegular(path, odd, what)
	case err != nil:
		return &plainError{msg: e.L(
			fmt.Sprintf("%s findes allerede, men udrul kan ikke læse den (%s), så det kan ikke afgøres, om det er %s, udrul har skrevet: intet er overskrevet; giv brugeren, udrul kører som, læseadgang til filen, flyt den væk, eller vælg et andet navn", path, e.unreadableWhy(err), what[0]),
			fmt.Sprintf("%s already exists but udrul cannot read it (%s), so whether it is %s udrul wrote cannot be told: nothing was overwritten; give the user udrul runs as read access to it, move it away, or choose another name", path, e.unreadableWhy(err), what[1])),
			cause: err}
	case !ours:
		return fmt.Errorf("%s", e.L(
			fmt.Sprintf("%s findes allerede og er ikke %s, udrul har skrevet: intet er overskrevet; vælg et andet navn, eller flyt filen væk først", path, what[0]),
			fmt.Sprintf("%s already exists and is not %s udrul wrote: nothing was overwritten; choose another name, or move the file away first", path, what[1])))
	}
	return nil
}

// notRegular says that udrul does not write what (in Danish and English)
// at path, which is not a regular file.
func (e *Env) notRegular(path string, odd *NotRegularError, what [2]string) error {
	return &plainError{msg: e.L(
		fmt.Sprintf("%s er ikke en almindelig fil (%s): udrul skriver %s kun som en fil for sig, aldrig over noget andet; intet er skrevet; vælg et andet navn, eller angiv en mappe", path, odd.words(e), what[0]),
		fmt.Sprintf("%s is not a regular file (%s): udrul writes %s only as a file of its own, never over anything else; nothing was written; choose another name, or name a folder", path, odd.words(e), what[1])),
		cause: odd}
}

// CheckRegular refuses to write what (in Danish and English: "en
// sikkerhedskopi", "a backup") at path when something is there that is not
// a regular file (NotRegularError: a folder, a named pipe, a device, a
// link to one, a file of the kernel's), in the same words as CheckReplace.
// Nothing there, or a regular file, is for the caller to judge.
func (e *Env) CheckRegular(path string, what [2]string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil // nothing there, or nothing that can be seen: writing says why
	}
	var odd *NotRegularError
	if err := regular(path, fi); errors.As(err, &odd) {
		return e.notRegular(path, odd, what)
	}
	return nil
}

// replaceable reports whether a workbook of kind may be written at path:
// nothing is there (or nothing that can be seen: writing says why), or a
// workbook of that kind udrul wrote. err is set when a file is there that
// cannot be read.
func replaceable(path, kind string) (bool, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return true, nil
	}
	if err := regular(path, fi); err != nil {
		return false, err
	}
	if fi.Size() > maxReplaceCheck {
		return false, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	got, ok := provenance.Written(data)
	return ok && got == kind, nil
}

// NotRegularError is a path where a file is to be written that holds
// something else than a regular file — a folder, a device, a named pipe, a
// socket — itself or at the end of a link, or a file of the kernel's
// (/proc, /sys, /dev: a link to /proc/self/mem stats as a regular file,
// and reading it fails).
type NotRegularError struct {
	Path   string
	Target string // where the link leads; "" when Path is no link
	Mode   fs.FileMode
	Kernel bool // the target lies in /proc, /sys or /dev
}

func (e *NotRegularError) Error() string {
	if e.Target != "" {
		return fmt.Sprintf("%s is not a regular file: a link to %s (%s)", e.Path, e.Target, e.Mode.Type())
	}
	return fmt.Sprintf("%s is not a regular file (%s)", e.Path, e.Mode.Type())
}

// words says what is there, in the language.
func (e *NotRegularError) words(env *Env) string {
	var what string
	m := e.Mode
	switch {
	case e.Kernel:
		what = env.L("en af kernens filer, ikke en fil på disken", "one of the kernel's files, not a file on disk")
	case m.IsDir():
		what = env.L("en mappe", "a folder")
	case m&fs.ModeNamedPipe != 0:
		what = env.L("et navngivet rør, en FIFO", "a named pipe, a FIFO")
	case m&fs.ModeSocket != 0:
		what = env.L("en socket", "a socket")
	case m&fs.ModeDevice != 0:
		what = env.L("en enhed", "a device")
	default:
		what = env.L("en særlig fil", "a special file")
	}
	if e.Target != "" {
		return env.L("et link til "+e.Target+", "+what, "a link to "+e.Target+", "+what)
	}
	return what
}

// kernelDirs hold the kernel's files: what stats as a regular file there
// (/proc/self/mem) is none.
var kernelDirs = []string{"/proc/", "/sys/", "/dev/"}

// regular is nil when path (fi, as os.Stat gave it) is a regular file on
// disk, itself or at the end of its links, else a *NotRegularError.
func regular(path string, fi fs.FileInfo) error {
	target, where := "", path
	if li, err := os.Lstat(path); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		target, _ = os.Readlink(path) // as the link says it, for words
	}
	if r, err := filepath.EvalSymlinks(path); err == nil {
		where = r
	}
	if abs, err := filepath.Abs(where); err == nil {
		where = abs
	}
	kernel := fi.Mode().IsRegular() && slices.ContainsFunc(kernelDirs, func(d string) bool { return strings.HasPrefix(where, d) })
	if fi.Mode().IsRegular() && !kernel {
		return nil
	}
	return &NotRegularError{Path: path, Target: target, Mode: fi.Mode(), Kernel: kernel}
}

// unreadableWhy says in plain words why a file could not be read.
func (e *Env) unreadableWhy(err error) string {
	if errors.Is(err, fs.ErrPermission) {
		return e.L("brugeren, udrul kører som, må ikke læse den", "the user udrul runs as may not read it")
	}
	return e.L("en fejl i filsystemet eller på drevet", "an error of the file system or drive")
}

// CheckNewWorkbook refuses to write a plan workbook (a template, which
// carries no mark) at path unless the name ends in .xlsx and nothing is
// there: the file there may be a plan a municipality filled in.
func (e *Env) CheckNewWorkbook(path string) error {
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return fmt.Errorf("%s", e.L(
			fmt.Sprintf("%s: planen er en Excel-projektmappe: giv den et navn, der ender på .xlsx, eller angiv en mappe", path),
			fmt.Sprintf("%s: the plan is an Excel workbook: give it a name ending in .xlsx, or name a folder", path)))
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s", e.L(
			fmt.Sprintf("%s findes allerede: en skabelon overskriver aldrig en fil (den kan være en udfyldt plan); intet er skrevet; flyt eller slet den først, eller vælg et andet navn", path),
			fmt.Sprintf("%s already exists: a template never overwrites a file (it may be a filled-in plan); nothing was written; move or delete it first, or choose another name", path)))
	}
	return nil
}
