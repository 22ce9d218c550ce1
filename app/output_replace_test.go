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

// unreadableFile makes a file at path that exists and cannot be read (no
// permission), and the cause its read fails with. Skipped where the user
// reads a file without permissions (root). (A link to /proc/self/mem,
// whose read fails for root too, is not a regular file: see
// TestEnv_CheckReplace_notRegular.)
func unreadableFile(t *testing.T, path string) error {
	t.Helper()
	os.WriteFile(path, []byte("PK\x03\x04 a report, perhaps"), 0o644)
	os.Chmod(path, 0)
	if fh, err := os.Open(path); err == nil {
		fh.Close()
		t.Skip("this user reads a file without permissions (root)")
	}
	return fs.ErrPermission
}

// TestEnv_CheckReplace_unreadable: a file at --out that cannot be read is
// refused as what it is — a file udrul cannot read, with why and what to
// do — not called "not a report udrul wrote", which nobody could tell.
// Said in Danish and English.
func TestEnv_CheckReplace_unreadable(t *testing.T) {
	for _, tt := range []struct {
		name    string
		english bool
		want    string // %s: the file
	}{
		{"no permission", false, "%s findes allerede, men udrul kan ikke læse den (brugeren, udrul kører som, må ikke læse den), så det kan ikke afgøres, om det er en rapport, udrul har skrevet: intet er overskrevet; giv brugeren, udrul kører som, læseadgang til filen, flyt den væk, eller vælg et andet navn"},
		{"no permission, in English", true, "%s already exists but udrul cannot read it (the user udrul runs as may not read it), so whether it is a report udrul wrote cannot be told: nothing was overwritten; give the user udrul runs as read access to it, move it away, or choose another name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "udrul-rapport.xlsx")
			cause := unreadableFile(t, path)
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
// that cannot be read, or that is not a regular file (a named pipe),
// refuses, naming it and why, before anything is written; it is not
// called "not a report udrul wrote".
func TestEnv_WriteReports_splitUnreadable(t *testing.T) {
	for _, tt := range []struct {
		name string
		make func(t *testing.T, path string)
		want string // %s: the file
	}{
		{"cannot be read", func(t *testing.T, path string) { unreadableFile(t, path) },
			"--split: disse filer findes allerede, men udrul kan ikke læse dem, så det kan ikke afgøres, om udrul har skrevet dem; intet er skrevet (heller ikke den samlede rapport); giv brugeren, udrul kører som, læseadgang til dem, flyt dem væk, eller skriv rapporterne i en anden mappe med --out MAPPE/:\n  %s (brugeren, udrul kører som, må ikke læse den)"},
		{"a named pipe", func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		}, "--split: disse er ikke almindelige filer, og udrul skriver en rapport kun som en fil for sig; intet er skrevet (heller ikke den samlede rapport); flyt dem væk, eller skriv rapporterne i en anden mappe med --out MAPPE/:\n  %s (et navngivet rør, en FIFO)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			p := portfolio(t, 6, 0)
			e := p.open(t)
			today := e.Today()
			plans, err := e.DB.ListPlans(ctx)
			if err != nil || len(plans) == 0 {
				t.Fatalf("%d plans, %v", len(plans), err)
			}
			out := t.TempDir()
			odd := filepath.Join(out, reports.FileName(today, plans[0].Municipality))
			tt.make(t, odd)
			defer os.Chmod(odd, 0o644)
			before, _ := os.Lstat(odd)

			_, _, err = e.WriteReports(ctx, today, out+"/", "", true)
			if want := strings.Replace(tt.want, "%s", odd, 1); err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("WriteReports over the extract: %v\nwant %q", err, want)
			}
			if strings.Contains(err.Error(), "ikke rapporter, udrul har skrevet") {
				t.Errorf("the file is called not a report: %v", err)
			}
			if after, _ := os.Lstat(odd); after == nil || !os.SameFile(before, after) || after.Mode() != before.Mode() {
				t.Error("the file was replaced")
			}
			if left, _ := filepath.Glob(filepath.Join(out, "*")); len(left) != 1 {
				t.Errorf("files after the refusal: %q; want only the one there before", left)
			}
		})
	}
}

// TestEnv_CheckReplace_notRegular: --out onto something that is not a
// regular file — a named pipe, a link to a device, a link to
// /proc/self/mem (which stats as a regular file, and whose read fails), a
// folder named like a report — is refused saying what is there and what
// to do, in Danish and English, not as "an error of the file system" nor
// "not a report udrul wrote"; nothing is written or replaced.
func TestEnv_CheckReplace_notRegular(t *testing.T) {
	for _, tt := range []struct {
		name    string
		make    func(t *testing.T, path string)
		english bool
		want    string // %s: the path
	}{
		{"a named pipe", func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		}, false, "%s er ikke en almindelig fil (et navngivet rør, en FIFO): udrul skriver en rapport kun som en fil for sig, aldrig over noget andet; intet er skrevet; vælg et andet navn, eller angiv en mappe"},
		{"a link to /dev/null", func(t *testing.T, path string) { symlinkOrSkip(t, "/dev/null", path) }, true,
			"%s is not a regular file (a link to /dev/null, a device): udrul writes a report only as a file of its own, never over anything else; nothing was written; choose another name, or name a folder"},
		{"a link to /proc/self/mem", func(t *testing.T, path string) { symlinkOrSkip(t, "/proc/self/mem", path) }, false,
			"%s er ikke en almindelig fil (et link til /proc/self/mem, en af kernens filer, ikke en fil på disken): udrul skriver en rapport kun som en fil for sig"},
		{"a link to /proc/self/mem, in English", func(t *testing.T, path string) { symlinkOrSkip(t, "/proc/self/mem", path) }, true,
			"%s is not a regular file (a link to /proc/self/mem, one of the kernel's files, not a file on disk): udrul writes a report only as a file of its own"},
		{"a folder", func(t *testing.T, path string) { os.Mkdir(path, 0o755) }, true, "%s is not a regular file (a folder)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "udrul-rapport.xlsx")
			tt.make(t, path)
			before, _ := os.Lstat(path)
			err := envIn(t, tt.english).CheckReplace(path, provenance.Report)
			want := strings.Replace(tt.want, "%s", path, 1)
			var nr *app.NotRegularError
			if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.As(err, &nr) {
				t.Errorf("CheckReplace = %v\nwant %q", err, want)
			}
			for _, not := range []string{"filsystemet", "file system", "ikke en rapport", "not a report"} {
				if err != nil && strings.Contains(err.Error(), not) {
					t.Errorf("CheckReplace says %q: %v", not, err)
				}
			}
			if after, _ := os.Lstat(path); after == nil || !os.SameFile(before, after) {
				t.Error("what was there was replaced")
			}
		})
	}
}

func symlinkOrSkip(t *testing.T, target, path string) {
	t.Helper()
	if _, err := os.Stat(target); err != nil {
		t.Skipf("%s: %v", target, err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Skipf("link: %v", err)
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
