// Package wavetable reads the wave table — which municipality goes live in
// which wave of which solution, and each wave's milestone dates — from a
// spreadsheet the programme office keeps, through the same grid readers as
// the plans.
package wavetable

import (
	"errors"
	"fmt"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// Wave is a wave's dates.
type Wave struct {
	GoLive     model.Date
	Milestones map[string]model.Date
}

// Solution is one solution's waves and municipalities.
type Solution struct {
	Waves          map[string]*Wave
	Municipalities map[string]string // municipality → wave
}

// Table is the wave table, by solution.
type Table map[string]*Solution

// ErrNoTable is returned when no sheet has the columns of a wave table.
var ErrNoTable = errors.New("no wave table found: want a header row with Løsning (Solution), Bølge (Wave) and Kommune (Municipality) or Idriftsættelse (Go-live)")

var names = map[string][]string{
	"solution":     {"løsning", "solution", "system", "itløsning"},
	"wave":         {"bølge", "wave", "bølgenr", "udrulningsbølge"},
	"municipality": {"kommune", "municipality", "kommunenavn"},
	"golive":       {"idriftsættelse", "golive", "idriftsat", "idriftsættelsesdato", "gålive"},
}

func key(s string) string { return parse.Compact(s) }

func role(s string) string {
	k := key(s)
	for r, list := range names {
		for _, n := range list {
			if k == n {
				return r
			}
		}
	}
	return ""
}

var planCols, _ = parse.NewColumns(nil)

// Read reads a wave table file. Problems in rows are returned as issues
// with their cells; the rest is read. Messages are in Danish; ReadIn
// chooses.
func Read(path string) (Table, []model.Issue, error) { return ReadIn(path, false) }

// ReadIn is Read with messages in English when english is set, else Danish.
func ReadIn(path string, english bool) (Table, []model.Issue, error) {
	l := func(da, en string) string {
		if english {
			return en
		}
		return da
	}
	g, err := grid.ReadFile(path, grid.Options{Lang: l("da", "en")})
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", l("bølgetabellen", "wave table"), path, grid.Localize(err, l("da", "en")))
	}
	t := Table{}
	var issues []model.Issue
	found := false
	for _, sh := range g.Sheets {
		if sh.Hidden {
			continue
		}
		cols := map[string]int{}
		dateCols := map[int]string{} // other columns: milestones
		header := 0
		for r, row := range sh.Rows {
			if header == 0 {
				for c, cell := range row {
					if rl := role(cell.Text); rl != "" {
						cols[rl] = c + 1
					}
				}
				if cols["solution"] != 0 && cols["wave"] != 0 && (cols["municipality"] != 0 || cols["golive"] != 0) {
					header = r + 1
					found = true
					// Other columns are milestones, except remarks.
					for c, cell := range row {
						if role(cell.Text) == "" && strings.TrimSpace(cell.Text) != "" && planCols.Role(cell.Text) != parse.RoleNotes {
							dateCols[c+1] = parse.CollapseSpace(cell.Text)
						}
					}
				} else {
					cols = map[string]int{}
				}
				continue
			}
			get := func(role string) string {
				if cols[role] == 0 {
					return ""
				}
				return parse.CollapseSpace(sh.Cell(r+1, cols[role]).Text)
			}
			sol, wave := get("solution"), get("wave")
			if sol == "" && wave == "" && get("municipality") == "" {
				continue
			}
			if sol == "" || wave == "" {
				issues = append(issues, model.Issue{Pos: model.Pos{Sheet: sh.Name, Row: r + 1, Cell: grid.Ref(r+1, 1)}, Severity: model.SevError,
					Code: "wave_row", Message: l("rækken skal have en løsning og en bølge", "the row needs a solution and a wave")})
				continue
			}
			s := t[sol]
			if s == nil {
				s = &Solution{Waves: map[string]*Wave{}, Municipalities: map[string]string{}}
				t[sol] = s
			}
			w := s.Waves[wave]
			if w == nil {
				w = &Wave{Milestones: map[string]model.Date{}}
				s.Waves[wave] = w
			}
			if m := get("municipality"); m != "" {
				s.Municipalities[m] = wave
			}
			readDate := func(col int, name string) (model.Date, bool) {
				c := sh.Cell(r+1, col)
				if c.IsEmpty() {
					return model.Date{}, false
				}
				d, ok := parse.CellDate(parse.Serial1900(c, g.Date1904))
				if !ok {
					issues = append(issues, model.Issue{Pos: model.Pos{Sheet: sh.Name, Row: r + 1, Cell: grid.Ref(r+1, col)}, Severity: model.SevError,
						Code: "bad_date", Message: fmt.Sprintf(l("%s: %q er ikke en dato", "%s %q is not a date"), name, c.Text)})
				}
				return d, ok
			}
			if cols["golive"] != 0 {
				if d, ok := readDate(cols["golive"], l("idriftsættelse", "go-live")); ok {
					if !w.GoLive.IsZero() && w.GoLive != d {
						issues = append(issues, model.Issue{Pos: model.Pos{Sheet: sh.Name, Row: r + 1, Cell: grid.Ref(r+1, cols["golive"])}, Severity: model.SevError,
							Code: "wave_conflict", Message: fmt.Sprintf(l("bølge %s for %s går i drift %s her, men %s længere oppe", "wave %s of %s goes live %s here and %s above"), wave, sol, d, w.GoLive)})
					} else {
						w.GoLive = d
					}
				}
			}
			for col, name := range dateCols {
				if d, ok := readDate(col, name); ok {
					w.Milestones[name] = d
				}
			}
		}
	}
	if !found {
		return nil, nil, fmt.Errorf("%s %s: %w", l("bølgetabellen", "wave table"), path, &noTable{english})
	}
	return t, issues, nil
}

// noTable is ErrNoTable in a language.
type noTable struct{ english bool }

func (e *noTable) Error() string {
	if e.english {
		return ErrNoTable.Error()
	}
	return "der er ingen bølgetabel: der skal være en overskriftsrække med Løsning, Bølge og Kommune eller Idriftsættelse"
}
func (e *noTable) Unwrap() error { return ErrNoTable }
