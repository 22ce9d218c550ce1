package daemon

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"
	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/fakegraph"
	"github.com/udrul/udrul/internal/plangen"
)

// TestRun_graphMetrics syncs an m365 source in the daemon against the fake
// Graph and finds its requests in /metrics by endpoint and status.
func TestRun_graphMetrics(t *testing.T) {
	fake := fakegraph.New()
	defer fake.Close()
	pemBytes, cert, err := fakegraph.Certificate()
	if err != nil {
		t.Fatal(err)
	}
	const tenant = "11111111-2222-3333-4444-555555555555"
	fake.AddTenant(tenant, "aarhus.onmicrosoft.com")
	fake.RegisterApp(tenant, "app-1", "", cert, true)
	drive := fake.AddSite(tenant, "aarhus.sharepoint.com", "sites/Udrulning", "Udrulning", true).AddDrive("Dokumenter", "Shared Documents")
	p := plangen.Generate(plangen.Spec{Seed: 1, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1})
	dir := t.TempDir()
	path, err := p.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	drive.Put(p.FileName(), data)
	os.WriteFile(filepath.Join(dir, "graph.pem"), pemBytes, 0o600)
	cfgPath := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfgPath, []byte(fmt.Sprintf(`
m365:
  tenant_id: %s
  client_id: app-1
  client_certificate: graph.pem
  authority_host: %s
  graph_endpoint: %s
sources:
  - name: sp
    kind: m365
    site: https://aarhus.sharepoint.com/sites/Udrulning
schedules: {sync: "@every 1s", alerts: "off", report: "off", outbox: "off"}
http: {listen: "127.0.0.1:0"}
`, tenant, fake.AuthorityHost(), fake.GraphURL())), 0o600)
	e, err := app.Open(context.Background(), cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	e.GraphTransport = fake.Client().Transport
	ctx, cancel := context.WithCancel(context.Background())
	d := New(cfgPath, e, slog.New(slog.NewTextHandler(io.Discard, nil)))
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx, nil); e.Close() }()
	defer func() { cancel(); <-done }()
	waitFor(t, "the daemon's HTTP endpoint", 10*time.Second, func() bool { return d.Addr() != "" })

	graphCalls := func() map[string]float64 {
		resp, err := http.Get("http://" + d.Addr() + "/metrics")
		if err != nil {
			return nil
		}
		defer resp.Body.Close()
		parser := expfmt.NewTextParser(pmodel.UTF8Validation)
		families, err := parser.TextToMetricFamilies(resp.Body)
		if err != nil || families["udrul_graph_api_calls_total"] == nil {
			return nil
		}
		out := map[string]float64{}
		for _, m := range families["udrul_graph_api_calls_total"].Metric {
			key := ""
			for _, l := range m.Label {
				key += l.GetName() + "=" + l.GetValue() + " "
			}
			out[key] = m.GetCounter().GetValue()
		}
		return out
	}
	waitFor(t, "Graph calls in /metrics", 15*time.Second, func() bool {
		c := graphCalls()
		return c["endpoint=delta status=200 "] >= 1 && c["endpoint=site status=200 "] == 1 && c["endpoint=content status=302 "] == 1
	})
}
