package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestForecastCommand syncs a plan whose data cleansing slipped into
// January and asks for the forecast: red, with the chain named; a what-if
// move of the go-live to March clears it without changing anything.
func TestForecastCommand(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	csv := "Kommune;Aarhus\nLøsning;KY\nBølge;1\n\nTrin;Opgave;Ansvarlig;Udfører;Startdato;Slutdato;Status\n" +
		"Trin 2;Datavask i kommunen;Kommune;Kommune;16-11-2026;08-01-2027;I gang\n" +
		"Trin 2;Prøvekonvertering 1;Leverandør;Leverandør;07-12-2026;11-12-2026;Ikke startet\n" +
		"Trin 2;Validering af prøvekonvertering;Kommune;Kommune;14-12-2026;18-12-2026;Ikke startet\n" +
		"Trin 4;Go/no-go møde;KOMBIT;KOMBIT;11-01-2027;12-01-2027;Ikke startet\n" +
		"Trin 2;Endelig konvertering;Leverandør;Leverandør;13-01-2027;15-01-2027;Ikke startet\n" +
		"Trin 4;Idriftsættelse;Leverandør;Leverandør;18-01-2027;20-01-2027;Ikke startet\n"
	if err := os.WriteFile(filepath.Join(plans, "KY_Aarhus.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("database: udrul.db\nlanguage: en\nsources: [{name: share, kind: files, path: plans}]\n"+
		"waves: {KY: {waves: {\"1\": {go_live: 2027-01-18}}, municipalities: {Aarhus: \"1\"}}}\n"), 0o644)
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("sync: %d %s %s", code, out, errOut)
	}
	code, out, errOut := run(t, "forecast", "--config", cfg, "--as-of", "2026-11-25")
	if code != exitOK {
		t.Fatalf("forecast: %d %s %s", code, out, errOut)
	}
	for _, want := range []string{"Aarhus/KY", "2027-01-18", "red", "Datavask i kommunen → Prøvekonvertering 1 (23 working days late) → Validering af prøvekonvertering → Go/no-go møde → Endelig konvertering: ready",
		"working days after the go-live 2027-01-18", "1 plan forecast from 2026-11-25; 1 at risk"} {
		if !strings.Contains(out, want) {
			t.Errorf("forecast output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, "forecast", "--config", cfg, "--as-of", "2026-11-25", "--go-live", "KY/1=2027-03-01", "--format", "json")
	if code != exitOK {
		t.Fatalf("what-if: %d %s", code, out)
	}
	var res struct {
		Plans []struct {
			Plan     string `json:"plan"`
			Level    string `json:"level"`
			LevelNow string `json:"level_now"`
			Slack    int    `json:"slack_working_days"`
		} `json:"plans"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	// The plan lacks "Godkende test", which the go/no-go waits for in the
	// standard plan: placed by the standard dates before the moved go-live,
	// it leaves less slack than the plan's own dates: a warning, not red.
	if len(res.Plans) != 1 || res.Plans[0].Level == "red" || res.Plans[0].LevelNow != "red" || res.Plans[0].Slack <= 0 {
		t.Errorf("what-if: %+v", res.Plans)
	}
	// Nothing was stored: the forecast for the real go-live is unchanged.
	if _, out, _ = run(t, "forecast", "--config", cfg, "--as-of", "2026-11-25"); !strings.Contains(out, "1 at risk") {
		t.Errorf("after the what-if:\n%s", out)
	}
	if code, _, errOut := run(t, "forecast", "--config", cfg, "--go-live", "KY=2027"); code != exitUsage || !strings.Contains(errOut, "SOLUTION/WAVE=DATE") {
		t.Errorf("bad --go-live: %d %s", code, errOut)
	}
}

// TestWavesCommand_forecastDependency: Aarhus's KY plan is forecast ready
// in July 2027, after its March go-live; KSD depends on KY, so Aarhus is
// not placed in KSD's April wave, and the proposal says why.
func TestWavesCommand_forecastDependency(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
	csv := "Kommune;Aarhus\nLøsning;KY\nBølge;1\n\nTrin;Opgave;Ansvarlig;Udfører;Startdato;Slutdato;Status\n" +
		"Trin 2;Datavask i kommunen;Kommune;Kommune;16-11-2026;30-06-2027;I gang\n" +
		"Trin 2;Prøvekonvertering 1;Leverandør;Leverandør;07-12-2026;11-12-2026;Ikke startet\n" +
		"Trin 2;Validering af prøvekonvertering;Kommune;Kommune;14-12-2026;18-12-2026;Ikke startet\n" +
		"Trin 4;Go/no-go møde;KOMBIT;KOMBIT;15-02-2027;16-02-2027;Ikke startet\n" +
		"Trin 2;Endelig konvertering;Leverandør;Leverandør;22-02-2027;24-02-2027;Ikke startet\n"
	os.WriteFile(filepath.Join(dir, "plans", "KY_Aarhus.csv"), []byte(csv), 0o644)
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte(`database: udrul.db
sources: [{name: share, kind: files, path: plans}]
waves:
  KY:
    waves: {"1": {go_live: 2027-03-01}}
    municipalities: {Aarhus: "1"}
  KSD:
    waves: {"1": {go_live: 2027-04-01}, "2": {go_live: 2027-09-01}}
placement:
  year: 2026
  dependencies:
    - {solution: KSD, after: KY}
`), 0o644)
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("sync: %d %s %s", code, out, errOut)
	}
	crit := filepath.Join(dir, "kriterier.csv")
	os.WriteFile(crit, []byte("Kommune;Størrelse;Ønsket bølge\nAarhus;350000;1\nVejle;120000;1\n"), 0o644)
	code, out, errOut := run(t, "waves", "propose", "--config", cfg, "--solution", "KSD", "--criteria", crit, "--out", filepath.Join(dir, "forslag.xlsx"))
	if code != exitOK {
		t.Fatalf("propose: %d\n%s\n%s", code, out, errOut)
	}
	first := strings.SplitN(out, "\n", 2)[0]
	if strings.Contains(first, "Aarhus") {
		t.Errorf("Aarhus placed in KSD wave 1, before its KY plan is forecast ready:\n%s", out)
	}
	// Without the forecast its KY go-live (March) would allow April: the
	// proposal's reasons name the forecast.
	f, err := excelize.OpenFile(filepath.Join(dir, "forslag.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Forslag")
	found := false
	for _, r := range rows {
		if len(r) > 0 && r[0] == "Aarhus" && strings.Contains(strings.Join(r, " "), "KY er ifølge prognosen klar 2027-0") {
			found = true
		}
	}
	if !found {
		t.Errorf("the proposal's reasons for Aarhus do not name the KY forecast: %q", rows)
	}
}
