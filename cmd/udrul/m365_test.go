package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/store"
)

// TestSourcesCommand_m365 shows an m365 source's last delta query beside
// its calls and bytes.
func TestSourcesCommand_m365(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte(`
timezone: Europe/Copenhagen
m365:
  tenant_id: aarhus.onmicrosoft.com
  client_id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
  client_secret_env: UDRUL_GRAPH_SECRET
sources:
  - name: sp
    kind: m365
    site: https://aarhus.sharepoint.com/sites/Udrulning
  - name: sp2
    kind: m365
    site: https://aarhus.sharepoint.com/sites/Andet
`), 0o644)
	db, err := store.Open(context.Background(), filepath.Join(dir, "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, name := range []string{"sp", "sp2"} {
		id, err := db.EnsureSource(ctx, name, "m365", "m365: https://aarhus.sharepoint.com/sites/Udrulning")
		if err != nil {
			t.Fatal(err)
		}
		db.SourceResult(ctx, id, nil, map[string]any{"files": 1, "read": 1, "calls": 7, "bytes": 4242})
		if name == "sp" {
			db.SaveSourceState(ctx, id, []byte(`{"last_delta":"2026-11-25T09:30:00Z","drives":{"b!1":{"delta":"https://graph.microsoft.com/v1.0/drives/b!1/root/delta?token=x",
				"items":{"r":{"n":"/","f":true},"d":{"n":"Planer","p":"r","f":true},"i":{"n":"KY_Aarhus.xlsx","p":"d","v":"qx:1","s":4242}}}}}`))
		}
	}
	db.Close()
	code, out, errOut := run(t, "sources", "--config", cfg)
	if code != exitOK {
		t.Fatalf("%d %s", code, errOut)
	}
	for _, want := range []string{"sp: sidste delta 2026-11-25 10:30, 1 drev, 1 planfiler i dem", "sp2: ingen delta endnu", "4242"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
