package daemon

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/app"
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
	if _, err := oidcLogin(c, web.Rules{}); err == nil || !strings.Contains(err.Error(), "skal indeholde mindst 32 tegn (den indeholder 5)") {
		t.Errorf("short key file: %v", err)
	}
	key := strings.Repeat("k", 64)
	os.WriteFile(c.HTTP.Auth.OIDC.SessionKeyFile, []byte(key+"\n"), 0o600)
	if o, err := oidcLogin(c, web.Rules{}); err != nil || o.Ephemeral || string(o.Key) != key {
		t.Errorf("key file: %v, ephemeral %v", err, o != nil && o.Ephemeral)
	}
	// A relative key file is found beside the configuration, not in the
	// working folder.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "session.key"), []byte(key), 0o600)
	os.WriteFile(filepath.Join(dir, "udrul.yaml"), []byte("http:\n  listen: 0.0.0.0:8480\n  public_url: https://udrul.kommune.dk\n  auth:\n    oidc:\n      issuer: https://idp.example\n      client_id: udrul\n      client_secret_env: UDRUL_TEST_OIDC_SECRET\n      session_key_file: session.key\n"), 0o600)
	rel, err := config.Load(filepath.Join(dir, "udrul.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if o, err := oidcLogin(rel, web.Rules{}); err != nil || string(o.Key) != key {
		t.Errorf("relative key file: %v", err)
	}
}

// TestDaemon_webView: beyond loopback the web view refuses to run without
// authentication, and runs with OpenID Connect login or a trusted proxy.
func TestDaemon_webView(t *testing.T) {
	t.Setenv("UDRUL_TEST_OIDC_SECRET", "hemmelig")
	tests := []struct {
		name, http string
		wantErr    string
		oidc       bool
	}{
		{"loopback, no auth", `{listen: "127.0.0.1:0"}`, "", false},
		{"beyond loopback, no auth", `{listen: "0.0.0.0:8480"}`, "http.auth.oidc", false},
		{"beyond loopback, OIDC", `{listen: "0.0.0.0:8480", public_url: "https://u.example", auth: {oidc: {issuer: "https://idp.example", client_id: udrul, client_secret_env: UDRUL_TEST_OIDC_SECRET}}}`, "", true},
		{"beyond loopback, proxy", `{listen: "0.0.0.0:8480", auth: {proxy_header: X-Email, trusted_proxies: [10.0.0.1]}}`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfgPath := filepath.Join(dir, "udrul.yaml")
			os.WriteFile(cfgPath, []byte("database: udrul.db\nhttp: "+tt.http+"\n"), 0o644)
			e, err := app.Open(context.Background(), cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			s, err := New(cfgPath, e, slog.New(slog.DiscardHandler)).webView()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.OIDC != nil; got != tt.oidc {
				t.Errorf("OIDC login %v, want %v", got, tt.oidc)
			}
			if tt.oidc && (s.OIDC.RedirectURL != "https://u.example/auth/callback" || !s.OIDC.Secure) {
				t.Errorf("redirect %q, secure %v", s.OIDC.RedirectURL, s.OIDC.Secure)
			}
		})
	}
}

// TestOIDCLogin_refusalsInEachLanguage: a login that cannot be set up is
// refused in the configured language, naming the key.
func TestOIDCLogin_refusalsInEachLanguage(t *testing.T) {
	const base = "http:\n  public_url: https://udrul.kommune.dk\n  auth:\n    oidc:\n      issuer: https://idp.example\n      client_id: udrul\n      client_secret_env: UDRUL_TEST_OIDC_SECRET_NOT_SET\n"
	for _, tt := range []struct{ lang, want string }{
		{"da", "http.auth.oidc.client_secret_env: miljøvariablen UDRUL_TEST_OIDC_SECRET_NOT_SET er tom eller ikke sat; læg klienthemmeligheden (client secret) fra udbyderens app-registrering i den"},
		{"en", "http.auth.oidc.client_secret_env: the environment variable UDRUL_TEST_OIDC_SECRET_NOT_SET is empty or not set; put the client secret from the provider's app registration in it"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			cfg, err := config.Parse(strings.NewReader(base+"language: "+tt.lang+"\n"), "udrul.yaml")
			if err != nil {
				t.Fatal(err)
			}
			_, err = oidcLogin(cfg, web.Rules{})
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestDaemon_reloadAccessRules: SIGHUP applies the web view's access rules
// at once: a coordinator or a municipality's domain taken out of the
// configuration sees nothing more from the next request on (they kept
// their access until a restart, while the log said "configuration
// reloaded").
func TestDaemon_reloadAccessRules(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "udrul.yaml")
	listen := "0.0.0.0:0"
	write := func(coordinators, domains string) {
		t.Helper()
		cfg := "database: udrul.db\nlanguage: en\nschedules: {sync: \"off\", alerts: \"off\", report: \"off\", outbox: \"off\", backup: \"off\"}\n" +
			"http: {listen: \"" + listen + "\", auth: {proxy_header: X-Email, trusted_proxies: [127.0.0.1], coordinators: [" + coordinators + "], municipality_domains: {" + domains + "}}}\n"
		if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("chef@kombit.dk", "aarhus.dk: Aarhus")
	e, err := app.Open(context.Background(), cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var logs syncBuffer
	d := New(cfgPath, e, slog.New(slog.NewTextHandler(&logs, nil)))
	if d.web, err = d.webView(); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(d.web.Handler())
	defer ts.Close()
	status := func(user string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+"/", nil)
		req.Header.Set("X-Email", user)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, user := range []string{"chef@kombit.dk", "pl@aarhus.dk"} {
		if got := status(user); got != http.StatusOK {
			t.Fatalf("%s before the reload: status %d, want 200", user, got)
		}
	}
	write("ny@kombit.dk", "vejle.dk: Vejle")
	d.reload()
	t.Cleanup(func() { d.cron.Stop() })
	for _, tt := range []struct {
		user string
		want int
	}{{"chef@kombit.dk", http.StatusForbidden}, {"pl@aarhus.dk", http.StatusForbidden}, {"ny@kombit.dk", http.StatusOK}, {"pl@vejle.dk", http.StatusOK}} {
		if got := status(tt.user); got != tt.want {
			t.Errorf("%s after the reload: status %d, want %d", tt.user, got, tt.want)
		}
	}
	const restart = "take effect when udrul restarts"
	if strings.Contains(logs.String(), restart) {
		t.Errorf("a reload of the access rules only says a restart is needed:\n%s", logs.String())
	}
	// A listener changed: it needs a restart, and the log says so.
	listen = "0.0.0.0:1"
	write("ny@kombit.dk", "vejle.dk: Vejle")
	d.reload()
	if !strings.Contains(logs.String(), restart) {
		t.Errorf("a changed listener is not said to need a restart:\n%s", logs.String())
	}
}
