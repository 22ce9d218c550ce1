package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/udrul/udrul/model"
)

// Plans: one municipality's plan for one solution, its state and its issues.

// Plan states.
const (
	PlanOK      = "ok"
	PlanHeld    = "held"    // its last read lost most tasks; not applied
	PlanFailing = "failing" // its last read failed
	PlanGone    = "gone"    // no source has it any more; its tasks are kept
	// PlanConflict: more than one file claims the plan; it is not changed
	// from any of them until one remains or the configuration picks one.
	PlanConflict = "conflict"
)

// Plan is a stored plan: one municipality's plan for one solution.
type Plan struct {
	ID           int64
	Municipality string
	Solution     string
	Wave         string
	SourceID     int64
	SourceName   string
	Location     string
	State        string
	StateReason  string
	Metadata     map[string]string
	// Health is the owner's traffic light for the whole plan ("" when the
	// sheet gives none): model.HealthGreen, HealthAmber or HealthRed.
	Health string
	// DocumentID is the document the plan was last applied from.
	DocumentID int64
	// Claimants are the files claiming the plan while it is in conflict.
	Claimants []string
	// Revision counts the transactions that changed the plan's tasks: a
	// read matched against the tasks outside the write lock is still right
	// when the revision did not move.
	Revision     int64
	CreatedAt    time.Time
	LastSyncAt   time.Time
	LastOKAt     time.Time
	LastChangeAt time.Time
	// Counts, filled by ListPlans.
	Tasks, Removed, Errors, Warnings int
}

// Key is the plan's name as commands take it: "Aarhus/KY".
func (p Plan) Key() string { return p.Municipality + "/" + p.Solution }

// Plan returns the plan with the given key ("Aarhus/KY") or ID.
func (s *DB) Plan(ctx context.Context, key string) (Plan, error) {
	plans, err := s.ListPlans(ctx)
	if err != nil {
		return Plan{}, err
	}
	for _, p := range plans {
		if p.Key() == key || fmt.Sprint(p.ID) == key {
			return p, nil
		}
	}
	return Plan{}, &PlanNotFoundError{Key: key}
}

// PlanNotFoundError is a plan key that names no plan; errors.Is finds
// ErrNotFound.
type PlanNotFoundError struct{ Key string }

func (e *PlanNotFoundError) Error() string {
	return fmt.Sprintf("plan %q: %v (plans are named Municipality/Solution, as 'udrul plans' lists them)", e.Key, ErrNotFound)
}

func (e *PlanNotFoundError) Unwrap() error { return ErrNotFound }

// ListPlans lists every plan with its task and issue counts.
func (s *DB) ListPlans(ctx context.Context) ([]Plan, error) {
	return listPlans(ctx, s.db, ``)
}

// listPlans lists the plans (where: a WHERE clause, or "") with their
// counts, by municipality and solution.
func listPlans(ctx context.Context, q rowQuerier, where string, args ...any) ([]Plan, error) {
	return queryPlans(ctx, q, `(SELECT COUNT(*) FROM tasks t WHERE t.plan_id = p.id AND t.removed_at IS NULL),
		(SELECT COUNT(*) FROM tasks t WHERE t.plan_id = p.id AND t.removed_at IS NOT NULL),
		(SELECT COUNT(*) FROM plan_issues i WHERE i.plan_id = p.id AND i.severity = 'error'),
		(SELECT COUNT(*) FROM plan_issues i WHERE i.plan_id = p.id AND i.severity = 'warning')`, where, args...)
}

// queryPlans lists plans with counts (four columns; "0, 0, 0, 0" for
// none).
func queryPlans(ctx context.Context, q rowQuerier, counts, where string, args ...any) ([]Plan, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.municipality, p.solution, p.wave, COALESCE(p.source_id, 0), COALESCE(src.name, ''),
		p.location, p.state, p.state_reason, p.metadata, p.created_at, p.last_sync_at, p.last_ok_at, p.last_change_at,
		COALESCE(p.document_id, 0), p.claimants, p.health, p.revision, `+counts+`
		FROM plans p LEFT JOIN sources src ON src.id = p.source_id `+where+`
		ORDER BY p.municipality, p.solution`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Plan
	for rows.Next() {
		var p Plan
		var md, claimants string
		var created, sync, ok, change sql.NullString
		if err := rows.Scan(&p.ID, &p.Municipality, &p.Solution, &p.Wave, &p.SourceID, &p.SourceName, &p.Location, &p.State, &p.StateReason,
			&md, &created, &sync, &ok, &change, &p.DocumentID, &claimants, &p.Health, &p.Revision, &p.Tasks, &p.Removed, &p.Errors, &p.Warnings); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(md), &p.Metadata)
		json.Unmarshal([]byte(claimants), &p.Claimants)
		p.CreatedAt, p.LastSyncAt, p.LastOKAt, p.LastChangeAt = parseTime(created), parseTime(sync), parseTime(ok), parseTime(change)
		out = append(out, p)
	}
	return out, rows.Err()
}

// PlanIssues returns the problems found at a plan's last read.
func (s *DB) PlanIssues(ctx context.Context, planID int64) ([]model.Issue, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT sheet, cell, severity, code, message, link FROM plan_issues WHERE plan_id = ? ORDER BY id`, planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Issue
	for rows.Next() {
		var is model.Issue
		if err := rows.Scan(&is.Pos.Sheet, &is.Pos.Cell, &is.Severity, &is.Code, &is.Message, &is.Link); err != nil {
			return nil, err
		}
		out = append(out, is)
	}
	return out, rows.Err()
}

// AllPlanIssues returns the problems found at every plan's last read, by
// plan.
func (s *DB) AllPlanIssues(ctx context.Context) (map[int64][]model.Issue, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT plan_id, sheet, cell, severity, code, message, link FROM plan_issues ORDER BY plan_id, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]model.Issue{}
	for rows.Next() {
		var id int64
		var is model.Issue
		if err := rows.Scan(&id, &is.Pos.Sheet, &is.Pos.Cell, &is.Severity, &is.Code, &is.Message, &is.Link); err != nil {
			return nil, err
		}
		out[id] = append(out[id], is)
	}
	return out, rows.Err()
}
