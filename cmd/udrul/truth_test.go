package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
)

// synced writes two generated plans, a configuration (with extra lines)
// and syncs them; it returns the configuration's path.
func synced(t *testing.T, extra string) string {
	t.Helper()
	dir := t.TempDir()
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	for i, spec := range []plangen.Spec{
		{Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1},
		{Layout: plangen.CSVDanish, Municipality: "Vejle", Solution: "KY", Wave: 2},
	} {
		spec.Seed = uint64(i + 1)
		if _, err := plangen.Generate(spec).Write(plans); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("database: udrul.db\nsources:\n  - {name: share, kind: files, path: plans}\n"+extra), 0o644)
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("sync: %d\n%s\n%s", code, out, errOut)
	}
	return cfg
}

func findingsJSONOf(t *testing.T, args ...string) findingsJSON {
	t.Helper()
	code, out, errOut := run(t, append([]string{"findings", "--format", "json"}, args...)...)
	if code != exitOK {
		t.Fatalf("findings %v: %d\n%s\n%s", args, code, out, errOut)
	}
	var res findingsJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("findings json: %v\n%s", err, out)
	}
	return res
}

func today() model.Date {
	loc, _ := time.LoadLocation("Europe/Copenhagen")
	return model.DateOf(time.Now().In(loc))
}

// TestFindings_asOfIsAPreview: findings and report for another date than
// today change nothing: the first-seen dates and the counts of a later run
// for today are as before.
func TestFindings_asOfIsAPreview(t *testing.T) {
	cfg := synced(t, "")
	before := findingsJSONOf(t, "--config", cfg)
	if len(before.Findings) == 0 || before.Preview {
		t.Fatalf("today's evaluation: %d findings, preview %v", len(before.Findings), before.Preview)
	}
	future := today().AddDays(60).String()
	code, out, _ := run(t, "findings", "--config", cfg, "--as-of", future)
	if code != exitOK || !strings.Contains(out, "forhåndsvisning") {
		t.Errorf("findings --as-of %s: %d, want a preview note:\n%s", future, code, out)
	}
	reportPath := filepath.Join(t.TempDir(), "preview.xlsx")
	if code, out, errOut := run(t, "report", "--config", cfg, "--as-of", future, "--out", reportPath); code != exitOK {
		t.Fatalf("report --as-of: %d\n%s\n%s", code, out, errOut)
	}
	after := findingsJSONOf(t, "--config", cfg)
	if after.Preview {
		t.Errorf("today's evaluation after a preview is marked a preview")
	}
	if got, want := len(after.Findings), len(before.Findings); got != want {
		t.Fatalf("%d findings after the preview, want %d", got, want)
	}
	for i, f := range after.Findings {
		if f.FirstSeen == nil || *f.FirstSeen != today() {
			t.Errorf("finding %s first seen %v after the preview, want %s", f.Kind, f.FirstSeen, today())
		}
		_ = i
	}
	if after.Counts["resolved"] != 0 || after.Counts["new"] != len(after.Findings) {
		t.Errorf("counts after the preview = %v, want everything new and nothing resolved", after.Counts)
	}
}

// TestFindings_filteredCounts: a filtered list counts only what it shows,
// and --since sets the period.
func TestFindings_filteredCounts(t *testing.T) {
	cfg := synced(t, "")
	all := findingsJSONOf(t, "--config", cfg)
	overdue := 0
	for _, f := range all.Findings {
		if f.Kind == "overdue" {
			overdue++
		}
	}
	if overdue == 0 || overdue == len(all.Findings) {
		t.Fatalf("need overdue and other findings: %d of %d", overdue, len(all.Findings))
	}
	only := findingsJSONOf(t, "--config", cfg, "--kind", "overdue")
	if got := only.Counts["new"]; got != overdue {
		t.Errorf("new overdue = %d, want %d (only what is shown)", got, overdue)
	}
	code, out, _ := run(t, "findings", "--config", cfg, "--kind", "overdue")
	if code != exitOK || !strings.Contains(out, "fund pr.") || !strings.Contains(out, "nye og 0 løste siden") {
		t.Errorf("table summary: %d\n%s", code, out)
	}
	later := findingsJSONOf(t, "--config", cfg, "--since", today().AddDays(1).String())
	if later.Counts["new"] != 0 || later.Since != today().AddDays(1) {
		t.Errorf("--since tomorrow: new = %d, since %s; want 0", later.Counts["new"], later.Since)
	}
}

// TestUsage_oneLine: a usage mistake says what is wrong in one line before
// the usage, with the allowed values.
func TestUsage_oneLine(t *testing.T) {
	cfg := synced(t, "")
	for _, tt := range []struct {
		name   string
		args   []string
		da, en string
	}{
		{"tasks format", []string{"tasks", "--config", cfg, "--format", "xml"},
			"udrul tasks: ukendt format xml: brug table, csv eller json", "udrul tasks: unknown format xml: use table, csv or json"},
		{"findings format", []string{"findings", "--config", cfg, "--format", "xml"},
			"udrul findings: ukendt format xml: brug table eller json", "udrul findings: unknown format xml: use table or json"},
		{"plans format", []string{"plans", "--config", cfg, "--format", "csv"},
			"udrul plans: ukendt format csv: brug table eller json", "udrul plans: unknown format csv: use table or json"},
		{"level", []string{"findings", "--config", cfg, "--level", "red,purple"},
			`udrul findings: --level: ukendt niveau "purple": brug red, amber eller info`, `udrul findings: --level: unknown level "purple": use red, amber or info`},
		{"kind", []string{"findings", "--config", cfg, "--kind", "late"},
			`udrul findings: --kind: ukendt slags "late": brug overdue, not_started`, `udrul findings: --kind: unknown kind "late": use overdue, not_started`},
		{"status", []string{"tasks", "--config", cfg, "--status", "late"},
			`udrul tasks: --status: ukendt status "late": brug not_started, in_progress`, `udrul tasks: --status: unknown status "late": use not_started, in_progress`},
		{"argument", []string{"findings", "--config", cfg, "extra"},
			`udrul findings: uventet argument "extra": kommandoen tager kun flag`, `udrul findings: unexpected argument "extra"`},
		{"an unknown flag", []string{"plans", "--config", cfg, "--colour"},
			"flaget findes ikke: -colour", "flag provided but not defined: -colour"},
		{"a flag without its value", []string{"findings", "--config", cfg, "--as-of"},
			"flaget mangler en værdi: -as-of", "flag needs an argument: -as-of"},
		{"a subcommand's flags", []string{"template", "--config", cfg, "--all"},
			"udrul template: --solution skal angives", "udrul template: --solution is required"},
		{"a task that is not a number", []string{"history", "--config", cfg, "abc"},
			`udrul history: "abc" er ikke et opgavenummer`, `udrul history: "abc" is not a task number`},
		{"history without a task", []string{"history", "--config", cfg},
			"udrul history: angiv én opgave med dens nummer i 'udrul tasks'", "udrul history: name one task by its number in 'udrul tasks'"},
		{"restore without a backup", []string{"restore", "--config", cfg},
			"udrul restore: angiv én sikkerhedskopi", "udrul restore: name one backup file"},
		{"a mistyped subcommand", []string{"config", "chek", "--config", cfg},
			`udrul config: ukendt underkommando "chek"; mente du "check"?`, `udrul config: unknown subcommand "chek"; did you mean "check"?`},
		{"an unknown subcommand", []string{"waves", "--config", cfg, "foo"},
			`udrul waves: ukendt underkommando "foo": brug propose`, `udrul waves: unknown subcommand "foo": use propose`},
		{"check without files", []string{"check"},
			"udrul check: angiv en eller flere planfiler eller mapper", "udrul check: name one or more plan files or folders"},
		{"check format", []string{"check", "--format", "xml", cfg},
			`udrul check: ukendt format "xml": brug text eller json`, `udrul check: unknown format "xml": use text or json`},
		{"check language", []string{"check", "--lang", "de", cfg},
			`udrul check: ukendt sprog "de": brug da eller en`, `udrul check: unknown language "de": use da or en`},
		{"check size", []string{"check", "--max-size", "0", cfg},
			"udrul check: --max-size skal være positiv", "udrul check: --max-size must be positive"},
	} {
		// The configuration is Danish; UDRUL_LANGUAGE=en makes the usage
		// English.
		for _, l := range []struct{ env, want, usage string }{{"", tt.da, "Brug: udrul"}, {"en", tt.en, "Usage: udrul"}} {
			t.Run(tt.name+" "+l.usage, func(t *testing.T) {
				t.Setenv(languageEnv, l.env)
				code, _, errOut := run(t, tt.args...)
				if code != exitUsage {
					t.Errorf("exit %d, want %d", code, exitUsage)
				}
				if !strings.HasPrefix(errOut, l.want) {
					t.Errorf("stderr starts %q, want %q", firstLine(errOut), l.want)
				}
				if !strings.Contains(errOut, l.usage) {
					t.Errorf("no usage after the message:\n%s", errOut)
				}
			})
		}
	}
}

// TestTasks_jsonTypes: numbers are numbers, dates ISO strings or null.
func TestTasks_jsonTypes(t *testing.T) {
	cfg := synced(t, "")
	code, out, _ := run(t, "tasks", "--config", cfg, "--format", "json")
	var tasks []map[string]any
	if err := json.Unmarshal([]byte(out), &tasks); err != nil || code != exitOK || len(tasks) == 0 {
		t.Fatalf("tasks json: %d %v\n%s", code, err, out)
	}
	for _, tk := range tasks {
		if _, ok := tk["task"].(float64); !ok {
			t.Fatalf("task = %#v, want a number", tk["task"])
		}
		if _, ok := tk["row"].(float64); !ok {
			t.Fatalf("row = %#v, want a number", tk["row"])
		}
		if end, ok := tk["end"].(string); ok {
			if _, err := model.ParseISODate(end); err != nil {
				t.Errorf("end = %q, want YYYY-MM-DD", end)
			}
		} else if tk["end"] != nil {
			t.Errorf("end = %#v, want a date or null", tk["end"])
		}
		if tk["removed"] != nil {
			t.Errorf("removed = %#v, want null", tk["removed"])
		}
	}
	code, out, _ = run(t, "plans", "--config", cfg, "--format", "json")
	var plans []map[string]any
	json.Unmarshal([]byte(out), &plans)
	if len(plans) == 0 {
		t.Fatalf("plans json: %s", out)
	}
	if _, err := time.Parse(time.RFC3339, plans[0]["last_sync"].(string)); err != nil {
		t.Errorf("plans last_sync = %v, want RFC 3339", plans[0]["last_sync"])
	}
}

// TestOutputPaths: --out naming a folder (existing, or ending in /) gets
// the default name; missing folders are created.
func TestOutputPaths(t *testing.T) {
	cfg := synced(t, "")
	dir := t.TempDir()
	week := func() string {
		y, w := today().Time().ISOWeek()
		return fmt.Sprintf("udrul-rapport-%d-W%02d.xlsx", y, w)
	}()
	for _, tt := range []struct {
		name, out, want string
	}{
		{"existing folder", dir, filepath.Join(dir, week)},
		{"new folder with slash", filepath.Join(dir, "ny", "mappe") + "/", filepath.Join(dir, "ny", "mappe", week)},
		{"file in a new folder", filepath.Join(dir, "x", "r.xlsx"), filepath.Join(dir, "x", "r.xlsx")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, "report", "--config", cfg, "--out", tt.out)
			if code != exitOK || !strings.HasPrefix(out, tt.want+"\n") {
				t.Fatalf("report --out %s: %d\n%s\n%s", tt.out, code, out, errOut)
			}
			if _, err := os.Stat(tt.want); err != nil {
				t.Error(err)
			}
		})
	}
	if code, out, errOut := run(t, "init", "--out", filepath.Join(dir, "cfg")+"/"); code != exitOK || !strings.Contains(out, filepath.Join(dir, "cfg", "udrul.yaml")) {
		t.Errorf("init --out folder/: %d\n%s\n%s", code, out, errOut)
	}
}

// TestConfigCheck_messages: errors name the full key with a suggestion or
// what is expected; missing folders and SMTP are warnings. All of it in
// the configured language: Danish by default, English with language: en,
// and no English in the Danish output.
func TestConfigCheck_messages(t *testing.T) {
	english := regexp.MustCompile(`(?i)\b(unknown|did you mean|is not|such as|warning|cannot|does not|is valid|source\(s\)|the folder)\b`)
	for _, tt := range []struct {
		name, yaml string
		code       int
		da, en     string
	}{
		{"typo in a source", "sources:\n  - name: a\n    kind: files\n    pathh: plans\n", exitFailure,
			`:4: sources[0].pathh: ukendt nøgle "pathh": mente du path?`, `:4: sources[0].pathh: unknown key "pathh": did you mean path?`},
		{"typo at the top", "smtpp:\n  host: x\n", exitFailure,
			`:1: smtpp: ukendt nøgle "smtpp": mente du smtp?`, `:1: smtpp: unknown key "smtpp": did you mean smtp?`},
		{"every typo in one run: the second too", "smtpp:\n  host: x\ndatabse: x.db\n", exitFailure,
			`:3: databse: ukendt nøgle "databse": mente du database?`, `:3: databse: unknown key "databse": did you mean database?`},
		{"a key at the wrong level", "sources:\n  - name: a\n    kind: files\n    path: plans\nrecursive: true\n", exitFailure,
			`:5: recursive: ukendt nøgle "recursive": den hører til under sources[]`, `:5: recursive: unknown key "recursive": it belongs under sources[]`},
		{"a YAML syntax error, said in the file's language", "sources:\n  - name: a\n   kind: files\n", exitFailure,
			`:3: linjen kan ikke læses som YAML (kolonne 4)`, `:3: the line cannot be read as YAML (column 4)`},
		{"share as a percentage", "shrink_guard:\n  max_loss: 50%\n", exitFailure,
			`:2: shrink_guard.max_loss: "50%" er ikke en andel mellem 0 og 1, for eksempel 0.5`, `:2: shrink_guard.max_loss: "50%" is not a share between 0 and 1, such as 0.5`},
		{"word for a number", "rules:\n  due_soon_days: fem\n", exitFailure,
			`rules.due_soon_days: "fem" er ikke et helt tal, for eksempel 5`, `rules.due_soon_days: "fem" is not a whole number, such as 5`},
		{"missing folder", "sources:\n  - {name: a, kind: files, path: nowhere}\n", exitOK,
			"advarsel: ", "warning: "},
		{"coordinator without smtp", "alerts:\n  coordinators: [{email: k@x.example}]\n", exitOK,
			"alerts.coordinators: e-mail kan ikke sendes", "alerts.coordinators: e-mail cannot be sent"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, l := range []struct{ lang, yaml, want string }{{"da", tt.yaml, tt.da}, {"en", tt.yaml + "language: en\n", tt.en}} {
				cfg := filepath.Join(t.TempDir(), "udrul.yaml")
				os.WriteFile(cfg, []byte(l.yaml), 0o644)
				code, out, errOut := run(t, "config", "check", "--config", cfg)
				if code != tt.code || !strings.Contains(out+errOut, l.want) {
					t.Errorf("%s: exit %d, want %d; output lacks %q:\n%s%s", l.lang, code, tt.code, l.want, out, errOut)
				}
				if w := english.FindString(out + errOut); l.lang == "da" && w != "" {
					t.Errorf("English %q in the Danish output:\n%s%s", w, out, errOut)
				}
			}
		})
	}
	t.Run("empty folder", func(t *testing.T) {
		dir := t.TempDir()
		os.Mkdir(filepath.Join(dir, "plans"), 0o755)
		os.WriteFile(filepath.Join(dir, "plans", "notes.docx"), []byte("x"), 0o644)
		cfg := filepath.Join(dir, "udrul.yaml")
		os.WriteFile(cfg, []byte("sources:\n  - {name: a, kind: files, path: plans}\n"), 0o644)
		code, _, errOut := run(t, "config", "check", "--config", cfg)
		if code != exitOK || !strings.Contains(errOut, "sources[0].path: mappen") || !strings.Contains(errOut, "indeholder ingen planfiler") {
			t.Errorf("config check of an empty folder: %d\n%s", code, errOut)
		}
		code, out, _ := run(t, "sync", "--config", cfg)
		if !strings.Contains(out, "advarsel: kilden a fandt ingen planfiler") {
			t.Errorf("sync of an empty folder: %d\n%s", code, out)
		}
	})
}

// TestAlerts_withoutSMTP: a dry run works without SMTP; a real run says
// why e-mail cannot go and queues nothing.
func TestAlerts_withoutSMTP(t *testing.T) {
	cfg := synced(t, "alerts:\n  coordinators: [{email: k@x.example}]\n")
	asOf := today().String()
	code, out, errOut := run(t, "alerts", "--config", cfg, "--dry-run", "--as-of", asOf)
	if code != exitOK || !strings.Contains(out, "=== til k@x.example") {
		t.Fatalf("dry run without SMTP: %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = run(t, "alerts", "--config", cfg)
	if code != exitFailure || !strings.Contains(errOut, "ingen SMTP-server") || !strings.Contains(errOut, "intet er lagt i udbakken") {
		t.Errorf("alerts without SMTP: %d\n%s", code, errOut)
	}
}

// TestLanguage_cli: the commands' own sentences follow language:, Danish
// by default, English with language: en.
func TestLanguage_cli(t *testing.T) {
	for _, tt := range []struct {
		name, extra string
		want, not   []string
	}{
		{"danish", "", []string{"fund pr.", "nye og", "opgaver\n", "planer,", "færdige"}, []string{"findings for", " tasks\n", "plans,"}},
		{"english", "language: en\n", []string{"findings for", "new and", " tasks\n", "plans,", "done"}, []string{"fund pr.", "opgaver\n", "planer,"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := synced(t, tt.extra)
			var all strings.Builder
			for _, args := range [][]string{{"findings"}, {"tasks"}, {"report", "--out", t.TempDir() + "/"}, {"plans"}, {"sources"}} {
				code, out, errOut := run(t, append(args, "--config", cfg)...)
				if code != exitOK {
					t.Fatalf("%v: %d\n%s", args, code, errOut)
				}
				all.WriteString(out)
			}
			for _, w := range tt.want {
				if !strings.Contains(all.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, all.String())
				}
			}
			for _, w := range tt.not {
				if strings.Contains(all.String(), w) {
					t.Errorf("output has %q from the other language:\n%s", w, all.String())
				}
			}
		})
	}
}

// TestExamples_criteria: the shipped criteria sheet is what 'udrul example'
// writes, reads without problems, and 'waves propose' explains its result.
func TestExamples_criteria(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := run(t, "example", "--out", dir); code != exitOK || !strings.Contains(out, filepath.Join(dir, "waves", "kriterier-KSD.xlsx")) {
		t.Fatalf("example: %d\n%s\n%s", code, out, errOut)
	}
	for _, name := range []string{"kriterier-KSD.xlsx", "udrul.yaml"} {
		if _, err := os.Stat(filepath.Join("../../examples/waves", name)); err != nil {
			t.Errorf("examples/waves/%s is not shipped: %v", name, err)
		}
	}
	if got, want := string(mustRead(t, filepath.Join(dir, "waves", "udrul.yaml"))), string(mustRead(t, "../../examples/waves/udrul.yaml")); got != want {
		t.Errorf("examples/waves/udrul.yaml differs from what 'udrul example' writes: run go generate ./cmd/udrul")
	}
	cfg := filepath.Join(dir, "waves", "udrul.yaml")
	code, out, errOut := run(t, "waves", "propose", "--config", cfg, "--solution", "KSD", "--criteria", "../../examples/waves/kriterier-KSD.xlsx", "--out", dir+"/")
	if code != exitOK || errOut != "" || !strings.Contains(out, "14 kommuner i 3 bølger") || !strings.Contains(out, "Første bud") {
		t.Errorf("propose from the shipped criteria: %d\n%s\n%s", code, out, errOut)
	}
}
