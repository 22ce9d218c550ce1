package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/fakegoogle"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/store"
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
	os.WriteFile(cfg, []byte(googleConfig(fake, "key.json", "", `folders: ["https://drive.google.com/drive/folders/FOLDER"]`)), 0o644)
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

// TestSyncCommand_googleLimits: the configured limits: reach the Google
// source, which reads a spreadsheet within them (not within the defaults):
// a cell in row 150,000 is read with limits.rows 200,000, and told of as
// beyond them with limits.rows 1,000.
func TestSyncCommand_googleLimits(t *testing.T) {
	fake := fakegoogle.New()
	defer fake.Close()
	dir := t.TempDir()
	p := plangen.Generate(plangen.Spec{Seed: 1, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1})
	path, _ := p.Write(dir)
	g, err := grid.ReadFile(path, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ss := fakegoogle.Spreadsheet(g)
	fakegoogle.SetCell(ss, 0, 150_000, 1, "Note far below")
	fake.Put(fakegoogle.File{ID: "id-Aarhus", Name: "KY Aarhus", MimeType: "application/vnd.google-apps.spreadsheet", Sheet: ss})
	keyJSON, err := fake.ServiceAccountKey("udrul@p.iam.gserviceaccount.com")
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "key.json")
	os.WriteFile(key, keyJSON, 0o600)
	for _, tc := range []struct {
		rows   int
		beyond bool
	}{{200_000, false}, {1_000, true}} {
		t.Run(fmt.Sprint(tc.rows), func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "udrul.yaml")
			head := fmt.Sprintf("language: en\ndatabase: udrul.db\nlimits: {rows: %d}\n", tc.rows)
			os.WriteFile(cfg, []byte(googleConfig(fake, key, head, "spreadsheets: [id-Aarhus]")), 0o644)
			code, out, errOut := run(t, "sync", "--config", cfg)
			if code != exitOK {
				t.Fatalf("sync: %d\n%s\n%s", code, out, errOut)
			}
			db, err := store.Open(context.Background(), filepath.Join(filepath.Dir(cfg), "udrul.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			plan, err := db.Plan(context.Background(), "Aarhus/KY")
			if err != nil {
				t.Fatal(err)
			}
			issues, _ := db.PlanIssues(context.Background(), plan.ID)
			var told []string
			for _, is := range issues {
				if is.Code == grid.CodeBeyondLimits {
					told = append(told, is.Message)
				}
			}
			want := 0
			if tc.beyond {
				want = 1
			}
			if len(told) != want || want == 1 && !strings.Contains(told[0], "(at most 1000 rows and 1024 columns) and were not read; the first is A150000") {
				t.Errorf("limits.rows %d: told of cells beyond the limits %q, want %d saying so at A150000", tc.rows, told, want)
			}
		})
	}
}

// googleConfig is a configuration with one Google source ("google", the
// source's line given) reading from the fake, with head's lines first.
func googleConfig(fake *fakegoogle.Server, key, head, source string) string {
	return head + fmt.Sprintf(`google:
  credentials: %s
  requests_per_minute: 6000
  drive_endpoint: %s
  sheets_endpoint: %s
sources:
  - name: google
    kind: gsheets
    %s
`, key, fake.DriveEndpoint(), fake.SheetsEndpoint(), source)
}
