package parse

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Role is what a column of a task table holds.
type Role int

// The roles a column can have. RoleNone is an extra column, ignored.
const (
	RoleNone Role = iota
	RoleID
	RoleTitle
	RoleResponsible
	RolePerformer
	RoleStart
	RoleEnd
	RoleStatus
	RoleStep
	RoleNotes
	RoleDone   // a yes/no column ("Færdig?", "Udført?"): Ja means done
	RoleHealth // the owner's traffic light ("Trafiklys", "RAG")
	RoleAfter  // the tasks a task follows ("Forudgående", "Predecessors")
	numRoles
)

var roleNames = [numRoles]string{"", "id", "title", "responsible", "performer", "start", "end", "status", "step", "notes", "done", "health", "after"}

// String returns the role's configuration name ("title", "start", ...).
func (r Role) String() string {
	if r < 0 || r >= numRoles {
		return fmt.Sprintf("Role(%d)", int(r))
	}
	return roleNames[r]
}

// ParseRole returns the role named by its configuration name.
func ParseRole(name string) (Role, error) {
	for r := RoleID; r < numRoles; r++ {
		if roleNames[r] == name {
			return r, nil
		}
	}
	return RoleNone, fmt.Errorf("unknown column %q (want one of %s)", name, strings.Join(roleNames[1:], ", "))
}

// builtinAliases are the column names seen in real plans, in Danish and
// English. They are compared after headerKey, so case, spacing, hyphens and
// trailing punctuation do not matter.
var builtinAliases = map[Role][]string{
	RoleID:          {"ID", "Nr.", "Nr", "Nummer", "Task ID", "Opgave ID", "Opgavenr", "Opgave nr", "Løbenr", "No", "No.", "Ref"},
	RoleTitle:       {"Opgave", "Opgaver", "Opgavebeskrivelse", "Opgavenavn", "Opgavetitel", "Aktivitet", "Aktiviteter", "Aktivitetsbeskrivelse", "Task", "Tasks", "Task name", "Activity", "Title", "Beskrivelse af opgave"},
	RoleResponsible: {"Ansvarlig", "Ansv.", "Ansvar", "Ansvarlig part", "Ansvarshavende", "Owner", "Responsible", "Accountable"},
	RolePerformer:   {"Udfører", "Udføres af", "Udført af", "Udførende", "Udfører/leverandør", "Performed by", "Performer", "Done by", "Assignee", "Executed by", "Assigned To", "Resource Names"},
	RoleStart:       {"Startdato", "Start dato", "Start", "Fra", "Fra dato", "Start date", "Begin", "Begins", "Planlagt start", "Opstart"},
	RoleEnd:         {"Slutdato", "Slut dato", "Slut", "Deadline", "Frist", "Til", "Til dato", "Due date", "Due", "End", "End date", "Finish", "Planlagt slut", "Færdigdato"},
	RoleStatus:      {"Status", "Fremdrift", "Progress", "State", "Opgavestatus", "Task Status", "% Complete", "Percent Complete", "Procent færdig"},
	RoleStep:        {"Trin", "Fase", "Phase", "Step", "Etape", "Bucket Name", "Bucket"},
	RoleNotes:       {"Bemærkninger", "Bemærkning", "Kommentar", "Kommentarer", "Note", "Noter", "Notes", "Remarks", "Comments"},
	RoleDone:        {"Færdig?", "Udført?", "Afsluttet?", "Leveret?", "Done?", "Completed?"},
	RoleHealth:      {"Trafiklys", "Vurdering", "RAG", "RAG status", "Sundhed", "Health", "Traffic light"},
	RoleAfter:       {"Forudgående", "Forudgående opgaver", "Forudgående opgave", "Afhænger af", "Afhængighed", "Afhængigheder", "Forgænger", "Forgængere", "Predecessors", "Predecessor", "Depends on", "Dependencies"},
}

// doneKeys are the header keys of RoleDone; they count as such only when
// the header text asks a question ("Færdig?"): "Færdig" alone is not a
// column name.
var doneKeys = map[string]bool{}

func init() {
	for _, n := range builtinAliases[RoleDone] {
		doneKeys[headerKey(n)] = true
	}
}

// headerKey reduces a header cell to the letters and digits that matter:
// lower case, with anything in parentheses, white space (also no-break
// spaces and line breaks), hyphens and punctuation removed. "Slut-\ndato",
// "Start\u00a0dato" and "Ansv." become "slutdato", "startdato" and "ansv".
func headerKey(s string) string {
	var buf [64]byte
	return string(appendHeaderKey(buf[:0], s))
}

func appendHeaderKey(b []byte, s string) []byte {
	depth := 0
	for _, r := range s {
		switch {
		case r == '(' || r == '[':
			depth++
		case r == ')' || r == ']':
			if depth > 0 {
				depth--
			}
		case depth > 0:
		case r < utf8.RuneSelf:
			switch {
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
				b = append(b, byte(r))
			case 'A' <= r && r <= 'Z':
				b = append(b, byte(r+'a'-'A'))
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
	}
	return b
}

// Columns recognises header cells. Aliases added by configuration come on
// top of the built-in ones.
type Columns struct {
	byKey map[string]Role
}

// NewColumns returns a recogniser with the built-in aliases and extra ones
// (role → column names). An extra alias that is already another role's is an
// error.
func NewColumns(extra map[Role][]string) (*Columns, error) {
	c := &Columns{byKey: map[string]Role{}}
	for r, names := range builtinAliases {
		for _, n := range names {
			c.byKey[headerKey(n)] = r
		}
	}
	roles := make([]Role, 0, len(extra))
	for r := range extra {
		roles = append(roles, r)
	}
	sort.Slice(roles, func(i, j int) bool { return roles[i] < roles[j] })
	for _, r := range roles {
		for _, n := range extra[r] {
			k := headerKey(n)
			if k == "" {
				return nil, fmt.Errorf("column alias %q for %s has no letters or digits", n, r)
			}
			if old, ok := c.byKey[k]; ok && old != r {
				return nil, fmt.Errorf("column alias %q for %s is already a name of %s", n, r, old)
			}
			c.byKey[k] = r
		}
	}
	return c, nil
}

// Role returns the role of a header cell's text.
func (c *Columns) Role(text string) Role {
	if len(text) > 60 {
		return RoleNone
	}
	var buf [64]byte
	key := appendHeaderKey(buf[:0], text)
	if len(key) == 0 && strings.TrimSpace(text) == "#" {
		return RoleID // Planner's and MS Project's exports number tasks under "#"
	}
	role := c.byKey[string(key)]
	if role == RoleDone && doneKeys[string(key)] && !strings.Contains(text, "?") {
		return RoleNone // "Færdig" alone is not a yes/no column; "Færdig?" is
	}
	return role
}

// LookedFor lists, for error messages, the names a header row is recognised
// by.
func LookedFor() string {
	return fmt.Sprintf("a header row (or a Gantt timeline's, followed by week, date or month columns) with a task column (%s) and at least two of: responsible (%s), performer (%s), start (%s), end (%s), status (%s)",
		strings.Join(builtinAliases[RoleTitle][:4], ", "),
		strings.Join(builtinAliases[RoleResponsible][:2], ", "),
		strings.Join(builtinAliases[RolePerformer][:2], ", "),
		strings.Join(builtinAliases[RoleStart][:3], ", "),
		strings.Join(builtinAliases[RoleEnd][:4], ", "),
		strings.Join(builtinAliases[RoleStatus][:2], ", "))
}
