// Package web is udrul's read-only web view, served by the daemon on its
// HTTP listener: the rollout's overview (municipality × solution in
// red/amber/green), each plan with its tasks, findings and history, the
// lists of the weekly report (data quality, overdue, slipped) filterable
// and downloadable as CSV, and the sources. Pages are rendered on the
// server with html/template, Danish by default; every page's data is also
// served as JSON under /api/. The pages read a snapshot of the store that
// the daemon refreshes after each sync: they never parse a sheet.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/udrul/udrul/forecast"
	"github.com/udrul/udrul/internal/lang"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/store"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Loader gathers what the pages show, as the weekly report does.
type Loader func(ctx context.Context) (*reports.Data, error)

// Server is the web view.
type Server struct {
	// Load reads the data; DB answers the few questions a snapshot does
	// not hold (a task's history).
	Load Loader
	DB   *store.DB
	// English switches the pages and the log messages to English (Danish
	// by default).
	English bool
	// Location is the time zone of times shown.
	Location *time.Location
	// Access decides who may see what; nil lets everyone see everything
	// (a loopback listener).
	Access *Access
	// OIDC, instead of Access, logs users in with OpenID Connect.
	OIDC *OIDC
	Log  *slog.Logger
	// Now is the clock (tests set it).
	Now func() time.Time

	snap    atomic.Pointer[snapshot]
	loading sync.Mutex
}

// snapshot is the data of one refresh, indexed for the pages.
type snapshot struct {
	data     *reports.Data
	at       time.Time
	plans    map[string]*store.Plan // "municipality/solution", lower case
	tasks    map[int64][]*store.PlanTask
	byID     map[int64]*store.PlanTask
	findings map[int64][]model.Finding
	done     map[int64]int // tasks done or cancelled, by plan
	overdue  map[int64]int // overdue findings, by plan
	due      map[int64]int // tasks ending on or before the as-of date, by plan
	dueDone  map[int64]int // those of them done or cancelled
	headline reports.Headline
	forecast map[int64]*forecast.Result
}

// Refresh reloads the snapshot the pages read; the daemon calls it after
// each sync. Concurrent calls share one load.
func (s *Server) Refresh(ctx context.Context) error {
	s.loading.Lock()
	defer s.loading.Unlock()
	d, err := s.Load(ctx)
	if err != nil {
		return fmt.Errorf("web view: load: %w", err)
	}
	sn := &snapshot{data: d, at: s.now(), plans: map[string]*store.Plan{}, tasks: map[int64][]*store.PlanTask{}, findings: map[int64][]model.Finding{},
		byID: make(map[int64]*store.PlanTask, len(d.Tasks)), done: map[int64]int{}, overdue: map[int64]int{}, due: map[int64]int{}, dueDone: map[int64]int{}, headline: d.Headline(), forecast: d.Forecasts}
	for i := range d.Plans {
		p := &d.Plans[i]
		sn.plans[strings.ToLower(p.Key())] = p
	}
	for i := range d.Tasks {
		t := &d.Tasks[i]
		sn.tasks[t.PlanID] = append(sn.tasks[t.PlanID], t)
		sn.byID[t.ID] = t
		finished := t.Status == model.Done || t.Status == model.Cancelled
		if finished {
			sn.done[t.PlanID]++
		}
		if !t.End.IsZero() && !t.End.After(d.AsOf) {
			sn.due[t.PlanID]++
			if finished {
				sn.dueDone[t.PlanID]++
			}
		}
	}
	for _, f := range d.Findings {
		sn.findings[f.PlanID] = append(sn.findings[f.PlanID], f)
		if f.Kind == "overdue" {
			sn.overdue[f.PlanID]++
		}
	}
	s.snap.Store(sn)
	return nil
}

// current returns the snapshot, loading the first one on demand.
func (s *Server) current(ctx context.Context) (*snapshot, error) {
	if sn := s.snap.Load(); sn != nil {
		return sn, nil
	}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	return s.snap.Load(), nil
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) loc() *time.Location {
	if s.Location != nil {
		return s.Location
	}
	return time.Local
}

// Handler returns the web view's routes, behind access control and the
// security headers. The daemon mounts it at "/".
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page(s.overview))
	mux.HandleFunc("GET /plan/{municipality}/{solution}", s.page(s.planPage))
	mux.HandleFunc("GET /task/{id}", s.page(s.taskPage))
	mux.HandleFunc("GET /list/{list}", s.page(s.listPage))
	mux.HandleFunc("GET /sources", s.page(s.sourcesPage))
	mux.HandleFunc("GET /waves", s.page(s.wavesPage))
	mux.HandleFunc("GET /api/waves", s.api(s.apiWaves))
	mux.HandleFunc("GET /api/overview", s.api(s.apiOverview))
	mux.HandleFunc("GET /api/plans/{municipality}/{solution}", s.api(s.apiPlan))
	mux.HandleFunc("GET /api/list/{list}", s.api(s.apiList))
	mux.HandleFunc("GET /api/sources", s.api(s.apiSources))
	mux.Handle("GET /static/", http.FileServerFS(assets))
	if s.OIDC != nil {
		s.OIDC.routes(mux, s.log())
	}
	// Only logging out changes anything; a request from another site for
	// it (or any later POST) is refused by its Sec-Fetch-Site and Origin.
	return securityHeaders(http.NewCrossOriginProtection().Handler(s.authenticate(mux)))
}

// User returns who the request comes from by the web view's login (a
// session cookie or the trusted proxy's header), without sending anyone to
// log in: false when nobody is identified, the session was ended or
// cannot be checked, or the rules give them nothing.
func (s *Server) User(r *http.Request) (*User, bool) {
	switch {
	case s.OIDC != nil:
		s.OIDC.prepare(s.DB)
		u, _, _, err := s.OIDC.sessionUser(r)
		return u, err == nil && u != nil
	case s.Access != nil:
		u, _ := s.Access.identify(r)
		return u, u != nil
	}
	return nil, false
}

// authenticate puts the configured login or proxy check in front of h.
func (s *Server) authenticate(h http.Handler) http.Handler {
	switch {
	case s.OIDC != nil:
		s.OIDC.prepare(s.DB)
		return s.OIDC.wrap(h, s.log())
	case s.Access != nil:
		return s.Access.wrap(h, s.log())
	}
	return h
}

// Coordinators guards the daemon's own pages that show every
// municipality (the status page, the weekly report's download): the same
// login as the web view, and coordinators only.
func (s *Server) Coordinators(next http.Handler) http.Handler {
	return s.authenticate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u := userOf(r.Context()); u != nil && !u.Coordinator {
			http.Error(w, "Adgang nægtet / access denied: "+reason{"kun for koordinatorer", "for coordinators only"}.in(s.English), http.StatusForbidden)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	}))
}

// log is the server's log in its language.
func (s *Server) log() logger {
	l := s.Log
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return logger{l, s.English}
}

// logger is the web view's log: its messages are Danish, or English with
// English set; the attributes' keys are English in both, for the
// operators' queries.
type logger struct {
	*slog.Logger
	english bool
}

// say is a log message in the logger's language.
func (l logger) say(da, en string) string { return lang.Pick(l.english, da, en) }

// securityHeaders forbids inline script, framing and sniffing, and keeps
// pages with people's plans out of caches.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// errForbidden is a request for what the user may not see.
var errForbidden = errors.New("forbidden")

// errNotFound is a page about nothing the store holds.
var errNotFound = errors.New("not found")

func status(err error) int {
	switch {
	case errors.Is(err, errForbidden):
		return http.StatusForbidden
	case errors.Is(err, errNotFound):
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}
