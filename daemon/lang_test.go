package daemon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/config"
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

// TestRun_configWarnings: the daemon logs at WARN, at start and on reload,
// the warnings `udrul config check` prints (app.ConfigWarnings), in the
// configured language: a misspelt solution in alerts with the one meant,
// an SMTP server missing for e-mail recipients — not only the unsafe
// settings (config.Warnings) it logged before.
func TestRun_configWarnings(t *testing.T) {
	for _, tt := range []struct {
		name, language string
		want, reloaded string // in a WARN line, at start and after the reload
	}{
		{"Danish", "", `alerts.contacts.Aarhus/KYY: løsningen \"KYY\" kender konfigurationen ikke`,
			`alerts.coordinators[0].solutions[0]: løsningen \"KSDD\" kender konfigurationen ikke`},
		{"English", "language: en\n", `alerts.contacts.Aarhus/KYY: the configuration does not know the solution \"KYY\"`,
			`alerts.coordinators[0].solutions[0]: the configuration does not know the solution \"KSDD\"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
			cfgPath := filepath.Join(dir, "udrul.yaml")
			base := tt.language + "sources: [{name: share, kind: files, path: plans}]\n" +
				"schedules: {sync: \"@every 1h\", alerts: \"off\", report: \"off\", outbox: \"off\"}\nhttp: {listen: \"127.0.0.1:0\"}\n"
			os.WriteFile(cfgPath, []byte(base+"alerts:\n  contacts:\n    Aarhus/KYY: [pl@aarhus.dk]\n"), 0o600)
			var logs syncBuffer
			r := startLogged(t, cfgPath, &logs)
			defer r.stop(t)
			warned := func(s string) bool {
				for _, line := range strings.Split(logs.String(), "\n") {
					if strings.Contains(line, "level=WARN") && strings.Contains(line, s) {
						return true
					}
				}
				return false
			}
			waitFor(t, "the start's warnings", 10*time.Second, func() bool { return warned(tt.want) })
			if !warned("mente du KY?") && !warned("did you mean KY?") {
				t.Errorf("the warning does not say the solution meant:\n%s", logs.String())
			}
			// Every warning config check prints is logged.
			cfg, err := config.Load(cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range app.ConfigWarnings(cfg, nil, nil) {
				msg := strings.ReplaceAll(w.Error(), `"`, `\"`)
				waitFor(t, "the warning "+msg, 5*time.Second, func() bool { return warned(msg) })
			}

			os.WriteFile(cfgPath, []byte(base+"alerts:\n  coordinators:\n    - {email: k@kombit.dk, solutions: [KSDD]}\n"), 0o600)
			r.reload <- nil
			waitFor(t, "the reload's warnings", 10*time.Second, func() bool { return warned(tt.reloaded) })
		})
	}
}
