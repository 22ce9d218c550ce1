package retry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)

func header(retryAfter string) http.Header {
	h := http.Header{}
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	return h
}

func TestRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"none", "", 0, false},
		{"seconds", "120", 2 * time.Minute, true},
		{"zero seconds", "0", 0, true},
		{"seconds with spaces", " 7 ", 7 * time.Second, true},
		{"negative seconds", "-5", 0, false},
		{"http date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"rfc 850 date", now.Add(time.Hour).Format(time.RFC850), time.Hour, true},
		{"date in the past", now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"huge seconds", "99999999999999999", 365 * 24 * time.Hour, true},
		{"garbage", "soon", 0, false},
		{"fraction", "1.5", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := RetryAfter(header(tc.value), now)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestPolicy_Delay(t *testing.T) {
	p := Policy{BaseDelay: time.Second, MaxDelay: 32 * time.Second, Now: func() time.Time { return now }}
	maxJitter := func(n int64) int64 { return n - 1 }
	for _, tc := range []struct {
		name       string
		attempt    int
		retryAfter string
		jitter     func(int64) int64
		maxAfter   time.Duration
		want       time.Duration
	}{
		{"first retry", 0, "", nil, 0, time.Second},
		{"doubles", 3, "", nil, 0, 8 * time.Second},
		{"truncated at MaxDelay", 6, "", nil, 0, 32 * time.Second},
		{"no overflow on a huge attempt", 200, "", nil, 0, 32 * time.Second},
		{"jitter is added, below BaseDelay", 1, "", maxJitter, 0, 3*time.Second - 1},
		{"longer Retry-After wins", 0, "20", nil, 0, 20 * time.Second},
		{"shorter Retry-After loses", 4, "3", nil, 0, 16 * time.Second},
		{"Retry-After as a date", 0, now.Add(45 * time.Second).Format(http.TimeFormat), nil, 0, 45 * time.Second},
		{"Retry-After capped at five minutes", 0, "3600", nil, 0, 5 * time.Minute},
		{"Retry-After capped as told", 0, "3600", nil, time.Minute, time.Minute},
		{"unreadable Retry-After ignored", 2, "later", nil, 0, 4 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := p
			p.Jitter = func(int64) int64 { return 0 }
			if tc.jitter != nil {
				p.Jitter = tc.jitter
			}
			p.MaxRetryAfter = tc.maxAfter
			if got := p.Delay(tc.attempt, header(tc.retryAfter)); got != tc.want {
				t.Errorf("Delay(%d, %q) = %v, want %v", tc.attempt, tc.retryAfter, got, tc.want)
			}
		})
	}
	t.Run("random jitter stays within BaseDelay", func(t *testing.T) {
		p := Policy{BaseDelay: time.Second, MaxDelay: time.Minute}
		for range 200 {
			if got := p.Delay(2, nil); got < 4*time.Second || got >= 5*time.Second {
				t.Fatalf("Delay(2) = %v, want in [4s, 5s)", got)
			}
		}
	})
}

func TestPolicy_RetryableStatus(t *testing.T) {
	p := Policy{Statuses: []int{429, 503}}
	for code, want := range map[int]bool{429: true, 503: true, 500: false, 404: false, 200: false} {
		if got := p.RetryableStatus(code); got != want {
			t.Errorf("RetryableStatus(%d) = %v, want %v", code, got, want)
		}
	}
}

// body records whether it was read to the end and closed.
type body struct {
	io.Reader
	closed bool
}

func (b *body) Close() error { b.closed = true; return nil }

func TestPolicy_Do(t *testing.T) {
	fast := Policy{Retries: 3, BaseDelay: time.Nanosecond, MaxDelay: time.Nanosecond, Statuses: []int{503}}
	answer := func(code int) (*http.Response, *body) {
		b := &body{Reader: strings.NewReader("busy")}
		return &http.Response{StatusCode: code, Header: http.Header{}, Body: b}, b
	}
	t.Run("retries until an answer is final", func(t *testing.T) {
		var bodies []*body
		resp, err := fast.Do(context.Background(), func(n int) (*http.Response, bool, error) {
			code := 503
			if n == 2 {
				code = 200
			}
			r, b := answer(code)
			bodies = append(bodies, b)
			return r, fast.RetryableStatus(code), nil
		})
		if err != nil || resp == nil || resp.StatusCode != 200 {
			t.Fatalf("Do = %v, %v; want the 200", resp, err)
		}
		if len(bodies) != 3 {
			t.Fatalf("%d attempts, want 3", len(bodies))
		}
		for i, b := range bodies[:2] {
			if !b.closed || b.Reader.(*strings.Reader).Len() != 0 {
				t.Errorf("retried answer %d: closed %v, unread %d; want drained and closed", i, b.closed, b.Reader.(*strings.Reader).Len())
			}
		}
		if bodies[2].closed {
			t.Error("the final answer's body was closed; the caller reads it")
		}
	})
	t.Run("gives the last answer when retries are spent", func(t *testing.T) {
		attempts := 0
		resp, err := fast.Do(context.Background(), func(int) (*http.Response, bool, error) {
			attempts++
			r, _ := answer(503)
			return r, true, nil
		})
		if err != nil || resp.StatusCode != 503 || attempts != fast.Retries+1 {
			t.Errorf("Do = %v, %v after %d attempts; want the 503 after %d", resp.StatusCode, err, attempts, fast.Retries+1)
		}
	})
	t.Run("an error that may pass is retried, the last returned", func(t *testing.T) {
		attempts := 0
		boom := errors.New("reset")
		_, err := fast.Do(context.Background(), func(int) (*http.Response, bool, error) {
			attempts++
			return nil, true, boom
		})
		if !errors.Is(err, boom) || attempts != 4 {
			t.Errorf("Do = %v after %d attempts; want %v after 4", err, attempts, boom)
		}
	})
	t.Run("a final error is not retried", func(t *testing.T) {
		attempts := 0
		_, err := fast.Do(context.Background(), func(int) (*http.Response, bool, error) {
			attempts++
			return nil, false, io.EOF
		})
		if err != io.EOF || attempts != 1 {
			t.Errorf("Do = %v after %d attempts; want EOF after 1", err, attempts)
		}
	})
	t.Run("a cancelled context ends the wait", func(t *testing.T) {
		slow := Policy{Retries: 5, BaseDelay: time.Hour, MaxDelay: time.Hour}
		ctx, cancel := context.WithCancel(context.Background())
		attempts := 0
		resp, err := slow.Do(ctx, func(int) (*http.Response, bool, error) {
			attempts++
			cancel()
			r, _ := answer(503)
			return r, true, nil
		})
		if !errors.Is(err, context.Canceled) || resp != nil || attempts != 1 {
			t.Errorf("Do = %v, %v after %d attempts; want context.Canceled after 1", resp, err, attempts)
		}
	})
}
