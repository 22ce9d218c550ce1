package daemon

import (
	"strings"
	"testing"
	"time"
)

// TestRun_plansUnreadLogged: when the plans in the database cannot be
// read, the daemon logs that at WARN with why, and its warning about a
// solution in alerts says the plans could not be read — never that the
// database holds no plans.
func TestRun_plansUnreadLogged(t *testing.T) {
	cfgPath := changedByHand(t, "alerts:\n  webhooks:\n    - {url: https://example.org/hook, solutions: [MitID]}\n", `ALTER TABLE plans RENAME COLUMN wave TO wave_old`)
	var logs syncBuffer
	r := startLogged(t, cfgPath, &logs)
	defer r.stop(t)
	warned := func(s string) bool {
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, "level=WARN") && strings.Contains(line, s) {
				return true
			}
		}
		return false
	}
	waitFor(t, "the warning that the plans could not be read", 10*time.Second, func() bool {
		return warned("configuration: the plans in the database could not be read, so alerts were not checked against them: its plans table cannot be read as udrul writes it")
	})
	waitFor(t, "the solution's warning", 10*time.Second, func() bool {
		return warned(`alerts.webhooks[0].solutions[0]: the configuration does not know the solution \"MitID\"`)
	})
	if !warned("and the plans in the database could not be read") || strings.Contains(logs.String(), "holds no plans yet") {
		t.Errorf("the solution's warning does not say the plans could not be read:\n%s", logs.String())
	}
	// The sync at the start fails, said in the commands' plain words, not
	// SQLite's ("no such column: p.wave").
	waitFor(t, "the sync job's failure", 10*time.Second, func() bool {
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, "level=ERROR") && strings.Contains(line, "job=sync") {
				return true
			}
		}
		return false
	})
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "level=ERROR") && strings.Contains(line, "job=sync") &&
			(!strings.Contains(line, `the database is not as udrul made it (the column \"wave\" does not exist)`) || strings.Contains(line, "no such column")) {
			t.Errorf("the sync's failure is logged as %s", line)
		}
	}
}
