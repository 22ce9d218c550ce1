package backup_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/udrul/udrul/backup"
)

var cph = mustLoc("Europe/Copenhagen")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cph)
	if err != nil {
		panic(err)
	}
	return t
}

// TestPrune_nightly runs a clock through 120 nights with a backup and a
// prune each night, as the daemon does: exactly the newest 7 days and the
// newest of each of 4 ISO weeks are left, and files that are not backups
// are never touched.
func TestPrune_nightly(t *testing.T) {
	dir := t.TempDir()
	for _, other := range []string{"notes.txt", "udrul-backup-garbage.db.gz", "udrul-backup-2026-01-01T023000.db"} {
		os.WriteFile(filepath.Join(dir, other), []byte("x"), 0o600)
	}
	now := at("2026-07-28 02:30")
	end := at("2026-11-25 02:30") // a Wednesday, ISO week 48
	for ; !now.After(end); now = now.AddDate(0, 0, 1) {
		os.WriteFile(filepath.Join(dir, backup.FileName(now)), []byte("b"), 0o600)
		if now.Equal(at("2026-11-24 02:30")) { // a manual backup the same day, later
			os.WriteFile(filepath.Join(dir, backup.FileName(at("2026-11-24 14:00"))), []byte("b"), 0o600)
		}
		if _, err := backup.Prune(dir, 7, 4, now); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{
		"notes.txt",
		"udrul-backup-2026-01-01T023000.db",
		"udrul-backup-2026-11-08T023000.db.gz", // newest of W45
		"udrul-backup-2026-11-15T023000.db.gz", // newest of W46
		"udrul-backup-2026-11-19T023000.db.gz", // the 7 newest days
		"udrul-backup-2026-11-20T023000.db.gz",
		"udrul-backup-2026-11-21T023000.db.gz",
		"udrul-backup-2026-11-22T023000.db.gz", // also W47
		"udrul-backup-2026-11-23T023000.db.gz",
		"udrul-backup-2026-11-24T140000.db.gz", // the day's newest
		"udrul-backup-2026-11-25T023000.db.gz", // also W48
		"udrul-backup-garbage.db.gz",
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("left after 120 nights:\n got %q\nwant %q", got, want)
	}
}

func TestKeep(t *testing.T) {
	copies := func(times ...string) []backup.Copy {
		var out []backup.Copy
		for _, s := range times {
			out = append(out, backup.Copy{Path: s, Taken: at(s)})
		}
		slices.SortFunc(out, func(a, b backup.Copy) int { return b.Taken.Compare(a.Taken) })
		return out
	}
	tests := []struct {
		name          string
		copies        []backup.Copy
		daily, weekly int
		now           string
		want          []string
	}{
		{name: "days only", copies: copies("2026-11-20 02:30", "2026-11-21 02:30", "2026-11-22 02:30", "2026-11-23 02:30"),
			daily: 2, weekly: 0, now: "2026-11-23 03:00", want: []string{"2026-11-22 02:30", "2026-11-23 02:30"}},
		{name: "the day's newest copy", copies: copies("2026-11-23 02:30", "2026-11-23 14:00", "2026-11-22 02:30"),
			daily: 1, weekly: 0, now: "2026-11-23 15:00", want: []string{"2026-11-23 14:00"}},
		{name: "a gap (daemon stopped) keeps counting days that have copies", copies: copies("2026-10-01 02:30", "2026-10-02 02:30", "2026-11-25 02:30"),
			daily: 3, weekly: 0, now: "2026-11-25 03:00", want: []string{"2026-10-01 02:30", "2026-10-02 02:30", "2026-11-25 02:30"}},
		{name: "weeks", copies: copies("2026-11-09 02:30", "2026-11-15 02:30", "2026-11-16 02:30", "2026-11-23 02:30", "2026-11-24 02:30"),
			daily: 1, weekly: 2, now: "2026-11-24 03:00", want: []string{"2026-11-16 02:30", "2026-11-24 02:30"}},
		{name: "weeks reach further than days", copies: copies("2026-11-09 02:30", "2026-11-15 02:30", "2026-11-16 02:30", "2026-11-23 02:30", "2026-11-24 02:30"),
			daily: 1, weekly: 3, now: "2026-11-24 03:00", want: []string{"2026-11-15 02:30", "2026-11-16 02:30", "2026-11-24 02:30"}},
		{name: "a copy dated after now is kept and not counted", copies: copies("2026-11-23 02:30", "2026-11-24 02:30", "2026-12-30 02:30"),
			daily: 1, weekly: 0, now: "2026-11-24 03:00", want: []string{"2026-11-24 02:30", "2026-12-30 02:30"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keep := backup.Keep(tt.copies, tt.daily, tt.weekly, at(tt.now))
			var got []string
			for p := range keep {
				got = append(got, p)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Keep = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLatest reads the newest backup from the names.
func TestLatest(t *testing.T) {
	dir := t.TempDir()
	for _, s := range []string{"2026-11-23 02:30", "2026-11-25 02:30", "2026-11-24 02:30"} {
		os.WriteFile(filepath.Join(dir, backup.FileName(at(s))), []byte("abc"), 0o600)
	}
	// Taken while the clock was wrong: after now, not the latest.
	os.WriteFile(filepath.Join(dir, backup.FileName(at("2031-01-01 03:30"))), []byte("future"), 0o600)
	now := at("2026-11-26 09:00")
	c, ok, err := backup.Latest(dir, now)
	if err != nil || !ok {
		t.Fatalf("Latest = %v, %v", ok, err)
	}
	if !c.Taken.Equal(at("2026-11-25 02:30")) || c.Size != 3 {
		t.Errorf("Latest = %v (%d bytes), want 2026-11-25 02:30 (3 bytes)", c.Taken, c.Size)
	}
	if _, ok, err := backup.Latest(filepath.Join(dir, "none"), now); ok || err != nil {
		t.Errorf("Latest of a missing folder = %v, %v; want none, no error", ok, err)
	}
}
