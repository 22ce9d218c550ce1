package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestDB_RevokeSessions(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "udrul.db"))
	now := time.Date(2026, 11, 26, 3, 0, 0, 500, time.UTC)
	db.Now = func() time.Time { return now }

	r, err := db.RevokeSessions(ctx, RevokeUser, " PL@Aarhus.dk ")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Subject, "pl@aarhus.dk"; got != want {
		t.Errorf("subject %q, want %q", got, want)
	}
	if !r.At.Equal(now.Truncate(time.Second)) {
		t.Errorf("at %v, want %v", r.At, now.Truncate(time.Second))
	}
	// A clock set back does not move a revocation earlier.
	now = now.Add(-time.Hour)
	if _, err := db.RevokeSessions(ctx, RevokeUser, "pl@aarhus.dk"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if _, err := db.RevokeSessions(ctx, RevokeSession, "abc"); err != nil {
		t.Fatal(err)
	}
	rs, err := db.Revocations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("%d revocations, want 2: %+v", len(rs), rs)
	}
	for _, r := range rs {
		if r.Kind == RevokeUser && !r.At.Equal(time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)) {
			t.Errorf("the user's revocation moved to %v", r.At)
		}
	}
	// A logged-out session is remembered until it would have expired.
	if _, err := db.EndSession(ctx, "s1", now.Add(8*time.Hour)); err != nil {
		t.Fatal(err)
	}
	now = now.Add(9 * time.Hour)
	rs2, _ := db.Revocations(ctx)
	for _, r := range rs2 {
		if r.Subject == "s1" {
			t.Errorf("a logged-out session is remembered after its expiry: %+v", r)
		}
	}
	// After the longest session they are gone: nothing they ended can
	// still be in use.
	now = now.Add(MaxSessionLifetime + time.Hour)
	if _, err := db.RevokeSessions(ctx, RevokeAll, "ignored"); err != nil {
		t.Fatal(err)
	}
	rs, _ = db.Revocations(ctx)
	if len(rs) != 1 || rs[0].Kind != RevokeAll || rs[0].Subject != "" {
		t.Errorf("after the longest session: %+v, want only the new 'all'", rs)
	}
	for _, bad := range []struct{ kind, subject string }{{"everyone", ""}, {RevokeUser, " "}, {RevokeSession, ""}} {
		if _, err := db.RevokeSessions(ctx, bad.kind, bad.subject); err == nil {
			t.Errorf("RevokeSessions(%q, %q): no error", bad.kind, bad.subject)
		}
	}
	var n int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM web_session_revocations WHERE keep_until < ?`, now.Unix()).Scan(&n)
	if n != 0 {
		t.Errorf("%d stale rows kept", n)
	}
}
