package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/grid"
)

// TestPlainFileError: a file-system error in plain words in each
// language, naming the path; errors.Is still finds the reason; other
// errors pass unchanged.
func TestPlainFileError(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "fil")
	os.WriteFile(file, []byte("x"), 0o644)
	_, notExist := os.Create(filepath.Join(dir, "mangler", "rapport.xlsx"))
	notDir := os.MkdirAll(filepath.Join(file, "under"), 0o755)
	tests := []struct {
		name   string
		err    error
		is     error
		da, en string
	}{
		{"missing folder", notExist, fs.ErrNotExist,
			"kan ikke åbne " + filepath.Join(dir, "mangler", "rapport.xlsx") + ": mappen eller filen findes ikke: opret mappen, eller ret stien",
			"cannot open " + filepath.Join(dir, "mangler", "rapport.xlsx") + ": the folder or file does not exist: create the folder, or correct the path"},
		{"a file size limit", fmt.Errorf("expand a.db.gz: %w", &fs.PathError{Op: "write", Path: "/d/.udrul-restore-1.db", Err: syscall.EFBIG}), syscall.EFBIG,
			"expand a.db.gz: kan ikke skrive /d/.udrul-restore-1.db: filen bliver større, end systemet tillader (en grænse for filstørrelse eller en kvote): hæv grænsen, eller vælg en anden disk",
			"expand a.db.gz: cannot write /d/.udrul-restore-1.db: the file would be larger than the system allows (a file size limit or a quota): raise the limit, or choose another disk"},
		{"a file in the path", notDir, nil,
			"kan ikke oprette mappen " + file + ": en del af stien er en fil, ikke en mappe: ret stien",
			"cannot create the folder " + file + ": a part of the path is a file, not a folder: correct the path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("the test's error did not happen")
			}
			for _, l := range []struct {
				english bool
				want    string
			}{{false, tt.da}, {true, tt.en}} {
				got := PlainFileError(tt.err, l.english)
				if got.Error() != l.want {
					t.Errorf("got  %s\nwant %s", got, l.want)
				}
				if !errors.Is(got, tt.err) || tt.is != nil && !errors.Is(got, tt.is) {
					t.Errorf("%v does not wrap %v", got, tt.err)
				}
			}
		})
	}
	// What was said before the library's text is kept.
	if got, want := PlainFileError(fmt.Errorf("backup.dir: %w", notExist), false).Error(), "backup.dir: "+tests[0].da; got != want {
		t.Errorf("prefixed:\ngot  %s\nwant %s", got, want)
	}
	// An error already in words (a reader's) is left as it is.
	worded := grid.Localize(notExist, "da")
	if got := PlainFileError(fmt.Errorf("kriteriearket x: %w", worded), true); got.Error() != "kriteriearket x: "+worded.Error() {
		t.Errorf("worded error changed: %v", got)
	}
	other := errors.New("something else")
	if got := PlainFileError(other, false); got != other {
		t.Errorf("another error changed: %v", got)
	}
}

// TestEnv_PlainAt: a temporary file's error names the file being written.
func TestEnv_PlainAt(t *testing.T) {
	dir := t.TempDir()
	_, err := os.CreateTemp(filepath.Join(dir, "mangler"), ".x.*.tmp")
	e := &Env{Cfg: mustConfig(t, "")}
	want := "kan ikke skrive " + filepath.Join(dir, "mangler", "x.xlsx") + ": mappen eller filen findes ikke: opret mappen, eller ret stien"
	if got := e.PlainAt(err, filepath.Join(dir, "mangler", "x.xlsx")); got.Error() != want || strings.Contains(got.Error(), ".tmp") {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func mustConfig(t *testing.T, yaml string) *config.Config {
	t.Helper()
	c, err := config.Parse(strings.NewReader(yaml), filepath.Join(t.TempDir(), "udrul.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestExplain: the store's errors in each language; errors.Is still
// finds them.
func TestExplain(t *testing.T) {
	for _, tt := range []struct {
		err    error
		da, en string
	}{
		{fmt.Errorf("commit: %w", store.ErrBusy), "databasen er optaget (en anden udrul synkroniserer): prøv igen om lidt", "the database is busy (another udrul is syncing): try again in a moment"},
		{fmt.Errorf("open: %w", store.ErrNewerSchema), "databasen er skrevet af en nyere udgave af udrul: opgradér udrul", "the database was written by a newer version of udrul: upgrade udrul"},
		{&store.PlanNotFoundError{Key: "Aarhus/KY"}, `der er ingen plan "Aarhus/KY" (planer hedder Kommune/Løsning, som 'udrul plans' viser dem)`, `plan "Aarhus/KY": not found (plans are named Municipality/Solution, as 'udrul plans' lists them)`},
	} {
		for _, l := range []struct {
			english bool
			want    string
		}{{false, tt.da}, {true, tt.en}} {
			got := Explain(tt.err, l.english)
			if got.Error() != l.want || !errors.Is(got, tt.err) {
				t.Errorf("got %q (wraps %v: %v), want %q", got, tt.err, errors.Is(got, tt.err), l.want)
			}
		}
	}
}

// TestOpen_databaseFolderMissing: a database whose folder is missing is
// said in the configured language, naming the folder and the key.
func TestOpen_databaseFolderMissing(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ lang, want string }{
		{"da", "databasen %[1]s/mangler/u.db kan ikke oprettes: mappen %[1]s/mangler findes ikke: opret den, eller ret database i %[1]s/udrul.yaml"},
		{"en", "the database %[1]s/mangler/u.db cannot be created: the folder %[1]s/mangler does not exist: create it, or correct database in %[1]s/udrul.yaml"},
	} {
		cfg := filepath.Join(dir, "udrul.yaml")
		os.WriteFile(cfg, []byte("database: mangler/u.db\nlanguage: "+tt.lang+"\n"), 0o600)
		_, err := Open(context.Background(), cfg)
		if want := fmt.Sprintf(tt.want, dir); err == nil || err.Error() != want {
			t.Errorf("%s:\ngot  %v\nwant %s", tt.lang, err, want)
		}
	}
}

// TestOpen_databaseNotADatabase: a database path naming a folder or a file
// that is no SQLite database is said in words, not as SQLite's "file is
// not a database", and the file is left as it was.
func TestOpen_databaseNotADatabase(t *testing.T) {
	for _, tt := range []struct{ name, db, want string }{
		{"a folder", "plans", "det er en mappe"},
		{"the configuration", "udrul.yaml", "filen er ikke en SQLite-database"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
			cfg := filepath.Join(dir, "udrul.yaml")
			text := []byte("database: " + tt.db + "\n")
			os.WriteFile(cfg, text, 0o600)
			_, err := Open(context.Background(), cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "schema") {
				t.Errorf("got %v, want %q in plain words", err, tt.want)
			}
			if after, _ := os.ReadFile(cfg); string(after) != string(text) {
				t.Errorf("the configuration was changed: %q", after)
			}
		})
	}
}
