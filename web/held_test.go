package web

import (
	"strings"
	"testing"
)

// TestServer_heldReason: a held plan's page and the sources page say why
// in the configured language, with the command that applies it.
func TestServer_heldReason(t *testing.T) {
	const why = "the last 10 of 25 tasks are gone at once (from “Datavask” on): is KY_Vejle.csv cut off (a save or export interrupted, or the bottom rows deleted by mistake)? Nothing was applied; if they were deleted on purpose: udrul sync --accept Vejle/KY"
	for _, tt := range []struct {
		english bool
		want    string
	}{
		{false, "de sidste 10 af 25 opgaver forsvandt på én gang"},
		{true, "the last 10 of 25 tasks are gone at once"},
	} {
		d := fixture()
		d.Plans[2].StateReason = why
		ts := newServer(t, d, nil, tt.english)
		for _, path := range []string{"/plan/Vejle/KY", "/sources"} {
			_, _, body := get(t, ts, path, nil)
			if !strings.Contains(body, tt.want) || !strings.Contains(body, "udrul sync --accept Vejle/KY") {
				t.Errorf("%s (english %v) lacks %q and the accept command", path, tt.english, tt.want)
			}
		}
	}
}
