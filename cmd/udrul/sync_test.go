package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/xuri/excelize/v2"
)

// TestSyncCommands drives the pull side as a user does: init, config
// check, sync, plans, tasks, history and baseline reset.
func TestSyncCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "udrul.yaml")
	if code, out, errOut := run(t, "init", "--out", cfg); code != exitOK || !strings.Contains(out, "skrev "+cfg+": ret dens kilder") {
		t.Fatalf("init: %d %s %s", code, out, errOut)
	}
	if code, _, _ := run(t, "init", "--out", cfg); code != exitFailure {
		t.Errorf("init over an existing file: exit %d, want 1", code)
	}
	if code, out, errOut := run(t, "config", "check", "--config", cfg); code != exitOK || !strings.Contains(out, "er gyldig") {
		t.Fatalf("config check of the starter: %d %s %s", code, out, errOut)
	}
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	var gen []*plangen.Plan
	for i, spec := range []plangen.Spec{
		{Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1},
		{Layout: plangen.CSVDanish, Municipality: "Vejle", Solution: "KY", Wave: 2},
	} {
		spec.Seed = uint64(i + 1)
		p := plangen.Generate(spec)
		if _, err := p.Write(plans); err != nil {
			t.Fatal(err)
		}
		gen = append(gen, p)
	}

	code, out, errOut := run(t, "sync", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "share: 2 filer, 0 uændrede, 2 læst, 2 nye planer") {
		t.Fatalf("first sync: %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = run(t, "sync", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "2 uændrede, 0 læst") {
		t.Errorf("second sync: %d\n%s", code, out)
	}

	code, out, _ = run(t, "plans", "--config", cfg)
	if code != exitOK || !regexp.MustCompile(`Aarhus/KY\s+1\s+OK\s+\d+`).MatchString(out) || !strings.Contains(out, "Vejle/KY") {
		t.Errorf("plans: %d\n%s", code, out)
	}

	// A slipped date is in the history.
	gen[0].Slip(0, 12)
	gen[0].Write(plans)
	if code, out, _ = run(t, "sync", "--config", cfg); !strings.Contains(out, "1 ændret") {
		t.Errorf("sync after a slip: %s", out)
	}
	code, out, _ = run(t, "tasks", "--config", cfg, "--format", "json", "--municipality", "aarhus")
	var tasks []map[string]any
	if err := json.Unmarshal([]byte(out), &tasks); err != nil || code != exitOK {
		t.Fatalf("tasks json: %v\n%s", err, out)
	}
	if len(tasks) != len(gen[0].Tasks) {
		t.Errorf("tasks for Aarhus = %d, want %d", len(tasks), len(gen[0].Tasks))
	}
	var slipped map[string]any
	for _, tk := range tasks {
		if tk["title"] == gen[0].Tasks[0].Title {
			slipped = tk
		}
	}
	if slipped == nil || slipped["end"] != gen[0].Tasks[0].End.String() || slipped["baseline_end"] == slipped["end"] {
		t.Fatalf("slipped task = %v", slipped)
	}
	code, out, _ = run(t, "history", "--config", cfg, fmt.Sprint(slipped["task"]))
	if code != exitOK || !regexp.MustCompile(`slutdato\s+\S+\s+`+gen[0].Tasks[0].End.String()).MatchString(out) {
		t.Errorf("history: %d\n%s", code, out)
	}
	code, out, _ = run(t, "tasks", "--config", cfg, "--format", "csv", "--status", "done,in_progress")
	if code != exitOK || !strings.HasPrefix(out, "task,municipality,solution") {
		t.Errorf("tasks csv: %d\n%s", code, out)
	}
	if code, _, _ = run(t, "tasks", "--config", cfg, "--status", "late"); code != exitUsage {
		t.Errorf("bad status: exit %d, want 2", code)
	}

	code, out, _ = run(t, "baseline", "reset", "--config", cfg, "--plan", "Aarhus/KY", "--label", "Ny plan")
	if code != exitOK || !strings.Contains(out, "1 af") {
		t.Errorf("baseline reset: %d %s", code, out)
	}
	if code, _, errOut = run(t, "baseline", "reset", "--config", cfg, "--plan", "Nowhere/KY", "--label", "x"); code != exitFailure || !strings.Contains(errOut, `der er ingen plan "Nowhere/KY" (planer hedder Kommune/Løsning`) {
		t.Errorf("baseline of a missing plan: %d %s", code, errOut)
	}

	// A source that cannot be read: exit 1, one line saying why.
	bad := strings.Replace(string(mustRead(t, cfg)), "path: plans", "path: missing-folder", 1)
	os.WriteFile(cfg, []byte(bad), 0o644)
	code, out, _ = run(t, "sync", "--config", cfg)
	if code != exitFailure || !strings.Contains(out, "share: fejlede") {
		t.Errorf("sync of a missing folder: %d\n%s", code, out)
	}
}

func TestConfigCheck_errors(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "udrul.yaml")
	os.WriteFile(cfg, []byte("sources:\n  - name: a\n    kind: files\n    path: x\n    patern: \"{solution}.xlsx\"\n"), 0o644)
	code, _, errOut := run(t, "config", "check", "--config", cfg)
	if code != exitFailure || !strings.Contains(errOut, ":5:") || !strings.Contains(errOut, "patern") {
		t.Errorf("config check: %d\n%s", code, errOut)
	}
	if code, _, errOut = run(t, "sync", "--config", filepath.Join(t.TempDir(), "none.yaml")); code != exitFailure || !strings.Contains(errOut, "udrul init") {
		t.Errorf("sync without config: %d %s", code, errOut)
	}
}

func TestDemoCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	code, out, errOut := run(t, "demo", "--dir", dir, "--lang", "en")
	if code != exitOK {
		t.Fatalf("demo: %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"12 files, 0 unchanged, 12 read, 12 new plans",
		"7 unchanged, 5 read",
		"end ", "title ", "removed from the sheet", "Randers/KP is held",
		"5. The weekly report: ", "udrul-rapport-", "12 plans",
		// The commands to look further work as printed after go run.
		"   go run ./cmd/udrul plans --config " + filepath.Join(dir, "udrul.yaml"), "go build -o udrul ./cmd/udrul",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\n   udrul ") {
		t.Errorf("demo prints a bare 'udrul' command that does not exist after go run:\n%s", out)
	}
	reports, _ := filepath.Glob(filepath.Join(dir, "reports", "udrul-rapport-*.xlsx"))
	if len(reports) != 1 {
		t.Errorf("reports written: %v", reports)
	}
	// Again, in Danish: it replaces its own folder, and speaks one language.
	code, out, _ = run(t, "demo", "--dir", dir)
	if code != exitOK {
		t.Errorf("second demo: exit %d", code)
	}
	for _, want := range []string{"12 filer, 0 uændrede, 12 læst, 12 nye planer", "Randers/KP er holdt tilbage: arket har ingen opgaver længere", "5. Ugerapporten: ", "Se nærmere efter:"} {
		if !strings.Contains(out, want) {
			t.Errorf("Danish demo output lacks %q:\n%s", want, out)
		}
	}
	for _, english := range []string{"files", "unchanged", "held", "the sheet", "Look further"} {
		if strings.Contains(out, english) {
			t.Errorf("Danish demo output has English %q:\n%s", english, out)
		}
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "mine.txt"), []byte("x"), 0o644)
	if code, _, errOut := run(t, "demo", "--dir", other); code != exitFailure || !strings.Contains(errOut, "ikke lavet af") {
		t.Errorf("demo over a foreign folder: %d %s", code, errOut)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAlertsCommand_dryRun(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	p := plangen.Generate(plangen.Spec{Seed: 5, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1})
	p.Write(plans)
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("sources:\n  - {name: share, kind: files, path: plans}\nsmtp: {host: localhost, from: udrul@x.example}\nalerts:\n  coordinators: [{email: k@x.example}]\n"), 0o644)
	run(t, "sync", "--config", cfg)
	asOf := alertDay(p)
	code, out, errOut := run(t, "alerts", "--config", cfg, "--dry-run", "--as-of", asOf)
	if code != exitOK || !strings.Contains(out, "=== til k@x.example (email): udrul:") || !strings.Contains(out, "Aarhus / KY") {
		t.Errorf("dry run: %d\n%s\n%s", code, out, errOut)
	}
	// A dry run records nothing: the same again.
	_, again, _ := run(t, "alerts", "--config", cfg, "--dry-run", "--as-of", asOf)
	if again != out {
		t.Errorf("a second dry run differs:\n%s", again)
	}
}

// TestTemplateCommand writes standard plans from a wave table kept in a
// spreadsheet, checks them with zero issues, and rebases after a go-live
// moves, keeping what is done.
func TestTemplateCommand(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "waves.csv"), []byte("Løsning;Bølge;Kommune;Idriftsættelse\nKY;1;Aarhus;01-03-2027\nKY;1;Vejle;01-03-2027\nKY;2;Skive;01-06-2027\n"), 0o644)
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("wave_table: waves.csv\nsources:\n  - {name: share, kind: files, path: plans}\n"), 0o644)
	plans := filepath.Join(dir, "plans")
	code, out, errOut := run(t, "template", "--config", cfg, "--solution", "KY", "--all", "--wave", "1", "--out", plans)
	if code != exitOK || strings.Count(out, "idriftsættelse 2027-03-01") != 2 {
		t.Fatalf("template --all: %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = run(t, "check", plans)
	if code != exitOK || !strings.Contains(out, "2 filer") || !strings.Contains(out, "0 fejl, 0 advarsler") {
		t.Errorf("check of the templates: %d\n%s", code, out)
	}
	// The same plan as a Gantt timeline reads back with zero issues too.
	gantt := filepath.Join(dir, "gantt")
	os.MkdirAll(gantt, 0o755)
	if code, out, errOut = run(t, "template", "--config", cfg, "--solution", "KY", "--municipality", "Skive", "--gantt", "--out", filepath.Join(gantt, "KY_Skive.xlsx")); code != exitOK {
		t.Fatalf("template --gantt: %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = run(t, "check", gantt)
	if code != exitOK || !strings.Contains(out, "1 fil") || !strings.Contains(out, "0 fejl, 0 advarsler") {
		t.Errorf("check of the Gantt template: %d\n%s", code, out)
	}
	if code, _, errOut = run(t, "template", "--config", cfg, "--solution", "KY", "--municipality", "Sorø", "--out", filepath.Join(dir, "x.xlsx")); code != exitFailure || !strings.Contains(errOut, "Sorø har ingen bølge for KY i bølgetabellen: angiv --wave") {
		t.Errorf("a municipality without a wave: %d %s", code, errOut)
	}
	run(t, "sync", "--config", cfg)
	// The go-live moves six weeks.
	os.WriteFile(filepath.Join(dir, "waves.csv"), []byte("Løsning;Bølge;Kommune;Idriftsættelse\nKY;1;Aarhus;12-04-2027\nKY;1;Vejle;12-04-2027\nKY;2;Skive;01-06-2027\n"), 0o644)
	code, out, errOut = run(t, "template", "--config", cfg, "--rebase", "--solution", "KY", "--wave", "1", "--write", "--out", filepath.Join(dir, "rebased"))
	if code != exitOK || !strings.Contains(out, "Aarhus/KY (bølge 1, idriftsættelse 2027-04-12): 28 datoer ændres") || !strings.Contains(out, "2 planer i KY bølge 1") {
		t.Errorf("rebase: %d\n%s\n%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "rebased", "KY_Vejle_implementeringsplan.xlsx")); err != nil {
		t.Errorf("rebased copy: %v", err)
	}
	// Written again with one copy moved away: refused as the other is
	// there, and nothing written (all or none).
	os.Remove(filepath.Join(dir, "rebased", "KY_Aarhus_implementeringsplan.xlsx"))
	code, out, errOut = run(t, "template", "--config", cfg, "--rebase", "--solution", "KY", "--wave", "1", "--write", "--out", filepath.Join(dir, "rebased"))
	if _, err := os.Stat(filepath.Join(dir, "rebased", "KY_Aarhus_implementeringsplan.xlsx")); code != exitFailure || err == nil || !strings.Contains(errOut, "findes allerede") {
		t.Errorf("rebase into a folder holding one of the copies: %d, Aarhus written: %v\n%s\n%s", code, err == nil, out, errOut)
	}
}

// TestWavesCommand proposes a wave plan from a criteria sheet, answers the
// hearing in the workbook, re-plans, decides, and sees the decided waves
// used by the templates.
func TestWavesCommand(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte(`
waves:
  KY:
    waves: {"1": {go_live: 2027-03-01}, "2": {go_live: 2027-06-01}}
    municipalities: {Aarhus: "1", Vejle: "2"}
  KSD:
    waves: {"1": {go_live: 2027-04-01}, "2": {go_live: 2027-09-01}, "3": {go_live: 2028-01-10}}
placement:
  year: 2026
  capacity:
    KSD: {"1": {municipalities: 2}, "2": {municipalities: 2}, "3": {municipalities: 3}}
  criteria:
    - {column: Sager, weight: 5, direction: late}
  dependencies:
    - {solution: KSD, after: KY}
sources: []
`), 0o644)
	crit := filepath.Join(dir, "kriterier.csv")
	os.WriteFile(crit, []byte("Kommune;Størrelse;Sager;Ønsket bølge;Tidligst;Senest;Kontraktudløb\nAarhus;350000;9000;1;;;\nVejle;120000;3000;1;;;\nOdense;200000;5000;2;;;\nSkive;48000;900;1;;;31-05-2027\nSorø;30000;500;3;;;\nKøge;60000;1200;;2;;\n"), 0o644)
	forslag := filepath.Join(dir, "forslag.xlsx")
	code, out, errOut := run(t, "waves", "propose", "--config", cfg, "--solution", "KSD", "--criteria", crit, "--out", forslag)
	if code != exitOK || !strings.Contains(out, "6 kommuner i 3 bølger") {
		t.Fatalf("propose: %d\n%s\n%s", code, out, errOut)
	}
	// The score is explained in words: what it weighs, and the gain over the first guess.
	for _, want := range []string{"Forslagets score er", "lavere er bedre", "ønsker:", "Sager (vægt 5; høje værdier skal sent)", "Første bud"} {
		if !strings.Contains(out, want) {
			t.Errorf("propose output lacks %q:\n%s", want, out)
		}
	}
	// Vejle goes live on KY in June 2027: KSD's wave 1 (April) is not allowed.
	if strings.Contains(strings.SplitN(out, "\n", 2)[0], "Vejle") {
		t.Errorf("Vejle placed in KSD wave 1, before its KY go-live:\n%s", out)
	}
	_, out2, _ := run(t, "waves", "propose", "--config", cfg, "--solution", "KSD", "--criteria", crit, "--out", filepath.Join(dir, "again.xlsx"))
	if out2 != strings.ReplaceAll(out, forslag, filepath.Join(dir, "again.xlsx")) {
		t.Errorf("the same input gave another plan:\n%s\n%s", out, out2)
	}

	// The hearing: Sorø asks for wave 1 (full of forced municipalities?),
	// Køge for wave 3; the others accept.
	f, err := excelize.OpenFile(forslag)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Forslag")
	soroRow := 0
	for i, r := range rows {
		switch {
		case len(r) > 0 && r[0] == "Køge":
			f.SetCellValue("Forslag", fmt.Sprintf("A%d", i+1), "Køge Kommune") // as some write it: still Køge
			f.SetCellValue("Forslag", fmt.Sprintf("H%d", i+1), "Ønsker anden bølge")
			f.SetCellValue("Forslag", fmt.Sprintf("I%d", i+1), "3")
		case len(r) > 0 && r[0] == "Vejle":
			f.SetCellValue("Forslag", fmt.Sprintf("H%d", i+1), "Ønsker anden bølge")
			f.SetCellValue("Forslag", fmt.Sprintf("I%d", i+1), "1")
		case len(r) > 0 && r[0] == "Sorø":
			soroRow = i + 1
			f.SetCellValue("Forslag", fmt.Sprintf("H%d", i+1), "Accepterer")
		case i >= 3 && len(r) > 0:
			f.SetCellValue("Forslag", fmt.Sprintf("H%d", i+1), "Accepterer")
		}
	}
	// A municipality's name changed in the answers (a typo): refused,
	// nothing written; the municipality would vanish from the plan.
	f.Save()
	typo := filepath.Join(dir, "svar-med-fejl.xlsx")
	f.SetCellValue("Forslag", fmt.Sprintf("A%d", soroRow), "Sorø Kommune X")
	f.SaveAs(typo)
	f.Close()
	code, out, errOut = run(t, "waves", "responses", "--config", cfg, "--solution", "KSD", typo)
	if _, err := os.Stat(strings.TrimSuffix(typo, ".xlsx") + "-revideret.xlsx"); code != exitFailure || !strings.Contains(errOut, `"Sorø Kommune X" (række `) || err == nil {
		t.Errorf("answers naming an unknown municipality: %d, written: %v\n%s\n%s", code, err == nil, out, errOut)
	}
	code, out, errOut = run(t, "waves", "responses", "--config", cfg, "--solution", "KSD", forslag)
	if code != exitOK || !strings.Contains(out, "imødekommet: Køge: bølge 3") || !strings.Contains(out, "afslået: Vejle bad om bølge 1: ikke muligt") || !strings.Contains(out, "KY idriftsættelse 2027-06-01") {
		t.Fatalf("responses: %d\n%s\n%s", code, out, errOut)
	}
	revised := strings.TrimSuffix(forslag, ".xlsx") + "-revideret.xlsx"
	code, out, _ = run(t, "waves", "decide", "--config", cfg, "--solution", "KSD", revised)
	if code != exitOK || !strings.Contains(out, "6 kommuner") {
		t.Fatalf("decide: %d\n%s", code, out)
	}
	// The decided plan is the wave table now: Køge's KSD template is dated for wave 3.
	code, out, errOut = run(t, "template", "--config", cfg, "--solution", "KSD", "--municipality", "Køge", "--out", filepath.Join(dir, "koege.xlsx"))
	if code != exitOK || !strings.Contains(out, "bølge 3, idriftsættelse 2028-01-10") {
		t.Errorf("template after decide: %d\n%s\n%s", code, out, errOut)
	}
}

// TestAlertsCommand_addressCase: an address written in two cases is one
// recipient, and what it was sent is not sent again when the
// configuration changes the address's case.
func TestAlertsCommand_addressCase(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	p := plangen.Generate(plangen.Spec{Seed: 5, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1})
	p.Write(plans)
	cfg := filepath.Join(dir, "udrul.yaml")
	write := func(a, b string) {
		os.WriteFile(cfg, []byte("sources:\n  - {name: share, kind: files, path: plans}\nsmtp: {host: 127.0.0.1, port: 1, from: udrul@x.example}\n"+
			"alerts:\n  contacts:\n    Aarhus: ["+a+"]\n    Aarhus/KY: ["+b+"]\n"), 0o644)
	}
	write("PL@Aarhus.dk", "pl@aarhus.dk")
	run(t, "sync", "--config", cfg)
	asOf := alertDay(p)
	code, out, errOut := run(t, "alerts", "--config", cfg, "--dry-run", "--as-of", asOf)
	if n := strings.Count(out, "=== til "); code != exitOK || n != 1 || !strings.Contains(out, "=== til pl@aarhus.dk (email)") {
		t.Fatalf("dry run: %d, %d digests, want one to pl@aarhus.dk\n%s\n%s", code, n, out, errOut)
	}
	run(t, "alerts", "--config", cfg, "--as-of", asOf) // recorded; the delivery fails (no server), kept in the outbox
	write("PL@AARHUS.DK", "PL@AARHUS.DK")
	if _, out, _ := run(t, "alerts", "--config", cfg, "--dry-run", "--as-of", asOf); strings.Contains(out, "=== til ") {
		t.Errorf("after the address changed case, the digest again:\n%s", out)
	}
}

// TestSyncCommand_emptiedSource: a source that had plans and lists none
// (a share not mounted shows an empty folder) is held: the sync fails in
// words and no plan is marked gone, until the plans come back or the
// emptying is accepted with --accept-empty.
func TestSyncCommand_emptiedSource(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	for i, m := range []string{"Aarhus", "Vejle"} {
		plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.Blocks, Municipality: m, Solution: "KY", Wave: 1}).Write(plans)
	}
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("sources:\n  - {name: share, kind: files, path: plans}\n"), 0o644)
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("first sync: %d\n%s\n%s", code, out, errOut)
	}
	moved := filepath.Join(dir, "elsewhere")
	if err := os.Rename(plans, moved); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(plans, 0o755) // the mount point, empty
	code, out, errOut := run(t, "sync", "--config", cfg)
	if code != exitFailure || !strings.Contains(out+errOut, "kilden viser ingen planer nu (den havde 2)") || !strings.Contains(out+errOut, "udrul sync --accept-empty share") {
		t.Errorf("sync of the emptied source: %d\n%s\n%s", code, out, errOut)
	}
	if _, out, _ := run(t, "plans", "--config", cfg, "--format", "json"); strings.Contains(out, `"gone"`) {
		t.Errorf("plans marked gone while the source is held:\n%s", out)
	}
	if code, _, errOut := run(t, "sync", "--config", cfg, "--accept-empty", "shar"); code != exitUsage || !strings.Contains(errOut, `--accept-empty "shar": ingen kilde hedder sådan`) {
		t.Errorf("--accept-empty of an unknown source: %d %s", code, errOut)
	}
	// The share comes back: all is as before.
	os.Remove(plans)
	os.Rename(moved, plans)
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK || !strings.Contains(out, "2 uændrede") {
		t.Errorf("sync after the share came back: %d\n%s\n%s", code, out, errOut)
	}
	// Emptied on purpose, and accepted.
	os.RemoveAll(plans)
	os.MkdirAll(plans, 0o755)
	if code, out, errOut := run(t, "sync", "--config", cfg, "--accept-empty", "share"); code != exitOK {
		t.Errorf("accepted emptying: %d\n%s\n%s", code, out, errOut)
	}
	if _, out, _ := run(t, "plans", "--config", cfg, "--format", "json"); strings.Count(out, `"gone"`) != 2 {
		t.Errorf("plans after the accepted emptying, want both gone:\n%s", out)
	}
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Errorf("a later sync of the empty source: %d\n%s\n%s", code, out, errOut)
	}
}

// TestSyncCommand_emptiedFolder: a subfolder of a recursive files source
// that had two plans and lists none (a sub-share not mounted) is held: the
// sync says so in words, with the command that accepts it, fails, and
// marks no plan gone, until the folder lists plans again or the folder
// alone is accepted with --accept-empty SOURCE/FOLDER. A spreadsheet in a
// format udrul does not read is named without failing the sync.
func TestSyncCommand_emptiedFolder(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	for i, m := range []string{"Aarhus", "Vejle"} {
		for j, sol := range []string{"KY", "KSD"} {
			sub := filepath.Join(plans, strings.ToLower(m))
			os.MkdirAll(sub, 0o755)
			plangen.Generate(plangen.Spec{Seed: uint64(2*i + j), Layout: plangen.Blocks, Municipality: m, Solution: sol, Wave: 1}).Write(sub)
		}
	}
	os.WriteFile(filepath.Join(plans, "KY_Horsens.xls"), []byte("an old workbook"), 0o644)
	os.MkdirAll(filepath.Join(dir, "odense"), 0o755)
	if err := os.Symlink(filepath.Join(dir, "odense"), filepath.Join(plans, "odense")); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("sources:\n  - {name: share, kind: files, path: plans, recursive: true}\n"), 0o644)
	code, out, errOut := run(t, "sync", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "; 1 ikke læst (format)") ||
		!strings.Contains(out, "  mappe ikke læst: "+filepath.Join(plans, "odense")+" er et link til en mappe") ||
		!strings.Contains(out, "  ikke læst: "+filepath.Join(plans, "KY_Horsens.xls")+" (udrul læser ikke .xls; gem den som Excel-projektmappe .xlsx, så læses den)") {
		t.Fatalf("first sync: %d\n%s\n%s", code, out, errOut)
	}
	vejle := filepath.Join(plans, "vejle")
	moved := filepath.Join(dir, "elsewhere")
	if err := os.Rename(vejle, moved); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(vejle, 0o755) // the mount point, empty
	code, out, errOut = run(t, "sync", "--config", cfg)
	want := "  mappe holdt tilbage: mappen " + vejle + " viser ingen planer nu (den havde 2): er drevet monteret, og er mappen stadig det rigtige sted? Dens planer er ikke markeret som væk; er de fjernet med vilje: udrul sync --accept-empty share/vejle\n"
	if code != exitFailure || !strings.Contains(out, want) || !strings.Contains(out, "; 1 mapper holdt tilbage") {
		t.Errorf("sync of the emptied folder: %d, want %d and\n%s\ngot\n%s\n%s", code, exitFailure, want, out, errOut)
	}
	if _, out, _ := run(t, "plans", "--config", cfg, "--format", "json"); strings.Contains(out, `"gone"`) {
		t.Errorf("plans marked gone while the folder is held:\n%s", out)
	}
	if code, _, errOut := run(t, "sync", "--config", cfg, "--accept-empty", "shar/vejle"); code != exitUsage || !strings.Contains(errOut, `--accept-empty "shar/vejle": ingen kilde hedder sådan`) {
		t.Errorf("--accept-empty of a folder of an unknown source: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "sync", "--config", cfg, "--accept-empty", "share/.."); code != exitUsage || !strings.Contains(errOut, "angiv en mappe under kildens mappe") {
		t.Errorf("--accept-empty of a folder above the source's: %d %s", code, errOut)
	}
	// Emptied on purpose, and the folder accepted (written as a folder is).
	if code, out, errOut := run(t, "sync", "--config", cfg, "--accept-empty", "share/vejle/"); code != exitOK || strings.Contains(out, "holdt tilbage") {
		t.Errorf("accepted emptying of the folder: %d\n%s\n%s", code, out, errOut)
	}
	if _, out, _ := run(t, "plans", "--config", cfg, "--format", "json"); strings.Count(out, `"gone"`) != 2 {
		t.Errorf("plans after the accepted emptying, want Vejle's two gone:\n%s", out)
	}
}

// TestExampleCommand_folderInUse: example plans are written only into a
// new or empty folder, or one example wrote before: into a real plans
// share they would be read by the next sync, or write over a plan.
func TestExampleCommand_folderInUse(t *testing.T) {
	dir := t.TempDir()
	share := filepath.Join(dir, "share")
	os.MkdirAll(share, 0o755)
	os.WriteFile(filepath.Join(share, "KY_Aarhus_implementeringsplan.xlsx"), []byte("a real plan"), 0o644)
	code, _, errOut := run(t, "example", "--out", share)
	if entries, _ := os.ReadDir(share); code != exitFailure || len(entries) != 1 || !strings.Contains(errOut, "intet er skrevet; vælg en ny eller tom mappe") {
		t.Errorf("example into a share: %d, %d files\n%s", code, len(entries), errOut)
	}
	fresh := filepath.Join(dir, "eksempler")
	for i := range 2 { // a new folder, then the folder it wrote
		if code, _, errOut := run(t, "example", "--out", fresh); code != exitOK {
			t.Errorf("example run %d into its own folder: %d\n%s", i+1, code, errOut)
		}
	}
}

// TestSyncCommand_settingsChangeRereads: a setting that changes what a file
// reads as (a status spelling, the language of its problems) re-reads the
// files on the next sync, though none changed; they were kept as read with
// the old settings (a task's status stayed "not started").
func TestSyncCommand_settingsChangeRereads(t *testing.T) {
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	os.WriteFile(filepath.Join(plans, "KY_Aarhus.csv"), []byte("Kommune: Aarhus\nLøsning: KY\n\nID;Opgave;Ansvarlig;Startdato;Slutdato;Status\n1;Kickoff;Kommune;01-03-2027;05-03-2027;Igangsat hos os\n2;Test;Kommune;08-03-2027;12-03-2027;Færdig\n"), 0o644)
	cfg := filepath.Join(dir, "udrul.yaml")
	write := func(extra string) {
		os.WriteFile(cfg, []byte("sources:\n  - {name: share, kind: files, path: plans}\n"+extra), 0o644)
	}
	write("")
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("first sync: %d\n%s\n%s", code, out, errOut)
	}
	status := func() string {
		_, out, _ := run(t, "tasks", "--config", cfg, "--format", "csv")
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "Kickoff") {
				return line
			}
		}
		return ""
	}
	before := status()
	if code, out, _ := run(t, "sync", "--config", cfg); code != exitOK || !strings.Contains(out, "1 uændrede") {
		t.Fatalf("a sync with nothing changed: %d\n%s", code, out)
	}
	write("statuses:\n  igangsat hos os: in_progress\n")
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK || !strings.Contains(out, "1 læst") {
		t.Errorf("sync after a status spelling was added: %d, want the file read again\n%s\n%s", code, out, errOut)
	}
	if after := status(); after == before || !strings.Contains(after, "in_progress") && !strings.Contains(after, "I gang") {
		t.Errorf("Kickoff after the spelling was added: %q (before %q)", after, before)
	}
	if code, out, _ := run(t, "sync", "--config", cfg); code != exitOK || !strings.Contains(out, "1 uændrede") {
		t.Errorf("the next sync: %d, want the file unchanged\n%s", code, out)
	}
}

// alertDay is three days before the end of the plan's first open task with
// an end: a day its digest has something to say.
func alertDay(p *plangen.Plan) string {
	for _, tk := range p.Tasks {
		if tk.Status != model.Done && !tk.End.IsZero() {
			return tk.End.AddDays(-3).String()
		}
	}
	return ""
}

// TestDemoCommand_relativeFolder: the demo as the README runs it, in the
// working directory's udrul-demo (a relative source folder), reads its
// plans (a check of the files' real paths refused every one).
func TestDemoCommand_relativeFolder(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errOut := run(t, "demo", "--lang", "en")
	if code != exitOK || !strings.Contains(out, "12 files, 0 unchanged, 12 read, 12 new plans") {
		t.Fatalf("demo: exit %d\n%s\n%s\nwant exit 0 and the 12 plans read", code, out, errOut)
	}
}
