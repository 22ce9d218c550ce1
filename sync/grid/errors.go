package grid

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
)

// Errors a reader returns, inside an *Error that says what is wrong and what
// to do; callers test them with errors.Is.
var (
	ErrEmpty          = errors.New("the file is empty")
	ErrCorrupt        = errors.New("the file is damaged or truncated")
	ErrNotSpreadsheet = errors.New("the file is not a spreadsheet")
	// ErrWrongType is a file whose content is another spreadsheet format
	// than its extension says: CSV text named .xlsx.
	ErrWrongType    = errors.New("the file is not what its extension says")
	ErrEncrypted    = errors.New("the workbook is protected by a password")
	ErrLegacyFormat = errors.New("the file is in the old Excel 97-2003 (.xls) format")
	ErrTooLarge     = errors.New("the file is too large")
	ErrUnsupported  = errors.New("the file type is not supported")
	ErrNotFound     = errors.New("the file does not exist")
	ErrNotRegular   = errors.New("it is not a regular file")
	ErrUnreadable   = errors.New("the file cannot be opened")
	// ErrRowOrder is a sheet whose rows are not in ascending order in the
	// file: a Book cannot hand them out row by row; ReadBytes reads it.
	ErrRowOrder = errors.New("the sheet's rows are not in order")
	// ErrMergedHidden is a sheet with a value inside a merged range other
	// than in its top-left cell, which Excel does not show: a Book has
	// handed it out before the ranges (stored after the rows) were known;
	// ReadBytes reads the sheet without it.
	ErrMergedHidden = errors.New("a merged range hides a value")
)

// kindText is each error's headline in Danish and English.
var kindText = map[error][2]string{
	ErrEmpty:          {"filen er tom", "the file is empty"},
	ErrCorrupt:        {"filen er beskadiget eller afkortet", "the file is damaged or truncated"},
	ErrNotSpreadsheet: {"filen er ikke et regneark", "the file is not a spreadsheet"},
	ErrWrongType:      {"filen er ikke, hvad filtypen siger", "the file is not what its extension says"},
	ErrEncrypted:      {"projektmappen er beskyttet med en adgangskode", "the workbook is protected by a password"},
	ErrLegacyFormat:   {"filen er i det gamle Excel 97-2003-format (.xls)", "the file is in the old Excel 97-2003 (.xls) format"},
	ErrTooLarge:       {"filen er for stor", "the file is too large"},
	ErrUnsupported:    {"filtypen kan ikke læses", "the file type is not supported"},
	ErrNotFound:       {"filen findes ikke", "the file does not exist"},
	ErrNotRegular:     {"det er ikke en almindelig fil", "it is not a regular file"},
	ErrUnreadable:     {"filen kan ikke åbnes", "the file cannot be opened"},
	ErrRowOrder:       {"arkets rækker står ikke i rækkefølge", "the sheet's rows are not in order"},
	ErrMergedHidden:   {"et flettet område skjuler en værdi", "a merged range hides a value"},
}

// Languages of messages: Danish (the default) and English.
const (
	Danish  = "da"
	English = "en"
)

func langIdx(lang string) int {
	if lang == English {
		return 1
	}
	return 0
}

// Error is a file that cannot be read: the reason (one of the Err values),
// where (sheet, cell) when known, and a sentence in Danish and English that
// says what is wrong and what to do. The library's own error, if any, is
// kept for errors.Is and logs but never shown.
type Error struct {
	Kind  error
	Sheet string
	Cell  string
	// Lang is the language Error() speaks; Message gives either.
	Lang   string
	detail [2]string
	cause  error
}

func (e *Error) Error() string { return e.Message(e.Lang) }

// Message is the error in a language ("da" or "en").
func (e *Error) Message(lang string) string {
	i := langIdx(lang)
	var b strings.Builder
	b.WriteString(kindText[e.Kind][i])
	if e.Sheet != "" || e.Cell != "" {
		where := [2]string{"ark", "sheet"}[i] + fmt.Sprintf(" %q", e.Sheet)
		if e.Cell != "" {
			where += ", " + [2]string{"celle", "cell"}[i] + " " + e.Cell
		}
		b.WriteString(" (" + where + ")")
	}
	if d := e.detail[i]; d != "" {
		b.WriteString(": " + d)
	}
	return b.String()
}

// Unwrap gives the reason and the library's error.
func (e *Error) Unwrap() []error {
	if e.cause != nil {
		return []error{e.Kind, e.cause}
	}
	return []error{e.Kind}
}

// fail returns an *Error of kind with a detail in Danish and English; args
// fill both (use %[1]v to reorder).
func fail(kind error, da, en string, args ...any) *Error {
	e := &Error{Kind: kind}
	if da != "" {
		e.detail[0] = fmt.Sprintf(da, args...)
	}
	if en != "" {
		e.detail[1] = fmt.Sprintf(en, args...)
	}
	return e
}

func (e *Error) because(err error) *Error { e.cause = err; return e }

func (e *Error) in(sheet, cell string) *Error { e.Sheet, e.Cell = sheet, cell; return e }

// Resave is what to do about a damaged workbook.
var resave = [2]string{"Åbn den i Excel eller LibreOffice, gem den igen som .xlsx, og prøv igen.", "Open it in Excel or LibreOffice, save it again as .xlsx, and try again."}

// damaged is the error for a workbook part that cannot be read, with what
// was found and what to do; the library's error is kept but not shown.
func damaged(sheet, whatDa, whatEn string, cause error) *Error {
	return &Error{Kind: ErrCorrupt, Sheet: sheet, cause: cause, detail: [2]string{whatDa + " " + resave[0], whatEn + " " + resave[1]}}
}

// Message returns err for a person in lang ("da" or "en"): a reader's
// *Error in that language, a missing or forbidden file in plain words, and
// anything else (a parser's error) as it is.
func Message(err error, lang string) string {
	if err == nil {
		return ""
	}
	var e *Error
	switch {
	case errors.As(err, &e):
		return e.Message(lang)
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission):
		return osError(err).Message(lang)
	}
	return err.Error()
}

// osError turns an error from opening or reading a file into an *Error.
func osError(err error) *Error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, fs.ErrNotExist):
		return fail(ErrNotFound, "kontrollér stien", "check the path").because(err)
	case errors.Is(err, fs.ErrPermission):
		return fail(ErrUnreadable, "udrul har ikke lov til at læse den; giv brugeren, udrul kører som, læseadgang", "udrul is not allowed to read it; give the user udrul runs as read access").because(err)
	case errors.Is(err, syscall.ELOOP):
		return fail(ErrUnreadable, "den er en symbolsk henvisning, der peger i ring; ret eller fjern henvisningen", "it is a symbolic link that points in a circle; correct or remove the link").because(err)
	case errors.Is(err, syscall.EIO), errors.Is(err, syscall.ESTALE), errors.Is(err, syscall.ENOTCONN), errors.Is(err, syscall.EHOSTDOWN):
		return fail(ErrUnreadable, "drevet svarer ikke (en læsefejl); er netværksdrevet stadig monteret? Prøv igen, når det er", "the drive does not answer (a read error); is the network share still mounted? Try again when it is").because(err)
	}
	// Another refusal of the operating system: its own words, said as such.
	return fail(ErrUnreadable, "styresystemet afviste den: %v", "the operating system refused it: %v", plainOSError(err)).because(err)
}

// plainOSError is the operating system's reason without Go's "open PATH:"
// prefix (the path is said beside the message already).
func plainOSError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Localize returns err as an *Error speaking lang ("da" or "en"): a
// reader's error in that language, a missing or forbidden file in plain
// words. errors.Is still finds the reason and the original error.
func Localize(err error, lang string) error {
	if err == nil {
		return nil
	}
	return localize(osError(err), lang)
}

// TooLarge is the error for a file of size bytes over the limit max.
func TooLarge(size, max int64) error { return tooLarge(size, max) }

// localize sets the language of err's text when it is an *Error.
func localize(err error, lang string) error {
	var e *Error
	if errors.As(err, &e) {
		e.Lang = lang
	}
	return err
}

// Warning is something a reader read past but a person should know: bytes
// that are not text, a cell beyond the limits. Row and Col are 1-based, 0
// when the warning concerns the whole sheet or file.
type Warning struct {
	Sheet    string
	Row, Col int
	// Code is stable: CodeInvalidText, CodeBeyondLimits, CodeMixedEncoding.
	Code string
	text [2]string
}

// Warning codes.
const (
	CodeInvalidText   = "invalid_text"
	CodeBeyondLimits  = "beyond_limits"
	CodeMixedEncoding = "mixed_encoding"
)

// Message is the warning in a language ("da" or "en").
func (w Warning) Message(lang string) string { return w.text[langIdx(lang)] }

// Cell is the warning's A1 reference, or "" for a whole sheet.
func (w Warning) Cell() string {
	if w.Row == 0 || w.Col == 0 {
		return ""
	}
	return Ref(w.Row, w.Col)
}

func warn(sheet string, row, col int, code, da, en string, args ...any) Warning {
	return Warning{Sheet: sheet, Row: row, Col: col, Code: code, text: [2]string{fmt.Sprintf(da, args...), fmt.Sprintf(en, args...)}}
}
