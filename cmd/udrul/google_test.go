package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/fakegoogle"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/sync/grid"
)

// TestSyncCommand_google syncs a Google source configured as a user would:
// a service-account key file and a folder, against the fake Google.
func TestSyncCommand_google(t *testing.T) {
	fake := fakegoogle.New()
	defer fake.Close()
	dir := t.TempDir()
	keyJSON, err := fake.ServiceAccountKey("udrul@p.iam.gserviceaccount.com")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "key.json"), keyJSON, 0o600)
	fake.Folder("FOLDER", "Planer", "")
	for i, mun := range []string{"Aarhus", "Vejle"} {
		p := plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.Blocks, Municipality: mun, Solution: "KY", Wave: 1})
		path, _ := p.Write(dir)
		g, err := grid.ReadFile(path, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		fake.Put(fakegoogle.File{ID: "id-" + mun, Name: "KY " + mun, MimeType: "application/vnd.google-apps.spreadsheet", Parents: []string{"FOLDER"}, Sheet: fakegoogle.Spreadsheet(g)})
	}
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`
google:
  credentials: key.json
  requests_per_minute: 6000
  drive_endpoint: %s
  sheets_endpoint: %s
sources:
  - name: google
    kind: gsheets
    folders: ["https://drive.google.com/drive/folders/FOLDER"]
`, fake.DriveEndpoint(), fake.SheetsEndpoint())), 0o644)
	code, out, errOut := run(t, "sync", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "google: 2 filer, 0 uændrede, 2 læst, 2 nye planer") {
		t.Fatalf("sync: %d\n%s\n%s", code, out, errOut)
	}
	run(t, "sync", "--config", cfg)
	code, out, _ = run(t, "sources", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "gsheets") || !strings.Contains(out, "Aarhus/KY") || !strings.Contains(out, "https://docs.google.com/spreadsheets/d/id-Aarhus/edit") {
		t.Errorf("sources: %d\n%s", code, out)
	}
	// Domain-wide delegation: google.subject reaches the token request.
	fake.Subjects = []string{"planner@kommune.dk"}
	os.WriteFile(cfg, []byte(fmt.Sprintf(`
google:
  credentials: key.json
  subject: planner@kommune.dk
  requests_per_minute: 6000
  drive_endpoint: %s
  sheets_endpoint: %s
sources:
  - name: google
    kind: gsheets
    folders: ["https://drive.google.com/drive/folders/FOLDER"]
`, fake.DriveEndpoint(), fake.SheetsEndpoint())), 0o644)
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("sync as planner@kommune.dk: %d\n%s\n%s", code, out, errOut)
	}
	if sub := fake.Claims()["sub"]; sub != "planner@kommune.dk" {
		t.Errorf("token subject = %v, want google.subject", sub)
	}
}
