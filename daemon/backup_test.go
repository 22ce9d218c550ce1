package daemon

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"
	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/backup"
	"github.com/udrul/udrul/internal/plangen"
)

// syncBuffer is a log destination safe for concurrent jobs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startLogged is startDaemon with its log kept in logs.
func startLogged(t *testing.T, cfgPath string, logs io.Writer) *daemonRun {
	t.Helper()
	e, err := app.Open(context.Background(), cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &daemonRun{cancel: cancel, done: make(chan error, 1), reload: make(chan os.Signal, 1)}
	r.d = New(cfgPath, e, slog.New(slog.NewTextHandler(logs, nil)))
	go func() {
		err := r.d.Run(ctx, r.reload)
		e.Close() // before stop returns: a restore follows
		r.done <- err
	}()
	waitFor(t, "the daemon's HTTP endpoint", 10*time.Second, func() bool { return r.d.Addr() != "" })
	return r
}

func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(pmodel.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse metrics: %v", err)
	}
	out := map[string]float64{}
	for name, f := range families {
		for _, m := range f.Metric {
			v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
			key := name
			for _, l := range m.Label {
				key += "," + l.GetName() + "=" + l.GetValue()
			}
			out[key] += v
		}
	}
	return out
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const backupConfig = `
database: udrul.db
sources:
  - {name: share, kind: files, path: plans}
schedules: {sync: "@every 1h", alerts: "off", report: "off", outbox: "off", backup: "@every 1s"}
http: {listen: "127.0.0.1:0"}
backup:
  dir: bk
  keep_daily: 1
  keep_weekly: 0
  command: %s
  command_timeout_seconds: 20
`

// TestRun_backup runs the scheduled backup: backups are written and
// pruned to the retention, handed to backup.command, reported in
// /metrics, /readyz and on the status page; a restore is refused while the
// daemon runs and works once it stopped; a failing command is logged with
// its exit status and output.
func TestRun_backup(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	p := plangen.Generate(plangen.Spec{Seed: 3, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1})
	if _, err := p.Write(plans); err != nil {
		t.Fatal(err)
	}
	remote := filepath.Join(dir, "remote")
	os.Mkdir(remote, 0o755)
	cfgPath := filepath.Join(dir, "udrul.yaml")
	copyCmd := `["cp", "{file}", "` + remote + `/{name}"]`
	os.WriteFile(cfgPath, []byte(strings.Replace(backupConfig, "%s", copyCmd, 1)), 0o644)
	logs := &syncBuffer{}
	r := startLogged(t, cfgPath, logs)
	bk := filepath.Join(dir, "bk")

	waitFor(t, "three scheduled backups", 30*time.Second, func() bool {
		return scrape(t, r.d.Addr())["udrul_job_runs_total,job=backup,result=ok"] >= 3
	})
	copies, err := backup.List(bk, r.d.env().Cfg.Location())
	if err != nil {
		t.Fatal(err)
	}
	if len(copies) != 1 {
		t.Errorf("%d backups in the folder with keep_daily 1 and keep_weekly 0, want 1: %v", len(copies), copies)
	}
	sent, _ := os.ReadDir(remote)
	if len(sent) < 3 {
		t.Errorf("backup.command copied %d backups, want one per backup (≥ 3)", len(sent))
	}
	if !strings.Contains(logs.String(), "backup.command udført") {
		t.Errorf("the command's run is not logged:\n%s", logs.String())
	}
	m := scrape(t, r.d.Addr())
	if ts := m["udrul_backup_last_success_timestamp_seconds"]; time.Since(time.Unix(int64(ts), 0)) > time.Minute {
		t.Errorf("udrul_backup_last_success_timestamp_seconds = %v, want about now", ts)
	}
	if m["udrul_backup_size_bytes"] <= 0 || m["udrul_backup_duration_seconds"] <= 0 {
		t.Errorf("backup size %v, duration %v; want both positive", m["udrul_backup_size_bytes"], m["udrul_backup_duration_seconds"])
	}
	if code, body := get(t, "http://"+r.d.Addr()+"/readyz"); code != 200 || !strings.Contains(body, "backup: last good") {
		t.Errorf("/readyz = %d %q, want 200 with the last good backup", code, body)
	}
	if _, body := get(t, "http://"+r.d.Addr()+"/status"); !strings.Contains(body, "Seneste sikkerhedskopi:") {
		t.Errorf("the status page does not show the last backup")
	}

	// A backup of the daemon's store is sound.
	latest, _, _ := backup.Latest(bk, time.Now().In(r.d.env().Cfg.Location()))
	info, err := backup.Verify(context.Background(), latest.Path)
	if err != nil || info.Plans != 1 || info.Tasks != len(p.Tasks) {
		t.Errorf("Verify(latest) = %d plans, %d tasks, %v; want 1 plan of %d tasks", info.Plans, info.Tasks, err, len(p.Tasks))
	}
	keep := filepath.Join(dir, "keep.db.gz")
	b, _ := os.ReadFile(latest.Path)
	os.WriteFile(keep, b, 0o600)

	// A restore is refused while the daemon runs.
	dbPath := r.d.env().Cfg.DatabasePath()
	if _, err := backup.Restore(context.Background(), keep, dbPath, time.Now()); !errors.Is(err, backup.ErrInUse) {
		t.Errorf("Restore while the daemon runs = %v, want ErrInUse", err)
	}

	// A failing command is logged with its status and output.
	failCmd := `["sh", "-c", "echo no route to host >&2; exit 7", "sh", "{file}"]`
	os.WriteFile(cfgPath, []byte(strings.Replace(backupConfig, "%s", failCmd, 1)), 0o644)
	r.reload <- nil
	waitFor(t, "a failed backup.command", 30*time.Second, func() bool {
		return scrape(t, r.d.Addr())["udrul_backup_command_failures_total"] >= 1
	})
	out := logs.String()
	for _, want := range []string{"backup.command fejlede", "exit=7", "no route to host"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	if scrape(t, r.d.Addr())["udrul_job_runs_total,job=backup,result=failed"] < 1 {
		t.Errorf("a backup whose command failed is not counted as a failed job")
	}
	r.stop(t)

	// Stopped: the restore goes through.
	res, err := backup.Restore(context.Background(), keep, dbPath, time.Now())
	if err != nil {
		t.Fatalf("Restore after the daemon stopped: %v", err)
	}
	if res.Replaced == "" {
		t.Errorf("the replaced database is not kept")
	}
}

// TestRun_backupStale: an old last backup is a warning in /readyz and on
// the status page, not unreadiness; none at all is a warning too.
func TestRun_backupStale(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
	p := plangen.Generate(plangen.Spec{Seed: 3, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1})
	p.Write(filepath.Join(dir, "plans"))
	cfgPath := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfgPath, []byte("database: udrul.db\nsources:\n  - {name: share, kind: files, path: plans}\nschedules: {sync: \"@every 1h\", alerts: \"off\", report: \"off\", outbox: \"off\", backup: \"@every 1h\"}\nhttp: {listen: \"127.0.0.1:0\"}\n"), 0o644)
	r := startDaemon(t, cfgPath)
	defer r.stop(t)
	waitFor(t, "ready", 15*time.Second, func() bool { code, _ := get(t, "http://"+r.d.Addr()+"/readyz"); return code == 200 })
	if _, body := get(t, "http://"+r.d.Addr()+"/readyz"); !strings.Contains(body, "warning: backup: none yet") {
		t.Errorf("/readyz without backups = %q, want a warning", body)
	}
	bk := filepath.Join(dir, "backups")
	os.MkdirAll(bk, 0o700)
	old := time.Now().Add(-73 * time.Hour).In(r.d.env().Cfg.Location())
	os.WriteFile(filepath.Join(bk, backup.FileName(old)), []byte("x"), 0o600)
	// One dated in the future (taken while the clock was wrong) is not
	// the last good backup: it would silence the warning for years.
	os.WriteFile(filepath.Join(bk, backup.FileName(time.Now().AddDate(5, 0, 0).In(r.d.env().Cfg.Location()))), []byte("x"), 0o600)
	code, body := get(t, "http://"+r.d.Addr()+"/readyz")
	if code != 200 || !strings.Contains(body, "warning: backup: the last good backup is from "+old.Format("2006-01-02 15:04")) {
		t.Errorf("/readyz with a 3-day-old backup = %d %q, want 200 and a warning", code, body)
	}
	if _, body := get(t, "http://"+r.d.Addr()+"/status"); !strings.Contains(body, "ældre end to døgn") {
		t.Errorf("the status page does not warn of the old backup")
	}
}
