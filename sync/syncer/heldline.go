package syncer

import (
	"context"
	"fmt"

	"github.com/udrul/udrul/store"
)

// heldLine is the result's line for a plan still held from an earlier
// read: "Aarhus/KY: why", with the guard's reason as the store keeps it
// (it says what to do), so that a repeated sync says as much as the first.
func heldLine(p store.Plan) string {
	why := p.StateReason
	if why == "" {
		why = "still held"
	}
	return p.Key() + ": " + why
}

// heldLineOf is heldLine for the plan with the given ID, or the document's
// key when the plan cannot be found.
func (s *Syncer) heldLineOf(ctx context.Context, planID int64, doc string) string {
	if p, err := s.DB.Plan(ctx, fmt.Sprint(planID)); err == nil {
		return heldLine(p)
	}
	return doc + ": still held"
}
