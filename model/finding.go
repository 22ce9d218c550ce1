package model

// Levels of a finding, as the red/amber/green status reads them.
const (
	LevelRed   = "red"
	LevelAmber = "amber"
	LevelInfo  = "info"
	LevelGreen = "green" // only as a plan's or municipality's status
)

// Finding is something the rules found in the store for an as-of date: an
// overdue or slipped task, an inconsistent or stale plan, a load peak.
type Finding struct {
	Key          string // stable across evaluations: kind and subject
	Kind         string
	Level        string
	PlanID       int64
	TaskID       int64
	Municipality string
	Solution     string
	Wave         string
	Step         string
	Title        string // the task's title, when about a task
	Days         int    // working days late, slipped, or apart
	Old, New     string // a slip's earlier and later date
	Message      string
	FirstSeen    Date
	LastSeen     Date
	ResolvedAt   Date // zero while open
}

var levelRank = map[string]int{"": 0, LevelGreen: 1, LevelAmber: 2, LevelRed: 3}

// Worse returns the worse of two red/amber/green levels.
func Worse(a, b string) string {
	if levelRank[b] > levelRank[a] {
		return b
	}
	return a
}
