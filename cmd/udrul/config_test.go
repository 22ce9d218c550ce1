package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
)

// TestConfigCommand_contactSolutions: a contact under a misspelt solution
// is a warning (the configuration is valid), naming the key, its line and
// the solution meant; a contact of a known solution that no plan in the
// database has is a warning once plans have been read.
func TestConfigCommand_contactSolutions(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	if err := os.MkdirAll(plans, 0o755); err != nil {
		t.Fatal(err)
	}
	plangen.Generate(plangen.Spec{Seed: 5, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1}).Write(plans)
	cfg := filepath.Join(dir, "udrul.yaml")
	write := func(contacts string) {
		t.Helper()
		if err := os.WriteFile(cfg, []byte("sources:\n  - {name: share, kind: files, path: plans}\nalerts:\n  contacts:\n"+contacts), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("misspelt", func(t *testing.T) {
		write("    Aarhus/KYY: [pl@aarhus.dk]\n")
		code, _, errOut := run(t, "config", "check", "--config", cfg)
		if want := `advarsel: ` + cfg + `:5: alerts.contacts.Aarhus/KYY: løsningen "KYY" kender konfigurationen ikke`; code != exitOK || !strings.Contains(errOut, want) || !strings.Contains(errOut, "mente du KY?") {
			t.Errorf("exit %d, stderr:\n%s\nwant %q and the solution meant", code, errOut, want)
		}
	})
	t.Run("no such plan", func(t *testing.T) {
		write("    Aarhus/KY: [pl@aarhus.dk]\n    Aarhus/SAPA: [sapa@aarhus.dk]\n")
		if code, _, errOut := run(t, "config", "check", "--config", cfg); code != exitOK || strings.Contains(errOut, "databasen") {
			t.Fatalf("before any sync: exit %d, stderr:\n%s", code, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, "udrul.db")); err == nil {
			t.Fatal("config check created the database")
		}
		if code, _, errOut := run(t, "sync", "--config", cfg); code != exitOK {
			t.Fatalf("sync: %d\n%s", code, errOut)
		}
		code, out, errOut := run(t, "config", "check", "--config", cfg)
		want := "advarsel: " + cfg + ":6: alerts.contacts.Aarhus/SAPA: ingen plan i databasen er Aarhus/SAPA (den har 1, med løsningerne KY)"
		if code != exitOK || !strings.Contains(errOut, want) || strings.Contains(errOut, "Aarhus/KY:") || !strings.Contains(out, "2 advarsel") {
			t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant only %q", code, out, errOut, want)
		}
	})
}

// TestConfigCommand_plansOwnSolution: a solution no list of the
// configuration names but a plan has ("Løsning: MitID") in a contact's key
// and a coordinator's solutions: the configuration is valid; config check
// warns of it before a sync has read such a plan, and says nothing once
// one has.
func TestConfigCommand_plansOwnSolution(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	if err := os.MkdirAll(plans, 0o755); err != nil {
		t.Fatal(err)
	}
	plangen.Generate(plangen.Spec{Seed: 5, Layout: plangen.TextDates, Municipality: "Aarhus", Solution: "MitID", Wave: 1}).Write(plans)
	cfg := filepath.Join(dir, "udrul.yaml")
	if err := os.WriteFile(cfg, []byte("sources:\n  - {name: share, kind: files, path: plans}\nalerts:\n  contacts:\n    Aarhus/MitID: [pl@aarhus.dk]\n"+
		"  coordinators:\n    - {email: k@kombit.dk, solutions: [MitID]}\nsmtp: {host: smtp.example.org, from: udrul@example.org}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "config", "check", "--config", cfg)
	for _, want := range []string{
		"advarsel: " + cfg + `:5: alerts.contacts.Aarhus/MitID: løsningen "MitID" kender konfigurationen ikke`,
		"advarsel: " + cfg + `:7: alerts.coordinators[0].solutions[0]: løsningen "MitID" kender konfigurationen ikke`,
	} {
		if code != exitOK || !strings.Contains(errOut, want) {
			t.Errorf("before any sync: exit %d, stdout %q, stderr:\n%s\nwant %q", code, out, errOut, want)
		}
	}
	if code, _, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("sync: %d\n%s", code, errOut)
	}
	if code, out, errOut := run(t, "config", "check", "--config", cfg); code != exitOK || errOut != "" || strings.Contains(out, "advarsel") {
		t.Errorf("after a sync read Aarhus/MitID: exit %d, stdout %q, stderr:\n%s\nwant no warning", code, out, errOut)
	}
}
