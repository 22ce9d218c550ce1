package syncer_test

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/syncer"
)

// TestCycle_logLanguage: the syncer's log messages (a source failed, a
// document failed, a plan in conflict, a source synced) speak the configured
// language — Danish by default, English with English set — while the
// attributes' keys stay English for the operators' queries.
func TestCycle_logLanguage(t *testing.T) {
	for _, tt := range []struct {
		name          string
		english       bool
		want, notWant []string
	}{
		{"Danish by default", false,
			[]string{`msg="kilden fejlede" source=share err=`, `msg="dokumentet fejlede" source=share document=`,
				`msg="synkronisering af kilden fejlede" source=share files=2 read=1`, `msg="kilde synkroniseret" source=share files=1 read=0 unchanged=1`,
				`msg="plan i konflikt" source=share plan=`},
			[]string{"source failed", "document failed", "source sync failed", "source synced", "plan in conflict"}},
		{"English", true,
			[]string{`msg="source failed" source=share err=`, `msg="document failed" source=share document=`,
				`msg="source sync failed" source=share files=2 read=1`, `msg="source synced" source=share files=1 read=0 unchanged=1`,
				`msg="plan in conflict" source=share plan=`},
			[]string{"kilden fejlede", "dokumentet fejlede", "synkronisering af kilden fejlede", "kilde synkroniseret", "plan i konflikt"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 1)
			var logs bytes.Buffer
			f.s.Log = slog.New(slog.NewTextHandler(&logs, nil))
			f.s.English = tt.english
			anonymous := filepath.Join(f.dir, "anonymous.csv")
			os.WriteFile(anonymous, []byte("Opgave;Startdato;Slutdato;Status\nA;01-06-2026;02-06-2026;\n"), 0o644)
			f.cycle(syncer.Options{}, f.target(filepath.Join(f.dir, "missing")), f.target(f.dir))
			os.Remove(anonymous)
			f.cycle(syncer.Options{})
			// A copy beside the plan's file: two files claim one plan.
			name := f.plans[0].FileName()
			copyFile(t, filepath.Join(f.dir, name), filepath.Join(f.dir, strings.TrimSuffix(name, filepath.Ext(name))+" - Kopi"+filepath.Ext(name)))
			f.cycle(syncer.Options{})
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
