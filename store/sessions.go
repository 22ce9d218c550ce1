package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Kinds of session revocation.
const (
	RevokeAll     = "all"     // every session
	RevokeUser    = "user"    // one user's sessions, by e-mail address
	RevokeSession = "session" // one session, by its ID
)

// MaxSessionLifetime is the longest a web session lasts (the most
// http.auth.oidc.session_hours allows): a revocation is kept this long.
const MaxSessionLifetime = 30 * 24 * time.Hour

// Revocation ends web view sessions issued at or before At: all of them,
// a user's (Subject is the e-mail address, lower case) or one (Subject is
// the session's ID).
type Revocation struct {
	Kind    string
	Subject string
	At      time.Time
}

// RevokeSessions records a revocation at the store's current time and
// returns it. A user's address is kept in lower case. It is kept for the
// longest a session lasts; revocations no longer needed are removed on the
// way.
func (s *DB) RevokeSessions(ctx context.Context, kind, subject string) (Revocation, error) {
	return s.revoke(ctx, kind, subject, time.Time{})
}

// EndSession records that the session id (logged out) may no longer be
// used; the record is kept until the session would have expired anyway.
func (s *DB) EndSession(ctx context.Context, id string, expires time.Time) (Revocation, error) {
	return s.revoke(ctx, RevokeSession, id, expires)
}

// revoke records a revocation, kept until keep (zero: the longest a
// session lasts).
func (s *DB) revoke(ctx context.Context, kind, subject string, keep time.Time) (Revocation, error) {
	switch kind {
	case RevokeAll:
		subject = ""
	case RevokeUser:
		subject = strings.ToLower(strings.TrimSpace(subject))
	case RevokeSession:
	default:
		return Revocation{}, fmt.Errorf("revoke sessions: unknown kind %q", kind)
	}
	if kind != RevokeAll && subject == "" {
		return Revocation{}, fmt.Errorf("revoke sessions: a %s revocation needs a subject", kind)
	}
	now := s.Now().Truncate(time.Second)
	if keep.IsZero() || keep.After(now.Add(MaxSessionLifetime)) {
		keep = now.Add(MaxSessionLifetime)
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return Revocation{}, fmt.Errorf("revoke sessions: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM web_session_revocations WHERE keep_until < ?`, now.Unix()); err != nil {
		return Revocation{}, fmt.Errorf("revoke sessions: %w", busy(err))
	}
	// MAX: a clock set back does not bring revoked sessions back.
	if _, err := tx.ExecContext(ctx, `INSERT INTO web_session_revocations (kind, subject, revoked_at, keep_until) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind, subject) DO UPDATE SET revoked_at = MAX(revoked_at, excluded.revoked_at), keep_until = MAX(keep_until, excluded.keep_until)`,
		kind, subject, now.Unix(), keep.Unix()); err != nil {
		return Revocation{}, fmt.Errorf("revoke sessions: %w", busy(err))
	}
	if err := tx.Commit(); err != nil {
		return Revocation{}, fmt.Errorf("revoke sessions: %w", busy(err))
	}
	return Revocation{Kind: kind, Subject: subject, At: now}, nil
}

// Revocations lists the revocations still in force.
func (s *DB) Revocations(ctx context.Context) ([]Revocation, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, subject, revoked_at FROM web_session_revocations WHERE keep_until >= ?`, s.Now().Unix())
	if err != nil {
		return nil, fmt.Errorf("read session revocations: %w", err)
	}
	defer rows.Close()
	var out []Revocation
	for rows.Next() {
		var r Revocation
		var at int64
		if err := rows.Scan(&r.Kind, &r.Subject, &at); err != nil {
			return nil, fmt.Errorf("read session revocations: %w", err)
		}
		r.At = time.Unix(at, 0)
		out = append(out, r)
	}
	return out, rows.Err()
}
