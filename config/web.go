package config

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// validateWeb checks the web view's access settings.
func (c *Config) validateWeb(add adder) {
	a := c.HTTP.Auth
	for i, p := range a.TrustedProxies {
		if _, err := ParseProxy(p); err != nil {
			add("http.auth.trusted_proxies["+strconv.Itoa(i)+"]", "%q er ikke en adresse eller et netværk (for eksempel 10.0.0.5 eller 10.0.0.0/24)", "%q is not an address or network (such as 10.0.0.5 or 10.0.0.0/24)", p)
		}
	}
	if (a.ProxyHeader == "") != (len(a.TrustedProxies) == 0) {
		add("http.auth", "proxy_header og trusted_proxies hører sammen: angiv den header, proxyen sætter, og proxyens adresser", "proxy_header and trusted_proxies go together: name the header the proxy sets and the proxy's addresses")
	}
	for d := range a.MunicipalityDomains {
		if strings.Contains(d, "@") && !strings.HasPrefix(d, "@") || !strings.Contains(d, ".") {
			add("http.auth.municipality_domains."+d, "%q er ikke et e-maildomæne (for eksempel aarhus.dk)", "%q is not an e-mail domain (such as aarhus.dk)", d)
		}
	}
	if o := a.OIDC; o.On() {
		if !strings.HasPrefix(o.Issuer, "https://") && !strings.HasPrefix(o.Issuer, "http://") {
			add("http.auth.oidc.issuer", "%q er ikke en webadresse (for eksempel https://login.microsoftonline.com/<tenant>/v2.0)", "%q is not a web address (such as https://login.microsoftonline.com/<tenant>/v2.0)", o.Issuer)
		}
		if a.Proxy() {
			add("http.auth.oidc", "vælg én måde at kende brugerne på: OpenID Connect (oidc) eller en proxy-header (proxy_header, trusted_proxies), ikke begge", "choose one way to identify users: OpenID Connect (oidc) or a proxy header (proxy_header, trusted_proxies), not both")
		}
		if o.ClientID == "" {
			add("http.auth.oidc.client_id", "skal angive den app, der er registreret hos udbyderen", "must name the application registered with the provider")
		}
		if o.ClientSecretEnv == "" {
			add("http.auth.oidc.client_secret_env", "skal angive den miljøvariabel, der indeholder klienthemmeligheden (client secret)", "must name the environment variable holding the client secret")
		}
		if c.HTTP.Redirect() == "" {
			add("http.auth.oidc.redirect_url", "sæt http.public_url (tilbagekaldet er public_url + /auth/callback) eller redirect_url", "set http.public_url (the callback is public_url + /auth/callback) or redirect_url")
		}
		if o.EmailClaim == "" {
			add("http.auth.oidc.email_claim", "skal angive ID-tokenets claim med e-mailadressen (for eksempel email)", "must name the ID token's e-mail claim (such as email)")
		}
		if len(o.CoordinatorGroups) > 0 && o.GroupsClaim == "" {
			add("http.auth.oidc.groups_claim", "coordinator_groups kræver groups_claim, det claim i ID-tokenet, der oplister brugerens grupper", "coordinator_groups needs groups_claim, the ID token's claim listing the user's groups")
		}
		switch c := strings.ToLower(o.EmailClaim); {
		case o.EmailClaimVerified && c == "email":
			add("http.auth.oidc.email_claim_verified", "gælder ikke email-claimet: udrul stoler på dets adresse, når udbyderen markerer den som bekræftet (email_verified, eller xms_edov fra Entra ID); fjern email_claim_verified",
				"is not for the email claim: udrul trusts its address when the provider marks it verified (email_verified, or xms_edov from Entra ID); remove email_claim_verified")
		case o.EmailClaimVerified && c == "preferred_username":
			add("http.auth.oidc.email_claim_verified", "preferred_username er et navn, brugerne selv kan ændre (Microsoft: det kan ikke bruges til adgangskontrol); brug email med xms_edov, eller Entra ID's upn",
				"preferred_username is a name people can change (Microsoft: it cannot be used for authorization); use email with xms_edov, or Entra ID's upn")
		}
		if o.SessionKeyEnv != "" && o.SessionKeyFile != "" {
			add("http.auth.oidc.session_key_file", "brug session_key_env eller session_key_file, ikke begge", "use session_key_env or session_key_file, not both")
		}
		if o.SessionHours <= 0 || o.SessionHours > 24*30 {
			add("http.auth.oidc.session_hours", "skal være mellem 1 og 720, men er %d", "must be between 1 and 720, got %d", o.SessionHours)
		}
	} else if o.ClientID != "" || o.ClientSecretEnv != "" || o.RedirectURL != "" {
		add("http.auth.oidc.issuer", "skal angive OpenID Connect-udbyderen (de andre oidc-nøgler er sat)", "must name the OpenID Connect provider (the other oidc keys are set)")
	}
	if c.HTTP.MetricsTokenFile != "" && c.HTTP.MetricsTokenEnv != "" {
		add("http.metrics_token_file", "brug metrics_token_file eller metrics_token_env, ikke begge", "use metrics_token_file or metrics_token_env, not both")
	}
	if u := c.HTTP.PublicURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		add("http.public_url", "%q er ikke en webadresse (for eksempel https://udrul.kommune.dk)", "%q is not a web address (such as https://udrul.kommune.dk)", u)
	}
}

// ParseProxy reads a trusted proxy: an address or a network.
func ParseProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// Exposed reports whether people reach the HTTP endpoint from other
// machines: it listens beyond loopback, or it has a login (http.auth),
// which means a proxy on this machine passes other machines' requests to
// it. Then /metrics needs a token and /readyz names nothing.
func (h HTTP) Exposed() bool { return !h.ListenIsLoopback() || h.Auth.Configured() }

// ListenIsLoopback reports whether the HTTP listener is reachable from this
// machine only.
func (h HTTP) ListenIsLoopback() bool {
	host, _, err := net.SplitHostPort(h.Listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
