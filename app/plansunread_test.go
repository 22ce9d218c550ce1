package app

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/store"
)

// brokenPlans makes a udrul database at path whose plans cannot be read
// (its plans table lacks a column every schema has), the rest sound.
func brokenPlans(t *testing.T, path string) {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`ALTER TABLE plans RENAME COLUMN wave TO wave_old`); err != nil {
		t.Fatal(err)
	}
}

// TestPlanIdentities_readError: plans that cannot be read are an error,
// not "no plans": config check says they could not be read and why, in
// the configuration's language, and the warning about a solution in
// alerts says the plans could not be read, never that the database holds
// none.
func TestPlanIdentities_readError(t *testing.T) {
	for _, tt := range []struct {
		lang, problem, warning, notWarning string
	}{
		{"en", "the plans in the database %s could not be read: its plans table cannot be read as udrul writes it",
			"and the plans in the database could not be read (its plans table cannot be read as udrul writes it", "holds no plans yet"},
		{"da", "planerne i databasen %s kunne ikke læses: dens plans-tabel kan ikke læses, som udrul skriver den",
			"og planerne i databasen kunne ikke læses (dens plans-tabel kan ikke læses, som udrul skriver den", "har endnu ingen planer"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "udrul.yaml")
			os.WriteFile(path, []byte("language: "+tt.lang+"\nalerts:\n  webhooks:\n    - {url: https://example.org/hook, solutions: [MitID]}\n"), 0o644)
			cfg, err := config.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			brokenPlans(t, cfg.DatabasePath())

			db, err := store.OpenReadOnly(context.Background(), cfg.DatabasePath())
			if err != nil {
				t.Fatal(err)
			}
			plans, err := PlanIdentities(context.Background(), db)
			db.Close()
			if err == nil || plans != nil {
				t.Errorf("PlanIdentities = %v, %v; want an error", plans, err)
			}

			check := CheckDatabase(context.Background(), cfg)
			if want := strings.Replace(tt.problem, "%s", cfg.DatabasePath(), 1); !strings.HasPrefix(check.Problem, want) || check.PlansErr == nil {
				t.Errorf("CheckDatabase problem %q (err %v), want %q…", check.Problem, check.PlansErr, want)
			}
			ws := ConfigWarnings(cfg, check.Plans, check.PlansErr)
			var said []string
			for _, w := range ws {
				said = append(said, w.Error())
			}
			all := strings.Join(said, "\n")
			if !strings.Contains(all, tt.warning) || strings.Contains(all, tt.notWarning) {
				t.Errorf("warnings:\n%s\nwant %q, not %q", all, tt.warning, tt.notWarning)
			}
		})
	}
}
