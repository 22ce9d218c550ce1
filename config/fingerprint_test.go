package config

import (
	"strings"
	"testing"
)

// TestReadFingerprint: a setting that changes what a file reads as changes
// the fingerprint (the syncer then reads unchanged files again); one that
// does not, leaves it.
func TestReadFingerprint(t *testing.T) {
	base := "sources:\n  - {name: share, kind: files, path: plans, wave: \"1\"}\n"
	fp := func(t *testing.T, yaml string) string {
		t.Helper()
		c, err := Parse(strings.NewReader(yaml), "udrul.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return c.ReadFingerprint()
	}
	want := fp(t, base)
	for _, tc := range []struct {
		name, yaml string
		changes    bool
	}{
		{"the same", base, false},
		{"an SMTP server", base + "smtp: {host: mail.example, from: u@x.example}\n", false},
		{"the language", base + "language: en\n", true},
		{"a status spelling", base + "statuses: {afventer: not_started}\n", true},
		{"a column name", base + "columns: {title: [Aktivitet]}\n", true},
		{"a source's wave", strings.Replace(base, `wave: "1"`, `wave: "2"`, 1), true},
		{"a source's pattern", strings.Replace(base, `wave: "1"`, `wave: "1", pattern: "{solution}_{municipality}*"`, 1), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fp(t, tc.yaml); (got != want) != tc.changes {
				t.Errorf("fingerprint %s (base %s): changed %v, want %v", got, want, got != want, tc.changes)
			}
		})
	}
}
