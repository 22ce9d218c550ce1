package app_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/reports"
)

// unreadableFile makes a file at path that exists and cannot be read, and
// the cause its read fails with. Root reads a file without permissions, so
// under root the file is a link to /proc/self/mem: a regular file of size 0
// whose read from its start fails (EIO) for any user, root too. Skipped
// where neither way gives an unreadable file.
func unreadableFile(t *testing.T, path string, permissions bool) error {
	t.Helper()
	if permissions {
		os.WriteFile(path, []byte("PK\x03\x04 a report, perhaps"), 0o644)
		os.Chmod(path, 0)
		if fh, err := os.Open(path); err == nil {
			fh.Close()
			t.Skip("this user reads a file without permissions (root)")
		}
		return fs.ErrPermission
	}
	if err := os.Symlink("/proc/self/mem", path); err != nil {
		t.Skipf("link: %v", err)
	}
	if _, err := os.ReadFile(path); !errors.Is(err, syscall.EIO) {
		t.Skipf("/proc/self/mem reads as %v here, not an I/O error", err)
	}
	return syscall.EIO
}

// TestEnv_CheckReplace_unreadable: a file at --out that cannot be read is
// refused as what it is — a file udrul cannot read, with why and what to
// do — not called "not a report udrul wrote", which nobody could tell.
// Said in Danish and English.
func TestEnv_CheckReplace_unreadable(t *testing.T) {
	for _, tt := range []struct {
		name        string
		permissions bool
		english     bool
		want        string // %s: the file
	}{
		{"no permission", true, false, "%s findes allerede, men udrul kan ikke læse den (brugeren, udrul kører som, må ikke læse den), så det kan ikke afgøres, om det er en rapport, udrul har skrevet: intet er overskrevet; giv brugeren, udrul kører som, læseadgang til filen, flyt den væk, eller vælg et andet navn"},
		{"no permission, in English", true, true, "%s already exists but udrul cannot read it (the user udrul runs as may not read it), so whether it is a report udrul wrote cannot be told: nothing was overwritten; give the user udrul runs as read access to it, move it away, or choose another name"},
		{"a read error", false, false, "%s findes allerede, men udrul kan ikke læse den (en fejl i filsystemet eller på drevet), så det kan ikke afgøres, om det er en rapport, udrul har skrevet: intet er overskrevet"},
		{"a read error, in English", false, true, "%s already exists but udrul cannot read it (an error of the file system or drive), so whether it is a report udrul wrote cannot be told: nothing was overwritten"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "udrul-rapport.xlsx")
			cause := unreadableFile(t, path, tt.permissions)
			defer os.Chmod(path, 0o644)
			e := envIn(t, tt.english)
			err := e.CheckReplace(path, provenance.Report)
			want := strings.Replace(tt.want, "%s", path, 1)
			if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, cause) {
				t.Errorf("CheckReplace = %v\nwant %q (errors.Is %v)", err, want, cause)
			}
			if err != nil && (strings.Contains(err.Error(), "not a report") || strings.Contains(err.Error(), "ikke en rapport")) {
				t.Errorf("CheckReplace calls an unreadable file not a report: %v", err)
			}
		})
	}
}

// TestEnv_WriteReports_splitUnreadable: --split over an extract's file
// that cannot be read refuses, naming it and why, before anything is
// written; it is not called "not a report udrul wrote".
func TestEnv_WriteReports_splitUnreadable(t *testing.T) {
	ctx := context.Background()
	p := portfolio(t, 6, 0)
	e := p.open(t)
	today := e.Today()
	plans, err := e.DB.ListPlans(ctx)
	if err != nil || len(plans) == 0 {
		t.Fatalf("%d plans, %v", len(plans), err)
	}
	out := t.TempDir()
	locked := filepath.Join(out, reports.FileName(today, plans[0].Municipality))
	cause := unreadableFile(t, locked, false)
	before, _ := os.Readlink(locked)

	_, _, err = e.WriteReports(ctx, today, out+"/", "", true)
	want := "--split: disse filer findes allerede, men udrul kan ikke læse dem, så det kan ikke afgøres, om udrul har skrevet dem; intet er skrevet (heller ikke den samlede rapport)"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), locked+" (en fejl i filsystemet eller på drevet)") {
		t.Fatalf("WriteReports over an unreadable extract: %v\nwant %q naming %s (%v)", err, want, locked, cause)
	}
	if strings.Contains(err.Error(), "ikke rapporter, udrul har skrevet") {
		t.Errorf("the unreadable file is called not a report: %v", err)
	}
	if after, _ := os.Readlink(locked); after != before {
		t.Error("the unreadable file was replaced")
	}
	if left, _ := filepath.Glob(filepath.Join(out, "*")); len(left) != 1 {
		t.Errorf("files after the refusal: %q; want only the unreadable one", left)
	}
}

// envIn is an Env of a configuration in Danish or English (no database).
func envIn(t *testing.T, english bool) *app.Env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "udrul.yaml")
	lang := "da"
	if english {
		lang = "en"
	}
	if err := os.WriteFile(path, []byte("language: "+lang+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return &app.Env{Cfg: cfg}
}
