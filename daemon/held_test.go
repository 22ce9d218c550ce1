package daemon

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/sync/syncer"
)

// TestStatusPage_held: a plan the guard holds is listed on the status page
// with why, in the configured language, and the command that applies it.
func TestStatusPage_held(t *testing.T) {
	for _, tt := range []struct{ language, want string }{
		{"da", "Planer holdt tilbage|de sidste 10 af 25 opgaver forsvandt på én gang|udrul sync --accept Aarhus/KY"},
		{"en", "Plans held|the last 10 of 25 tasks are gone at once|udrul sync --accept Aarhus/KY"},
	} {
		t.Run(tt.language, func(t *testing.T) {
			dir := t.TempDir()
			plans := filepath.Join(dir, "plans")
			os.MkdirAll(plans, 0o755)
			cfg := filepath.Join(dir, "udrul.yaml")
			os.WriteFile(cfg, []byte("database: udrul.db\nlanguage: "+tt.language+"\nsources:\n  - {name: share, kind: files, path: plans}\n"), 0o644)
			ctx := context.Background()
			e, err := app.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			p := plangen.Generate(plangen.Spec{Seed: 1, Layout: plangen.CSVDanish, Municipality: "Aarhus", Solution: "KY", Wave: 1})
			path, _ := p.Write(plans)
			for i := range 2 {
				s, targets, err := e.NewSyncer(log, nil, "")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.Cycle(ctx, targets, syncer.Options{}); err != nil {
					t.Fatal(err)
				}
				if i == 0 { // cut off after 15 rows
					for len(p.Tasks) > 15 {
						p.Remove(len(p.Tasks) - 1)
					}
					p.Write(plans)
					later := time.Now().Add(time.Minute)
					os.Chtimes(path, later, later)
				}
			}
			d := New(cfg, e, log)
			rec := httptest.NewRecorder()
			d.statusPage(rec, httptest.NewRequest("GET", "/", nil))
			body := rec.Body.String()
			for _, w := range strings.Split(tt.want, "|") {
				if !strings.Contains(body, w) {
					t.Errorf("status page lacks %q:\n%s", w, body)
				}
			}
		})
	}
}
