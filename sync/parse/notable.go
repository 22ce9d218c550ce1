package parse

import (
	"fmt"
	"strings"
)

// noTableError is ErrNoTable in the parser's language, saying what was
// looked for and what to do.
type noTableError struct{ lang Lang }

func (e noTableError) Error() string {
	if e.lang == English {
		return fmt.Sprintf("%v: looked for %s", ErrNoTable, LookedFor())
	}
	return fmt.Sprintf("ingen opgavetabel fundet: der ledes efter en overskriftsrække (eller en Gantt-tidslinjes, efterfulgt af uge-, dato- eller månedskolonner) "+
		"med en opgavekolonne (%s) og mindst to af: ansvarlig (%s), udfører (%s), start (%s), slut (%s), status (%s). Ret kolonneoverskrifterne, "+
		"eller tilføj jeres egne navne under columns i konfigurationen",
		strings.Join(builtinAliases[RoleTitle][:4], ", "), strings.Join(builtinAliases[RoleResponsible][:2], ", "),
		strings.Join(builtinAliases[RolePerformer][:2], ", "), strings.Join(builtinAliases[RoleStart][:3], ", "),
		strings.Join(builtinAliases[RoleEnd][:4], ", "), strings.Join(builtinAliases[RoleStatus][:2], ", "))
}

func (e noTableError) Is(target error) bool { return target == ErrNoTable }
