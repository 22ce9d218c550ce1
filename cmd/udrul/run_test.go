package main

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/udrul/udrul/config"
)

// TestNewLogger_timeZone: the daemon's log lines carry their time in the
// configured time zone, text and JSON, whatever the machine's zone.
func TestNewLogger_timeZone(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, tc := range []struct{ format, want string }{
		{"text", `time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+0[12]:00 `},
		{"json", `"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+0[12]:00"`},
	} {
		t.Run(tc.format, func(t *testing.T) {
			var b bytes.Buffer
			newLogger(&b, config.Log{Level: "info", Format: tc.format}, loc).Info("x", "at", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
			if !regexp.MustCompile(tc.want).MatchString(b.String()) {
				t.Errorf("log line %q, want its time in Copenhagen's zone (%s)", b.String(), tc.want)
			}
			if !bytes.Contains(b.Bytes(), []byte("2026-01-02T03:04:05")) {
				t.Errorf("an attribute's own time was changed: %s", b.String())
			}
		})
	}
}
