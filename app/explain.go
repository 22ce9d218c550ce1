package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/udrul/udrul/store"
)

// schemaChanged reports whether err is SQLite finding a table or a column
// udrul's schema has missing (a table renamed or dropped, a column renamed
// or dropped by hand: ALTER TABLE), and says which in the language; the
// name is quoted (it comes from the database).
func schemaChanged(err error, english bool) (string, bool) {
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrError {
		return "", false
	}
	msg := se.Error()
	for _, m := range []struct{ prefix, da, en string }{
		{"no such column: ", "kolonnen %q findes ikke", "the column %q does not exist"},
		{"no such table: ", "tabellen %q findes ikke", "the table %q does not exist"},
	} {
		if name, ok := strings.CutPrefix(msg, m.prefix); ok {
			// "p.wave": the table's alias is the query's, not the user's.
			if _, col, ok := strings.Cut(name, "."); ok && m.prefix == "no such column: " {
				name = col
			}
			if english {
				return fmt.Sprintf(m.en, name), true
			}
			return fmt.Sprintf(m.da, name), true
		}
	}
	// "table tasks has no column named x": an INSERT into a changed table.
	if table, col, ok := strings.Cut(strings.TrimPrefix(msg, "table "), " has no column named "); ok && strings.HasPrefix(msg, "table ") {
		if english {
			return fmt.Sprintf("the table %q has no column %q", table, col), true
		}
		return fmt.Sprintf("tabellen %q har ingen kolonne %q", table, col), true
	}
	return "", false
}

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
	if what, ok := schemaChanged(err, english); ok {
		return &plainError{msg: fmt.Sprintf(l("databasen er ikke, som udrul lavede den (%s): et andet program eller en hånd har ændret dens tabeller, og udrul læser den ikke; læg en sikkerhedskopi tilbage med 'udrul restore' (se 'udrul restore --help'), eller ret database i konfigurationen",
			"the database is not as udrul made it (%s): another program or a hand has changed its tables, and udrul does not read it; put a backup back with 'udrul restore' (see 'udrul restore --help'), or correct database in the configuration"), what), cause: err}
	}
	return PlainFileError(err, english)
}
