package app

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
)

// plainError is an error said in plain words in the configured language;
// the error behind it stays reachable for errors.Is/As and logs.
type plainError struct {
	msg   string
	cause error
	at    string // the path the error names
	why   string // what is wrong and what to do
}

func (e *plainError) Error() string { return e.msg }
func (e *plainError) Unwrap() error { return e.cause }

// Plain says a file-system error in plain words in the configured language:
// what could not be done to which file or folder, and what to do. Any
// other error is returned as it is.
func (e *Env) Plain(err error) error { return PlainFileError(err, e.English()) }

// PlainAt is Plain for writing path: the error of a temporary file beside
// it, or of a write inside it (a folder), names path instead.
func (e *Env) PlainAt(err error, path string) error { return PlainAt(err, path, e.English()) }

// PlainAt is Env.PlainAt for a language.
func PlainAt(err error, path string, english bool) error {
	pl := PlainFileError(err, english)
	var p *plainError
	if !errors.As(pl, &p) || p.at == "" {
		return pl
	}
	what := "kan ikke skrive "
	if english {
		what = "cannot write "
	}
	return &plainError{msg: what + path + ": " + p.why, cause: err}
}

// PlainFileError is Env.Plain for a language: a file or folder that does
// not exist, cannot be written for lack of permission, on a full or
// read-only disk. Other errors are returned as they are.
func PlainFileError(err error, english bool) error {
	var pe *fs.PathError
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	var pl *plainError
	if errors.As(err, &pl) || !strings.Contains(err.Error(), pe.Error()) {
		return err // already said in words
	}
	l := func(da, en string) string {
		if english {
			return en
		}
		return da
	}
	var why string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		why = l("mappen eller filen findes ikke: opret mappen, eller ret stien", "the folder or file does not exist: create the folder, or correct the path")
	case errors.Is(err, fs.ErrPermission):
		why = l("udrul har ikke lov til det: giv brugeren, udrul kører som, adgang", "udrul is not allowed to: give the user udrul runs as access")
	case errors.Is(err, syscall.ENOSPC):
		why = l("disken er fuld: gør plads, og prøv igen", "the disk is full: make room and try again")
	case errors.Is(err, syscall.EFBIG), errors.Is(err, syscall.EDQUOT):
		why = l("filen bliver større, end systemet tillader (en grænse for filstørrelse eller en kvote): hæv grænsen, eller vælg en anden disk",
			"the file would be larger than the system allows (a file size limit or a quota): raise the limit, or choose another disk")
	case errors.Is(err, syscall.EROFS):
		why = l("disken er skrivebeskyttet: vælg en anden mappe", "the disk is read-only: choose another folder")
	case errors.Is(err, syscall.ENOTDIR):
		why = l("en del af stien er en fil, ikke en mappe: ret stien", "a part of the path is a file, not a folder: correct the path")
	default:
		return err
	}
	what := l("kan ikke skrive ", "cannot write ")
	switch pe.Op {
	case "open", "stat", "lstat", "read", "readdir":
		what = l("kan ikke åbne ", "cannot open ")
	case "mkdir":
		what = l("kan ikke oprette mappen ", "cannot create the folder ")
	}
	msg := what + pe.Path + ": " + why
	// Keep what the error said before the library's text ("backup.dir: ").
	if full, raw := err.Error(), pe.Error(); full != raw && strings.HasSuffix(full, raw) {
		msg = strings.TrimSuffix(full, raw) + msg
	}
	return &plainError{msg: msg, cause: err, at: pe.Path, why: why}
}
