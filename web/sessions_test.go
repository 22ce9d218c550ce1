package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udrul/udrul/store"
)

// sessionCookieOf returns the client's session cookie value.
func sessionCookieOf(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			return ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// withCookie asks for path with the session cookie value v and returns the
// status.
func withCookie(t *testing.T, base, path, v string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: v})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestOIDC_logoutEndsTheSession: logging out records the session as
// ended, so a copy of its cookie (kept by an attacker, or another browser
// tab) is refused afterwards; a GET only shows the button, and a POST from
// another site is refused.
func TestOIDC_logoutEndsTheSession(t *testing.T) {
	idp := newFakeIdP(t)
	ts, _ := oidcServer(t, idp, nil)
	idp.email = "pl@aarhus.dk"
	c := jarClient(t)
	if code, body := fetch(t, c, ts.URL+"/auth/login"); code != 200 {
		t.Fatalf("login: %d %s", code, body)
	}
	stolen := sessionCookieOf(t, c, ts.URL)

	// A GET (a link, an <img> on another site) logs nobody out.
	if code, body := fetch(t, c, ts.URL+"/auth/logout"); code != 200 || !strings.Contains(body, `<form method="post" action="/auth/logout">`) {
		t.Errorf("GET /auth/logout: %d %s", code, body)
	}
	// A POST from another site is refused and ends nothing.
	req, _ := http.NewRequest("POST", ts.URL+"/auth/logout", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: stolen})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST /auth/logout: %d, want 403", resp.StatusCode)
	}
	if code := withCookie(t, ts.URL, "/api/plans/Aarhus/KY", stolen); code != 200 {
		t.Fatalf("before logging out: %d, want 200", code)
	}

	resp, err = c.Post(ts.URL+"/auth/logout", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST /auth/logout: %d", resp.StatusCode)
	}
	if code := withCookie(t, ts.URL, "/api/plans/Aarhus/KY", stolen); code != 401 {
		t.Errorf("the session's cookie after logging out: %d, want 401", code)
	}
}

// TestOIDC_revoke: `udrul sessions revoke` (the store's RevokeSessions,
// from another process) ends one user's sessions or all, taking effect
// within RevocationTTL; logins made afterwards work.
func TestOIDC_revoke(t *testing.T) {
	idp := newFakeIdP(t)
	var mu sync.Mutex
	offset := time.Duration(0)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return time.Now().Add(offset)
	}
	advance := func(d time.Duration) {
		mu.Lock()
		offset += d
		mu.Unlock()
	}
	ts, o := oidcServer(t, idp, clock)
	login := func(email string) string {
		idp.email = email
		c := jarClient(t)
		if code, body := fetch(t, c, ts.URL+"/auth/login"); code != 200 {
			t.Fatalf("login %s: %d %s", email, code, body)
		}
		return sessionCookieOf(t, c, ts.URL)
	}
	aarhus, vejle := login("pl@aarhus.dk"), login("pl@vejle.dk")
	for name, ck := range map[string]string{"aarhus": aarhus, "vejle": vejle} {
		if code := withCookie(t, ts.URL, "/api/overview", ck); code != 200 {
			t.Fatalf("%s before: %d", name, code)
		}
	}
	// Another process (the CLI) opens the same database.
	db := o.DB
	if _, err := db.RevokeSessions(context.Background(), store.RevokeUser, "PL@Aarhus.dk"); err != nil {
		t.Fatal(err)
	}
	advance(RevocationTTL + time.Second)
	if code := withCookie(t, ts.URL, "/api/overview", aarhus); code != 401 {
		t.Errorf("revoked user: %d, want 401", code)
	}
	if code := withCookie(t, ts.URL, "/api/overview", vejle); code != 200 {
		t.Errorf("another user after revoking one: %d, want 200", code)
	}
	if _, err := db.RevokeSessions(context.Background(), store.RevokeAll, ""); err != nil {
		t.Fatal(err)
	}
	advance(RevocationTTL + time.Second)
	if code := withCookie(t, ts.URL, "/api/overview", vejle); code != 401 {
		t.Errorf("after revoking all: %d, want 401", code)
	}
	advance(2 * time.Second) // a login after the revocation
	if code := withCookie(t, ts.URL, "/api/overview", login("pl@aarhus.dk")); code != 200 {
		t.Errorf("a new login after revoking: %d, want 200", code)
	}
}

// TestOIDC_oldCookieRefused: a session cookie signed with the right key
// but without an ID and issue time (made before sessions could be ended,
// possibly with an unverified address) is refused.
func TestOIDC_oldCookieRefused(t *testing.T) {
	idp := newFakeIdP(t)
	ts, o := oidcServer(t, idp, nil)
	rec := httptest.NewRecorder()
	o.set(rec, sessionCookie, session{Email: "koordinator@kombit.dk", Expires: time.Now().Add(time.Hour).Unix()}, time.Hour)
	v := strings.TrimPrefix(strings.SplitN(rec.Header().Get("Set-Cookie"), ";", 2)[0], sessionCookie+"=")
	if code := withCookie(t, ts.URL, "/api/overview", v); code != 401 {
		t.Errorf("old-format cookie: %d, want 401", code)
	}
}

// TestOIDC_callbackRate: a flood of callbacks is cut off (429) before it
// makes udrul flood the provider with code exchanges.
func TestOIDC_callbackRate(t *testing.T) {
	idp := newFakeIdP(t)
	ts, o := oidcServer(t, idp, nil)
	// A valid login cookie, as an attacker gets from /auth/login.
	p := pending{State: "s", Nonce: "n", Verifier: "v", Next: "/", Expires: time.Now().Add(time.Minute).Unix()}
	rec := httptest.NewRecorder()
	o.set(rec, loginCookie, p, time.Minute)
	v := strings.TrimPrefix(strings.SplitN(rec.Header().Get("Set-Cookie"), ";", 2)[0], loginCookie+"=")
	got := map[int]int{}
	for range 40 {
		req, _ := http.NewRequest("GET", ts.URL+"/auth/callback?code=bogus&state=s", nil)
		req.AddCookie(&http.Cookie{Name: loginCookie, Value: v})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got[resp.StatusCode]++
	}
	if got[http.StatusTooManyRequests] == 0 || got[http.StatusForbidden] == 0 {
		t.Errorf("40 callbacks at once: %v, want some refused by the provider (403) and the rest cut off (429)", got)
	}
}

// BenchmarkOIDC_sessionCheck: what checking a session costs per request,
// with the ended sessions cached (the default) and read from the store
// every time, with 1,000 logged-out sessions recorded.
func BenchmarkOIDC_sessionCheck(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "udrul.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for i := range 1000 {
		if _, err := db.EndSession(ctx, fmt.Sprintf("old-%d", i), time.Now().Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
	o := &OIDC{Key: []byte("0123456789abcdef0123456789abcdef"), Rules: testRules}
	o.prepare(db)
	rec := httptest.NewRecorder()
	now := time.Now()
	o.set(rec, sessionCookie, session{ID: "s", Issued: now.Unix(), Email: "pl@aarhus.dk", Expires: now.Add(time.Hour).Unix()}, time.Hour)
	req := httptest.NewRequest("GET", "/api/overview", nil)
	req.Header.Set("Cookie", strings.SplitN(rec.Header().Get("Set-Cookie"), ";", 2)[0])
	for _, tt := range []struct {
		name string
		ttl  time.Duration
	}{{"cached", RevocationTTL}, {"store every request", 0}} {
		b.Run(tt.name, func(b *testing.B) {
			defer func(old time.Duration) { RevocationTTL = old }(RevocationTTL)
			RevocationTTL = tt.ttl
			for b.Loop() {
				if u, _, _, err := o.sessionUser(req); err != nil || u == nil {
					b.Fatalf("%v %v", u, err)
				}
			}
		})
	}
}

// TestServer_User: the daemon asks the web view who a monitoring request
// comes from: a coordinator's session counts, a municipal user's does not
// make a coordinator, an ended or absent one is nobody.
func TestServer_User(t *testing.T) {
	idp := newFakeIdP(t)
	ts, o := oidcServer(t, idp, nil)
	s := &Server{OIDC: o}
	login := func(email string, groups []string) string {
		idp.email, idp.groups = email, groups
		c := jarClient(t)
		if code, body := fetch(t, c, ts.URL+"/auth/login"); code != 200 {
			t.Fatalf("login %s: %d %s", email, code, body)
		}
		return sessionCookieOf(t, c, ts.URL)
	}
	who := func(cookie string) (*User, bool) {
		r := httptest.NewRequest("GET", "/metrics", nil)
		if cookie != "" {
			r.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
		}
		return s.User(r)
	}
	coord := login("chef@kombit.dk", []string{"udrul-koordinatorer"})
	if u, ok := who(coord); !ok || !u.Coordinator {
		t.Errorf("coordinator: %+v, %v", u, ok)
	}
	if u, ok := who(login("pl@aarhus.dk", nil)); !ok || u.Coordinator || u.Municipality != "Aarhus" {
		t.Errorf("municipal user: %+v, %v", u, ok)
	}
	if u, ok := who(""); ok || u != nil {
		t.Errorf("no cookie: %+v, %v", u, ok)
	}
	if _, err := o.DB.RevokeSessions(context.Background(), store.RevokeUser, "chef@kombit.dk"); err != nil {
		t.Fatal(err)
	}
	o.revoked.mu.Lock()
	o.revoked.loaded = time.Time{} // as after RevocationTTL
	o.revoked.mu.Unlock()
	if u, ok := who(coord); ok {
		t.Errorf("ended coordinator session: %+v, %v", u, ok)
	}
	proxy := &Server{Access: &Access{Header: "X-Email", Proxies: proxyLoopback, Rules: testRules}}
	r := httptest.NewRequest("GET", "/metrics", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	r.Header.Set("X-Email", "koordinator@kombit.dk")
	if u, ok := proxy.User(r); !ok || !u.Coordinator {
		t.Errorf("coordinator through the proxy: %+v, %v", u, ok)
	}
	r.RemoteAddr = "10.9.9.9:5000"
	if u, ok := proxy.User(r); ok {
		t.Errorf("the header from elsewhere than the proxy: %+v, %v", u, ok)
	}
}
