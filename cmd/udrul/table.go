package main

import (
	"fmt"
	"io"

	"github.com/udrul/udrul/internal/safeout"
)

// tableRow writes one row of a tab-separated table (for a tabwriter), each
// cell with the characters a terminal would act on replaced: text from the
// sheets cannot move the cursor, forge lines or break the columns.
func tableRow(w io.Writer, cells ...any) {
	n := len(cells)
	for _, c := range cells {
		if s, ok := c.(string); ok {
			n += len(s)
		}
	}
	b := make([]byte, 0, n+16)
	for i, c := range cells {
		if i > 0 {
			b = append(b, '\t')
		}
		s, ok := c.(string) // most cells: written without fmt (72,000 rows of findings)
		if !ok {
			s = fmt.Sprint(c)
		}
		b = append(b, safeout.Terminal(s)...)
	}
	w.Write(append(b, '\n'))
}
