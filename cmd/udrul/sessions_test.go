package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/store"
)

// TestSessionsCommand: `sessions revoke` records the end of every login,
// or of one user's, in the database the daemon reads; wrong use is a
// usage error.
func TestSessionsCommand(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("database: udrul.db\nlanguage: en\n"), 0o600)
	tests := []struct {
		name     string
		args     []string
		code     int
		want     string
		wantKind string
		subject  string
	}{
		{"all", []string{"sessions", "revoke", "--config", cfg}, exitOK, "Every web view login made before", store.RevokeAll, ""},
		{"one user", []string{"sessions", "revoke", "--user", "PL@Aarhus.dk", "--config", cfg}, exitOK, "pl@aarhus.dk's web view logins made before", store.RevokeUser, "pl@aarhus.dk"},
		{"no subcommand", []string{"sessions", "--config", cfg}, exitUsage, "name the subcommand: revoke", "", ""},
		{"not an address", []string{"sessions", "revoke", "--user", "bob", "--config", cfg}, exitUsage, "e-mail address", "", ""},
		{"extra argument", []string{"sessions", "revoke", "all", "--config", cfg}, exitUsage, "nothing else", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Fatalf("%v: %d, want %d, with %q:\n%s%s", tt.args, code, tt.code, tt.want, out, errOut)
			}
			if tt.wantKind == "" {
				return
			}
			if !strings.Contains(out, "http.auth.oidc is not configured") {
				t.Errorf("no note that the view has no logins of its own:\n%s", out)
			}
			db, err := store.Open(context.Background(), filepath.Join(dir, "udrul.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			rs, err := db.Revocations(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, r := range rs {
				found = found || (r.Kind == tt.wantKind && r.Subject == tt.subject)
			}
			if !found {
				t.Errorf("no %s revocation for %q in %+v", tt.wantKind, tt.subject, rs)
			}
		})
	}
}
