package web

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/udrul/udrul/store"
)

// RevocationTTL is how long the sessions ended in the store are taken as
// known: `udrul sessions revoke`, run in another process, takes effect in
// the running web view within this time. A logout in the view itself
// takes effect at once.
var RevocationTTL = 5 * time.Second

// revocations is the store's ended sessions, read again at most every
// RevocationTTL, so checking a request costs a map lookup.
type revocations struct {
	db *store.DB

	mu     sync.Mutex
	loaded time.Time
	all    int64            // sessions issued at or before this (Unix) are ended
	users  map[string]int64 // the same per e-mail address
	ids    map[string]bool  // sessions ended one by one
}

// ended reports whether s was ended before its time.
func (c *revocations) ended(ctx context.Context, s session, now time.Time) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded.IsZero() || now.Sub(c.loaded) >= RevocationTTL || now.Before(c.loaded) {
		rs, err := c.db.Revocations(ctx)
		if err != nil {
			return false, err
		}
		c.all, c.users, c.ids = 0, map[string]int64{}, map[string]bool{}
		for _, r := range rs {
			c.apply(r)
		}
		c.loaded = now
	}
	return s.Issued <= c.all || s.Issued <= c.users[strings.ToLower(s.Email)] || c.ids[s.ID], nil
}

// end records a logged-out session in the store and applies it at once.
func (c *revocations) end(ctx context.Context, s session) (store.Revocation, error) {
	r, err := c.db.EndSession(ctx, s.ID, time.Unix(s.Expires, 0))
	if err != nil {
		return r, err
	}
	c.mu.Lock()
	if c.users != nil {
		c.apply(r)
	}
	c.mu.Unlock()
	return r, nil
}

func (c *revocations) apply(r store.Revocation) {
	at := r.At.Unix()
	switch r.Kind {
	case store.RevokeAll:
		c.all = max(c.all, at)
	case store.RevokeUser:
		c.users[r.Subject] = max(c.users[r.Subject], at)
	case store.RevokeSession:
		c.ids[r.Subject] = true
	}
}
