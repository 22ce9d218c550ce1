package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDC logs users in with OpenID Connect (Microsoft Entra ID, or any
// standard provider) and keeps them logged in with a signed session cookie;
// Rules tell what they may see, as behind a proxy.
type OIDC struct {
	// Issuer is the provider's issuer URL; its discovery document is read
	// on the first login (and again after a failure).
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is this view's /auth/callback as the browser reaches it.
	RedirectURL string
	// EmailClaim names the ID token's e-mail claim ("email" when empty);
	// GroupsClaim the groups claim ("" for none).
	EmailClaim  string
	GroupsClaim string
	// Key signs the cookies (HMAC-SHA256); at least 32 bytes.
	Key []byte
	// Secure marks the cookies Secure (the view is served over https).
	Secure bool
	// Session is how long a login lasts (12 hours when zero).
	Session time.Duration
	Rules
	// Now is the clock (tests set it).
	Now func() time.Time

	mu       sync.Mutex
	provider *oidc.Provider
}

const (
	sessionCookie = "udrul_session"
	loginCookie   = "udrul_login"
	loginTTL      = 10 * time.Minute
)

// session is what the session cookie holds: who, the groups that make them
// a coordinator, and until when. What they may see is decided again on
// every request, so a changed configuration takes effect at once.
type session struct {
	Email   string   `json:"e"`
	Groups  []string `json:"g,omitempty"`
	Expires int64    `json:"x"`
}

// pending is a login under way: what the callback must find again.
type pending struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"t"`
	Expires  int64  `json:"x"`
}

func (o *OIDC) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// idpClient talks to the provider: a provider that does not answer fails
// the login in bounded time.
var idpClient = &http.Client{Timeout: 20 * time.Second}

// idpContext makes the OIDC and OAuth2 libraries use idpClient.
func idpContext(ctx context.Context) context.Context {
	return context.WithValue(oidc.ClientContext(ctx, idpClient), oauth2.HTTPClient, idpClient)
}

// discover reads the provider's discovery document once it answers.
func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, *oauth2.Config, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider == nil {
		p, err := oidc.NewProvider(idpContext(ctx), o.Issuer)
		if err != nil {
			return nil, nil, fmt.Errorf("read the OpenID Connect discovery document of %s: %w", o.Issuer, err)
		}
		o.provider = p
	}
	return o.provider, &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURL,
		Endpoint: o.provider.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}, nil
}

// routes adds the login, callback and logout endpoints.
func (o *OIDC) routes(mux *http.ServeMux, log *slog.Logger) {
	mux.HandleFunc("GET /auth/login", func(w http.ResponseWriter, r *http.Request) { o.login(w, r, log) })
	mux.HandleFunc("GET /auth/callback", func(w http.ResponseWriter, r *http.Request) { o.callback(w, r, log) })
	mux.HandleFunc("GET /auth/logout", func(w http.ResponseWriter, r *http.Request) {
		o.clear(w, sessionCookie)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "Du er logget ud / you are logged out.")
	})
}

func (o *OIDC) login(w http.ResponseWriter, r *http.Request, log *slog.Logger) {
	_, cfg, err := o.discover(r.Context())
	if err != nil {
		log.Error("web: login impossible", "err", err)
		http.Error(w, "Login er ikke muligt lige nu: udbyderen af login svarer ikke. Prøv igen om lidt. / Login is not possible now: the identity provider does not answer.", http.StatusBadGateway)
		return
	}
	p := pending{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), Next: localPath(r.URL.Query().Get("next")),
		Expires: o.now().Add(loginTTL).Unix()}
	o.set(w, loginCookie, p, loginTTL)
	http.Redirect(w, r, cfg.AuthCodeURL(p.State, oidc.Nonce(p.Nonce), oauth2.S256ChallengeOption(p.Verifier)), http.StatusFound)
}

func (o *OIDC) callback(w http.ResponseWriter, r *http.Request, log *slog.Logger) {
	refuse := func(why string, err error) {
		log.Warn("web: login refused", "remote", r.RemoteAddr, "reason", why, "err", err)
		http.Error(w, "Adgang nægtet / access denied: "+why, http.StatusForbidden)
	}
	var p pending
	if !o.get(r, loginCookie, &p) || o.now().Unix() > p.Expires {
		refuse("the login took too long or did not start here; log in again", nil)
		return
	}
	o.clear(w, loginCookie)
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		refuse("the identity provider refused the login ("+e+")", nil)
		return
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(p.State)) != 1 {
		refuse("the login's state does not match; log in again", nil)
		return
	}
	provider, cfg, err := o.discover(r.Context())
	if err != nil {
		refuse("the identity provider does not answer", err)
		return
	}
	tok, err := cfg.Exchange(idpContext(r.Context()), q.Get("code"), oauth2.VerifierOption(p.Verifier))
	if err != nil {
		refuse("the identity provider did not accept the login code", err)
		return
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		refuse("the identity provider sent no ID token", nil)
		return
	}
	id, err := provider.Verifier(&oidc.Config{ClientID: o.ClientID, Now: o.now}).Verify(idpContext(r.Context()), raw)
	if err != nil {
		refuse("the ID token is not valid", err)
		return
	}
	if subtle.ConstantTimeCompare([]byte(id.Nonce), []byte(p.Nonce)) != 1 {
		refuse("the ID token's nonce does not match; log in again", nil)
		return
	}
	var claims map[string]any
	if err := id.Claims(&claims); err != nil {
		refuse("the ID token's claims cannot be read", err)
		return
	}
	email, groups, err := o.identity(claims)
	if err != nil {
		refuse(err.Error(), nil)
		return
	}
	u, why := o.decide(email, groups)
	if u == nil {
		refuse(why, nil)
		return
	}
	ttl := o.Session
	if ttl <= 0 {
		ttl = 12 * time.Hour
	}
	o.set(w, sessionCookie, session{Email: u.Email, Groups: o.coordinatorGroups(groups), Expires: o.now().Add(ttl).Unix()}, ttl)
	log.Info("web: logged in", "user", u.Email, "coordinator", u.Coordinator, "municipality", u.Municipality)
	http.Redirect(w, r, p.Next, http.StatusFound)
}

// identity reads the e-mail and groups from the ID token's claims.
func (o *OIDC) identity(claims map[string]any) (string, []string, error) {
	name := o.EmailClaim
	if name == "" {
		name = "email"
	}
	email, _ := claims[name].(string)
	if email == "" {
		return "", nil, fmt.Errorf("the ID token has no e-mail address in its claim %q", name)
	}
	if v, ok := claims["email_verified"].(bool); ok && !v && name == "email" {
		return "", nil, errors.New("the identity provider has not verified the e-mail address " + email)
	}
	var groups []string
	if o.GroupsClaim != "" {
		switch g := claims[o.GroupsClaim].(type) {
		case string:
			groups = []string{g}
		case []any:
			for _, x := range g {
				if s, ok := x.(string); ok {
					groups = append(groups, s)
				}
			}
		}
	}
	return email, groups, nil
}

// wrap lets requests with a valid session through, sends pages without one
// to the login and refuses API requests without one (401).
func (o *OIDC) wrap(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") || strings.HasPrefix(r.URL.Path, "/auth/") {
			next.ServeHTTP(w, r)
			return
		}
		var s session
		if !o.get(r, sessionCookie, &s) || o.now().Unix() > s.Expires {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				http.Error(w, "Log ind først / log in first: "+strings.TrimSuffix(o.RedirectURL, "/auth/callback")+"/auth/login", http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, "/auth/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
			return
		}
		u, why := o.decide(s.Email, s.Groups)
		if u == nil {
			log.Warn("web: request refused", "path", r.URL.Path, "user", s.Email, "reason", why)
			http.Error(w, "Adgang nægtet / access denied: "+why, http.StatusForbidden)
			return
		}
		log.Info("web request", "user", u.Email, "path", r.URL.Path)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	})
}

// set writes v to a signed cookie: base64(JSON).base64(HMAC).
func (o *OIDC) set(w http.ResponseWriter, name string, v any, ttl time.Duration) {
	b, _ := json.Marshal(v)
	payload := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: name, Value: payload + "." + o.sign(name, payload), Path: "/", MaxAge: int(ttl.Seconds()),
		HttpOnly: true, Secure: o.Secure, SameSite: http.SameSiteLaxMode})
}

// get reads a signed cookie into v; false when absent, forged or unreadable.
func (o *OIDC) get(r *http.Request, name string, v any) bool {
	c, err := r.Cookie(name)
	if err != nil {
		return false
	}
	payload, sig, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(o.sign(name, payload))) {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	return err == nil && json.Unmarshal(b, v) == nil
}

func (o *OIDC) clear(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: o.Secure, SameSite: http.SameSiteLaxMode})
}

// sign is the cookie's HMAC, over its name too so one cookie cannot stand
// in for another.
func (o *OIDC) sign(name, payload string) string {
	m := hmac.New(sha256.New, o.Key)
	m.Write([]byte(name + "\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// random is 128 bits, URL-safe.
func random() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// localPath keeps a post-login redirect on this site.
func localPath(p string) string {
	// Browsers drop tabs and newlines and read "\\" as "/" in a Location,
	// so "/\t/evil.example" would leave the site: refuse any control
	// character or backslash, and anything not a single-slash path.
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\") ||
		strings.IndexFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return "/"
	}
	return p
}
