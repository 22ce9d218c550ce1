package web

import (
	"bytes"
	"context"
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
