package app

// L returns da or en by the configured language: the one switch for the
// sentences udrul's commands print.
func (e *Env) L(da, en string) string {
	if e.English() {
		return en
	}
	return da
}
