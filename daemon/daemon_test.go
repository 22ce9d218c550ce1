package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"
	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
)

// mailbox is a real SMTP server on loopback that keeps what it receives.
type mailbox struct {
	mu   sync.Mutex
	msgs []mail
	srv  *smtp.Server
	addr string
}

type mail struct {
	To   string
	Data string
}

type session struct {
	mb *mailbox
	to []string
}

func (s *session) Reset()                                      { s.to = nil }
func (s *session) Logout() error                               { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = append(s.to, to); return nil }
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	defer s.mb.mu.Unlock()
	for _, to := range s.to {
		s.mb.msgs = append(s.mb.msgs, mail{To: to, Data: string(b)})
	}
	return nil
}

func startMailbox(t *testing.T, addr string) *mailbox {
	t.Helper()
	mb := &mailbox{}
	mb.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{mb: mb}, nil }))
	mb.srv.Domain = "localhost"
	mb.srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	mb.addr = ln.Addr().String()
	go mb.srv.Serve(ln)
	return mb
}

// to returns the messages to addr, their quoted-printable parts decoded.
func (mb *mailbox) to(addr string) []mail {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	var out []mail
	for _, m := range mb.msgs {
		if m.To == addr {
			b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(m.Data)))
			if err == nil {
				m.Data = string(b)
			}
			out = append(out, m)
		}
	}
	return out
}

func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type daemonRun struct {
	d      *Daemon
	cancel context.CancelFunc
	done   chan error
	reload chan os.Signal
}

func startDaemon(t *testing.T, cfgPath string) *daemonRun {
	t.Helper()
	return startLogged(t, cfgPath, io.Discard)
}

func (r *daemonRun) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("daemon: %v", err)
		}
	case <-time.After(20 * time.Second):
		pprof.Lookup("goroutine").WriteTo(os.Stderr, 2) // where it hangs
		t.Fatal("the daemon did not stop")
	}
}

const daemonConfig = `
database: udrul.db
language: da
sources:
  - name: share
    kind: files
    path: plans
schedules:
  sync: "@every 1s"
  alerts: "@every 1s"
  report: "off"
  outbox: "@every 1s"
smtp:
  host: 127.0.0.1
  port: %s
  security: none
  from: udrul@kombit.example
http:
  listen: 127.0.0.1:0
alerts:
  retry_seconds: 1
  contacts:
    Aarhus/KY: [pl@aarhus.example]
  coordinators:
    - email: koordinator@kombit.example
  webhooks:
    - name: teams
      url: %s
      format: teams
`

// TestRun_endToEnd runs the daemon with short schedules against a real SMTP
// server and a webhook receiver: digests arrive, nothing twice, a slipped
// deadline makes exactly one alert, the outbox survives an SMTP outage and
// a restart, metrics can be scraped, and it stops cleanly.
func TestRun_endToEnd(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	today := model.DateOf(time.Now())
	p := plangen.Generate(plangen.Spec{Seed: 5, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1, Start: today.AddDays(-90)})
	if _, err := p.Write(plans); err != nil {
		t.Fatal(err)
	}
	mb := startMailbox(t, "127.0.0.1:0")
	var hookMu sync.Mutex
	var hooks []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hookMu.Lock()
		hooks = append(hooks, string(b))
		hookMu.Unlock()
	}))
	defer hook.Close()
	_, port, _ := net.SplitHostPort(mb.addr)
	cfgPath := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfgPath, []byte(fmt.Sprintf(daemonConfig, port, hook.URL)), 0o644)

	r := startDaemon(t, cfgPath)
	waitFor(t, "the first digests", 15*time.Second, func() bool {
		return len(mb.to("pl@aarhus.example")) == 1 && len(mb.to("koordinator@kombit.example")) == 1
	})
	first := mb.to("pl@aarhus.example")[0].Data
	for _, want := range []string{"Subject: udrul:", "varsl", "Aarhus / KY", "text/html", "text/plain"} {
		if !strings.Contains(first, want) {
			t.Errorf("digest lacks %q:\n%s", want, first)
		}
	}
	waitFor(t, "the webhook", 5*time.Second, func() bool { hookMu.Lock(); defer hookMu.Unlock(); return len(hooks) == 1 })
	var payload map[string]string
	if err := json.Unmarshal([]byte(hooks[0]), &payload); err != nil || !strings.Contains(payload["text"], "Aarhus / KY") {
		t.Errorf("teams payload = %s (%v)", hooks[0], err)
	}

	// Several more alert runs: nothing new, nothing sent twice.
	time.Sleep(3 * time.Second)
	if n := len(mb.to("pl@aarhus.example")); n != 1 {
		t.Fatalf("%d digests to the contact after repeated runs, want 1", n)
	}

	// A deadline slips: exactly one new alert, about that task.
	var slipped int
	for i, tk := range p.Tasks {
		if tk.Status != model.Done && !tk.End.IsZero() && tk.End.After(today.AddDays(20)) {
			slipped = i
			break
		}
	}
	p.Slip(slipped, 14)
	time.Sleep(1100 * time.Millisecond) // a new modification time
	p.Write(plans)
	waitFor(t, "the slip alert", 15*time.Second, func() bool { return len(mb.to("pl@aarhus.example")) == 2 })
	second := mb.to("pl@aarhus.example")[1].Data
	if strings.Count(second, "Slutdato skredet") != 2 || !strings.Contains(second, p.Tasks[slipped].Title) { // text and HTML part
		t.Errorf("slip digest:\n%s", second)
	}
	time.Sleep(2 * time.Second)
	if n := len(mb.to("pl@aarhus.example")); n != 2 {
		t.Errorf("%d digests after the slip, want exactly 2", n)
	}

	// Metrics scraped and parsed.
	resp, err := http.Get("http://" + r.d.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(pmodel.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("parse metrics: %v", err)
	}
	for _, name := range []string{"udrul_sync_total", "udrul_sync_duration_seconds", "udrul_tasks", "udrul_findings", "udrul_alerts_sent_total", "udrul_job_runs_total"} {
		if families[name] == nil {
			t.Errorf("metric %s missing", name)
		}
	}
	if sent := families["udrul_alerts_sent_total"]; sent != nil && sent.Metric[0].GetCounter().GetValue() < 2 {
		t.Errorf("alerts sent = %v", sent.Metric)
	}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/": 200, "/reports/latest": 404} {
		resp, err := http.Get("http://" + r.d.Addr() + path)
		if err != nil || resp.StatusCode != want {
			t.Errorf("GET %s = %v, %v; want %d", path, resp.StatusCode, err, want)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// Said in the configured language (Danish), not "no report yet".
		if path == "/reports/latest" && !strings.HasPrefix(string(body), "Ingen rapport endnu") {
			t.Errorf("GET %s says %q", path, body)
		}
	}

	// SMTP outage: the alert waits in the outbox, through a restart.
	mb.srv.Close()
	p.Slip(slipped, 7)
	time.Sleep(1100 * time.Millisecond)
	p.Write(plans)
	waitFor(t, "a failed delivery", 15*time.Second, func() bool {
		pending, _, _ := r.d.env().DB.OutboxCounts(context.Background())
		return pending >= 2
	})
	r.stop(t)
	mb2 := startMailbox(t, mb.addr) // the server is back, on the same address
	defer mb2.srv.Close()
	r = startDaemon(t, cfgPath)
	waitFor(t, "the delivery after the outage", 15*time.Second, func() bool { return len(mb2.to("pl@aarhus.example")) == 1 })
	time.Sleep(2 * time.Second)
	if n := len(mb2.to("pl@aarhus.example")); n != 1 {
		t.Errorf("%d messages after the outage, want 1 (nothing twice)", n)
	}
	r.stop(t)
}

// TestRun_reload checks that SIGHUP applies a valid configuration and keeps
// the running one when the new one is invalid.
func TestRun_reload(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
	cfgPath := filepath.Join(dir, "udrul.yaml")
	valid := "database: udrul.db\nsources:\n  - {name: share, kind: files, path: plans}\nschedules: {sync: \"@every 1h\", alerts: \"off\", report: \"off\", outbox: \"off\"}\nhttp: {listen: \"127.0.0.1:0\"}\n"
	os.WriteFile(cfgPath, []byte(valid), 0o644)
	r := startDaemon(t, cfgPath)
	defer r.stop(t)

	os.WriteFile(cfgPath, []byte(valid+"bogus_key: 1\n"), 0o644)
	r.reload <- nil
	time.Sleep(200 * time.Millisecond)
	if got := len(r.d.env().Cfg.Sources); got != 1 {
		t.Fatalf("after an invalid reload: %d sources", got)
	}
	os.WriteFile(cfgPath, []byte(strings.Replace(valid, "sources:\n  - {name: share, kind: files, path: plans}", "sources:\n  - {name: share, kind: files, path: plans}\n  - {name: more, kind: files, path: plans}", 1)), 0o644)
	r.reload <- nil
	waitFor(t, "the reload", 5*time.Second, func() bool { return len(r.d.env().Cfg.Sources) == 2 })
}

// TestRun_weeklyReport runs the report job: the report is written with the
// ISO week in its name, old weeks are pruned, the coordinators get it
// attached, each municipality's contacts their extract, and the status page
// links it.
func TestRun_weeklyReport(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	for i, mun := range []string{"Aarhus", "Vejle"} {
		p := plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.Blocks, Municipality: mun, Solution: "KY", Wave: 1})
		p.Write(plans)
	}
	reportsDir := filepath.Join(dir, "reports")
	os.MkdirAll(reportsDir, 0o755)
	for _, old := range []string{"udrul-rapport-2026-W01.xlsx", "udrul-rapport-2026-W01-Aarhus.xlsx", "udrul-rapport-2026-W02.xlsx"} {
		os.WriteFile(filepath.Join(reportsDir, old), []byte("old"), 0o644)
	}
	mb := startMailbox(t, "127.0.0.1:0")
	defer mb.srv.Close()
	_, port, _ := net.SplitHostPort(mb.addr)
	cfgPath := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfgPath, []byte(fmt.Sprintf(`
sources: [{name: share, kind: files, path: plans}]
schedules: {sync: "off", alerts: "off", report: "off", outbox: "off"}
smtp: {host: 127.0.0.1, port: %s, security: none, from: udrul@kombit.example}
http: {listen: "127.0.0.1:0"}
report: {dir: reports, keep: 2, email: true, split: true}
alerts:
  coordinators: [{email: koordinator@kombit.example}]
  contacts: {Aarhus: [pl@aarhus.example]}
`, port)), 0o644)
	r := startDaemon(t, cfgPath)
	defer r.stop(t)
	waitFor(t, "the first sync", 10*time.Second, func() bool {
		plans, _ := r.d.env().DB.ListPlans(context.Background())
		return len(plans) == 2
	})
	if err := r.d.runJob(context.Background(), "report"); err != nil {
		t.Fatal(err)
	}
	name := reportsName(t)
	if _, err := os.Stat(filepath.Join(reportsDir, name)); err != nil {
		t.Errorf("report %s not written: %v", name, err)
	}
	if _, err := os.Stat(filepath.Join(reportsDir, "udrul-rapport-2026-W01.xlsx")); !os.IsNotExist(err) {
		t.Errorf("the oldest week was not pruned (keep: 2)")
	}
	if _, err := os.Stat(filepath.Join(reportsDir, "udrul-rapport-2026-W02.xlsx")); err != nil {
		t.Errorf("the second newest week was pruned: %v", err)
	}
	coord := mb.to("koordinator@kombit.example")
	if len(coord) != 1 || !strings.Contains(coord[0].Data, name) || !strings.Contains(coord[0].Data, "Content-Disposition: attachment") {
		t.Errorf("coordinator got %d messages", len(coord))
	}
	pl := mb.to("pl@aarhus.example")
	if len(pl) != 1 || !strings.Contains(pl[0].Data, strings.TrimSuffix(name, ".xlsx")+"-Aarhus.xlsx") {
		t.Errorf("contact got %d messages, want the Aarhus extract", len(pl))
	}
	resp, err := http.Get("http://" + r.d.Addr() + "/reports/latest")
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), name) {
		t.Errorf("latest report download: %v %v", resp, err)
	}
	resp.Body.Close()
}

func reportsName(t *testing.T) string {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	y, w := time.Now().In(loc).ISOWeek()
	return fmt.Sprintf("udrul-rapport-%d-W%02d.xlsx", y, w)
}

// TestRun_stopMidSync stops the daemon while its first sync applies large
// plans: it exits promptly, the database is intact, and every plan is
// either fully applied or not at all.
func TestRun_stopMidSync(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	const perPlan = 3000
	for i, mun := range []string{"Aarhus", "Vejle", "Skive", "Sorø", "Køge", "Odder"} {
		p := plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.CSVDanish, Municipality: mun, Solution: "KY", Wave: 1, Tasks: perPlan})
		if _, err := p.Write(plans); err != nil {
			t.Fatal(err)
		}
	}
	cfgPath := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfgPath, []byte("sources: [{name: share, kind: files, path: plans}]\nschedules: {sync: \"@every 1h\", alerts: \"off\", report: \"off\", outbox: \"off\"}\nhttp: {listen: \"127.0.0.1:0\"}\n"), 0o644)
	logs := &syncBuffer{}
	r := startLogged(t, cfgPath, logs)
	time.Sleep(150 * time.Millisecond)
	start := time.Now()
	r.stop(t)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("stopping took %v", d)
	}
	// Logged as stopped ("job stoppet": the configuration is Danish), not as
	// synced, failed or "context canceled" (when
	// the stop came before the sync finished).
	if out := logs.String(); strings.Contains(out, "job stoppet") {
		for _, bad := range []string{"job fejlede", "context canceled", "msg=\"kilde synkroniseret\"", "level=WARN", "level=ERROR"} {
			if strings.Contains(out, bad) {
				t.Errorf("the log says %q for a stopped sync:\n%s", bad, out)
			}
		}
	} else {
		t.Logf("the sync finished before the stop:\n%s", out)
	}
	e, err := app.Open(context.Background(), cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if res, err := e.DB.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Errorf("integrity_check = %q, %v", res, err)
	}
	ps, _ := e.DB.ListPlans(context.Background())
	for _, p := range ps {
		if p.Tasks != 0 && p.Tasks != perPlan {
			t.Errorf("plan %s has %d tasks: half applied", p.Key(), p.Tasks)
		}
	}
	t.Logf("stopped after %d of 6 plans were applied", len(ps))
}
