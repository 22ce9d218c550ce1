package model

import (
	"strings"
	"testing"
)

// TestSharedFile: the reason of a file read by several sources is told
// from any other conflict's and said in either language.
func TestSharedFile(t *testing.T) {
	reason := SharedFileReason("/srv/planer/vejle/KY Vejle.xlsx", []string{"share", "vejle"})
	for _, tt := range []struct {
		name, reason string
		english, ok  bool
		want         string
	}{
		{"danish", reason, false, true, "filen /srv/planer/vejle/KY Vejle.xlsx læses af mere end én kilde (share, vejle): planen ændres ikke, før kun én af dem læser den"},
		{"english", reason, true, true, "the file /srv/planer/vejle/KY Vejle.xlsx is read by more than one source (share, vejle): the plan is not changed until only one of them reads it"},
		{"copies", "2 files claim this plan: a.xlsx, b.xlsx; it is not changed from any of them until only one remains (move or rename the copies) or 'prefer' in the configuration picks one", false, false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := SharedFile(tt.reason, tt.english)
			if ok != tt.ok || !strings.HasPrefix(got, tt.want) {
				t.Errorf("SharedFile = %q, %v; want %q…, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestSharedFilesOnly: a source's last error made only of the sync's
// lines for files read by several sources, in either language, is told
// from one with any other failure.
func TestSharedFilesOnly(t *testing.T) {
	reason := SharedFileReason("/srv/planer/vejle/KY Vejle.xlsx", []string{"share", "vejle"})
	da, en := "Vejle/KY: "+SharedFileWords(reason, false), "Vejle/KY: "+SharedFileWords(reason, true)
	for _, tt := range []struct {
		name, lastError string
		want            bool
	}{
		{"danish", da, true},
		{"english", en, true},
		{"two lines", da + "\n" + "Odense/KY: " + SharedFileWords(SharedFileReason("/srv/o.xlsx", []string{"a", "b"}), false), true},
		{"and files unreadable", "1 af 3 filer kunne ikke læses\n" + da, false},
		{"a held folder", en + "\nthe folder /srv/planer/x cannot be listed", false},
		{"no key", SharedFileWords(reason, false), false},
		{"none", "", false},
		{"copies", "Vejle/KY: 2 files claim this plan: a.xlsx, b.xlsx", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := SharedFilesOnly(tt.lastError); got != tt.want {
				t.Errorf("SharedFilesOnly(%q) = %v, want %v", tt.lastError, got, tt.want)
			}
		})
	}
}

// TestSourceStateLabel: a failing source whose last error says only that
// its files are read by another source too is named as such, in either
// language; any other failing source, and other states, as before.
func TestSourceStateLabel(t *testing.T) {
	shared := "Vejle/KY: " + SharedFileWords(SharedFileReason("/srv/v.xlsx", []string{"a", "b"}), false)
	for _, tt := range []struct {
		name, state, lastError string
		english                bool
		want                   string
	}{
		{"shared, danish", "failing", shared, false, "En fil læses af flere kilder"},
		{"shared, english", "failing", shared, true, "A file read by several sources"},
		{"unreadable", "failing", "1 af 3 filer kunne ikke læses", false, "Kan ikke læses"},
		{"ok", "ok", "", true, "OK"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := SourceStateLabel(tt.state, tt.lastError, tt.english); got != tt.want {
				t.Errorf("SourceStateLabel = %q, want %q", got, tt.want)
			}
		})
	}
}
