package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/fakegraph"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/sync/syncer"
)

// TestEnv_m365 runs an m365 source from a configuration file against the
// fake Graph: the certificate read from its file, the source wired into
// the cycle, and every Graph call told to the metrics hook.
func TestEnv_m365(t *testing.T) {
	fake := fakegraph.New()
	defer fake.Close()
	pemBytes, cert, err := fakegraph.Certificate()
	if err != nil {
		t.Fatal(err)
	}
	const tenant, client = "aarhus.onmicrosoft.com", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	fake.AddTenant("11111111-2222-3333-4444-555555555555", tenant)
	fake.RegisterApp("11111111-2222-3333-4444-555555555555", client, "s3cret", cert, true)
	site := fake.AddSite("11111111-2222-3333-4444-555555555555", "aarhus.sharepoint.com", "sites/Udrulning", "Udrulning", true)
	drive := site.AddDrive("Dokumenter", "Shared Documents")
	p := plangen.Generate(plangen.Spec{Seed: 1, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1})
	path, err := p.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	drive.Put("Planer/"+p.FileName(), data)

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "graph.pem"), pemBytes, 0o600)
	os.WriteFile(filepath.Join(dir, "secret"), []byte("s3cret\n"), 0o600)
	for _, tc := range []struct{ name, credential string }{
		{"certificate", "  client_certificate: graph.pem\n"},
		{"secret file", "  client_secret_file: secret\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfgPath := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
			os.WriteFile(cfgPath, []byte("database: "+strings.ReplaceAll(tc.name, " ", "-")+".db\nm365:\n  tenant_id: "+tenant+"\n  client_id: "+client+"\n"+tc.credential+
				"  authority_host: "+fake.AuthorityHost()+"\n  graph_endpoint: "+fake.GraphURL()+"\nsources:\n  - name: sp\n    kind: m365\n    site: https://aarhus.sharepoint.com/sites/Udrulning\n    folders: [Planer]\n"), 0o600)
			e, err := app.Open(context.Background(), cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			e.GraphTransport = fake.Client().Transport
			var mu sync.Mutex
			seen := map[string]int{}
			e.OnGraphCall(func(ep, status string) { mu.Lock(); seen[ep+" "+status]++; mu.Unlock() })
			s, targets, err := e.NewSyncer(nil, nil, "")
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Cycle(context.Background(), targets, syncer.Options{})
			if err != nil || !res[0].OK() || res[0].Read != 1 {
				t.Fatalf("%v %s %v", err, res[0].Summary(), res[0].Errors)
			}
			plan, _ := e.DB.Plan(context.Background(), "Aarhus/KY")
			if want := drive.WebURL("Planer/" + p.FileName()); plan.Location != want {
				t.Errorf("location = %s, want %s", plan.Location, want)
			}
			if seen["site 200"] != 1 || seen["delta 200"] != 1 || seen["content 302"] != 1 || seen["download 200"] != 1 {
				t.Errorf("calls told = %v", seen)
			}
		})
	}
	t.Run("secret variable not set", func(t *testing.T) {
		cfgPath := filepath.Join(dir, "env.yaml")
		os.WriteFile(cfgPath, []byte("m365:\n  tenant_id: "+tenant+"\n  client_id: "+client+"\n  client_secret_env: UDRUL_TEST_NO_SUCH_VARIABLE\nsources:\n  - name: sp\n    kind: m365\n    site: https://aarhus.sharepoint.com/sites/Udrulning\n"), 0o600)
		e, err := app.Open(context.Background(), cfgPath)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		if _, _, err := e.NewSyncer(nil, nil, ""); err == nil || !strings.Contains(err.Error(), "UDRUL_TEST_NO_SUCH_VARIABLE") {
			t.Errorf("got %v", err)
		}
	})
}
