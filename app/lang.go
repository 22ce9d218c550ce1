package app

import "github.com/udrul/udrul/internal/lang"

// L returns da or en by the configured language: the one switch for the
// sentences udrul's commands print.
func (e *Env) L(da, en string) string { return lang.Pick(e.English(), da, en) }
