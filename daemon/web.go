package daemon

import (
	"context"
	"fmt"
	"net/http"

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
	if a.Configured() {
		acc := &web.Access{Header: a.ProxyHeader, Coordinators: a.Coordinators, Domains: a.MunicipalityDomains}
		for _, p := range a.TrustedProxies {
			pr, err := config.ParseProxy(p)
			if err != nil {
				return nil, fmt.Errorf("http.auth.trusted_proxies: %w", err)
			}
			acc.Proxies = append(acc.Proxies, pr)
		}
		s.Access = acc
	} else if !cfg.HTTP.ListenIsLoopback() {
		return nil, fmt.Errorf("http.listen %s is reachable from other machines, and the web view shows every municipality's plans: "+
			"put an authenticating proxy in front and configure http.auth (proxy_header, trusted_proxies, coordinators, municipality_domains), "+
			"or listen on 127.0.0.1", cfg.HTTP.Listen)
	}
	return s, nil
}

// refreshWeb reloads the web view's data after a sync.
func (d *Daemon) refreshWeb(ctx context.Context) {
	if d.web == nil || ctx.Err() != nil {
		return // no web view, or udrul is stopping
	}
	if err := d.web.Refresh(ctx); err != nil {
		d.log.Warn("web view: refresh failed; pages show the previous data", "err", err)
	}
}

// mountWeb puts the web view at "/" of mux.
func (d *Daemon) mountWeb(mux *http.ServeMux) {
	if d.web != nil {
		mux.Handle("/", d.web.Handler())
	}
}
