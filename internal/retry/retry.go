// Package retry is the retry policy udrul's web-service sources share
// (Google Drive and Sheets, Microsoft Graph): which answers are worth
// another try, how long to wait before it — truncated exponential backoff
// with jitter, or the server's Retry-After (seconds or an HTTP date) when it
// asks for longer — and the loop that waits between attempts until the
// retries are spent or the caller's context ends. What an attempt is (rate
// limits, tokens, timeouts) and what a failure means to the user stay with
// each source.
package retry

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxRetryAfter caps a server's Retry-After: a longer wait fails the
// cycle sooner, and the next cycle tries again.
const DefaultMaxRetryAfter = 5 * time.Minute

// Policy says when and how long to wait before trying again.
type Policy struct {
	// Retries is how many attempts may follow the first.
	Retries int
	// BaseDelay is the first wait; each retry doubles it, up to MaxDelay,
	// and a random part of up to BaseDelay is added (jitter).
	BaseDelay, MaxDelay time.Duration
	// MaxRetryAfter caps the server's Retry-After (default
	// DefaultMaxRetryAfter).
	MaxRetryAfter time.Duration
	// Statuses are the HTTP status codes worth another try.
	Statuses []int
	// Now and Jitter (a random number in [0, n)) replace time.Now and
	// math/rand in tests.
	Now    func() time.Time
	Jitter func(n int64) int64
}

// RetryableStatus reports whether the status code is one of p.Statuses.
func (p Policy) RetryableStatus(code int) bool { return slices.Contains(p.Statuses, code) }

// Delay is the wait before retry number attempt+1 (attempt counts from 0,
// the first try): min(BaseDelay·2^attempt, MaxDelay) plus jitter in
// [0, BaseDelay), or the answer's Retry-After when it is longer, capped
// at MaxRetryAfter.
func (p Policy) Delay(attempt int, h http.Header) time.Duration {
	d := p.MaxDelay
	if attempt < 62 && p.BaseDelay > 0 {
		if e := p.BaseDelay << attempt; e > 0 && e>>attempt == p.BaseDelay {
			d = min(e, p.MaxDelay)
		}
	}
	if p.BaseDelay > 0 {
		jitter := rand.Int64N
		if p.Jitter != nil {
			jitter = p.Jitter
		}
		d += time.Duration(jitter(int64(p.BaseDelay)))
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	if ra, ok := RetryAfter(h, now()); ok && ra > d {
		limit := p.MaxRetryAfter
		if limit <= 0 {
			limit = DefaultMaxRetryAfter
		}
		d = min(ra, limit)
	}
	return d
}

// RetryAfter reads an answer's Retry-After header: a number of seconds or
// an HTTP date (RFC 9110 §10.2.3), as a wait from now. ok is false when
// there is none or it cannot be read; a date in the past is a wait of 0.
func RetryAfter(h http.Header, now time.Time) (d time.Duration, ok bool) {
	s := strings.TrimSpace(h.Get("Retry-After"))
	if s == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(s, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(365*24*time.Hour/time.Second) {
			secs = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(s)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}

// Sleep waits d, or until ctx ends (its error).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Do runs attempt (numbered from 0) until it says not to retry or the
// retries are spent, and returns the last attempt's answer. Between
// attempts it drains and closes a retried answer's body and waits
// p.Delay, or returns ctx's error when ctx ends first.
func (p Policy) Do(ctx context.Context, attempt func(n int) (resp *http.Response, again bool, err error)) (*http.Response, error) {
	for n := 0; ; n++ {
		resp, again, err := attempt(n)
		if !again || n >= p.Retries {
			return resp, err
		}
		var h http.Header
		if resp != nil {
			h = resp.Header
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		if err := Sleep(ctx, p.Delay(n, h)); err != nil {
			return nil, err
		}
	}
}
