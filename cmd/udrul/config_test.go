package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/store"
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

// TestConfigCommand_database: config check looks at the database without
// changing it. A database an older udrul left (an older schema; that udrul
// may still be running) is byte-identical afterwards, its plans read all
// the same, and config check says it will be upgraded by the next sync or
// run; a missing one is not created, and config check says it will be; a
// newer udrul's is a warning. Said in Danish and in English.
func TestConfigCommand_database(t *testing.T) {
	for _, english := range []bool{false, true} {
		pick := func(da, en string) string {
			if english {
				return en
			}
			return da
		}
		t.Run(pick("da", "en"), func(t *testing.T) {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
			cfg := filepath.Join(dir, "udrul.yaml")
			language := ""
			if english {
				language = "language: en\n"
			}
			os.WriteFile(cfg, []byte(language+"sources:\n  - {name: share, kind: files, path: plans}\nalerts:\n  contacts:\n    Aarhus/SAPA: [sapa@aarhus.dk]\n"), 0o644)
			dbPath := filepath.Join(dir, "udrul.db")

			t.Run("missing", func(t *testing.T) {
				code, out, errOut := run(t, "config", "check", "--config", cfg)
				want := pick("databasen "+dbPath+" findes ikke endnu: den oprettes ved første udrul sync eller udrul run",
					"the database "+dbPath+" does not exist yet: the first udrul sync or udrul run creates it")
				if code != exitOK || !strings.Contains(out, want) {
					t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
				}
				if _, err := os.Stat(dbPath); err == nil {
					t.Error("config check created the database")
				}
			})

			t.Run("an older schema", func(t *testing.T) {
				db, err := store.OpenWith(context.Background(), dbPath, store.Options{UpTo: 1})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.SQL().Exec(`INSERT INTO plans (municipality, solution, wave, created_at) VALUES ('Aarhus', 'KY', '1', 'then')`); err != nil {
					t.Fatal(err)
				}
				db.Close()
				before, _ := os.ReadFile(dbPath)
				entries, _ := os.ReadDir(dir)

				code, out, errOut := run(t, "config", "check", "--config", cfg)
				wantNote := pick(fmt.Sprintf("databasen %s har skema 1, denne udrul forventer %d: den opgraderes ved næste udrul sync eller udrul run (config check ændrer den ikke)", dbPath, store.SchemaVersion()),
					fmt.Sprintf("the database %s is at schema 1, this udrul expects %d: the next udrul sync or udrul run upgrades it (config check does not change it)", dbPath, store.SchemaVersion()))
				// The plans are read from the older schema: the contact is
				// held up against them.
				wantWarning := pick("ingen plan i databasen er Aarhus/SAPA (den har 1, med løsningerne KY)", "no plan in the database is Aarhus/SAPA (it holds 1, of the solutions KY)")
				if code != exitOK || !strings.Contains(out, wantNote) || !strings.Contains(errOut, wantWarning) {
					t.Errorf("exit %d, stdout %q, stderr %q; want %q and %q", code, out, errOut, wantNote, wantWarning)
				}
				if after, _ := os.ReadFile(dbPath); !bytes.Equal(before, after) {
					t.Error("config check changed the database")
				}
				if after, _ := os.ReadDir(dir); len(after) != len(entries) {
					t.Errorf("config check left files: %v, were %v", after, entries)
				}
				os.Remove(dbPath)
			})

			t.Run("a newer udrul's", func(t *testing.T) {
				db, err := store.Open(context.Background(), dbPath)
				if err != nil {
					t.Fatal(err)
				}
				newer := store.SchemaVersion() + 7
				if _, err := db.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future.sql', 'then')`, newer); err != nil {
					t.Fatal(err)
				}
				db.Close()
				code, out, errOut := run(t, "config", "check", "--config", cfg)
				want := pick(fmt.Sprintf("advarsel: databasen %s er skrevet af en nyere udrul (skema %d; denne udrul kender op til %d): denne udrul kan ikke bruge den; opgradér udrul", dbPath, newer, store.SchemaVersion()),
					fmt.Sprintf("warning: the database %s was written by a newer udrul (schema %d; this udrul knows up to %d): this udrul cannot use it; upgrade udrul", dbPath, newer, store.SchemaVersion()))
				if code != exitOK || !strings.Contains(errOut, want) || !strings.Contains(out, pick("; 3 advarsel(er)", "; 3 warning(s)")) { // with the SMTP and empty folder warnings
					t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
				}
				os.Remove(dbPath)
			})

			t.Run("not a database", func(t *testing.T) {
				os.WriteFile(dbPath, []byte(strings.Repeat("not a database ", 20)), 0o644)
				code, _, errOut := run(t, "config", "check", "--config", cfg)
				want := pick("advarsel: databasen "+dbPath+" kan ikke læses: er det en udrul-database, og er den hel?", "warning: the database "+dbPath+" cannot be read: is it a udrul database, and is it sound?")
				if code != exitOK || !strings.Contains(errOut, want) {
					t.Errorf("exit %d, stderr %q; want %q", code, errOut, want)
				}
				os.Remove(dbPath)
			})
		})
	}
}
