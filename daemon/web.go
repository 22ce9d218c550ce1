package daemon

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/web"
)

// webView makes the web view for the running configuration. On a listener
// beyond loopback it refuses to run without authentication: the pages show
// every municipality's plans.
func (d *Daemon) webView() (*web.Server, error) {
	e := d.env()
	cfg := e.Cfg
	s := &web.Server{DB: e.DB, English: e.English(), Location: cfg.Location(), Log: d.log.With("subsystem", "web"),
		Load: func(ctx context.Context) (*reports.Data, error) {
			e := d.env()
			return e.ReportData(ctx, e.Today())
		}}
	a := cfg.HTTP.Auth
	rules := rulesOf(cfg)
	switch {
	case a.OIDC.On():
		o, err := oidcLogin(cfg, rules)
		if err != nil {
			return nil, err
		}
		s.OIDC = o.OIDC
		if o.Ephemeral {
			d.log.Warn(d.say("webvisning: ingen sessionsnøgle konfigureret (http.auth.oidc.session_key_env eller session_key_file); en tilfældig bruges, og en genstart logger alle ud",
				"web view: no session key configured (http.auth.oidc.session_key_env or session_key_file); a random one is used, and a restart logs everyone out"))
		}
	case a.Proxy():
		acc := &web.Access{Header: a.ProxyHeader, Rules: rules}
		for _, p := range a.TrustedProxies {
			pr, err := config.ParseProxy(p)
			if err != nil {
				return nil, fmt.Errorf(l(cfg, "http.auth.trusted_proxies: %q er ikke en adresse eller et netværk", "http.auth.trusted_proxies: %q is not an address or network"), p)
			}
			acc.Proxies = append(acc.Proxies, pr)
		}
		s.Access = acc
	case !cfg.HTTP.ListenIsLoopback():
		return nil, fmt.Errorf(l(cfg, "http.listen %s kan nås fra andre maskiner, og webvisningen viser alle kommuners planer: "+
			"sæt login med OpenID Connect op (http.auth.oidc: issuer, client_id, client_secret_env, med coordinators og municipality_domains), "+
			"sæt en proxy med login foran og konfigurér http.auth (proxy_header, trusted_proxies, coordinators, municipality_domains), "+
			"eller lyt på 127.0.0.1",
			"http.listen %s is reachable from other machines, and the web view shows every municipality's plans: "+
				"configure OpenID Connect login (http.auth.oidc: issuer, client_id, client_secret_env, with coordinators and municipality_domains), "+
				"or put an authenticating proxy in front and configure http.auth (proxy_header, trusted_proxies, coordinators, municipality_domains), "+
				"or listen on 127.0.0.1"), cfg.HTTP.Listen)
	}
	return s, nil
}

// rulesOf is who may see what in the web view, from the configuration.
func rulesOf(cfg *config.Config) web.Rules {
	a := cfg.HTTP.Auth
	return web.Rules{Coordinators: a.Coordinators, CoordinatorGroups: a.OIDC.CoordinatorGroups, Domains: a.MunicipalityDomains}
}

// webNeedsRestart reports whether the web view's settings other than its
// access rules (applied by a reload) differ between old and cfg: the
// listener, the login, the language and the time zone take effect when
// udrul starts.
func webNeedsRestart(old, cfg *config.Config) bool {
	strip := func(c *config.Config) config.HTTP {
		h := c.HTTP
		h.ReadyMinutes, h.MetricsTokenFile, h.MetricsTokenEnv = 0, "", ""
		h.Auth.Coordinators, h.Auth.MunicipalityDomains, h.Auth.OIDC.CoordinatorGroups = nil, nil, nil
		return h
	}
	return !reflect.DeepEqual(strip(old), strip(cfg)) || old.Language != cfg.Language || old.Location().String() != cfg.Location().String()
}

// oidcLogin sets up OpenID Connect login: the client secret from its
// environment variable, the session key from its variable or file (or a
// random one).
func oidcLogin(cfg *config.Config, rules web.Rules) (*oidcSetup, error) {
	c := cfg.HTTP.Auth.OIDC
	secret := os.Getenv(c.ClientSecretEnv)
	if secret == "" {
		return nil, fmt.Errorf(l(cfg, "http.auth.oidc.client_secret_env: miljøvariablen %s er tom eller ikke sat; læg klienthemmeligheden (client secret) fra udbyderens app-registrering i den",
			"http.auth.oidc.client_secret_env: the environment variable %s is empty or not set; put the client secret from the provider's app registration in it"), c.ClientSecretEnv)
	}
	o := &oidcSetup{OIDC: &web.OIDC{Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: secret, RedirectURL: cfg.HTTP.Redirect(),
		EmailClaim: c.EmailClaim, EmailClaimVerified: c.EmailClaimVerified, GroupsClaim: c.GroupsClaim, Rules: rules, Session: time.Duration(c.SessionHours) * time.Hour,
		Secure: strings.HasPrefix(cfg.HTTP.PublicURL, "https://") || strings.HasPrefix(cfg.HTTP.Redirect(), "https://")}}
	var key []byte
	switch {
	case c.SessionKeyEnv != "":
		key = []byte(os.Getenv(c.SessionKeyEnv))
		if len(key) < 32 {
			return nil, fmt.Errorf(l(cfg, "http.auth.oidc.session_key_env: miljøvariablen %s skal indeholde mindst 32 tegn (den indeholder %d); lav en med: openssl rand -hex 32",
				"http.auth.oidc.session_key_env: the environment variable %s must hold at least 32 characters (it holds %d); make one with: openssl rand -hex 32"), c.SessionKeyEnv, len(key))
		}
	case c.SessionKeyFile != "":
		path := cfg.SessionKeyPath()
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("http.auth.oidc.session_key_file: %w", app.PlainFileError(err, cfg.English()))
		}
		key = bytes.TrimSpace(b)
		if len(key) < 32 {
			return nil, fmt.Errorf(l(cfg, "http.auth.oidc.session_key_file: %[1]s skal indeholde mindst 32 tegn (den indeholder %[2]d); lav en med: openssl rand -hex 32 > %[1]s",
				"http.auth.oidc.session_key_file: %[1]s must hold at least 32 characters (it holds %[2]d); make one with: openssl rand -hex 32 > %[1]s"), path, len(key))
		}
	default:
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("make a session key: %w", err)
		}
		o.Ephemeral = true
	}
	o.Key = key
	return o, nil
}

// oidcSetup is the login and whether its key lasts only until a restart.
type oidcSetup struct {
	*web.OIDC
	Ephemeral bool
}

// refreshWeb reloads the web view's data after a sync.
func (d *Daemon) refreshWeb(ctx context.Context) {
	if d.web == nil || ctx.Err() != nil {
		return // no web view, or udrul is stopping
	}
	if err := d.web.Refresh(ctx); err != nil {
		d.log.Warn(d.say("webvisning: opdatering fejlede; siderne viser de forrige data", "web view: refresh failed; pages show the previous data"), "err", err)
	}
}

// guard keeps the daemon's pages that show every municipality (the
// status page, the report download) for coordinators, behind the web
// view's login; without a web view (loopback) they are open.
func (d *Daemon) guard(h http.HandlerFunc) http.Handler {
	if d.web == nil {
		return h
	}
	return d.web.Coordinators(h)
}

// mountWeb puts the web view at "/" of mux.
func (d *Daemon) mountWeb(mux *http.ServeMux) {
	if d.web != nil {
		mux.Handle("/", d.web.Handler())
	}
}

// l picks the configured language's sentence.
func l(cfg *config.Config, da, en string) string {
	if cfg.English() {
		return en
	}
	return da
}
