package daemon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/web"
)

func TestOIDCLogin(t *testing.T) {
	base := func() *config.Config {
		c, err := config.Parse(strings.NewReader("http:\n  listen: 0.0.0.0:8480\n  public_url: https://udrul.kommune.dk\n  auth:\n    oidc:\n      issuer: https://idp.example\n      client_id: udrul\n      client_secret_env: UDRUL_TEST_OIDC_SECRET\n"), "udrul.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	t.Setenv("UDRUL_TEST_OIDC_SECRET", "")
	if _, err := oidcLogin(base(), web.Rules{}); err == nil || !strings.Contains(err.Error(), "UDRUL_TEST_OIDC_SECRET") {
		t.Errorf("no secret: %v", err)
	}
	t.Setenv("UDRUL_TEST_OIDC_SECRET", "hemmelig")
	o, err := oidcLogin(base(), web.Rules{})
	if err != nil {
		t.Fatal(err)
	}
	if !o.Ephemeral || len(o.Key) != 32 || !o.Secure || o.RedirectURL != "https://udrul.kommune.dk/auth/callback" || o.ClientSecret != "hemmelig" {
		t.Errorf("random key: ephemeral %v, key %d bytes, secure %v, redirect %q", o.Ephemeral, len(o.Key), o.Secure, o.RedirectURL)
	}
	c := base()
	c.HTTP.Auth.OIDC.SessionKeyFile = filepath.Join(t.TempDir(), "key")
	os.WriteFile(c.HTTP.Auth.OIDC.SessionKeyFile, []byte("short\n"), 0o600)
	if _, err := oidcLogin(c, web.Rules{}); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Errorf("short key file: %v", err)
	}
	key := strings.Repeat("k", 64)
	os.WriteFile(c.HTTP.Auth.OIDC.SessionKeyFile, []byte(key+"\n"), 0o600)
	if o, err := oidcLogin(c, web.Rules{}); err != nil || o.Ephemeral || string(o.Key) != key {
		t.Errorf("key file: %v, ephemeral %v", err, o != nil && o.Ephemeral)
	}
}
