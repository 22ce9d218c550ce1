package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
)

func TestParse_starterIsValid(t *testing.T) {
	for _, tt := range []struct {
		name    string
		english bool
	}{{"da", false}, {"en", true}} {
		t.Run(tt.name, func(t *testing.T) { testStarter(t, StarterIn(tt.english), tt.english) })
	}
}

// TestStarterIn_sameSettings: the Danish and English starters differ only
// in their comments and language: the same keys and values.
func TestStarterIn_sameSettings(t *testing.T) {
	read := func(b []byte) map[string]any {
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	da, en := read(StarterIn(false)), read(StarterIn(true))
	if da["language"] != "da" || en["language"] != "en" {
		t.Errorf("languages %v and %v, want da and en", da["language"], en["language"])
	}
	delete(da, "language")
	delete(en, "language")
	if !reflect.DeepEqual(da, en) {
		t.Errorf("the starters' settings differ:\nda %v\nen %v", da, en)
	}
	if string(Starter()) != string(StarterIn(false)) {
		t.Error("Starter is not the Danish starter")
	}
}

func testStarter(t *testing.T, starter []byte, english bool) {
	c, err := Parse(strings.NewReader(string(starter)), "/etc/udrul/udrul.yaml")
	if err != nil {
		t.Fatalf("the starter config does not validate: %v", err)
	}
	if got := c.DatabasePath(); got != "/etc/udrul/udrul.db" {
		t.Errorf("database = %s, want it beside the config", got)
	}
	if c.Location().String() != "Europe/Copenhagen" {
		t.Errorf("location = %v", c.Location())
	}
	if c.English() != english {
		t.Errorf("English() = %v, want %v", c.English(), english)
	}
	// No invented data: a new user's first findings come from their plans.
	if len(c.Waves) != 0 || len(c.Alerts.Coordinators) != 0 || len(c.Alerts.Contacts) != 0 {
		t.Errorf("the starter configures example waves or recipients: %v %v %v", c.Waves, c.Alerts.Coordinators, c.Alerts.Contacts)
	}
	// The commented wave table is right once uncommented.
	var b strings.Builder
	in := false
	for _, line := range strings.Split(string(starter), "\n") {
		switch {
		case line == "# waves:":
			in = true
		case in && !strings.HasPrefix(line, "#"):
			in = false
		}
		if in {
			line = strings.TrimPrefix(strings.TrimPrefix(line, "#"), " ")
		}
		b.WriteString(line + "\n")
	}
	c, err = Parse(strings.NewReader(b.String()), "/etc/udrul/udrul.yaml")
	if err != nil {
		t.Fatalf("the starter's example wave table does not validate: %v", err)
	}
	if got := c.WaveOf("ky", "aarhus"); got != "1" {
		t.Errorf("WaveOf = %q", got)
	}
}

// TestConfig_resolveAbsolute: the paths a configuration names are absolute
// against its folder, whatever folder udrul was started in and however the
// configuration was named: a files source's documents are known by their
// paths, and a relative one named every file anew from another folder.
func TestConfig_resolveAbsolute(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "d"), 0o755)
	for _, tt := range []struct{ name, cwd, config string }{
		{"in the config's folder", "d", "udrul.yaml"},
		{"beside it", ".", "d/udrul.yaml"},
		{"named absolutely", ".", filepath.Join(dir, "d", "udrul.yaml")},
		{"with dots", "d", "../d/./udrul.yaml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(filepath.Join(dir, tt.cwd))
			c, err := Parse(strings.NewReader("sources:\n  - {name: share, kind: files, path: plans}\n"), tt.config)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := c.SourcePath(c.Sources[0]), filepath.Join(dir, "d", "plans"); got != want {
				t.Errorf("source path = %q, want %q", got, want)
			}
			if got, want := c.DatabasePath(), filepath.Join(dir, "d", "udrul.db"); got != want {
				t.Errorf("database = %q, want %q", got, want)
			}
		})
	}
}

func TestParse_defaults(t *testing.T) {
	c, err := Parse(strings.NewReader(""), "udrul.yaml")
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if c.Schedules.Backup != "30 3 * * *" || c.BackupDir() != filepath.Join(wd, "backups") || c.Backup.KeepDaily != 7 || c.Backup.KeepWeekly != 8 || c.Backup.CommandTimeoutSeconds != 600 {
		t.Errorf("backup defaults = %+v, schedule %q", c.Backup, c.Schedules.Backup)
	}
	if c.Database != "udrul.db" || c.Timezone != "Europe/Copenhagen" || c.Language != "da" || c.ShrinkGuard.MaxLoss != 0.5 || c.MaxFileSizeMiB != 64 {
		t.Errorf("defaults = %+v", c)
	}
	if got, want := c.ReadOptions(), (grid.Options{MaxSize: 64 << 20, Lang: "da", Limits: grid.Limits{Rows: 100_000, Columns: 1_024, Cells: 2_000_000}}); got != want {
		t.Errorf("ReadOptions = %+v, want %+v", got, want)
	}
	c, err = Parse(strings.NewReader("language: en\nlimits:\n  columns: 2000\n"), "udrul.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.ReadOptions(); got.Limits.Columns != 2000 || got.Limits.Rows != 100_000 || got.Lang != "en" {
		t.Errorf("ReadOptions = %+v, want columns 2000 over the default rows, in English", got)
	}
}

// errorCases are bad configurations and what their English errors say.
var errorCases = []struct {
	name string
	yaml string
	want []string // each must appear in the error
}{
	{"unknown key", "database: x.db\ndatabse: y.db\n", []string{"udrul.yaml:2:", "unknown key", "databse"}},
	{"unknown nested key", "sources:\n  - name: a\n    kind: files\n    path: p\n    folder: q\n", []string{"udrul.yaml:5:", "folder"}},
	{"wrong type", "max_file_size_mib: lots\n", []string{"udrul.yaml:1:"}},
	{"bad time zone", "timezone: Europe/Aarhus\n", []string{"udrul.yaml:1: timezone:", "Europe/Aarhus"}},
	{"bad language", "\nlanguage: de\n", []string{"udrul.yaml:2: language:"}},
	{"bad guard", "shrink_guard:\n  max_loss: 2\n", []string{"udrul.yaml:2: shrink_guard.max_loss:"}},
	{"zero rows", "limits:\n  rows: 0\n", []string{"udrul.yaml:2: limits.rows:", "between 1 and"}},
	{"columns beyond XFD", "limits:\n  columns: 20000\n", []string{"udrul.yaml:2: limits.columns:", "16384"}},
	{"unknown limit", "limits:\n  sheets: 3\n", []string{"udrul.yaml:2:", "sheets"}},
	{"bad status", "statuses:\n  Afventer: maybe\n", []string{"udrul.yaml:2: statuses.Afventer:", "maybe"}},
	{"bad column role", "columns:\n  deadline: [Senest]\n", []string{"udrul.yaml:2: columns.deadline:", "unknown column"}},
	{"alias of another column", "columns:\n  start: [Slutdato]\n", []string{"udrul.yaml:2: columns.start:", "already a name of end"}},
	{"source without name and kind", "sources:\n  - path: plans\n", []string{"udrul.yaml:2: sources[0].name:", "sources[0].kind: missing"}},
	{"unknown kind", "sources:\n  - name: a\n    kind: ftp\n    path: x\n", []string{"udrul.yaml:3: sources[0].kind:", "ftp"}},
	{"files without path", "sources:\n  - name: a\n    kind: files\n", []string{"sources[0].path:", "folder or a glob"}},
	{"duplicate names", "sources:\n  - {name: a, kind: files, path: x}\n  - {name: a, kind: files, path: y}\n", []string{"udrul.yaml:3: sources[1].name:", "also the name"}},
	{"bad pattern", "sources:\n  - name: a\n    kind: files\n    path: x\n    pattern: \"{kommune}.xlsx\"\n", []string{"udrul.yaml:5: sources[0].pattern:", "{kommune}"}},
	{"pattern and fixed", "sources:\n  - name: a\n    kind: files\n    path: x\n    municipality: Aarhus\n    pattern: \"{municipality}_{solution}.xlsx\"\n", []string{"sources[0].pattern:", "keep one"}},
	{"wave not in table", "waves:\n  KY:\n    waves:\n      \"1\": {go_live: 2026-09-01}\n    municipalities:\n      Aarhus: \"3\"\n", []string{"udrul.yaml:6: waves.KY.municipalities.Aarhus:", "wave \"3\""}},
	{"bad google subject", "google:\n  subject: planner\n", []string{"udrul.yaml:2: google.subject:", "e-mail"}},
	{"published link", "sources:\n  - name: g\n    kind: gsheets\n    spreadsheets:\n      - https://docs.google.com/spreadsheets/d/e/2PACX-1v/pubhtml\n", []string{"sources[0].spreadsheets[0]:", "published copy"}},
	{"bad backup schedule", "schedules:\n  backup: nightly\n", []string{"udrul.yaml:2: schedules.backup:", "nightly"}},
	{"backup keeps nothing", "backup:\n  dir: b\n  keep_daily: 0\n  keep_weekly: -1\n", []string{"udrul.yaml:3: backup.keep_daily:", "udrul.yaml:4: backup.keep_weekly:"}},
	{"backup without folder", "backup:\n  dir: \"\"\n", []string{"udrul.yaml:2: backup.dir:"}},
	{"backup command without the file", "backup:\n  command: [rclone, sync, /var/lib/udrul, remote:]\n", []string{"udrul.yaml:2: backup.command:", "{file}"}},
	{"backup command timeout", "backup:\n  command_timeout_seconds: 0\n", []string{"udrul.yaml:2: backup.command_timeout_seconds:"}},
	{"unknown backup key", "backup:\n  keep: 3\n", []string{"udrul.yaml:2:", "unknown key", "keep"}},
	{"bad date", "waves:\n  KY:\n    waves:\n      \"1\": {go_live: 1/9/2026}\n", []string{"udrul.yaml:4: waves.KY.waves.1.go_live:", "YYYY-MM-DD"}},
	{"alias of no municipality", "municipalities:\n  aliases:\n    Kbh: Kjøbenhavn\n", []string{"udrul.yaml:3: municipalities.aliases.Kbh:", "not one of the 98"}},
	{"alias that spells another municipality", "municipalities:\n  aliases:\n    Odder: Aarhus\n", []string{"municipalities.aliases.Odder:", "both Odder and Aarhus"}},
	{"ignore everything", "ignore: [\"*Kopi*\", \"*\"]\n", []string{"udrul.yaml:1: ignore[1]:", "every file"}},
	{"prefer everything", "prefer: [\"\"]\n", []string{"prefer[0]:", "every file"}},
	{"contact of an unknown municipality", "alerts:\n  contacts:\n    Arhus/KY: [a@aarhus.dk]\n", []string{"udrul.yaml:3: alerts.contacts.Arhus/KY:", `"Arhus" is not one of the 98`, "did you mean Aarhus?"}},
	{"wave of an unknown municipality", "waves:\n  KY:\n    municipalities: {Arhus: \"1\"}\n    waves: {\"1\": {go_live: 2027-01-04}}\n", []string{"udrul.yaml:3: waves.KY.municipalities.Arhus:", "not one of the 98"}},
	{"contact of no solution", "alerts:\n  contacts:\n    Aarhus/: [a@aarhus.dk]\n", []string{"udrul.yaml:3: alerts.contacts.Aarhus/:", "names no solution after the /", "write Aarhus/KY"}},
	{"a section written twice", "report:\n  weeks: 4\ndatabase: x.db\nreport:\n  keep: 3\n", []string{"udrul.yaml:4: report:", "written twice (lines 1 and 4)"}},
	{"a source's path written twice", "sources:\n  - name: a\n    kind: files\n    path: x\n    path: y\n", []string{"udrul.yaml:5: sources[0].path:", "written twice (lines 4 and 5)"}},
	{"a key written twice in braces", "sources:\n  - {name: a, kind: files, path: x, path: y}\n", []string{"udrul.yaml:2: sources[0].path:", "written twice (both on line 2)"}},
	{"a municipality's wave written twice", "waves:\n  KY:\n    municipalities:\n      Aarhus: \"1\"\n      Aarhus: \"2\"\n", []string{"udrul.yaml:5: waves.KY.municipalities.Aarhus:", "written twice (lines 4 and 5)"}},
	{"fixed municipality unknown", "sources:\n  - name: a\n    kind: files\n    path: x\n    municipality: Aarhuus\n", []string{"udrul.yaml:5: sources[0].municipality:", "not one of the 98"}},
}

func TestParse_errors(t *testing.T) {
	tests := errorCases
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(inEnglish(tt.yaml)), "udrul.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestParse_validationListsEveryProblem(t *testing.T) {
	_, err := Parse(strings.NewReader("timezone: Nowhere\nlanguage: fr\n"), "c.yaml")
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want FieldErrors", err)
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 2 {
		t.Errorf("want 2 problems, got %d:\n%v", n, err)
	}
}

func TestConfig_Identify(t *testing.T) {
	c, err := Parse(strings.NewReader(`
waves:
  KY:
    municipalities: {Aarhus: "2", Hoeje-Taastrup: "1"}
sources:
  - {name: pat, kind: files, path: x, pattern: "{solution}_{municipality}*.xlsx"}
  - {name: fixed, kind: files, path: y, municipality: Odense, solution: KSD, wave: "1"}
  - {name: sheet, kind: files, path: z}
  - {name: fixed2, kind: files, path: w, municipality: hoeje taastrup kommune, solution: ky}
municipalities:
  aliases: {Kbh: København}
language: en
`), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	md := model.Metadata{Municipality: "Vejle", Solution: "SAPA", Wave: "4"}
	tests := []struct {
		source, file string
		md           model.Metadata
		want         Identity
		err          string
	}{
		{"pat", "KY_Aarhus_plan.xlsx", model.Metadata{}, Identity{"Aarhus", "KY", "2"}, ""},
		{"pat", "ky_aarhus.XLSX", model.Metadata{Wave: "3"}, Identity{"Aarhus", "KY", "3"}, ""},
		{"pat", "Plan for Vejle.xlsx", md, Identity{"Vejle", "SAPA", "4"}, ""},
		{"fixed", "whatever.csv", md, Identity{"Odense", "KSD", "1"}, ""},
		{"sheet", "plan.xlsx", model.Metadata{Municipality: "Aarhus Kommune", Solution: "KY"}, Identity{"Aarhus", "KY", "2"}, ""},
		{"sheet", "plan.xlsx", model.Metadata{Solution: "KY"}, Identity{}, "cannot tell the municipality"},
		{"pat", "ksd_Hoeje-Taastrup.xlsx", model.Metadata{}, Identity{"Høje-Taastrup", "KSD", ""}, ""},
		{"pat", "KY_Hoje-Taastrup.xlsx", model.Metadata{}, Identity{"Høje-Taastrup", "KY", "1"}, ""},
		{"sheet", "plan.xlsx", model.Metadata{Municipality: "Kbh", Solution: "KY"}, Identity{"København", "KY", ""}, ""},
		{"sheet", "KY_Kbh.xlsx", model.Metadata{Solution: "KY"}, Identity{"København", "KY", ""}, ""},
		{"sheet", "plan.xlsx", model.Metadata{Municipality: "Aarhuus", Solution: "KY",
			MunicipalityFrom: model.Origin{Kind: model.FromLine, Pos: model.Pos{Sheet: "Plan", Cell: "B2"}}}, Identity{}, `"Aarhuus" (from the line at Plan!B2) is not one of the 98`},
		{"pat", "KY_Aarhuus.xlsx", model.Metadata{}, Identity{}, `"Aarhuus" (from the file name, by the pattern of source "pat")`},
		{"fixed2", "x.xlsx", model.Metadata{}, Identity{"Høje-Taastrup", "KY", "1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.source+"/"+tt.file, func(t *testing.T) {
			src, _ := c.Source(tt.source)
			got, err := c.Identify(src, tt.file, tt.md)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Identify = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestParse_m365(t *testing.T) {
	const app = "m365:\n  tenant_id: aarhus.onmicrosoft.com\n  client_id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n  client_certificate: udrul-graph.pem\n"
	const src = "sources:\n  - name: sp\n    kind: m365\n    site: https://aarhus.sharepoint.com/sites/Udrulning\n    library: Delte dokumenter\n    folders: [Planer]\n"
	c, err := Parse(strings.NewReader(app+src), "/etc/udrul/udrul.yaml")
	if err != nil {
		t.Fatalf("valid m365 configuration refused: %v", err)
	}
	if got, want := c.M365Certificate(), "/etc/udrul/udrul-graph.pem"; got != want {
		t.Errorf("certificate = %s, want %s", got, want)
	}
	if c.M365.RequestsPerMinute != 300 || c.M365.MaxConcurrent != 4 {
		t.Errorf("m365 defaults = %+v", c.M365)
	}
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"secret inline", app + "  client_secret: hemmeligt\n" + src, []string{"udrul.yaml:5: m365.client_secret:", "never written in the configuration", "client_secret_env"}},
		{"no credential", "m365:\n  tenant_id: t.onmicrosoft.com\n  client_id: x\n" + src, []string{"m365:", "client_certificate (preferred)"}},
		{"two credentials", app + "  client_secret_env: UDRUL_SECRET\n" + src, []string{"give one of"}},
		{"no client id", "m365:\n  tenant_id: t.onmicrosoft.com\n  client_secret_env: S\n" + src, []string{"m365.client_id:"}},
		{"no tenant", "m365:\n  client_id: x\n  client_secret_env: S\n" + src, []string{"sources[0].tenant:", "m365.tenant_id"}},
		{"no site nor links", app + "sources:\n  - name: sp\n    kind: m365\n", []string{"sources[0].site:", "sharing links"}},
		{"site not https", app + "sources:\n  - name: sp\n    kind: m365\n    site: aarhus.sharepoint.com/sites/U\n", []string{"udrul.yaml:8: sources[0].site:", "not a site URL"}},
		{"library without site", app + "sources:\n  - name: sp\n    kind: m365\n    links: [\"https://aarhus.sharepoint.com/:x:/s/U/Eabc\"]\n    library: Dokumenter\n", []string{"sources[0].library:", "give site"}},
		{"bad link", app + "sources:\n  - name: sp\n    kind: m365\n    links: [\"Planer/KY.xlsx\"]\n", []string{"sources[0].links[0]:"}},
		{"site on a files source", "sources:\n  - name: a\n    kind: files\n    path: x\n    site: https://a.sharepoint.com/sites/b\n", []string{"sources[0].kind:", "belong to kind m365"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(inEnglish(tc.yaml)), "udrul.yaml")
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
		})
	}
}

// TestDefault_backupEveryNight: the default backup schedule runs exactly
// once on each night, the nights the clocks change included.
func TestDefault_backupEveryNight(t *testing.T) {
	c := Default()
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		t.Skip("no time zone data")
	}
	s, err := CronParser().Parse(c.Schedules.Backup)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"summer time begins", "summer time ends"} {
		t.Run(name, func(t *testing.T) {
			from := time.Date(2027, 3, 26, 12, 0, 0, 0, loc)
			if name == "summer time ends" {
				from = time.Date(2027, 10, 29, 12, 0, 0, 0, loc)
			}
			runs := map[string]int{}
			for next := s.Next(from); next.Before(from.AddDate(0, 0, 4)); next = s.Next(next) {
				runs[next.Format("2006-01-02")]++
			}
			for d := range 4 {
				day := from.AddDate(0, 0, d+1).Format("2006-01-02")
				if got := runs[day]; got != 1 {
					t.Errorf("%s: %d backups, want 1 (%v)", day, got, runs)
				}
			}
		})
	}
}
