package app_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/app"
)

// TestEnv_Solution: --solution takes a solution the configuration knows
// as config check knows them (the waves' keys too, with no plan yet), in
// any case, and refuses another.
func TestEnv_Solution(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "udrul.yaml")
	cfg := "database: udrul.db\nwaves:\n  MitID:\n    waves:\n      \"1\": {go_live: 2027-03-01}\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := app.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, tt := range []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "built-in", in: "ky", want: "KY"},
		{name: "a wave table's, no plan yet", in: "mitid", want: "MitID"},
		{name: "unknown", in: "MitIDD", wantErr: true},
		{name: "none", in: " ", want: ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Solution(context.Background(), tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("Solution(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
