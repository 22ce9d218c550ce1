package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/udrul/udrul/store"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"
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
	// EmailClaimVerified trusts EmailClaim's address without the
	// provider saying it is verified (Entra ID's upn); see identity.
	EmailClaimVerified bool
	// Key signs the cookies (HMAC-SHA256); at least 32 bytes.
	Key []byte
	// Secure marks the cookies Secure (the view is served over https).
	Secure bool
	// Session is how long a login lasts (8 hours when zero).
	Session time.Duration
	Rules
	live liveRules
	// DB keeps the sessions ended before their time (logging out, `udrul
	// sessions revoke`); the web view's Server.DB when nil. Without one a
	// session cannot be ended before it expires.
	DB *store.DB
	// Now is the clock (tests set it).
	Now func() time.Time

	mu       sync.Mutex // held while the discovery document is read
	provider *oidc.Provider

	setup   sync.Mutex // guards revoked and exchanges
	revoked *revocations
	// exchanges limits the code exchanges with the provider, so a flood of
	// callbacks cannot make udrul flood the provider or hold connections.
	exchanges *rate.Limiter
}

const (
	sessionCookie = "udrul_session"
	loginCookie   = "udrul_login"
	loginTTL      = 10 * time.Minute
)

// DefaultSession is how long a login lasts when Session is not set.
const DefaultSession = 8 * time.Hour

// session is what the session cookie holds: its ID and when it was issued
// (to end it before its time), who, whether the provider vouched for their
// address, the groups that make them a coordinator, and until when. What
// they may see is decided again on every request, so a changed
// configuration takes effect at once.
type session struct {
	ID         string   `json:"i"`
	Issued     int64    `json:"t"`
	Email      string   `json:"e"`
	Unverified bool     `json:"u,omitempty"`
	Groups     []string `json:"g,omitempty"`
	Expires    int64    `json:"x"`
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
func (o *OIDC) routes(mux *http.ServeMux, log logger) {
	mux.HandleFunc("GET /auth/login", func(w http.ResponseWriter, r *http.Request) { o.login(w, r, log) })
	mux.HandleFunc("GET /auth/callback", func(w http.ResponseWriter, r *http.Request) { o.callback(w, r, log) })
	// Logging out changes state, so it is a POST (from the pages' button,
	// checked against cross-site requests); GET shows the button.
	mux.HandleFunc("GET /auth/logout", func(w http.ResponseWriter, r *http.Request) { authPage(w, http.StatusOK, logoutForm) })
	mux.HandleFunc("POST /auth/logout", func(w http.ResponseWriter, r *http.Request) { o.logout(w, r, log) })
}

// authPage answers with one of the login's small pages.
func authPage(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprint(w, `<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`+
		`<title>udrul</title><link rel="stylesheet" href="/static/style.css"><link rel="icon" href="/static/favicon.svg" type="image/svg+xml"></head><body><main class="auth"><h1>udrul</h1>`+body+`</main></body></html>`)
}

const (
	logoutForm = `<form method="post" action="/auth/logout"><p>Log ud af udrul? / Log out of udrul?</p><button type="submit">Log ud / Log out</button></form>`
	loggedOut  = `<p>Du er logget ud. / You are logged out.</p><p><a href="/auth/login">Log ind igen / Log in again</a></p>`
)

// logout ends the session: it is recorded as ended, so the cookie is
// refused from now on even if a copy of it is used elsewhere.
func (o *OIDC) logout(w http.ResponseWriter, r *http.Request, log logger) {
	var s session
	if o.get(r, sessionCookie, &s) && s.ID != "" && o.revoked != nil {
		rv, err := o.revoked.end(r.Context(), s)
		if err != nil {
			log.Error(log.say("web: log ud: sessionen kunne ikke afsluttes", "web: logout: the session could not be ended"), "user", s.Email, "err", err)
			authPage(w, http.StatusInternalServerError, `<p>Log ud mislykkedes: sessionen kunne ikke afsluttes. Prøv igen. / Logging out failed: the session could not be ended. Try again.</p>`+logoutForm)
			return
		}
		log.Info(log.say("web: logget ud", "web: logged out"), "user", s.Email, "at", rv.At)
	}
	o.clear(w, sessionCookie)
	authPage(w, http.StatusOK, loggedOut)
}

func (o *OIDC) login(w http.ResponseWriter, r *http.Request, log logger) {
	_, cfg, err := o.discover(r.Context())
	if err != nil {
		log.Error(log.say("web: login er ikke muligt", "web: login impossible"), "err", err)
		http.Error(w, "Login er ikke muligt lige nu: udbyderen af login svarer ikke. Prøv igen om lidt. / Login is not possible now: the identity provider does not answer.", http.StatusBadGateway)
		return
	}
	p := pending{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), Next: localPath(r.URL.Query().Get("next")),
		Expires: o.now().Add(loginTTL).Unix()}
	o.set(w, loginCookie, p, loginTTL)
	http.Redirect(w, r, cfg.AuthCodeURL(p.State, oidc.Nonce(p.Nonce), oauth2.S256ChallengeOption(p.Verifier)), http.StatusFound)
}

func (o *OIDC) callback(w http.ResponseWriter, r *http.Request, log logger) {
	refuse := func(why reason, err error) {
		text := why.in(log.english)
		log.Warn(log.say("web: login afvist", "web: login refused"), "remote", r.RemoteAddr, "reason", text, "err", err)
		http.Error(w, "Adgang nægtet / access denied: "+text, http.StatusForbidden)
	}
	var p pending
	if !o.get(r, loginCookie, &p) || o.now().Unix() > p.Expires {
		refuse(reason{"login tog for lang tid eller begyndte ikke her; log ind igen", "the login took too long or did not start here; log in again"}, nil)
		return
	}
	o.clear(w, loginCookie)
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		refuse(providerRefusal(e), fmt.Errorf("identity provider error %q", e[:min(len(e), 100)]))
		return
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(p.State)) != 1 {
		refuse(reason{"loginnets tilstand (state) passer ikke; log ind igen", "the login's state does not match; log in again"}, nil)
		return
	}
	if !o.limiter().Allow() {
		log.Warn(log.say("web: for mange logins på én gang; et afvist", "web: too many logins at once; one refused"), "remote", r.RemoteAddr)
		w.Header().Set("Retry-After", "10")
		http.Error(w, "For mange logins lige nu; prøv igen om lidt. / Too many logins right now; try again in a moment.", http.StatusTooManyRequests)
		return
	}
	provider, cfg, err := o.discover(r.Context())
	if err != nil {
		refuse(reason{"identitetsudbyderen svarer ikke", "the identity provider does not answer"}, err)
		return
	}
	tok, err := cfg.Exchange(idpContext(r.Context()), q.Get("code"), oauth2.VerifierOption(p.Verifier))
	if err != nil {
		refuse(reason{"identitetsudbyderen godtog ikke loginkoden", "the identity provider did not accept the login code"}, err)
		return
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		refuse(reason{"identitetsudbyderen sendte intet ID-token", "the identity provider sent no ID token"}, nil)
		return
	}
	id, err := provider.Verifier(&oidc.Config{ClientID: o.ClientID, Now: o.now}).Verify(idpContext(r.Context()), raw)
	if err != nil {
		refuse(reason{"ID-tokenet er ikke gyldigt", "the ID token is not valid"}, err)
		return
	}
	if subtle.ConstantTimeCompare([]byte(id.Nonce), []byte(p.Nonce)) != 1 {
		refuse(reason{"ID-tokenets nonce passer ikke; log ind igen", "the ID token's nonce does not match; log in again"}, nil)
		return
	}
	var claims map[string]any
	if err := id.Claims(&claims); err != nil {
		refuse(reason{"ID-tokenets claims kan ikke læses", "the ID token's claims cannot be read"}, err)
		return
	}
	email, verified, groups, why := o.identity(claims)
	if why != (reason{}) {
		refuse(why, nil)
		return
	}
	u, why := o.live.or(&o.Rules).decide(email, verified, groups)
	if u == nil {
		refuse(why, nil)
		return
	}
	ttl := o.Session
	if ttl <= 0 {
		ttl = DefaultSession
	}
	now := o.now()
	o.set(w, sessionCookie, session{ID: random(), Issued: now.Unix(), Email: u.Email, Unverified: !verified, Groups: o.live.or(&o.Rules).coordinatorGroups(groups),
		Expires: now.Add(ttl).Unix()}, ttl)
	log.Info(log.say("web: logget ind", "web: logged in"), "user", u.Email, "verified", verified, "coordinator", u.Coordinator, "municipality", u.Municipality)
	http.Redirect(w, r, p.Next, http.StatusFound)
}

// prepare sets up ending sessions in db (unless DB names another store).
func (o *OIDC) prepare(db *store.DB) {
	o.setup.Lock()
	defer o.setup.Unlock()
	if o.DB == nil {
		o.DB = db
	}
	if o.revoked == nil && o.DB != nil {
		o.revoked = &revocations{db: o.DB}
	}
}

// limiter is the code exchanges' rate: 20 at once, then 5 a second.
func (o *OIDC) limiter() *rate.Limiter {
	o.setup.Lock()
	defer o.setup.Unlock()
	if o.exchanges == nil {
		o.exchanges = rate.NewLimiter(5, 20)
	}
	return o.exchanges
}

// identity reads the e-mail address, whether the provider vouches for it,
// and the groups from the ID token's claims.
//
// The address grants access by itself (a coordinator by address, a
// municipality by domain) only when verified, because an unverified one
// can be anything its owner typed: the email claim with email_verified
// true (OpenID Connect) or xms_edov true (Microsoft Entra ID: the
// address's domain is owned by the user's tenant, or it is a Microsoft,
// Google or one-time-passcode account); another claim (preferred_username,
// upn) only when it holds the same address as such an email claim, or
// when EmailClaimVerified says the provider guarantees its domain. A
// provider saying false for the address makes it unverified whatever else
// it says. Groups come from the provider's directory, so a coordinator by
// group needs no verified address.
func (o *OIDC) identity(claims map[string]any) (email string, verified bool, groups []string, why reason) {
	name := o.EmailClaim
	if name == "" {
		name = "email"
	}
	email, _ = claims[name].(string)
	email = strings.TrimSpace(email)
	if email == "" {
		return "", false, nil, reason{fmt.Sprintf("ID-tokenet har ingen e-mailadresse i sit claim %q", name), fmt.Sprintf("the ID token has no e-mail address in its claim %q", name)}
	}
	verified = o.EmailClaimVerified && !strings.EqualFold(name, "email") && !strings.EqualFold(name, "preferred_username")
	if addr, _ := claims["email"].(string); strings.EqualFold(strings.TrimSpace(addr), email) {
		ev, evSaid := claimBool(claims["email_verified"])
		dv, dvSaid := claimBool(claims["xms_edov"])
		switch {
		case evSaid && !ev, dvSaid && !dv:
			verified = false
		case ev || dv:
			verified = true
		}
	}
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
	return email, verified, groups, reason{}
}

// claimBool reads a yes/no claim as providers send it (true, "true", 1,
// "1"); said is false when the claim is absent or unreadable.
func claimBool(v any) (value, said bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	case float64:
		return x != 0, x == 0 || x == 1
	}
	return false, false
}

// wrap lets requests with a valid session through, sends pages without one
// to the login and refuses API requests without one (401).
func (o *OIDC) wrap(next http.Handler, log logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") || strings.HasPrefix(r.URL.Path, "/auth/") {
			next.ServeHTTP(w, r)
			return
		}
		u, s, why, err := o.sessionUser(r)
		switch {
		case err != nil:
			log.Error(log.say("web: sessionen kan ikke kontrolleres", "web: the session cannot be checked"), "path", r.URL.Path, "err", err)
			http.Error(w, "Sessionen kan ikke kontrolleres lige nu; prøv igen om lidt. / The session cannot be checked right now; try again in a moment.", http.StatusServiceUnavailable)
			return
		case s == nil:
			if why != (reason{}) {
				o.clear(w, sessionCookie)
				log.Info(log.say("web: afsluttet session afvist", "web: ended session refused"), "path", r.URL.Path, "reason", why.in(log.english))
			}
			if strings.HasPrefix(r.URL.Path, "/api/") {
				http.Error(w, "Log ind først / log in first: "+strings.TrimSuffix(o.RedirectURL, "/auth/callback")+"/auth/login", http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, "/auth/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
			return
		case u == nil:
			text := why.in(log.english)
			log.Warn(log.say("web: forespørgsel afvist", "web: request refused"), "path", r.URL.Path, "user", s.Email, "reason", text)
			http.Error(w, "Adgang nægtet / access denied: "+text, http.StatusForbidden)
			return
		}
		log.Info(log.say("web-forespørgsel", "web request"), "user", u.Email, "path", r.URL.Path)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	})
}

// sessionUser reads the request's session. s is nil when there is no
// usable one (none, forged, expired, from before this version, or ended:
// then why says so); u is nil when the rules refuse its user (why says
// why); err when the ended sessions cannot be read.
func (o *OIDC) sessionUser(r *http.Request) (u *User, s *session, why reason, err error) {
	var c session
	if !o.get(r, sessionCookie, &c) || o.now().Unix() > c.Expires || c.ID == "" || c.Issued == 0 {
		return nil, nil, reason{}, nil
	}
	if o.revoked != nil {
		ended, err := o.revoked.ended(r.Context(), c, o.now())
		if err != nil {
			return nil, nil, reason{}, err
		}
		if ended {
			return nil, nil, reason{"sessionen er afsluttet (logget ud eller tilbagekaldt)", "the session was ended (logged out or revoked)"}, nil
		}
	}
	u, why = o.live.or(&o.Rules).decide(c.Email, !c.Unverified, c.Groups)
	return u, &c, why, nil
}

// cookieName is the cookie's name in the browser: over https with the
// __Host- prefix, which the browser keeps to this host (no Domain, Path /,
// Secure), so a sibling site cannot plant one.
func (o *OIDC) cookieName(name string) string {
	if o.Secure {
		return "__Host-" + name
	}
	return name
}

// set writes v to a signed cookie: base64(JSON).base64(HMAC).
func (o *OIDC) set(w http.ResponseWriter, name string, v any, ttl time.Duration) {
	b, _ := json.Marshal(v)
	payload := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: o.cookieName(name), Value: payload + "." + o.sign(name, payload), Path: "/", MaxAge: int(ttl.Seconds()),
		HttpOnly: true, Secure: o.Secure, SameSite: http.SameSiteLaxMode})
}

// get reads a signed cookie into v; false when absent, forged or unreadable.
func (o *OIDC) get(r *http.Request, name string, v any) bool {
	c, err := r.Cookie(o.cookieName(name))
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
	http.SetCookie(w, &http.Cookie{Name: o.cookieName(name), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: o.Secure, SameSite: http.SameSiteLaxMode})
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

// providerRefusal says in words why the identity provider refused a login,
// from the error code it redirected back with (RFC 6749 4.1.2.1, OpenID
// Connect Core 3.1.2.6). The code arrives in the callback's URL, which
// anyone can craft: only a code's own characters are ever shown, never
// free text ("call this number ...").
func providerRefusal(code string) reason {
	const da, en = "identitetsudbyderen afviste login: ", "the identity provider refused the login: "
	switch code {
	case "access_denied":
		return reason{da + "brugeren eller identitetsudbyderen sagde nej", en + "the user or the identity provider said no"}
	case "login_required", "interaction_required", "account_selection_required":
		return reason{da + "du skal logge ind hos identitetsudbyderen; log ind igen", en + "you must sign in with the identity provider; log in again"}
	case "consent_required":
		return reason{da + "udrul mangler samtykke hos identitetsudbyderen; spørg jeres it-afdeling", en + "udrul lacks consent with the identity provider; ask your IT department"}
	case "unauthorized_client", "invalid_client", "unsupported_response_type", "invalid_scope", "invalid_request":
		return reason{da + "udrul er ikke sat rigtigt op hos identitetsudbyderen (" + code + "); spørg den der driver udrul",
			en + "udrul is not set up right with the identity provider (" + code + "); ask whoever runs udrul"}
	case "server_error", "temporarily_unavailable":
		return reason{da + "identitetsudbyderen har en fejl lige nu; prøv igen om lidt", en + "the identity provider has a fault right now; try again in a moment"}
	}
	if len(code) <= 40 && strings.Trim(code, "abcdefghijklmnopqrstuvwxyz_") == "" {
		return reason{da + "(" + code + ")", en + "(" + code + ")"}
	}
	return reason{da + "ukendt fejl", en + "an unknown error"}
}
