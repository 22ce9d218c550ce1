package config

import (
	"strings"
	"testing"
)

func TestParse_oidc(t *testing.T) {
	c, err := Parse(strings.NewReader(`http:
  listen: 0.0.0.0:8480
  public_url: https://udrul.kommune.dk/
  auth:
    coordinators: [a@kombit.dk]
    municipality_domains: {aarhus.dk: Aarhus}
    oidc:
      issuer: https://login.microsoftonline.com/t/v2.0
      client_id: udrul
      client_secret_env: UDRUL_OIDC_SECRET
      groups_claim: groups
      coordinator_groups: [g1]
`), "udrul.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.HTTP.Redirect(), "https://udrul.kommune.dk/auth/callback"; got != want {
		t.Errorf("redirect %q, want %q", got, want)
	}
	if !c.HTTP.Auth.Configured() || c.HTTP.Auth.Proxy() {
		t.Errorf("OIDC alone: configured %v, proxy %v", c.HTTP.Auth.Configured(), c.HTTP.Auth.Proxy())
	}
	if got, want := c.HTTP.Auth.OIDC.EmailClaim, "email"; got != want {
		t.Errorf("email claim %q, want %q", got, want)
	}
	if got, want := c.HTTP.Auth.OIDC.SessionHours, 8; got != want {
		t.Errorf("session hours %d, want %d", got, want)
	}
}

func TestParse_oidcErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"no redirect", "http:\n  auth:\n    oidc:\n      issuer: https://idp\n      client_id: u\n      client_secret_env: S\n", []string{"http.auth.oidc.redirect_url:", "public_url"}},
		{"no client", "http:\n  public_url: https://u\n  auth:\n    oidc:\n      issuer: https://idp\n", []string{"http.auth.oidc.client_id:", "http.auth.oidc.client_secret_env:"}},
		{"issuer not a URL", "http:\n  public_url: https://u\n  auth:\n    oidc:\n      issuer: idp\n      client_id: u\n      client_secret_env: S\n", []string{"udrul.yaml:5: http.auth.oidc.issuer:"}},
		{"oidc and proxy", "http:\n  public_url: https://u\n  auth:\n    proxy_header: X-Email\n    trusted_proxies: [10.0.0.1]\n    oidc:\n      issuer: https://idp\n      client_id: u\n      client_secret_env: S\n", []string{"http.auth.oidc:", "not both"}},
		{"groups without claim", "http:\n  public_url: https://u\n  auth:\n    oidc:\n      issuer: https://idp\n      client_id: u\n      client_secret_env: S\n      coordinator_groups: [g]\n", []string{"http.auth.oidc.groups_claim:"}},
		{"oidc keys without issuer", "http:\n  auth:\n    oidc:\n      client_id: u\n", []string{"http.auth.oidc.issuer:"}},
		{"unknown oidc key", "http:\n  auth:\n    oidc:\n      secret: x\n", []string{"udrul.yaml:4:", "secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(inEnglish(tt.yaml)), "udrul.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestParse_monitoringAndClaims(t *testing.T) {
	oidc := "http:\n  public_url: https://u\n  auth:\n    oidc:\n      issuer: https://idp\n      client_id: u\n      client_secret_env: S\n"
	tests := []struct {
		name string
		yaml string
		want []string // "" for no error
	}{
		{"upn trusted", oidc + "      email_claim: upn\n      email_claim_verified: true\n", nil},
		{"email trusted", oidc + "      email_claim_verified: true\n", []string{"udrul.yaml:8: http.auth.oidc.email_claim_verified:", "xms_edov"}},
		{"preferred_username trusted", oidc + "      email_claim: preferred_username\n      email_claim_verified: true\n", []string{"http.auth.oidc.email_claim_verified:", "cannot be used for authorization"}},
		{"both token keys", "http:\n  metrics_token_file: t\n  metrics_token_env: T\n", []string{"udrul.yaml:2: http.metrics_token_file:", "not both"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(inEnglish(tt.yaml)), "udrul.yaml")
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestConfig_Warnings_web: reached from other machines without a metrics
// token, /metrics is closed to Prometheus; a login over plain http sends
// session cookies in the clear. Both are said, with the key.
func TestConfig_Warnings_web(t *testing.T) {
	tests := []struct {
		name      string
		yaml      string
		want, not []string
	}{
		{"loopback", "http:\n  listen: 127.0.0.1:8480\n", nil, []string{"http.metrics_token_file", "http.public_url"}},
		{"proxy without token", "http:\n  listen: 127.0.0.1:8480\n  auth: {proxy_header: X-Email, trusted_proxies: [127.0.0.1]}\n", []string{"udrul.yaml:2: http.metrics_token_file:"}, nil},
		{"proxy with token", "http:\n  listen: 127.0.0.1:8480\n  metrics_token_file: m\n  auth: {proxy_header: X-Email, trusted_proxies: [127.0.0.1]}\n", nil, []string{"http.metrics_token_file"}},
		{"oidc over http", "http:\n  listen: 0.0.0.0:8480\n  metrics_token_env: M\n  public_url: http://udrul.kommune.dk\n  auth:\n    oidc: {issuer: https://idp, client_id: u, client_secret_env: S}\n",
			[]string{"http.public_url:", "plain http"}, []string{"http.metrics_token_file"}},
		{"oidc with preferred_username", "http:\n  listen: 0.0.0.0:8480\n  metrics_token_env: M\n  public_url: https://u\n  auth:\n    oidc: {issuer: https://idp, client_id: u, client_secret_env: S, email_claim: preferred_username}\n",
			[]string{"http.auth.oidc.email_claim:", "preferred_username is not a verified address"}, nil},
		{"oidc with a trusted upn", "http:\n  listen: 0.0.0.0:8480\n  metrics_token_env: M\n  public_url: https://u\n  auth:\n    oidc: {issuer: https://idp, client_id: u, client_secret_env: S, email_claim: upn, email_claim_verified: true}\n",
			nil, []string{"http.auth.oidc.email_claim"}},
		{"oidc over https", "http:\n  listen: 0.0.0.0:8480\n  metrics_token_env: M\n  public_url: https://udrul.kommune.dk\n  auth:\n    oidc: {issuer: https://idp, client_id: u, client_secret_env: S}\n",
			nil, []string{"plain http"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(strings.NewReader(inEnglish(tt.yaml)), "udrul.yaml")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range c.Warnings() {
				got = append(got, w.Error())
			}
			all := strings.Join(got, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("warnings lack %q:\n%s", w, all)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(all, w) {
					t.Errorf("warnings mention %q:\n%s", w, all)
				}
			}
		})
	}
}
