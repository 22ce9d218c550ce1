//go:build !cgo

package store

// udrul's store is SQLite through mattn/go-sqlite3, which is C code: it
// needs cgo and a C compiler. Without them the build stops here, with this
// line, instead of the driver's stub failing at run time.
var _ int = "udrul needs cgo for SQLite: install a C compiler (apt-get install gcc) and build with CGO_ENABLED=1"
