package daemon

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/udrul/udrul/app"
)

// gateHandler logs to a text handler, but holds each configuration warning
// until gate is closed: the background look at the configuration (a share
// that does not answer, a log that cannot be written) does not end.
type gateHandler struct {
	slog.Handler
	gate    chan struct{}
	blocked *atomic.Int32 // warnings held now
}

func (h *gateHandler) Handle(ctx context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "konfiguration: ") || strings.HasPrefix(r.Message, "configuration: ") {
		h.blocked.Add(1)
		<-h.gate
		h.blocked.Add(-1)
	}
	return h.Handler.Handle(ctx, r)
}

func (h *gateHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &gateHandler{h.Handler.WithAttrs(as), h.gate, h.blocked}
}

func (h *gateHandler) WithGroup(name string) slog.Handler {
	return &gateHandler{h.Handler.WithGroup(name), h.gate, h.blocked}
}

// TestRun_reloadStormConfigWarnings: the configuration warnings the daemon
// logs at start and on each reload are looked at in the background; while
// that look does not end (a share that does not answer: a hard-mounted NFS
// folder), reloads (SIGHUP from a config-management run every minute) must
// not pile up one more goroutine each, unbounded, none of them ever waited
// for: at most the one running and the newest configuration's waiting.
func TestRun_reloadStormConfigWarnings(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
	cfgPath := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfgPath, []byte("sources: [{name: share, kind: files, path: plans}]\n"+
		"schedules: {sync: \"@every 1h\", alerts: \"off\", report: \"off\", outbox: \"off\"}\nhttp: {listen: \"127.0.0.1:0\"}\n"+
		"alerts:\n  contacts:\n    Aarhus/KYY: [pl@aarhus.dk]\n"), 0o600)
	e, err := app.Open(context.Background(), cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	h := &gateHandler{Handler: slog.NewTextHandler(&logs, nil), gate: make(chan struct{}), blocked: &atomic.Int32{}}
	released := false
	release := func() {
		if !released {
			close(h.gate)
			released = true
		}
	}
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	r := &daemonRun{cancel: cancel, done: make(chan error, 1), reload: make(chan os.Signal, 1)}
	r.d = New(cfgPath, e, slog.New(h))
	go func() {
		err := r.d.Run(ctx, r.reload)
		e.Close()
		r.done <- err
	}()
	defer func() { release(); r.stop(t) }()
	waitFor(t, "the start's warnings", 10*time.Second, func() bool { return h.blocked.Load() >= 1 })

	const reloads = 10
	for i := 1; i <= reloads; i++ {
		r.reload <- nil
		waitFor(t, "a reload", 10*time.Second, func() bool {
			return strings.Count(logs.String(), "konfigurationen genindlæst") >= i
		})
	}
	// Give the reloads' looks time to start (an upper bound, not a speed:
	// on the old code they are all there at once).
	deadline := time.Now().Add(3 * time.Second)
	for h.blocked.Load() < reloads+1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got, most := h.blocked.Load(), int32(2); got > most {
		t.Errorf("after %d reloads, %d looks at the configuration are running at once, want at most %d", reloads, got, most)
	}
}
