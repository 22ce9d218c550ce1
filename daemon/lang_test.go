package daemon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRun_logLanguage: the daemon's log messages speak the configured
// language — Danish by default, English with language: en — while the
// attributes' keys stay English for the operators' queries.
func TestRun_logLanguage(t *testing.T) {
	for _, tt := range []struct {
		name, language string
		want, notWant  []string
	}{
		{"Danish by default", "", []string{`msg="udrul startet"`, `msg="job udført" job=sync`, `msg="udrul stoppet"`},
			[]string{"udrul started", "job done", "udrul stopped"}},
		{"English", "language: en\n", []string{`msg="udrul started"`, `msg="job done" job=sync`, `msg="udrul stopped"`},
			[]string{"udrul startet", "job udført", "udrul stoppet"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
			cfgPath := filepath.Join(dir, "udrul.yaml")
			os.WriteFile(cfgPath, []byte(tt.language+"sources: [{name: share, kind: files, path: plans}]\n"+
				"schedules: {sync: \"@every 1h\", alerts: \"off\", report: \"off\", outbox: \"off\"}\nhttp: {listen: \"127.0.0.1:0\"}\n"), 0o600)
			var logs syncBuffer
			r := startLogged(t, cfgPath, &logs)
			waitFor(t, "the first sync", 20*time.Second, func() bool { return strings.Contains(logs.String(), "job=sync") })
			r.stop(t)
			out := logs.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("the log lacks %s:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("the log says %q:\n%s", w, out)
				}
			}
		})
	}
}
