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

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/model"
)

// TestDaemon_statusPageWords: the status page names findings and states in
// words of the configured language, never codes such as due_soon.
func TestDaemon_statusPageWords(t *testing.T) {
	for _, tt := range []struct {
		name, language string
		want, notWant  []string
	}{
		{"danish", "da", []string{"Frist nærmer sig", "Åbne fund", `lang="da"`}, []string{"due_soon", "Due soon"}},
		{"english", "en", []string{"Due soon", "Open findings", `lang="en"`}, []string{"due_soon", "Frist nærmer sig", "Åbne fund"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "udrul.yaml")
			os.WriteFile(cfg, []byte("database: udrul.db\nlanguage: "+tt.language+"\n"), 0o644)
			ctx := context.Background()
			e, err := app.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			f := model.Finding{Key: "due_soon|1|1", Kind: "due_soon", Level: model.LevelInfo, Municipality: "Aarhus", Solution: "KY", Message: "x"}
			if _, _, _, err := e.DB.SaveFindings(ctx, model.NewDate(2026, 11, 25), []model.Finding{f}); err != nil {
				t.Fatal(err)
			}
			d := New(cfg, e, slog.New(slog.NewTextHandler(io.Discard, nil)))
			rec := httptest.NewRecorder()
			d.statusPage(rec, httptest.NewRequest("GET", "/", nil))
			body := rec.Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("status page lacks %q:\n%s", w, body)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("status page shows %q:\n%s", w, body)
				}
			}
		})
	}
}
