package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/udrul/udrul/store"
)

// Explain says the store's and the file system's errors in plain words in
// a language: a busy database, one written by a newer udrul, a plan key
// that names no plan, a file or folder that cannot be written. Any other
// error is returned as it is; errors.Is still finds the reason.
func Explain(err error, english bool) error {
	if err == nil {
		return nil
	}
	l := func(da, en string) string {
		if english {
			return en
		}
		return da
	}
	var pnf *store.PlanNotFoundError
	var nu *store.NotUdrulError
	switch {
	case errors.As(err, &nu):
		return &plainError{msg: fmt.Sprintf(l("databasen er ikke udruls: den har en anden programs tabeller (%s), og udrul skriver ikke i den: ret database i konfigurationen",
			"the database is not udrul's: it holds another application's tables (%s), and udrul does not write in it: correct database in the configuration"), strings.Join(nu.Tables, ", ")), cause: err}
	case errors.As(err, &pnf):
		return &plainError{msg: fmt.Sprintf(l("der er ingen plan %q (planer hedder Kommune/Løsning, som 'udrul plans' viser dem)",
			"plan %q: not found (plans are named Municipality/Solution, as 'udrul plans' lists them)"), pnf.Key), cause: err}
	case errors.Is(err, store.ErrBusy):
		return &plainError{msg: l("databasen er optaget (en anden udrul synkroniserer): prøv igen om lidt",
			"the database is busy (another udrul is syncing): try again in a moment"), cause: err}
	case errors.Is(err, store.ErrNewerSchema):
		return &plainError{msg: l("databasen er skrevet af en nyere udgave af udrul: opgradér udrul",
			"the database was written by a newer version of udrul: upgrade udrul"), cause: err}
	}
	return PlainFileError(err, english)
}
