package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckCommand_showsWhereThePlanIsNamed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kp-Esbjerg-rollout.csv")
	body := "Esbjerg Kommune - plan\n\nOpgave;Ansvarlig;Udfører;Startdato;Slutdato;Status\nA;Kommune;Kommune;01-06-2026;02-06-2026;Færdig\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "check", "--format", "json", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f := decodeCheck(t, stdout).Files[0]
	m, s := f.Metadata.Found.Municipality, f.Metadata.Found.Solution
	if f.Metadata.Municipality != "Esbjerg" || m == nil || m.In != "title" || m.Sheet != "kp-Esbjerg-rollout" || m.Cell != "A1" || m.Text != "Esbjerg" {
		t.Errorf("municipality %q found %+v; want Esbjerg in the title at A1", f.Metadata.Municipality, m)
	}
	if f.Metadata.Solution != "KP" || s == nil || s.In != "file" || s.Text != "kp" {
		t.Errorf("solution %q found %+v; want KP in the file name, written kp", f.Metadata.Solution, s)
	}
	code, stdout, _ = run(t, "check", "--lang", "en", path)
	if code != exitOK || !strings.Contains(stdout, `Municipality: Esbjerg (the title in kp-Esbjerg-rollout!A1, written "Esbjerg")`) ||
		!strings.Contains(stdout, `Solution: KP (the file name, written "kp")`) {
		t.Errorf("text output:\n%s", stdout)
	}
}
