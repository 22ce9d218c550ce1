package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// hostilePlan is a Danish CSV plan whose Kommune line is a path and whose
// titles are formulas and terminal escape sequences.
const hostilePlan = "Kommune: x/../../../../elsewhere/pwned\r\nLøsning: KY\r\n\r\n" +
	"ID;Opgave;Ansvarlig;Udfører;Startdato;Slutdato;Status\r\n" +
	"1;\"=HYPERLINK(\"\"http://evil.example\"\";\"\"klik\"\")\";Kommune;Kommune;01-06-2026;15-06-2026;I gang\r\n" +
	"2;-2+3+cmd|' /C calc'!A0;Kommune;Kommune;01-06-2026;15-06-2026;I gang\r\n" +
	"3;@SUM(A1:A9);Kommune;Kommune;01-06-2026;15-06-2026;I gang\r\n" +
	"4;Titel \x1b[2J\x1b[31mrød;Kommune;Kommune;01-06-2026;15-06-2026;I gang\r\n"

// setupHostile makes a configuration three folders deep (so that the
// Kommune line's "../../../.." reaches an existing folder, elsewhere/, above
// it) and syncs the hostile plan.
func setupHostile(t *testing.T) (root, cfg string) {
	t.Helper()
	root = t.TempDir()
	dir := filepath.Join(root, "a", "b", "c")
	os.MkdirAll(filepath.Join(dir, "plans"), 0o755)
	os.MkdirAll(filepath.Join(root, "a", "elsewhere"), 0o755)
	cfg = filepath.Join(dir, "udrul.yaml")
	if code, _, errOut := run(t, "init", "--out", cfg); code != exitOK {
		t.Fatalf("init: %s", errOut)
	}
	if err := os.WriteFile(filepath.Join(dir, "plans", "plan.csv"), []byte(hostilePlan), 0o644); err != nil {
		t.Fatal(err)
	}
	// Sync refuses a municipality that is not one of the 98, loudly.
	if code, out, _ := run(t, "sync", "--config", cfg); code != exitFailure || !strings.Contains(out, "er ikke en af de 98 kommuner") {
		t.Fatalf("sync of the hostile plan: %d\n%s", code, out)
	}
	os.Remove(filepath.Join(dir, "plans", "plan.csv"))
	// What the outputs must survive is whatever the store holds: the
	// plan is put there directly, as read by the parser.
	g, err := grid.ReadBytes("plan.csv", []byte(hostilePlan), grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := parse.New(parse.Options{}).Parse(g)
	if err != nil {
		t.Fatal(err)
	}
	e, err := app.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	runID, err := e.DB.BeginRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	err = e.DB.Update(context.Background(), func(tx *store.Tx) error {
		id, err := tx.CreatePlan(store.Plan{Municipality: plan.Metadata.Municipality, Solution: "KY", Location: "plans/plan.csv"})
		if err != nil {
			return err
		}
		for _, task := range plan.Tasks {
			if _, err := tx.InsertTask(id, runID, task); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, out, _ := run(t, "plans", "--config", cfg, "--format", "json")
	if !strings.Contains(out, `x/../../../../elsewhere/pwned`) {
		t.Fatalf("the hostile municipality is not in the store (the test needs it there):\n%s", out)
	}
	return root, cfg
}

// TestReportCommand_hostileMunicipality: `report --split` with a plan whose
// municipality is a path writes every file inside the report folder.
func TestReportCommand_hostileMunicipality(t *testing.T) {
	root, cfg := setupHostile(t)
	code, out, errOut := run(t, "report", "--config", cfg, "--split", "--as-of", "2026-11-25")
	if code != exitOK {
		t.Fatalf("report --split: %d\n%s\n%s", code, out, errOut)
	}
	reportDir := filepath.Join(root, "a", "b", "c", "reports")
	var xlsx []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".xlsx") {
			xlsx = append(xlsx, p)
		}
		return nil
	})
	if len(xlsx) != 2 {
		t.Errorf("wrote %d workbooks, want the report and one extract: %v", len(xlsx), xlsx)
	}
	for _, p := range xlsx {
		if filepath.Dir(p) != reportDir {
			t.Errorf("a workbook outside the report folder: %s", p)
		}
		if strings.Contains(filepath.Base(p), "..") {
			t.Errorf("a name with ..: %s", filepath.Base(p))
		}
	}
}

// TestTasksCommand_hostileCells: the CSV output neutralises formulas (read
// back by a CSV reader) and the table output carries no escape sequence.
func TestTasksCommand_hostileCells(t *testing.T) {
	_, cfg := setupHostile(t)
	code, out, _ := run(t, "tasks", "--config", cfg, "--format", "csv")
	if code != exitOK {
		t.Fatalf("tasks csv: %d", code)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		for i, cell := range r {
			if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) {
				t.Errorf("cell %s = %q starts a formula", rows[0][i], cell)
			}
			if cell != "" && cell[0] == '-' && !isNumber(cell) {
				t.Errorf("cell %s = %q starts a formula", rows[0][i], cell)
			}
		}
		if got := r[col["title"]]; strings.HasPrefix(got, "'=HYPERLINK") || strings.HasPrefix(got, "'-2+3") || strings.HasPrefix(got, "'@SUM") {
			continue
		} else if !strings.HasPrefix(got, "Titel") {
			t.Errorf("title = %q, want it kept behind a '", got)
		}
		if got := r[col["start"]]; got != "2026-06-01" {
			t.Errorf("start = %q: a date must stay a date", got)
		}
	}
	_, out, _ = run(t, "tasks", "--config", cfg)
	if strings.ContainsRune(out, 0x1b) {
		t.Errorf("the table holds an escape character:\n%q", out)
	}
	// JSON is data, not shown: it keeps the title as written.
	_, out, _ = run(t, "tasks", "--config", cfg, "--format", "json")
	var tasks []map[string]string
	json.Unmarshal([]byte(out), &tasks)
	if len(tasks) != 4 || !strings.HasPrefix(tasks[0]["title"], "=HYPERLINK") {
		t.Errorf("json tasks = %v", tasks)
	}
}

func isNumber(s string) bool {
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || i == 0 && r == '-') {
			return false
		}
	}
	return true
}

// TestInitAndConfigCheck_safety: init writes the configuration readable by
// its owner only; config check warns of an inline password and an endpoint
// open to other machines.
func TestInitAndConfigCheck_safety(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("old"), 0o644)
	if code, _, errOut := run(t, "init", "--out", cfg, "--force"); code != exitOK {
		t.Fatal(errOut)
	}
	if info, _ := os.Stat(cfg); info.Mode().Perm() != 0o600 {
		t.Errorf("init wrote mode %v, want 0600", info.Mode().Perm())
	}
	for _, tc := range []struct {
		name, edit string
		warn       []string
	}{
		{"starter", "", nil},
		{"inline password", "smtp:\n  host: smtp.example.dk\n  password: hemmelig\n  from: udrul@example.dk\n", []string{"smtp.password"}},
		{"open endpoint", "", []string{"http.listen"}},
		{"open endpoint behind a proxy", "", []string{"http.metrics_token_file"}},
		{"open endpoint behind a proxy, metrics token", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := string(mustRead(t, cfg)) + tc.edit
			if strings.HasPrefix(tc.name, "open endpoint") {
				text = strings.Replace(text, "listen: 127.0.0.1:8480", "listen: 0.0.0.0:8480", 1)
			}
			if strings.HasPrefix(tc.name, "open endpoint behind a proxy") {
				text = strings.Replace(text, "listen: 0.0.0.0:8480", "listen: 0.0.0.0:8480\n  auth: {proxy_header: X-Forwarded-Email, trusted_proxies: [10.0.0.5], coordinators: [k@kombit.dk]}", 1)
			}
			if strings.HasSuffix(tc.name, "metrics token") {
				text = strings.Replace(text, "listen: 0.0.0.0:8480", "listen: 0.0.0.0:8480\n  metrics_token_file: metrics.token", 1)
			}
			p := filepath.Join(t.TempDir(), "udrul.yaml")
			os.WriteFile(p, []byte(text), 0o600)
			// The starter's source folder, with a plan in it (config check
			// warns of a missing or empty one).
			os.MkdirAll(filepath.Join(filepath.Dir(p), "plans"), 0o755)
			os.WriteFile(filepath.Join(filepath.Dir(p), "plans", "KY_Aarhus.csv"), []byte("Opgave;Ansvarlig;Slutdato\n"), 0o644)
			code, _, errOut := run(t, "config", "check", "--config", p)
			if code != exitOK {
				t.Fatalf("config check: %d %s", code, errOut)
			}
			if len(tc.warn) == 0 && strings.Contains(errOut, "advarsel") {
				t.Errorf("warnings for the starter: %s", errOut)
			}
			for _, w := range tc.warn {
				if !strings.Contains(errOut, "advarsel: ") || !strings.Contains(errOut, w) {
					t.Errorf("stderr = %q, want a warning about %s", errOut, w)
				}
			}
		})
	}
}

// TestAlertsCommand_parallel runs eight `udrul alerts` at once on one
// database: each coordinator's digest is queued once in all.
func TestAlertsCommand_parallel(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "udrul.yaml")
	if code, _, errOut := run(t, "init", "--out", cfg); code != exitOK {
		t.Fatal(errOut)
	}
	text := strings.Replace(string(mustRead(t, cfg)), "  contacts_from_sheets: true", "  contacts_from_sheets: false\n  coordinators: [{email: k1@kombit.example}, {email: k2@kombit.example}, {email: k3@kombit.example}, {email: k4@kombit.example}]", 1)
	text += "smtp: {host: 127.0.0.1, port: 1, security: none, from: udrul@kombit.example}\n"
	os.WriteFile(cfg, []byte(text), 0o600)
	plans := filepath.Join(dir, "plans")
	os.MkdirAll(plans, 0o755)
	if _, err := plangen.Generate(plangen.Spec{Seed: 3, Layout: plangen.Blocks, Municipality: "Aarhus", Solution: "KY", Wave: 1}).Write(plans); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, "sync", "--config", cfg); code != exitOK {
		t.Fatalf("sync: %s %s", out, errOut)
	}
	var wg sync.WaitGroup
	outs := make([]string, 8)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, outs[i], _ = run(t, "alerts", "--config", cfg, "--as-of", "2027-12-01")
		}()
	}
	wg.Wait()
	queued := 0
	for _, out := range outs {
		var n int
		if _, err := fmt.Sscanf(out, "%d samlebeskeder lagt i udbakken", &n); err != nil {
			t.Fatalf("alerts said %q", out)
		}
		queued += n
	}
	if queued != 4 {
		t.Errorf("%d digests queued by eight parallel runs, want 4:\n%s", queued, strings.Join(outs, ""))
	}
}

// TestTemplateName: a plan file's name holds no path, whatever the
// municipality in the store or the wave table says.
func TestTemplateName(t *testing.T) {
	for _, tc := range []struct{ name, sol, mun, want string }{
		{"plain", "KY", "Lyngby Taarbæk", "KY_Lyngby_Taarbæk_implementeringsplan.xlsx"},
		{"path", "KY", "x/../../../../elsewhere/pwned", ""},
		{"path in solution", "../KY", "Aarhus", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := templateName(tc.sol, tc.mun)
			if tc.want != "" && got != tc.want {
				t.Errorf("templateName = %q, want %q", got, tc.want)
			}
			if filepath.Base(got) != got || strings.Contains(got, "..") {
				t.Errorf("templateName = %q: not a plain file name", got)
			}
		})
	}
}
