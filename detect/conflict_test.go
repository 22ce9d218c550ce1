package detect

import (
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/store"
)

func TestEvaluate_planInConflict(t *testing.T) {
	p := plan("Vejle", "KY")
	p.State, p.Claimants = store.PlanConflict, []string{"/share/KY_Vejle.xlsx", "/share/KY_Vejle_v2.xlsx"}
	p.LastOKAt, p.LastChangeAt = time.Date(2026, 7, 14, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 14, 0, 0, 0, 0, time.UTC)
	res := Evaluate(Input{AsOf: d("2026-07-15"), Plans: []store.Plan{p}}, rules())
	if got := strings.Join(kinds(res, 0, p.ID), " "); got != "not_synced:0:red" {
		t.Errorf("findings = %q, want not_synced:0:red", got)
	}
	for _, f := range res.Findings {
		if f.Kind == KindNotSynced && !strings.Contains(f.Message, "KY_Vejle_v2.xlsx") {
			t.Errorf("message %q does not name the files", f.Message)
		}
	}
}
