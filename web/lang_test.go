package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/store"
)

// lockedBuffer is a log the server's goroutines write to and the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServer_logLanguage: the web view's log messages speak the configured
// language — Danish by default, English with English set — behind the proxy
// and with OIDC alike, while the attributes' keys stay English for the
// operators' queries.
func TestServer_logLanguage(t *testing.T) {
	for _, tt := range []struct {
		name          string
		english       bool
		want, notWant []string
	}{
		{"Danish by default", false,
			[]string{`msg=web-forespørgsel user=pl@aarhus.dk path=/`, `msg="web: forespørgsel afvist" path=/ remote=`, `msg="web: logget ind" user=chef@kombit.dk verified=true`},
			[]string{"web request", "request refused", "logged in"}},
		{"English", true,
			[]string{`msg="web request" user=pl@aarhus.dk path=/`, `msg="web: request refused" path=/ remote=`, `msg="web: logged in" user=chef@kombit.dk verified=true`},
			[]string{"web-forespørgsel", "forespørgsel afvist", "logget ind"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs lockedBuffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			d := fixture()
			now := func() time.Time { return time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC) }

			// Behind the proxy: one user let in, a request without one refused.
			proxied := &Server{Load: func(context.Context) (*reports.Data, error) { return d, nil }, English: tt.english, Location: time.UTC, Now: now, Log: log,
				Access: &Access{Header: "X-Forwarded-Email", Proxies: proxyLoopback, Rules: testRules}}
			ts := httptest.NewServer(proxied.Handler())
			defer ts.Close()
			if code, _, body := get(t, ts, "/", map[string]string{"X-Forwarded-Email": "pl@aarhus.dk"}); code != 200 {
				t.Fatalf("proxied user: %d %s", code, body)
			}
			code, _, body := get(t, ts, "/", nil)
			if code != 403 {
				t.Fatalf("no user: %d, want 403", code)
			}
			// The refusal says why in the configured language too.
			why := map[bool]string{false: "Adgang nægtet / access denied: ingen logget ind bruger", true: "Adgang nægtet / access denied: no authenticated user"}[tt.english]
			if !strings.Contains(body, why) {
				t.Errorf("refusal page %q, want %q", body, why)
			}
			if code, _, body := get(t, ts, "/", map[string]string{"X-Forwarded-Email": "x@example.org"}); code != 403 ||
				!strings.Contains(body, map[bool]string{false: "er hverken koordinator eller fra en kendt kommune", true: "is neither a coordinator nor from a known municipality"}[tt.english]) {
				t.Errorf("unknown user: %d %q", code, body)
			}

			// With OIDC: a coordinator logs in.
			idp := newFakeIdP(t)
			idp.email, idp.groups = "chef@kombit.dk", []string{"udrul-koordinatorer"}
			db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "udrul.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			o := &OIDC{Issuer: idp.srv.URL, ClientID: "udrul", ClientSecret: "hemmelig", GroupsClaim: "groups", Key: []byte("0123456789abcdef0123456789abcdef"), Rules: testRules}
			s := &Server{Load: func(context.Context) (*reports.Data, error) { return d, nil }, English: tt.english, Location: time.UTC, Now: now, Log: log, OIDC: o, DB: db}
			ots := httptest.NewServer(s.Handler())
			defer ots.Close()
			o.RedirectURL = ots.URL + "/auth/callback"
			if code, body := fetch(t, jarClient(t), ots.URL+"/auth/login?next=/"); code != 200 {
				t.Fatalf("after login: %d %s", code, body)
			}

			out := logs.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("the log lacks %s:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("the log says %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestServer_pageErrorsInWords: a page that cannot be shown says why in
// the configured language — never Go's English status text, nor the text
// of an error from the store (logged instead).
func TestServer_pageErrorsInWords(t *testing.T) {
	acc := &Access{Header: "X-Forwarded-Email", Proxies: proxyLoopback, Rules: testRules}
	aarhus := map[string]string{"X-Forwarded-Email": "pl@aarhus.dk"}
	for _, tt := range []struct {
		name    string
		english bool
		load    error
		path    string
		code    int
		want    string
	}{
		{"another municipality's plan", false, nil, "/plan/Vejle/KY", 403, "Adgang nægtet / access denied: planen hører til en anden kommune"},
		{"another municipality's plan, English", true, nil, "/plan/Vejle/KY", 403, "Adgang nægtet / access denied: the plan belongs to another municipality"},
		{"another municipality's task", false, nil, "/task/31", 403, "Adgang nægtet / access denied: planen hører til en anden kommune"},
		{"no such plan", false, nil, "/plan/Odense/KY", 404, "Siden findes ikke"},
		{"no such plan, English", true, nil, "/plan/Odense/KY", 404, "No such page"},
		{"the store fails", false, errors.New("sqlite3: disk I/O error"), "/", 503, "Oversigten kan ikke hentes lige nu"},
		{"the store fails, English", true, errors.New("sqlite3: disk I/O error"), "/", 503, "The overview cannot be loaded right now"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs lockedBuffer
			d := fixture()
			s := &Server{Load: func(context.Context) (*reports.Data, error) { return d, tt.load }, English: tt.english, Location: time.UTC, Access: acc,
				Now: func() time.Time { return time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC) }, Log: slog.New(slog.NewTextHandler(&logs, nil))}
			ts := httptest.NewServer(s.Handler())
			defer ts.Close()
			code, _, body := get(t, ts, tt.path, aarhus)
			if code != tt.code || !strings.Contains(body, tt.want) {
				t.Errorf("status %d, body %q; want %d with %q", code, body, tt.code, tt.want)
			}
			for _, raw := range []string{"Forbidden", "Not Found", "sqlite3"} {
				if strings.Contains(body, raw) {
					t.Errorf("the page shows %q: %q", raw, body)
				}
			}
			if tt.load != nil && !strings.Contains(logs.String(), "disk I/O error") {
				t.Errorf("the store's error is not logged: %s", logs.String())
			}
		})
	}
}

// TestServer_taskWithoutPlan: a task the snapshot holds without its plan
// is shown to coordinators only: the access check read the plan's
// municipality and let anyone through when there was none.
func TestServer_taskWithoutPlan(t *testing.T) {
	acc := &Access{Header: "X-Forwarded-Email", Proxies: proxyLoopback, Rules: testRules}
	d := fixture()
	d.Tasks[3].Plan = nil // Vejle's task
	ts := newServer(t, d, acc, false)
	for _, tt := range []struct {
		user string
		want int
	}{{"pl@aarhus.dk", 403}, {"Koordinator@KOMBIT.dk", 200}} {
		if code, _, body := get(t, ts, "/task/31", map[string]string{"X-Forwarded-Email": tt.user}); code != tt.want {
			t.Errorf("%s: status %d, want %d: %s", tt.user, code, tt.want, body)
		}
	}
}
