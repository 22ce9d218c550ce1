package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"

	"github.com/udrul/udrul/internal/lang"
)

// User is who asks, as the access rules see them.
type User struct {
	Email string
	// Coordinator users see every plan.
	Coordinator bool
	// Municipality, for a municipality's people, is the one whose plans
	// they see (from their e-mail domain); "" for no plans.
	Municipality string
}

// Sees reports whether u may see the plans of municipality m.
func (u *User) Sees(m string) bool {
	if u == nil || u.Coordinator {
		return true // nil: no access control (a loopback listener)
	}
	return u.Municipality != "" && strings.EqualFold(u.Municipality, m)
}

// Rules tell what an identified user may see, whichever way they were
// identified (a trusted proxy's header or an OpenID Connect login):
// coordinators (listed by e-mail or by a group claim) everything, a
// municipality's people (by e-mail domain) their own plans.
type Rules struct {
	// Coordinators are e-mail addresses that see everything.
	Coordinators []string
	// CoordinatorGroups are groups (from the OpenID Connect groups claim)
	// whose members see everything.
	CoordinatorGroups []string
	// Domains maps an e-mail domain ("aarhus.dk") to its municipality.
	Domains map[string]string
}

// decide returns the user with this e-mail address and groups, or nil and
// why they may see nothing. An address the identity provider has not
// verified grants nothing by itself (anyone can type one); only
// membership of a coordinators' group counts then.
func (r *Rules) decide(email string, verified bool, groups []string) (*User, reason) {
	email = strings.ToLower(strings.TrimSpace(email))
	at := strings.LastIndexByte(email, '@')
	if at <= 0 || at == len(email)-1 {
		return nil, reason{"ingen logget ind bruger", "no authenticated user"}
	}
	u := &User{Email: email}
	if len(r.coordinatorGroups(groups)) > 0 {
		u.Coordinator = true
		return u, reason{}
	}
	if !verified {
		return nil, reason{"identitetsudbyderen står ikke inde for e-mailadressen " + email + " (intet email_verified eller xms_edov sat til true for den), " +
			"og adgang efter adresse kræver det: administratoren kan tilføje de valgfrie claims email og xms_edov til ID-tokenet (Microsoft Entra ID), " +
			"eller gøre brugeren medlem af en koordinatorgruppe",
			"the identity provider does not vouch for the e-mail address " + email + " (no email_verified or xms_edov true for it), " +
				"and access by address needs that: the administrator can add the optional claims email and xms_edov to the ID token (Microsoft Entra ID), " +
				"or make the user a member of a coordinators' group"}
	}
	for _, c := range r.Coordinators {
		if strings.EqualFold(strings.TrimSpace(c), email) {
			u.Coordinator = true
		}
	}
	if u.Coordinator {
		return u, reason{}
	}
	domain := email[at+1:]
	for d, m := range r.Domains {
		if strings.EqualFold(strings.TrimPrefix(d, "@"), domain) {
			u.Municipality = m
		}
	}
	if u.Municipality == "" {
		return nil, reason{"brugeren " + email + " er hverken koordinator eller fra en kendt kommune",
			"the user " + email + " is neither a coordinator nor from a known municipality"}
	}
	return u, reason{}
}

// reason is why a request or login is refused, in Danish and English: the
// refusal page says it after "Adgang nægtet / access denied:" in the
// configured language, and the log keeps it.
type reason struct{ da, en string }

// in is the reason in Danish, or English when english is set.
func (r reason) in(english bool) string { return lang.Pick(english, r.da, r.en) }

// coordinatorGroups returns those of groups that make a coordinator.
func (r *Rules) coordinatorGroups(groups []string) []string {
	var out []string
	for _, g := range groups {
		for _, c := range r.CoordinatorGroups {
			if g != "" && strings.EqualFold(strings.TrimSpace(c), g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// Access identifies users from a trusted reverse proxy's header and lets
// Rules tell what they may see.
type Access struct {
	// Header carries the authenticated user's e-mail address, set by the
	// proxy in front (e.g. X-Forwarded-Email from oauth2-proxy).
	Header string
	// Proxies are the addresses or networks the header is trusted from;
	// a request from anywhere else is refused.
	Proxies []netip.Prefix
	Rules

	live liveRules
}

// liveRules are rules put in place of the configured ones while the view
// runs (a reloaded configuration), read by every request.
type liveRules struct{ p atomic.Pointer[Rules] }

// or returns the rules put in place, or configured when none were.
func (l *liveRules) or(configured *Rules) *Rules {
	if r := l.p.Load(); r != nil {
		return r
	}
	return configured
}

// SetRules puts r in place of the access rules from the next request on:
// a coordinator or a municipality's domain taken out of a reloaded
// configuration sees nothing more (a session included), without a restart.
func (s *Server) SetRules(r Rules) {
	if s.Access != nil {
		s.Access.live.p.Store(&r)
	}
	if s.OIDC != nil {
		s.OIDC.live.p.Store(&r)
	}
}

type userKey struct{}

// userOf returns the request's user; nil without access control.
func userOf(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

// wrap refuses requests that do not come through a trusted proxy with an
// e-mail, or whose user may see nothing, and logs every request with its
// user.
func (a *Access) wrap(next http.Handler, log logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		u, why := a.identify(r)
		if u == nil {
			text := why.in(log.english)
			log.Warn(log.say("web: forespørgsel afvist", "web: request refused"), "path", r.URL.Path, "remote", r.RemoteAddr, "reason", text)
			http.Error(w, "Adgang nægtet / access denied: "+text, http.StatusForbidden)
			return
		}
		log.Info(log.say("web-forespørgsel", "web request"), "user", u.Email, "path", r.URL.Path)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	})
}

func (a *Access) identify(r *http.Request) (*User, reason) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return nil, reason{"ukendt klientadresse", "unknown client address"}
	}
	trusted := false
	for _, p := range a.Proxies {
		if p.Contains(addr.Unmap()) {
			trusted = true
			break
		}
	}
	if !trusted {
		return nil, reason{"ikke gennem den betroede proxy", "not through the trusted proxy"}
	}
	// The proxy logged the user in: it answers for the address (oauth2-proxy
	// refuses unverified ones unless told otherwise).
	return a.live.or(&a.Rules).decide(r.Header.Get(a.Header), true, nil)
}
