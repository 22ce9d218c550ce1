package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/udrul/udrul/internal/safeout"
)

// tableRow writes one row of a tab-separated table (for a tabwriter), each
// cell with the characters a terminal would act on replaced: text from the
// sheets cannot move the cursor, forge lines or break the columns.
func tableRow(w io.Writer, cells ...any) {
	parts := make([]string, len(cells))
	for i, c := range cells {
		parts[i] = safeout.Terminal(fmt.Sprint(c))
	}
	io.WriteString(w, strings.Join(parts, "\t")+"\n")
}
