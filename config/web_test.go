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
	if got, want := c.HTTP.Auth.OIDC.SessionHours, 12; got != want {
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
