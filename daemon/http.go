package daemon

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/syncer"
	"golang.org/x/net/netutil"
)

// metrics are the daemon's Prometheus metrics, in their own registry.
type metrics struct {
	reg           *prometheus.Registry
	syncDuration  *prometheus.HistogramVec
	syncResult    *prometheus.CounterVec
	googleCalls   *prometheus.CounterVec
	graphCalls    *prometheus.CounterVec
	tasks         *prometheus.GaugeVec
	findings      *prometheus.GaugeVec
	alertsSent    *prometheus.CounterVec
	alertsFailed  *prometheus.CounterVec
	jobRuns       *prometheus.CounterVec
	lastSyncOK    prometheus.Gauge
	outboxPending prometheus.Gauge
	backup        *backupMetrics
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		syncDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "udrul_sync_duration_seconds", Help: "Duration of a source's sync.",
			Buckets: prometheus.ExponentialBuckets(0.01, 3, 10)}, []string{"source"}),
		syncResult:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "udrul_sync_total", Help: "Syncs per source and result (ok, failed)."}, []string{"source", "result"}),
		googleCalls:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "udrul_google_api_calls_total", Help: "Google API requests per source."}, []string{"source"}),
		graphCalls:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "udrul_graph_api_calls_total", Help: "Microsoft Graph requests by endpoint and status code."}, []string{"endpoint", "status"}),
		tasks:         prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "udrul_tasks", Help: "Current tasks by status."}, []string{"status"}),
		findings:      prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "udrul_findings", Help: "Open findings by kind and level."}, []string{"kind", "level"}),
		alertsSent:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "udrul_alerts_sent_total", Help: "Messages delivered per channel."}, []string{"channel"}),
		alertsFailed:  prometheus.NewCounterVec(prometheus.CounterOpts{Name: "udrul_alerts_failed_total", Help: "Failed delivery attempts per channel."}, []string{"channel"}),
		jobRuns:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "udrul_job_runs_total", Help: "Scheduled job runs by job and result."}, []string{"job", "result"}),
		lastSyncOK:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "udrul_last_successful_sync_timestamp_seconds", Help: "When every source last synced."}),
		outboxPending: prometheus.NewGauge(prometheus.GaugeOpts{Name: "udrul_outbox_pending", Help: "Messages waiting in the outbox."}),
	}
	m.reg.MustRegister(m.syncDuration, m.syncResult, m.googleCalls, m.graphCalls, m.tasks, m.findings, m.alertsSent, m.alertsFailed, m.jobRuns, m.lastSyncOK, m.outboxPending,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

// graphCall counts a Microsoft Graph request (the m365 sources' hook).
func (m *metrics) graphCall(endpoint, status string) {
	m.graphCalls.WithLabelValues(endpoint, status).Inc()
}

func (m *metrics) sent(channel string)   { m.alertsSent.WithLabelValues(channel).Inc() }
func (m *metrics) failed(channel string) { m.alertsFailed.WithLabelValues(channel).Inc() }

func (m *metrics) observeSync(results []syncer.Result) {
	all := true
	for _, r := range results {
		m.syncDuration.WithLabelValues(r.Source).Observe(r.Duration.Seconds())
		res := "ok"
		if !r.OK() {
			res, all = "failed", false
		}
		m.syncResult.WithLabelValues(r.Source, res).Inc()
		if r.Calls > 0 {
			m.googleCalls.WithLabelValues(r.Source).Add(float64(r.Calls))
		}
	}
	if all && len(results) > 0 {
		m.lastSyncOK.SetToCurrentTime()
	}
}

// refresh sets the gauges from the store.
func (m *metrics) refresh(ctx context.Context, db *store.DB) {
	tasks, err := db.ListTasks(ctx, store.TaskFilter{})
	if err == nil {
		counts := map[string]float64{"not_started": 0, "in_progress": 0, "done": 0, "cancelled": 0, "unknown": 0}
		for _, t := range tasks {
			counts[string(t.Status)]++
		}
		for st, n := range counts {
			m.tasks.WithLabelValues(st).Set(n)
		}
	}
	if fs, err := db.OpenFindings(ctx); err == nil {
		m.findings.Reset()
		for _, f := range fs {
			m.findings.WithLabelValues(f.Kind, f.Level).Inc()
		}
	}
	if pending, _, err := db.OutboxCounts(ctx); err == nil {
		m.outboxPending.Set(float64(pending))
	}
}

// Limits of the HTTP endpoint; variables so tests can shorten them.
var (
	// MaxConns is the most connections served at once.
	MaxConns = 64
	// IdleTimeout closes a keep-alive connection idle this long.
	IdleTimeout = 60 * time.Second
	// WriteTimeout bounds writing an answer; ReportWriteTimeout the report
	// download.
	WriteTimeout       = 30 * time.Second
	ReportWriteTimeout = 10 * time.Minute
)

// server is the daemon's HTTP endpoint.
type server struct {
	d   *Daemon
	srv *http.Server
	ln  net.Listener
}

func (d *Daemon) serve(addr string) (*server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http: %w", err)
	}
	cfg := d.env().Cfg
	// Decided once: the listener and the login stay until a restart.
	m := &monitor{d: d, exposed: cfg.HTTP.Exposed()}
	if m.exposed {
		tok, err := loadMetricsToken(cfg)
		if err != nil {
			ln.Close()
			return nil, err
		}
		m.cfg, m.token = cfg, tok // without one, the configuration's warnings say so
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", m.readyz)
	mux.Handle("GET /metrics", m.metrics(promhttp.HandlerFor(d.metrics.reg, promhttp.HandlerOpts{})))
	mux.Handle("GET /reports/latest", d.guard(d.latestReport))
	mux.Handle("GET /status", d.guard(d.statusPage))
	d.mountWeb(mux)
	var h http.Handler = mux
	if !m.exposed {
		h = loopbackHosts(h, cfg.HTTP)
	}
	h = baseHeaders(h)
	// Bounded: a client gets ReadTimeout to send its request and
	// WriteTimeout to take the answer (the report download sets its own,
	// longer one), an idle keep-alive connection is closed after
	// IdleTimeout, and at most MaxConns connections are served at once (the
	// next ones wait in the listen queue).
	ln = netutil.LimitListener(ln, MaxConns)
	s := &server{d: d, ln: ln, srv: &http.Server{Handler: h,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout,
		ErrorLog: slog.NewLogLogger(d.log.Handler(), slog.LevelWarn)}}
	go s.srv.Serve(ln)
	return s, nil
}

func (s *server) Addr() string { return s.ln.Addr().String() }

func (s *server) Close(ctx context.Context) error { return s.srv.Shutdown(ctx) }

// readyz answers 200 when every source synced successfully within the
// configured minutes, and 503 when not. Reached from other machines it
// says only "ready" or "not ready" (source names are paths, folder and
// municipality names), unless the request carries the metrics token or a
// coordinator's login.
func (m *monitor) readyz(w http.ResponseWriter, r *http.Request) {
	detail, ok := m.allowed(w, r)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	why, backupLine := m.d.readiness(r.Context())
	if !detail {
		if why != "" {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
		return
	}
	if why != "" {
		http.Error(w, why, http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
	fmt.Fprintln(w, backupLine) // a stale backup is a warning, not unreadiness
}

// readiness says why udrul is not ready ("" when it is), and the backup's
// state.
func (d *Daemon) readiness(ctx context.Context) (string, string) {
	e := d.env()
	sources, err := e.DB.Sources(ctx)
	if err != nil {
		return "cannot read the database: " + err.Error(), ""
	}
	limit := time.Duration(max(e.Cfg.HTTP.ReadyMinutes, 1)) * time.Minute
	if len(sources) == 0 {
		return "not synced yet", ""
	}
	for _, s := range sources {
		if s.LastOKAt.IsZero() || time.Since(s.LastOKAt) > limit {
			return fmt.Sprintf("source %s has not synced successfully for %s", s.Name, limit), ""
		}
	}
	line, _, _ := d.backupState()
	return "", line
}

// monitor guards /metrics and /readyz. On loopback (nobody but this
// machine reaches them) they are open. Reached from other machines,
// /metrics answers a request with the metrics token as a bearer token or
// a coordinator's login, and refuses others (401); /readyz answers others
// with its status only.
type monitor struct {
	d       *Daemon
	exposed bool

	mu    sync.Mutex
	cfg   *config.Config // the configuration token was read for
	token []byte         // nil: no token configured
}

// metrics serves h to those allowed the details.
func (m *monitor) metrics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		detail, ok := m.allowed(w, r)
		if !ok {
			return
		}
		if !detail {
			w.Header().Set("WWW-Authenticate", `Bearer realm="udrul"`)
			http.Error(w, "udrul: /metrics needs the metrics token (Authorization: Bearer, see http.metrics_token_file) or a coordinator's login", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// allowed reports whether the request may see details (names, metrics).
// A request with a wrong token is refused here (401, ok false): a
// misconfigured scraper should fail loudly, not get the short answer.
func (m *monitor) allowed(w http.ResponseWriter, r *http.Request) (detail, ok bool) {
	if !m.exposed {
		return true, true
	}
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, cred, _ := strings.Cut(auth, " ")
		tok := m.currentToken()
		if !strings.EqualFold(scheme, "Bearer") || tok == nil || !tokenEqual(strings.TrimSpace(cred), tok) {
			m.d.log.Warn(m.d.say("http: overvågningsforespørgsel med forkert token afvist", "http: monitoring request with a wrong token refused"), "path", r.URL.Path, "remote", r.RemoteAddr)
			w.Header().Set("WWW-Authenticate", `Bearer realm="udrul", error="invalid_token"`)
			http.Error(w, "udrul: the bearer token is not the metrics token (http.metrics_token_file)", http.StatusUnauthorized)
			return false, false
		}
		return true, true
	}
	if m.d.web != nil {
		if u, ok := m.d.web.User(r); ok && u.Coordinator {
			return true, true
		}
	}
	return false, true
}

// tokenEqual compares in constant time; hashing first hides the length.
func tokenEqual(got string, want []byte) bool {
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256(want)
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// currentToken is the metrics token of the running configuration: read
// again after a reload; a reload whose token cannot be read keeps the
// previous one (and says so).
func (m *monitor) currentToken() []byte {
	cfg := m.d.env().Cfg
	m.mu.Lock()
	defer m.mu.Unlock()
	if cfg != m.cfg {
		tok, err := loadMetricsToken(cfg)
		if err != nil {
			m.d.log.Error(m.d.say("http: metrics-tokenet kan ikke læses; det forrige bruges fortsat", "http: the metrics token cannot be read; the previous one stays"), "err", err)
		} else {
			m.token = tok
		}
		m.cfg = cfg
	}
	return m.token
}

// minMetricsToken is the shortest metrics token accepted.
const minMetricsToken = 32

// loadMetricsToken reads the metrics token from its file or environment
// variable; nil when none is configured.
func loadMetricsToken(cfg *config.Config) ([]byte, error) {
	h := cfg.HTTP
	var tok []byte
	var where string
	switch {
	case h.MetricsTokenEnv != "":
		tok, where = []byte(strings.TrimSpace(os.Getenv(h.MetricsTokenEnv))), "http.metrics_token_env: the environment variable "+h.MetricsTokenEnv
	case h.MetricsTokenFile != "":
		b, err := os.ReadFile(cfg.MetricsTokenPath())
		if err != nil {
			return nil, fmt.Errorf("http.metrics_token_file: %w", err)
		}
		tok, where = bytes.TrimSpace(b), "http.metrics_token_file: "+cfg.MetricsTokenPath()
	default:
		return nil, nil
	}
	if len(tok) < minMetricsToken {
		return nil, fmt.Errorf("%s must hold a token of at least %d characters (it holds %d); make one with: openssl rand -hex 32", where, minMetricsToken, len(tok))
	}
	return tok, nil
}

// baseHeaders keeps every answer, the daemon's own pages too, out of
// frames and content sniffing (the web view adds its stricter ones).
func baseHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// loopbackHosts refuses requests whose Host is not this machine's (or
// public_url's) name, except for /healthz. An endpoint on loopback has no login, so a web page
// elsewhere could otherwise point a name of its own at 127.0.0.1 (DNS
// rebinding) and read the plans through the visitor's browser.
func loopbackHosts(next http.Handler, h config.HTTP) http.Handler {
	allowed := map[string]bool{"localhost": true}
	if host, _, err := net.SplitHostPort(h.Listen); err == nil && host != "" {
		allowed[strings.ToLower(host)] = true
	}
	if u, err := url.Parse(h.PublicURL); err == nil && u.Hostname() != "" {
		allowed[strings.ToLower(u.Hostname())] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if hh, _, err := net.SplitHostPort(host); err == nil {
			host = hh
		}
		host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
		a, err := netip.ParseAddr(host)
		// /healthz says nothing but "ok": any probe may ask.
		if (err == nil && a.Unmap().IsLoopback()) || allowed[host] || strings.HasSuffix(host, ".localhost") || r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		http.Error(w, fmt.Sprintf("udrul answers on this machine only, by the names localhost and 127.0.0.1: a request for %q looks like a web page reaching it through another name (DNS rebinding); "+
			"if you reach udrul through a proxy by that name, set http.public_url to it", r.Host), http.StatusMisdirectedRequest)
	})
}

// latestReport serves the newest report file.
func (d *Daemon) latestReport(w http.ResponseWriter, r *http.Request) {
	path := d.latestReportPath()
	if path == "" {
		http.Error(w, d.say("Ingen rapport endnu: den første skrives ved den næste planlagte rapport (schedules.report) eller med udrul report.",
			"No report yet: the first is written at the next scheduled report (schedules.report) or by udrul report."), http.StatusNotFound)
		return
	}
	// A workbook of several MB to a slow client takes longer than a page.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(ReportWriteTimeout))
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filepath.Base(path)))
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	http.ServeFile(w, r, path)
}

func (d *Daemon) latestReportPath() string {
	dir := d.env().Cfg.ReportDir()
	if dir == "" {
		dir = "."
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "udrul-rapport-*-W[0-9][0-9].xlsx"))
	sort.Strings(matches)
	if len(matches) == 0 {
		return ""
	}
	return matches[len(matches)-1]
}

var statusTmpl = template.Must(template.New("status").Parse(`<!DOCTYPE html>
<html lang="{{.T.lang}}"><head><meta charset="utf-8"><title>udrul</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222} table{border-collapse:collapse} td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}
th{background:#1F4E78;color:#fff} .failing,.red{color:#9C0006} .ok{color:#006100} .amber{color:#9C5700}</style></head>
<body><h1>udrul</h1><p>{{.Now}} · <a href="/reports/latest">{{if .Report}}{{.T.latest}}: {{.Report}}{{else}}{{.T.noreport}}{{end}}</a> · <a href="/metrics">metrics</a></p>
<h2>{{.T.sources}}</h2><table><tr><th>{{.T.source}}</th><th>{{.T.kind}}</th><th>{{.T.state}}</th><th>{{.T.lastsync}}</th><th>{{.T.lastok}}</th><th>{{.T.error}}</th></tr>
{{range .Sources}}<tr><td>{{.Name}}</td><td>{{.Kind}}</td><td class="{{.State}}">{{.StateLabel}}</td><td>{{.LastSync}}</td><td>{{.LastOK}}</td><td>{{.LastError}}</td></tr>{{end}}</table>
<h2>{{.T.findings}}</h2><table><tr><th>{{.T.finding}}</th><th>{{.T.red}}</th><th>{{.T.amber}}</th><th>Info</th></tr>
{{range .Findings}}<tr><td>{{.Label}}</td><td class="red">{{.Red}}</td><td class="amber">{{.Amber}}</td><td>{{.Info}}</td></tr>{{end}}</table>
{{if .Conflicts}}<h2>{{.T.conflicts}}</h2><p>{{.T.conflictsWhy}}</p>
<table><tr><th>Plan</th><th>{{.T.files}}</th></tr>
{{range .Conflicts}}<tr><td class="red">{{.Plan}}</td><td>{{range .Files}}{{.}}<br>{{end}}</td></tr>{{end}}</table>{{end}}
{{if .Held}}<h2>{{.T.held}}</h2><p>{{.T.heldWhy}}</p>
<table><tr><th>Plan</th><th>{{.T.why}}</th></tr>
{{range .Held}}<tr><td class="red">{{.Plan}}</td><td>{{.Why}}</td></tr>{{end}}</table>{{end}}
<p>{{.Plans}} {{.T.plans}}, {{.Pending}} {{.T.pending}}</p>
<p{{if .BackupWarn}} class="amber"{{end}}>{{.Backup}}</p></body></html>`))

// statusWords are the status page's words, Danish and English.
var statusWords = map[string][2]string{
	"lang": {"da", "en"}, "latest": {"Seneste rapport", "Latest report"}, "noreport": {"Ingen rapport endnu", "No report yet"},
	"sources": {"Kilder", "Sources"}, "source": {"Kilde", "Source"}, "kind": {"Type", "Kind"}, "state": {"Tilstand", "State"},
	"lastsync": {"Sidst synkroniseret", "Last sync"}, "lastok": {"Sidst OK", "Last success"}, "error": {"Fejl", "Error"},
	"findings": {"Åbne fund", "Open findings"}, "finding": {"Fund", "Finding"}, "red": {"Rød", "Red"}, "amber": {"Gul", "Amber"},
	"plans": {"planer", "plans"}, "pending": {"beskeder venter i udbakken.", "messages waiting in the outbox."},
	"conflicts": {"Planer i konflikt", "Plans in conflict"}, "files": {"Filer", "Files"},
	"held": {"Planer holdt tilbage", "Plans held"}, "why": {"Hvorfor, og hvad der skal gøres", "Why, and what to do"},
	"heldWhy": {"Den seneste læsning af hver af disse planer ligner et uheld (en tømt eller afskåret fil, en anden plan gemt over den); intet af den er anvendt.",
		"The last read of each of these plans looks like an accident (a file emptied or cut off, another plan saved over it); nothing of it was applied."},
	"conflictsWhy": {"Flere filer gør krav på hver af disse planer; de opdateres ikke, før kun én fil er tilbage eller prefer i konfigurationen vælger én.",
		"Several files claim each of these plans; they are not updated until only one file is left or prefer in the configuration picks one."},
}

func (d *Daemon) statusPage(w http.ResponseWriter, r *http.Request) {
	e := d.env()
	ctx := r.Context()
	loc := e.Cfg.Location()
	sources, err := e.DB.Sources(ctx)
	if err != nil {
		d.log.Error(d.say("statussiden kunne ikke vises", "status page"), "err", err)
		http.Error(w, d.say("Statussiden kan ikke vises lige nu; prøv igen om lidt (årsagen står i udruls log).",
			"The status page cannot be shown right now; try again in a moment (udrul's log has the reason)."), http.StatusInternalServerError)
		return
	}
	en := e.English()
	type src struct{ Name, Kind, State, StateLabel, LastSync, LastOK, LastError string }
	var ss []src
	for _, s := range sources {
		ss = append(ss, src{s.Name, s.Kind, s.State, model.SourceStateLabel(s.State, s.LastError, en), stamp(s.LastSyncAt, loc), stamp(s.LastOKAt, loc), s.LastError})
	}
	fs, _ := e.DB.OpenFindings(ctx)
	type count struct {
		Kind, Label      string
		Red, Amber, Info int
	}
	byKind := map[string]*count{}
	var kinds []string
	for _, f := range fs {
		c := byKind[f.Kind]
		if c == nil {
			c = &count{Kind: f.Kind, Label: model.KindLabel(f.Kind, en)}
			byKind[f.Kind] = c
			kinds = append(kinds, f.Kind)
		}
		switch f.Level {
		case "red":
			c.Red++
		case "amber":
			c.Amber++
		default:
			c.Info++
		}
	}
	sort.Strings(kinds)
	var counts []count
	for _, k := range kinds {
		counts = append(counts, *byKind[k])
	}
	plans, _ := e.DB.ListPlans(ctx)
	type conflict struct {
		Plan  string
		Files []string
	}
	var conflicts []conflict
	type held struct{ Plan, Why string }
	var helds []held
	for _, p := range plans {
		if words, ok := model.SharedFile(p.StateReason, en); ok {
			conflicts = append(conflicts, conflict{p.Key(), []string{words}}) // one file, read by several sources
		} else if len(p.Claimants) > 0 {
			conflicts = append(conflicts, conflict{p.Key(), p.Claimants})
		}
		if p.State == store.PlanHeld {
			helds = append(helds, held{p.Key(), model.HeldReason(p.StateReason, en)})
		}
	}
	pending, _, _ := e.DB.OutboxCounts(ctx)
	report := ""
	if p := d.latestReportPath(); p != "" {
		report = filepath.Base(p)
	}
	_, backupLine, backupWarn := d.backupState()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	words := map[string]string{}
	for k, v := range statusWords {
		words[k] = v[0]
		if en {
			words[k] = v[1]
		}
	}
	statusTmpl.Execute(w, map[string]any{"Now": time.Now().In(loc).Format("2006-01-02 15:04"), "Sources": ss, "Findings": counts,
		"Plans": len(plans), "Pending": pending, "Report": report, "Conflicts": conflicts, "Held": helds,
		"Backup": backupLine, "BackupWarn": backupWarn, "T": words})
}

// stamp writes a time in loc to the minute, or "-" for none.
func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}
