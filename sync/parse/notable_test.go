package parse

import (
	"errors"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
)

// TestParse_noTableInLanguage: a sheet without a task table is refused in
// the parser's language, and errors.Is still finds ErrNoTable.
func TestParse_noTableInLanguage(t *testing.T) {
	g := &grid.Grid{File: "x.xlsx", Sheets: []grid.Sheet{{Name: "Ark1", Rows: [][]grid.Cell{{{Kind: grid.Text, Text: "Referat af mødet"}}}}}}
	for _, tt := range []struct {
		lang Lang
		want string
	}{{Danish, "ingen opgavetabel fundet"}, {English, "no task table found"}} {
		_, err := New(Options{Lang: tt.lang}).Parse(g)
		if !errors.Is(err, ErrNoTable) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v", tt.lang, err)
		}
	}
}
