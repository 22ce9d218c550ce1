package daemon

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/app"
)

// monitorDaemon serves a daemon with the given http: configuration and a
// source that has never synced, named like a municipality's folder.
func monitorDaemon(t *testing.T, httpYAML string, files map[string]string) (*Daemon, *server, error) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600)
	}
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("database: udrul.db\nschedules: {backup: \"off\"}\nhttp: "+httpYAML+"\n"), 0o600)
	ctx := context.Background()
	e, err := app.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	id, err := e.DB.EnsureSource(ctx, "aarhus-sharepoint", "files", "/srv/plans/Aarhus")
	if err != nil {
		t.Fatal(err)
	}
	e.DB.SourceResult(ctx, id, errors.New("folder gone"), nil)
	d := New(cfg, e, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if d.web, err = d.webView(); err != nil {
		t.Fatal(err)
	}
	srv, err := d.serve("127.0.0.1:0")
	if err != nil {
		return d, nil, err
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return d, srv, nil
}

type probe struct {
	path, host string
	header     map[string]string
	want       int
	has, lacks []string
}

func (p probe) run(t *testing.T, addr string) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+p.path, nil)
	if p.host != "" {
		req.Host = p.host
	}
	for k, v := range p.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if resp.StatusCode != p.want {
		t.Errorf("%s %v: %d, want %d: %s", p.path, p.header, resp.StatusCode, p.want, body)
	}
	for _, w := range p.has {
		if !strings.Contains(body, w) && !strings.Contains(resp.Header.Get("WWW-Authenticate"), w) && resp.Header.Get("Cache-Control") != w {
			t.Errorf("%s %v: the answer lacks %q: %s", p.path, p.header, w, body)
		}
	}
	if resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: X-Frame-Options %q, X-Content-Type-Options %q", p.path, resp.Header.Get("X-Frame-Options"), resp.Header.Get("X-Content-Type-Options"))
	}
	for _, w := range p.lacks {
		if strings.Contains(body, w) {
			t.Errorf("%s %v: the answer shows %q: %s", p.path, p.header, w, body)
		}
	}
}

const testToken = "0123456789abcdef0123456789abcdef0123456789abcdef"

// TestMonitor_exposed: reached from other machines (here: a login is
// configured, so a proxy passes others' requests), /healthz says ok,
// /readyz says ready or not without naming anything, /metrics needs the
// metrics token or a coordinator; a wrong token is refused loudly.
func TestMonitor_exposed(t *testing.T) {
	d, srv, err := monitorDaemon(t, `{listen: "127.0.0.1:0", metrics_token_file: metrics.token, auth: {proxy_header: X-Email, trusted_proxies: [127.0.0.1], coordinators: [k@kombit.dk], municipality_domains: {aarhus.dk: Aarhus}}}`,
		map[string]string{"metrics.token": testToken + "\n"})
	if err != nil {
		t.Fatal(err)
	}
	bearer := map[string]string{"Authorization": "Bearer " + testToken}
	for _, p := range []probe{
		{path: "/healthz", want: 200, has: []string{"ok", "no-store"}},
		{path: "/readyz", want: 503, has: []string{"not ready"}, lacks: []string{"aarhus", "Aarhus", "/srv"}},
		{path: "/readyz", header: bearer, want: 503, has: []string{"source aarhus-sharepoint has not synced"}},
		{path: "/readyz", header: map[string]string{"Authorization": "Bearer wrong"}, want: 401, lacks: []string{"aarhus"}},
		{path: "/readyz", header: map[string]string{"X-Email": "k@kombit.dk"}, want: 503, has: []string{"aarhus-sharepoint"}},
		{path: "/readyz", header: map[string]string{"X-Email": "pl@aarhus.dk"}, want: 503, lacks: []string{"aarhus-sharepoint"}},
		{path: "/metrics", want: 401, has: []string{"Bearer", "http.metrics_token_file"}, lacks: []string{"udrul_"}},
		{path: "/metrics", header: map[string]string{"Authorization": "Bearer " + testToken[:40]}, want: 401, has: []string{"invalid_token"}},
		{path: "/metrics", header: map[string]string{"Authorization": "Basic " + testToken}, want: 401},
		{path: "/metrics", header: bearer, want: 200, has: []string{"udrul_outbox_pending", "no-store"}},
		{path: "/metrics", header: map[string]string{"authorization": "bearer  " + testToken}, want: 200, has: []string{"udrul_outbox_pending"}},
		{path: "/metrics", header: map[string]string{"X-Email": "k@kombit.dk"}, want: 200, has: []string{"udrul_outbox_pending"}},
		{path: "/metrics", header: map[string]string{"X-Email": "pl@aarhus.dk"}, want: 401, lacks: []string{"udrul_"}},
	} {
		t.Run(p.path+" "+strings.Join(mapValues(p.header), " "), func(t *testing.T) { p.run(t, srv.Addr()) })
	}

	t.Run("reload reads a new token", func(t *testing.T) {
		newToken := strings.Repeat("z", 40)
		os.WriteFile(filepath.Join(filepath.Dir(d.cfgPath), "metrics.token"), []byte(newToken), 0o600)
		d.reload()
		d.mu.RLock()
		c := d.cron
		d.mu.RUnlock()
		defer c.Stop()
		probe{path: "/metrics", header: bearer, want: 401}.run(t, srv.Addr())
		probe{path: "/metrics", header: map[string]string{"Authorization": "Bearer " + newToken}, want: 200}.run(t, srv.Addr())
	})
}

func mapValues(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v[:min(len(v), 12)])
	}
	return out
}

// TestMonitor_loopback: on loopback without a login everything stays open
// to this machine, but not to a web page that points a name of its own at
// 127.0.0.1 (DNS rebinding): its Host is refused.
func TestMonitor_loopback(t *testing.T) {
	_, srv, err := monitorDaemon(t, `{listen: "127.0.0.1:0"}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	port := srv.Addr()[strings.LastIndexByte(srv.Addr(), ':'):]
	for _, p := range []probe{
		{path: "/metrics", want: 200, has: []string{"udrul_outbox_pending"}},
		{path: "/readyz", want: 503, has: []string{"aarhus-sharepoint"}},
		{path: "/readyz", host: "localhost" + port, want: 503},
		{path: "/readyz", host: "[::1]" + port, want: 503},
		{path: "/readyz", host: "udrul.localhost", want: 503},
		{path: "/", host: "evil.example" + port, want: http.StatusMisdirectedRequest, has: []string{"DNS rebinding"}, lacks: []string{"Aarhus"}},
		{path: "/api/sources", host: "rebind.evil.example", want: http.StatusMisdirectedRequest, lacks: []string{"aarhus"}},
		{path: "/metrics", host: "127.0.0.1.evil.example", want: http.StatusMisdirectedRequest, lacks: []string{"udrul_"}},
		{path: "/healthz", host: "evil.example", want: 200, has: []string{"ok"}},
	} {
		t.Run(p.path+" "+p.host, func(t *testing.T) { p.run(t, srv.Addr()) })
	}
	// A proxy on this machine that passes requests for public_url.
	_, srv2, err := monitorDaemon(t, `{listen: "127.0.0.1:0", public_url: "https://udrul.kombit.dk"}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	probe{path: "/healthz", host: "udrul.kombit.dk", want: 200}.run(t, srv2.Addr())
}

// TestMonitor_token: a token too short, or unreadable, stops the start
// with the key named; one from the environment works.
func TestMonitor_token(t *testing.T) {
	auth := `auth: {proxy_header: X-Email, trusted_proxies: [127.0.0.1]}`
	if _, _, err := monitorDaemon(t, `{listen: "127.0.0.1:0", metrics_token_file: metrics.token, `+auth+`}`, map[string]string{"metrics.token": "short\n"}); err == nil ||
		!strings.Contains(err.Error(), "http.metrics_token_file") || !strings.Contains(err.Error(), "at least 32") {
		t.Errorf("short token: %v", err)
	}
	if _, _, err := monitorDaemon(t, `{listen: "127.0.0.1:0", metrics_token_file: missing.token, `+auth+`}`, nil); err == nil || !strings.Contains(err.Error(), "http.metrics_token_file") {
		t.Errorf("missing token file: %v", err)
	}
	t.Setenv("UDRUL_TEST_METRICS_TOKEN", testToken)
	_, srv, err := monitorDaemon(t, `{listen: "127.0.0.1:0", metrics_token_env: UDRUL_TEST_METRICS_TOKEN, `+auth+`}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	probe{path: "/metrics", header: map[string]string{"Authorization": "Bearer " + testToken}, want: 200}.run(t, srv.Addr())
	probe{path: "/metrics", want: 401}.run(t, srv.Addr())
}
