package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/config"
)

// TestContactWarnings: a solution only a coordinator or webhook names, that
// the configuration does not know, is warned of even before a database
// exists (which is not created); no solution named in alerts, nothing.
func TestContactWarnings(t *testing.T) {
	for _, tt := range []struct {
		name, alerts string
		want         []string
	}{
		{"a webhook's unknown solution", "alerts:\n  webhooks:\n    - {url: https://example.org/hook, solutions: [MitID]}\n",
			[]string{`alerts.webhooks[0].solutions[0]: the configuration does not know the solution "MitID"`}},
		{"a coordinator's misspelt solution", "alerts:\n  coordinators:\n    - {email: k@kombit.dk, solutions: [KY, SAPPA]}\n",
			[]string{`alerts.coordinators[0].solutions[1]: the configuration does not know the solution "SAPPA"`}},
		{"known solutions", "alerts:\n  coordinators:\n    - {email: k@kombit.dk, solutions: [ky, SAPA]}\n", nil},
		{"no solutions", "alerts:\n  coordinators:\n    - {email: k@kombit.dk}\n", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "udrul.yaml")
			if err := os.WriteFile(path, []byte("language: en\n"+tt.alerts), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range ContactWarnings(cfg, CheckDatabase(context.Background(), cfg).Plans, nil) {
				got = append(got, w.Error())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("warnings %q, want %d: %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("warning %q, want %q", got[i], w)
				}
			}
			if _, err := os.Stat(cfg.DatabasePath()); err == nil {
				t.Error("the database was created")
			}
		})
	}
}
