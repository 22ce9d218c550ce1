package web

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/store"
)

// fakeIdP is an OpenID Connect provider as the specification describes it:
// a discovery document, a JWKS with a generated RSA key, an authorization
// endpoint that logs in whoever the test names, and a token endpoint that
// checks the code and the PKCE verifier and answers with a signed ID token.
type fakeIdP struct {
	t   *testing.T
	srv *httptest.Server
	key *rsa.PrivateKey
	// Who logs in next, with what groups; issuer overrides the ID token's
	// iss (a token from another issuer).
	email  string
	groups []string
	issuer string
	// claims replace or add ID token claims; a nil value removes one.
	claims map[string]any
	// refuse, when set, are the error parameters the authorization
	// endpoint redirects back with instead of a code (RFC 6749 4.1.2.1).
	refuse url.Values

	mu    sync.Mutex
	codes map[string]grant
}

type grant struct{ nonce, challenge, redirect string }

func newFakeIdP(t *testing.T) *fakeIdP {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &fakeIdP{t: t, key: key, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": p.srv.URL, "authorization_endpoint": p.srv.URL + "/authorize", "token_endpoint": p.srv.URL + "/token",
			"jwks_uri": p.srv.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"},
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"code_challenge_methods_supported": []string{"S256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		b64 := base64.RawURLEncoding.EncodeToString
		json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "k1",
			"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
			http.Error(w, "bad authorization request: "+r.URL.RawQuery, 400)
			return
		}
		if p.refuse != nil {
			u, _ := url.Parse(q.Get("redirect_uri"))
			v := url.Values{"state": {q.Get("state")}}
			for k, vs := range p.refuse {
				v[k] = vs
			}
			u.RawQuery = v.Encode()
			http.Redirect(w, r, u.String(), http.StatusFound)
			return
		}
		code := random()
		p.mu.Lock()
		p.codes[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
		p.mu.Unlock()
		u, _ := url.Parse(q.Get("redirect_uri"))
		u.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		p.mu.Lock()
		g, ok := p.codes[r.Form.Get("code")]
		delete(p.codes, r.Form.Get("code"))
		p.mu.Unlock()
		sum := sha256.Sum256([]byte(r.Form.Get("code_verifier")))
		id, secret, _ := r.BasicAuth()
		if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge || id != "udrul" || secret != "hemmelig" || r.Form.Get("redirect_uri") != g.redirect {
			w.WriteHeader(400)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
			return
		}
		iss := p.srv.URL
		if p.issuer != "" {
			iss = p.issuer
		}
		now := time.Now()
		w.Header().Set("Content-Type", "application/json")
		claims := map[string]any{"iss": iss, "sub": p.email, "aud": "udrul", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(),
			"nonce": g.nonce, "email": p.email, "email_verified": true, "groups": p.groups}
		for k, v := range p.claims {
			if v == nil {
				delete(claims, k)
			} else {
				claims[k] = v
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600, "id_token": p.sign(claims)})
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

// sign makes an RS256 JWT.
func (p *fakeIdP) sign(claims map[string]any) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	in := enc(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "k1"}) + "." + enc(claims)
	sum := sha256.Sum256([]byte(in))
	sig, err := rsa.SignPKCS1v15(rand.Reader, p.key, crypto.SHA256, sum[:])
	if err != nil {
		p.t.Fatal(err)
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// oidcServer is the web view behind OIDC login with the fake provider.
func oidcServer(t *testing.T, idp *fakeIdP, now func() time.Time) (*httptest.Server, *OIDC) {
	t.Helper()
	d := fixture()
	o := &OIDC{Issuer: idp.srv.URL, ClientID: "udrul", ClientSecret: "hemmelig", GroupsClaim: "groups", Key: []byte("0123456789abcdef0123456789abcdef"),
		Rules: testRules, Now: now}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := &Server{Load: func(context.Context) (*reports.Data, error) { return d, nil }, OIDC: o, Location: time.UTC, DB: db,
		Now: func() time.Time { return time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC) }}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	o.RedirectURL = ts.URL + "/auth/callback"
	return ts, o
}

// jarClient is a client with a cookie jar that follows redirects, as a
// browser does.
func jarClient(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

func fetch(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

// TestOIDC_login: a coordinator (by group claim) and a municipal user (by
// e-mail domain) log in through the real callback; the municipal user
// cannot see another municipality's plan, in pages or API.
func TestOIDC_login(t *testing.T) {
	idp := newFakeIdP(t)
	ts, _ := oidcServer(t, idp, nil)

	// Not logged in: pages go to the login, the API answers 401.
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := anon.Get(ts.URL + "/plan/Aarhus/KY")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.Header.Get("Location"), "/auth/login?next=%2Fplan%2FAarhus%2FKY"; resp.StatusCode != 302 || got != want {
		t.Errorf("page without login: %d to %q, want 302 to %q", resp.StatusCode, got, want)
	}
	if code, _ := fetch(t, anon, ts.URL+"/api/overview"); code != 401 {
		t.Errorf("API without login: %d, want 401", code)
	}

	t.Run("coordinator by group", func(t *testing.T) {
		idp.email, idp.groups = "chef@kombit.dk", []string{"andre", "udrul-koordinatorer"}
		c := jarClient(t)
		code, body := fetch(t, c, ts.URL+"/auth/login?next=/plan/Vejle/KY")
		if code != 200 || !strings.Contains(body, "Vejle · KY") {
			t.Fatalf("after login: %d %s", code, body)
		}
		for _, p := range []string{"/plan/Aarhus/KY", "/api/plans/Vejle/KY", "/api/sources"} {
			if code, body := fetch(t, c, ts.URL+p); code != 200 {
				t.Errorf("%s: %d, want 200: %s", p, code, body)
			}
		}
		u, _ := url.Parse(ts.URL)
		for _, ck := range c.Jar.Cookies(u) {
			if ck.Name == loginCookie {
				t.Errorf("the login cookie stays after the callback")
			}
		}
	})
	t.Run("municipal user", func(t *testing.T) {
		idp.email, idp.groups = "pl@Aarhus.dk", nil
		c := jarClient(t)
		if code, body := fetch(t, c, ts.URL+"/auth/login"); code != 200 || !strings.Contains(body, "Aarhus") || strings.Contains(body, "Vejle") ||
			!strings.Contains(body, `pl@aarhus.dk <form class="logout" method="post" action="/auth/logout"><button type="submit">log ud</button></form>`) {
			t.Fatalf("after login: %d %s", code, body)
		}
		tests := []struct {
			path string
			want int
		}{
			{"/plan/Aarhus/KY", 200}, {"/api/plans/Aarhus/KSD", 200},
			{"/plan/Vejle/KY", 403}, {"/api/plans/Vejle/KY", 403}, {"/task/31", 403}, {"/api/sources", 403},
		}
		for _, tt := range tests {
			if code, _ := fetch(t, c, ts.URL+tt.path); code != tt.want {
				t.Errorf("%s: %d, want %d", tt.path, code, tt.want)
			}
		}
	})
	t.Run("logout", func(t *testing.T) {
		idp.email, idp.groups = "pl@aarhus.dk", nil
		c := jarClient(t)
		fetch(t, c, ts.URL+"/auth/login")
		if code, _ := fetch(t, c, ts.URL+"/api/plans/Aarhus/KY"); code != 200 {
			t.Fatalf("logged in: %d", code)
		}
		resp, err := c.Post(ts.URL+"/auth/logout", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if code, _ := fetch(t, c, ts.URL+"/api/plans/Aarhus/KY"); code != 401 {
			t.Errorf("after logout: %d, want 401", code)
		}
	})
	t.Run("unknown user", func(t *testing.T) {
		idp.email, idp.groups = "x@gmail.com", nil
		if code, body := fetch(t, jarClient(t), ts.URL+"/auth/login"); code != 403 || !strings.Contains(body, "x@gmail.com") {
			t.Errorf("unknown user: %d %s", code, body)
		}
	})
	t.Run("wrong issuer", func(t *testing.T) {
		idp.email, idp.issuer = "koordinator@kombit.dk", "https://evil.example"
		defer func() { idp.issuer = "" }()
		c := jarClient(t)
		if code, body := fetch(t, c, ts.URL+"/auth/login"); code != 403 || !strings.Contains(body, "ID-tokenet er ikke gyldigt") {
			t.Errorf("token from another issuer: %d %s", code, body)
		}
		if code, _ := fetch(t, c, ts.URL+"/api/overview"); code != 401 {
			t.Errorf("after a refused login the API answers %d, want 401", code)
		}
	})
	t.Run("refused by the identity provider", func(t *testing.T) {
		defer func() { idp.refuse = nil }()
		for _, tc := range []struct {
			name    string
			refuse  url.Values
			want    string
			notWant string
		}{
			{"access denied", url.Values{"error": {"access_denied"}}, "brugeren eller identitetsudbyderen sagde nej", "access_denied"},
			{"consent", url.Values{"error": {"consent_required"}}, "samtykke", ""},
			{"unknown code", url.Values{"error": {"weird_thing"}}, "(weird_thing)", ""},
			{"text instead of a code", url.Values{"error": {"Ring 70 20 30 40 og oplys dit kodeord"}, "error_description": {"<b>x</b>"}},
				"ukendt fejl", "kodeord"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				idp.refuse = tc.refuse
				code, body := fetch(t, jarClient(t), ts.URL+"/auth/login")
				if code != 403 || !strings.Contains(body, tc.want) || tc.notWant != "" && strings.Contains(body, tc.notWant) {
					t.Errorf("refused login: %d %q, want 403 saying %q and not %q", code, body, tc.want, tc.notWant)
				}
			})
		}
	})
	t.Run("callback without login", func(t *testing.T) {
		if code, _ := fetch(t, jarClient(t), ts.URL+"/auth/callback?code=x&state=y"); code != 403 {
			t.Errorf("callback that did not start here: %d, want 403", code)
		}
	})
}

// TestOIDC_cookies: forged, tampered, expired and foreign-key cookies are
// refused; the cookie is HttpOnly, SameSite=Lax, Secure when asked.
func TestOIDC_cookies(t *testing.T) {
	idp := newFakeIdP(t)
	now := time.Now()
	clock := func() time.Time { return now }
	ts, o := oidcServer(t, idp, clock)
	o.Secure = false
	idp.email = "pl@aarhus.dk"
	c := jarClient(t)
	if code, body := fetch(t, c, ts.URL+"/auth/login"); code != 200 {
		t.Fatalf("login: %d %s", code, body)
	}
	u, _ := url.Parse(ts.URL)
	var good string
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			good = ck.Value
		}
	}
	if good == "" {
		t.Fatal("no session cookie")
	}
	payload, _, _ := strings.Cut(good, ".")
	forgedPayload := base64.RawURLEncoding.EncodeToString([]byte(`{"e":"koordinator@kombit.dk","x":9999999999}`))
	other := &OIDC{Key: []byte("another key, another key, another")}
	tests := []struct {
		name   string
		cookie string
		want   int
	}{
		{"valid", good, 200},
		{"forged payload, old signature", forgedPayload + "." + strings.SplitN(good, ".", 2)[1], 401},
		{"signed with another key", forgedPayload + "." + other.sign(sessionCookie, forgedPayload), 401},
		{"login cookie's signature", payload + "." + o.sign(loginCookie, payload), 401},
		{"no signature", payload, 401},
		{"garbage", "!!!", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+"/api/plans/Aarhus/KY", nil)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tt.cookie})
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	t.Run("expired", func(t *testing.T) {
		now = now.Add(13 * time.Hour)
		defer func() { now = now.Add(-13 * time.Hour) }()
		if code, _ := fetch(t, c, ts.URL+"/api/plans/Aarhus/KY"); code != 401 {
			t.Errorf("expired session: %d, want 401", code)
		}
	})
	t.Run("attributes", func(t *testing.T) {
		o.Secure = true
		defer func() { o.Secure = false }()
		rec := httptest.NewRecorder()
		o.set(rec, sessionCookie, session{Email: "a@b.dk"}, time.Hour)
		got := rec.Header().Get("Set-Cookie")
		for _, want := range []string{"__Host-" + sessionCookie + "=", "HttpOnly", "Secure", "SameSite=Lax", "Max-Age=3600", "Path=/"} {
			if !strings.Contains(got, want) {
				t.Errorf("Set-Cookie %q lacks %s", got, want)
			}
		}
		if strings.Contains(strings.ToLower(got), "domain=") {
			t.Errorf("Set-Cookie %q names a domain", got)
		}
		// The __Host- cookie is what is read back; a plain one (planted by
		// a sibling site over http) is not.
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Cookie", strings.SplitN(got, ";", 2)[0])
		var back session
		if !o.get(req, sessionCookie, &back) || back.Email != "a@b.dk" {
			t.Errorf("the __Host- cookie is not read back")
		}
		plain := httptest.NewRequest("GET", "/", nil)
		plain.Header.Set("Cookie", strings.TrimPrefix(strings.SplitN(got, ";", 2)[0], "__Host-"))
		if o.get(plain, sessionCookie, &back) {
			t.Errorf("a cookie without the __Host- prefix is read over https")
		}
	})
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{"/plan/a/b?x=1": "/plan/a/b?x=1", "//evil.example": "/", "https://evil.example": "/", "/\\evil": "/", "": "/", "/\t/evil.example": "/", "/\n/evil.example": "/", "/a\\b": "/"} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOIDC_providerDown: while the provider does not answer, the login
// says so (502) and the view keeps refusing; once it answers, the login
// works without a restart.
func TestOIDC_providerDown(t *testing.T) {
	idp := newFakeIdP(t)
	ts, o := oidcServer(t, idp, nil)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	o.Issuer = down.URL
	if code, body := fetch(t, jarClient(t), ts.URL+"/auth/login"); code != http.StatusBadGateway || !strings.Contains(body, "svarer ikke") {
		t.Errorf("provider down: %d %s", code, body)
	}
	o.Issuer = idp.srv.URL
	idp.email = "pl@vejle.dk"
	if code, body := fetch(t, jarClient(t), ts.URL+"/auth/login?next=/plan/Vejle/KY"); code != 200 || !strings.Contains(body, "Vejle · KY") {
		t.Errorf("provider back: %d %s", code, body)
	}
}
