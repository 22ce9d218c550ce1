package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/store"
)

func TestWrite_conflictsInDataQuality(t *testing.T) {
	data := sample(6, false)
	data.Plans[2].State = store.PlanConflict
	data.Plans[2].Claimants = []string{"/share/KY_Vejle.xlsx", "/share/KY_Vejle - Kopi.xlsx"}
	f := writeRead(t, data)
	rows, err := f.GetRows("Datakvalitet")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, r := range rows {
		if len(r) > 7 && r[6] == "conflict" {
			if r[0] != "Vejle" || r[1] != "KY" || r[5] != "fejl" || !strings.Contains(r[7], "2 filer gør krav på planen") {
				t.Errorf("row = %q", r)
			}
			files = append(files, r[2])
		}
	}
	if got := strings.Join(files, "|"); got != "/share/KY_Vejle.xlsx|/share/KY_Vejle - Kopi.xlsx" {
		t.Errorf("conflict rows name %q, want both files", got)
	}
}

func TestWrite_markedAsUdruls(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sample(6, false)); err != nil {
		t.Fatal(err)
	}
	if kind, ok := provenance.Written(buf.Bytes()); !ok || kind != provenance.Report {
		t.Errorf("Written = %q, %v; want the report mark", kind, ok)
	}
}
