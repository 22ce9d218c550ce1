package daemon

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/store"
)

// TestStatusPage_conflicts: a plan claimed by two files is listed on the
// status page with both files.
func TestStatusPage_conflicts(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	p := plangen.Generate(plangen.Spec{Seed: 5, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1})
	path, err := p.Write(plans)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	os.WriteFile(filepath.Join(plans, "KY_Aarhus_v2.xlsx"), data, 0o644)
	cfgPath := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfgPath, []byte(`database: udrul.db
sources:
  - {name: share, kind: files, path: plans}
schedules: {sync: "@every 1s", alerts: "off", report: "off", outbox: "off"}
http: {listen: 127.0.0.1:0}
`), 0o644)
	r := startDaemon(t, cfgPath)
	defer r.stop(t)
	waitFor(t, "the conflict", 15*time.Second, func() bool {
		pl, err := r.d.env().DB.Plan(context.Background(), "Aarhus/KY")
		return err == nil && pl.State == store.PlanConflict
	})
	resp, err := http.Get("http://" + r.d.Addr() + "/status")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	for _, want := range []string{"Planer i konflikt", "Aarhus/KY", filepath.Base(path), "KY_Aarhus_v2.xlsx"} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
}
