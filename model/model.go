// Package model holds the types that every stage of udrul shares: a plan's
// metadata, its canonical tasks, calendar dates and the problems found in a
// sheet, each with the place (file, sheet, cell) it was found. It depends on
// nothing but the standard library.
package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Status is the canonical state of a task.
type Status string

// The canonical statuses. Unknown means the sheet said something that could
// not be mapped; the raw text is kept beside it.
const (
	NotStarted Status = "not_started"
	InProgress Status = "in_progress"
	Done       Status = "done"
	Cancelled  Status = "cancelled"
	// OnHold is postponed, on hold or waiting ("Udskudt", "På hold",
	// "Afventer"): not done, and overdue like any task not done.
	OnHold  Status = "on_hold"
	Unknown Status = "unknown"
)

// Valid reports whether s is one of the canonical statuses.
func (s Status) Valid() bool {
	switch s {
	case NotStarted, InProgress, Done, Cancelled, OnHold, Unknown:
		return true
	}
	return false
}

// ParseStatus returns the canonical status named by its canonical spelling.
func ParseStatus(s string) (Status, error) {
	st := Status(strings.TrimSpace(s))
	if !st.Valid() {
		return "", fmt.Errorf("unknown status %q (want not_started, in_progress, done, cancelled, on_hold or unknown)", s)
	}
	return st, nil
}

// The parties that occur in every plan, in their canonical spelling.
const (
	PartyMunicipality = "Kommune"
	PartySupplier     = "Leverandør"
	PartyKOMBIT       = "KOMBIT"
)

// Pos is where a value was read: a sheet and a row (1-based); Cell is the A1
// reference of the cell within the sheet, or empty for a whole row or sheet.
type Pos struct {
	Sheet string
	Row   int
	Cell  string
}

// Task is one task of a plan in canonical form.
type Task struct {
	Pos         Pos
	Step        string // the step label as written, e.g. "Trin 0a"
	ID          string // the plan's own task ID, often empty
	Title       string
	Responsible string
	Performer   string
	Start       Date
	End         Date
	// StartAs and EndAs say how the dates were written when they were not
	// exact days ("uge 34", "ultimo oktober"); zero for an exact date.
	StartAs   Written
	EndAs     Written
	Status    Status
	RawStatus string // the status text as written in the sheet
	// Health is the owner's own traffic light (HealthGreen, HealthAmber,
	// HealthRed), or "" when the sheet gives none.
	Health string
	Notes  string // remarks ("Bemærkninger"), if the sheet has them
	// After holds the tasks this one follows, from the plan's own
	// dependency column ("Forudgående", "Predecessors"), in the order
	// written: the plan's task ID as written ("12", "A3"), or, in a plan
	// without an ID column, the sheet row of the task as RowRef(n) ("row:12").
	// A link type or lag written with it ("12FS+2d") is not kept. Nil when
	// the plan has no such column or the cell is empty.
	After []string
}

// rowRefPrefix starts a dependency on a sheet row rather than a task ID.
const rowRefPrefix = "row:"

// RowRef is the dependency reference to the task on sheet row n of the same
// sheet: "row:12".
func RowRef(n int) string { return rowRefPrefix + strconv.Itoa(n) }

// ParseRowRef returns the sheet row of a reference made by RowRef, or false
// when ref names a task ID.
func ParseRowRef(ref string) (int, bool) {
	s, ok := strings.CutPrefix(ref, rowRefPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// JoinAfter writes dependency references as one text ("3, row:7"), the
// form they are stored and shown in; SplitAfter reads it back. References
// never hold commas or spaces.
func JoinAfter(refs []string) string { return strings.Join(refs, ", ") }

// SplitAfter reads the text JoinAfter wrote; "" is nil.
func SplitAfter(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// The owner's traffic lights, as a task's or plan's Health.
const (
	HealthGreen = "green"
	HealthAmber = "amber"
	HealthRed   = "red"
)

// Precision is how precisely a date was written.
type Precision string

// The precisions of a written date. Exact (the empty string) is a day.
const (
	Exact   Precision = ""
	Week    Precision = "week"    // "uge 34", "34/2026", "2026-W34"
	Part    Precision = "part"    // "primo oktober" (days 1–10), "medio" (11–20), "ultimo" (21–end)
	Month   Precision = "month"   // "oktober 2026"
	Quarter Precision = "quarter" // "Q3 2026", "3. kvartal 2026"
)

// Written is a date as the sheet wrote it, when it was not an exact day:
// its text and its precision. The zero Written means an exact date.
type Written struct {
	Text      string
	Precision Precision
	// YearAssumed is true when the text had no year and one was inferred.
	YearAssumed bool
}

// IsZero reports whether w says nothing (an exact date).
func (w Written) IsZero() bool { return w == Written{} }

// AsWritten shows d with the text it was written as, when that was not an
// exact day: `2026-10-31 ("ultimo oktober")`; otherwise d alone.
func AsWritten(d Date, w Written) string {
	if w.Text == "" || d.IsZero() {
		return d.String()
	}
	return fmt.Sprintf("%s (%q)", d, w.Text)
}

// Metadata is what a plan says about itself in key/value lines above its
// tables ("Kommune: Aarhus", "Bølge: 2").
type Metadata struct {
	Municipality string
	Solution     string
	Wave         string
	// Health is the owner's traffic light for the whole plan, from a
	// key/value line ("Trafiklys: Grøn"), or "".
	Health string
	// Extra holds every other key/value line, keyed by the key as written
	// without its colon ("Projektleder" → "navn@kommune.dk").
	Extra map[string]string
	// MunicipalityFrom and SolutionFrom say where the municipality and the
	// solution were recognised (zero when nowhere).
	MunicipalityFrom, SolutionFrom Origin
}

// The places a plan's municipality or solution is recognised in.
const (
	FromLine  = "line"  // a key/value line ("Kommune: Aarhus"): Pos is the value's cell
	FromTitle = "title" // a title line above the tables: Pos is its cell
	FromFile  = "file"  // the file name
)

// Origin is where a part of a plan's identity was read, and as what text.
type Origin struct {
	Kind string // FromLine, FromTitle, FromFile, or "" when not found
	Pos  Pos    // the cell, for a line or a title
	Text string // as written there ("Hjoerring")
}

// Severity tells whether a problem makes a value unusable (error) or is
// worth fixing (warning).
type Severity string

// The severities of an Issue.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
)

// Issue is a problem found in a sheet, with the cell it was found in.
type Issue struct {
	Pos      Pos
	Severity Severity
	Code     string // stable machine-readable code, e.g. "bad_date"
	Message  string // for a person, in the language the parser was asked for
	Link     string // a URL that opens the cell (Google Sheets), if any
}

// Plan is everything read from one file: its metadata, its tasks in sheet
// order, and the problems found while reading it.
type Plan struct {
	File     string
	Metadata Metadata
	Tasks    []Task
	Issues   []Issue
}

// Errors counts the issues of severity error.
func (p *Plan) Errors() int {
	n := 0
	for _, is := range p.Issues {
		if is.Severity == SevError {
			n++
		}
	}
	return n
}
