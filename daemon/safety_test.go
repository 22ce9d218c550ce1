package daemon

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

// TestRun_weeklyReportHostileMunicipality: the weekly job with split
// extracts, for a plan whose Kommune line is a path, writes every workbook
// inside the report folder and mails the extract to the plan's contact,
// once even when the job runs twice.
func TestRun_weeklyReportHostileMunicipality(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a", "b", "c")
	os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
	os.MkdirAll(filepath.Join(root, "a", "elsewhere"), 0o755)
	// Sync refuses a municipality that is not one of the 98, so the
	// hostile name is put in the store directly: the report must be safe
	// whatever the store holds.
	db, err := store.Open(context.Background(), filepath.Join(dir, "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	run, err := db.BeginRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(context.Background(), func(tx *store.Tx) error {
		id, err := tx.CreatePlan(store.Plan{Municipality: "x/../../../../elsewhere/pwned", Solution: "KY", Location: "plans/plan.csv",
			Metadata: map[string]string{"Projektleder": "pl@x.example"}})
		if err != nil {
			return err
		}
		_, err = tx.InsertTask(id, run, model.Task{Step: "Trin 1", Title: "Opstart", Responsible: "Kommune", Performer: "Kommune",
			Start: model.NewDate(2026, 6, 1), End: model.NewDate(2026, 6, 15), Status: model.InProgress, Pos: model.Pos{Sheet: "plan", Row: 5}})
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	mb := startMailbox(t, "127.0.0.1:0")
	defer mb.srv.Close()
	_, port, _ := net.SplitHostPort(mb.addr)
	cfgPath := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfgPath, []byte(fmt.Sprintf(`
database: udrul.db
sources: [{name: share, kind: files, path: plans}]
schedules: {sync: "off", alerts: "off", report: "off", outbox: "off"}
smtp: {host: 127.0.0.1, port: %s, security: none, from: udrul@kombit.example}
http: {listen: "127.0.0.1:0"}
report: {dir: reports, email: true, split: true}
alerts:
  coordinators: [{email: koordinator@kombit.example}]
`, port)), 0o600)
	r := startDaemon(t, cfgPath)
	defer r.stop(t)
	if plans, _ := r.d.env().DB.ListPlans(context.Background()); plans[0].Municipality != "x/../../../../elsewhere/pwned" {
		t.Fatalf("municipality = %q: the test needs the hostile name in the store", plans[0].Municipality)
	}
	for range 2 {
		if err := r.d.runJob(context.Background(), "report"); err != nil {
			t.Fatal(err)
		}
	}
	reportDir := filepath.Join(dir, "reports")
	var xlsx []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".xlsx") {
			xlsx = append(xlsx, p)
		}
		return nil
	})
	if len(xlsx) != 2 {
		t.Errorf("workbooks = %v, want the report and one extract", xlsx)
	}
	for _, p := range xlsx {
		if filepath.Dir(p) != reportDir {
			t.Errorf("a workbook outside the report folder: %s", p)
		}
	}
	if got := mb.to("pl@x.example"); len(got) != 1 || !strings.Contains(got[0].Data, "x_elsewhere_pwned") {
		t.Errorf("the contact got %d messages, want one with the extract", len(got))
	}
	if got := mb.to("koordinator@kombit.example"); len(got) != 1 {
		t.Errorf("the coordinator got %d messages, want 1 (the job ran twice)", len(got))
	}
}

// TestRun_leftovers: at start, a sync run left running by a killed process
// is marked interrupted and a report's stale temporary file is removed.
func TestRun_leftovers(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
	reportDir := filepath.Join(dir, "reports")
	os.MkdirAll(reportDir, 0o755)
	stale := filepath.Join(reportDir, ".udrul-tmp-0a1b2c-udrul-rapport-2026-W48.xlsx")
	os.WriteFile(stale, []byte("half a workbook"), 0o644)
	old := time.Now().Add(-3 * time.Hour)
	os.Chtimes(stale, old, old)
	cfgPath := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfgPath, []byte("sources: [{name: share, kind: files, path: plans}]\nschedules: {sync: \"off\", alerts: \"off\", report: \"off\", outbox: \"off\"}\nhttp: {listen: \"127.0.0.1:0\"}\nreport: {dir: reports}\n"), 0o600)

	e, err := app.Open(context.Background(), cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true command:", err)
	}
	host, _ := os.Hostname()
	res, err := e.DB.SQL().Exec(`INSERT INTO sync_runs (started_at, pid, host) VALUES ('2026-11-25T10:00:00Z', ?, ?)`, cmd.Process.Pid, host)
	if err != nil {
		t.Fatal(err)
	}
	killed, _ := res.LastInsertId()
	e.Close()

	var log syncBuffer
	r := startLogged(t, cfgPath, &log)
	defer r.stop(t)
	waitFor(t, "the first sync", 10*time.Second, func() bool { return strings.Contains(log.String(), "job udført") })
	if st, _ := r.d.env().DB.RunStatus(context.Background(), killed); st != "interrupted" {
		t.Errorf("the killed run is %q, want interrupted", st)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stale temporary report is still there: %v", err)
	}
}

// TestRun_failedDeliveriesLogged: a failed delivery is logged at WARN with
// its reason, and the job does not end with "job udført" (done) at INFO.
func TestRun_failedDeliveriesLogged(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close() // nothing listens there: connection refused
	cfgPath := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfgPath, []byte(fmt.Sprintf("sources: [{name: share, kind: files, path: plans}]\nschedules: {sync: \"off\", alerts: \"off\", report: \"off\", outbox: \"off\"}\nhttp: {listen: \"127.0.0.1:0\"}\nsmtp: {host: 127.0.0.1, port: %s, security: none, from: udrul@kombit.example}\n", port)), 0o600)
	var log syncBuffer
	r := startLogged(t, cfgPath, &log)
	defer r.stop(t)
	if _, err := r.d.env().DB.Queue(context.Background(), store.Message{Channel: "email", Recipient: "pl@aarhus.example", Subject: "s", Text: "t"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	r.d.SetOnJob(func(name string, err error) {
		if name == "outbox" {
			done <- err
		}
	})
	r.d.start("outbox")
	if err := <-done; err == nil {
		t.Error("the outbox job succeeded with a failed delivery")
	}
	var warn, doneLine bool
	for _, l := range strings.Split(log.String(), "\n") {
		if strings.Contains(l, "level=WARN") && strings.Contains(l, "levering fejlede") && strings.Contains(l, "pl@aarhus.example") && strings.Contains(l, "reason=") {
			warn = true
		}
		if strings.Contains(l, "job udført") && strings.Contains(l, "job=outbox") {
			doneLine = true
		}
	}
	if !warn || doneLine {
		t.Errorf("WARN with reason: %v, \"job udført\": %v; want true, false. Log:\n%s", warn, doneLine, log.String())
	}
}

// TestServe_limits: an idle keep-alive connection is closed after
// IdleTimeout, and a connection over MaxConns waits until one is free.
func TestServe_limits(t *testing.T) {
	defer func(c int, idle time.Duration) { MaxConns, IdleTimeout = c, idle }(MaxConns, IdleTimeout)
	MaxConns, IdleTimeout = 2, 300*time.Millisecond
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
	cfgPath := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfgPath, []byte("sources: [{name: share, kind: files, path: plans}]\nschedules: {sync: \"off\", alerts: \"off\", report: \"off\", outbox: \"off\"}\nhttp: {listen: \"127.0.0.1:0\"}\n"), 0o600)
	r := startDaemon(t, cfgPath)
	defer r.stop(t)
	addr := r.d.Addr()
	get := func(c net.Conn) (*http.Response, error) {
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		return resp, err
	}

	t.Run("idle keep-alive closed", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if resp, err := get(c); err != nil || resp.StatusCode != 200 {
			t.Fatalf("first request: %v", err)
		}
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("idle connection: read = %v, want EOF (closed by the server)", err)
		}
	})

	t.Run("over the cap waits", func(t *testing.T) {
		var held []net.Conn
		for range 2 {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := get(c); err != nil { // accepted and served: it holds a slot
				t.Fatal(err)
			}
			held = append(held, c)
		}
		// Keep them busy past the idle timeout with a request in progress.
		for _, c := range held {
			fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
		}
		third, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer third.Close()
		fmt.Fprintf(third, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		third.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		if _, err := third.Read(make([]byte, 1)); err == nil {
			t.Error("a third connection was served while two held the cap")
		}
		held[0].Close()
		third.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(third), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("after a slot was freed: %v", err)
		}
		held[1].Close()
	})
}
