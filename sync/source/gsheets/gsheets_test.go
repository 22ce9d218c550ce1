package gsheets_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/fakegoogle"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/source/gsheets"
	"github.com/udrul/udrul/sync/syncer"
)

// planSheet generates a plan and returns it as Google holds a native
// spreadsheet, and as the xlsx bytes.
func planSheet(t testing.TB, seed uint64, layout plangen.Layout, mun, sol string) (*plangen.Plan, *fakegoogle.File, []byte) {
	t.Helper()
	p := plangen.Generate(plangen.Spec{Seed: seed, Layout: layout, Municipality: mun, Solution: sol, Wave: 1})
	dir := t.TempDir()
	path, err := p.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	g, err := grid.ReadFile(path, grid.Options{})
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimSuffix(p.FileName(), filepath.Ext(p.FileName()))
	id := strings.NewReplacer("ø", "oe", "æ", "ae", "å", "aa", "Ø", "Oe", "Æ", "Ae", "Å", "Aa").Replace(fmt.Sprintf("sheet-%s-%s", mun, sol))
	return p, &fakegoogle.File{ID: id, Name: name, MimeType: gsheets.MimeSheet, Sheet: fakegoogle.Spreadsheet(g)}, data
}

func identify(it source.Item, md model.Metadata) (syncer.Identity, error) {
	if md.Municipality == "" || md.Solution == "" {
		return syncer.Identity{}, fmt.Errorf("cannot tell the plan of %s", it.Name)
	}
	return syncer.Identity{Municipality: md.Municipality, Solution: md.Solution}, nil
}

type env struct {
	t      testing.TB
	fake   *fakegoogle.Server
	client *gsheets.Client
	db     *store.DB
	s      *syncer.Syncer
	src    *gsheets.Source
}

func newEnv(t testing.TB, cfg gsheets.Config, opts gsheets.Options) *env {
	t.Helper()
	fake := fakegoogle.New()
	t.Cleanup(fake.Close)
	opts.DriveEndpoint, opts.SheetsEndpoint = fake.DriveEndpoint(), fake.SheetsEndpoint()
	if opts.Language == "" {
		opts.Language = "en"
	}
	if opts.CredentialsFile == "" {
		opts.WithoutAuthentication = true
	}
	if opts.BaseDelay == 0 {
		opts.BaseDelay, opts.MaxDelay = 5*time.Millisecond, 50*time.Millisecond
	}
	if opts.RequestsPerMinute == 0 {
		opts.RequestsPerMinute = 600000
	}
	c, err := gsheets.NewClient(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if cfg.Name == "" {
		cfg.Name = "google"
	}
	return &env{t: t, fake: fake, client: c, db: db, src: gsheets.New(c, cfg),
		s: &syncer.Syncer{DB: db, Parser: parse.New(parse.Options{}), Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}}}
}

func (e *env) cycle() syncer.Result {
	e.t.Helper()
	res, err := e.s.Cycle(context.Background(), []syncer.Target{{Source: e.src, Identify: identify}}, syncer.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	return res[0]
}

func TestFolder(t *testing.T) {
	e := newEnv(t, gsheets.Config{Folders: []string{"https://drive.google.com/drive/folders/FOLDER1"}}, gsheets.Options{PageSize: 2})
	e.fake.Folder("FOLDER1", "Planer", "")
	var plans []*plangen.Plan
	for i, spec := range []struct {
		layout   plangen.Layout
		mun, sol string
	}{{plangen.Blocks, "Aarhus", "KY"}, {plangen.SectionRows, "Esbjerg", "SAPA"}, {plangen.TabPerStep, "Odense", "KSD"}} {
		p, f, _ := planSheet(t, uint64(i+1), spec.layout, spec.mun, spec.sol)
		f.Parents = []string{"FOLDER1"}
		e.fake.Put(*f)
		plans = append(plans, p)
	}
	// An xlsx kept in Drive, read like a local file.
	px, fx, xlsx := planSheet(t, 9, plangen.StepColumn, "Gladsaxe", "KY")
	e.fake.Put(fakegoogle.File{ID: "xlsx-1", Name: fx.Name + ".xlsm", MimeType: gsheets.MimeXLSM, Parents: []string{"FOLDER1"}, Content: xlsx})
	plans = append(plans, px)
	// Elsewhere: not read.
	_, other, _ := planSheet(t, 10, plangen.Blocks, "Vejle", "KY")
	other.Parents = []string{"OTHER"}
	e.fake.Put(*other)
	e.fake.Calls()

	r := e.cycle()
	calls := e.fake.Calls()
	if !r.OK() || r.Read != 4 || r.Created != 4 {
		t.Fatalf("first cycle: %s %v", r.Summary(), r.Errors)
	}
	// The folder checked, listed in pages of two, three spreadsheets read
	// and one file downloaded.
	if calls["drive.files.get"] != 1 || calls["drive.files.list"] != 2 || calls["sheets.get"] != 3 || calls["drive.files.download"] != 1 || r.Calls != 7 {
		t.Errorf("first cycle calls = %v (counted %d), want 1 folder check, 2 listing pages, 3 spreadsheets.get, 1 download", calls, r.Calls)
	}
	// Every task as in the sheet, with dates from serials and formats, the
	// hidden tab skipped and merged section rows read as steps.
	for _, p := range plans {
		tasks, err := e.db.ListTasks(context.Background(), store.TaskFilter{Municipality: p.Municipality, Solution: p.Solution})
		if err != nil {
			t.Fatal(err)
		}
		if len(tasks) != len(p.Tasks) {
			t.Errorf("%s/%s: %d tasks, want %d", p.Municipality, p.Solution, len(tasks), len(p.Tasks))
			continue
		}
		for i, tk := range tasks {
			w := p.Tasks[i]
			if tk.Title != w.Title || tk.Step != w.Step || tk.Start != w.Start || tk.End != w.End || tk.Status != w.Status {
				t.Errorf("%s/%s task %d = %s|%s|%s|%s|%s, want %s|%s|%s|%s|%s", p.Municipality, p.Solution, i, tk.Step, tk.Title, tk.Start, tk.End, tk.Status,
					w.Step, w.Title, w.Start, w.End, w.Status)
				break
			}
		}
	}
	// Problems link to their cell in Google Sheets.
	aarhus, _ := e.db.Plan(context.Background(), "Aarhus/KY")
	issues, _ := e.db.PlanIssues(context.Background(), aarhus.ID)
	if len(issues) == 0 || !strings.HasPrefix(issues[0].Link, "https://docs.google.com/spreadsheets/d/sheet-Aarhus-KY/edit#gid=1000&range=") || !strings.HasSuffix(issues[0].Link, issues[0].Pos.Cell) {
		t.Errorf("issue links = %+v", issues)
	}
	if aarhus.Location != gsheets.SheetURL("sheet-Aarhus-KY") {
		t.Errorf("location = %s", aarhus.Location)
	}

	t.Run("nothing changed: the folder check and listing, no Sheets call", func(t *testing.T) {
		r := e.cycle()
		calls := e.fake.Calls()
		if r.Read != 0 || r.Unchanged != 4 || calls["sheets.get"] != 0 || calls["drive.files.list"] != 2 || r.Calls != 3 {
			t.Errorf("%s; calls %v", r.Summary(), calls)
		}
	})
	t.Run("one changes: only it is read", func(t *testing.T) {
		plans[0].Slip(2, 9)
		p := plans[0]
		path, _ := p.Write(t.TempDir())
		g, _ := grid.ReadFile(path, grid.Options{})
		e.fake.Put(fakegoogle.File{ID: "sheet-Aarhus-KY", Name: "KY_Aarhus_implementeringsplan", MimeType: gsheets.MimeSheet, Parents: []string{"FOLDER1"}, Sheet: fakegoogle.Spreadsheet(g)})
		r := e.cycle()
		calls := e.fake.Calls()
		if r.Read != 1 || r.Changed != 1 || calls["sheets.get"] != 1 || r.Calls != 4 {
			t.Errorf("%s; calls %v", r.Summary(), calls)
		}
	})
	t.Run("a new sheet appears", func(t *testing.T) {
		_, f, _ := planSheet(t, 11, plangen.English, "Køge", "KSD")
		f.Parents = []string{"FOLDER1"}
		e.fake.Put(*f)
		r := e.cycle()
		if r.Read != 1 || r.Created != 1 || e.fake.Calls()["sheets.get"] != 1 {
			t.Errorf("%s", r.Summary())
		}
	})
	t.Run("a deleted sheet: its plan keeps its tasks", func(t *testing.T) {
		e.fake.Delete("sheet-Esbjerg-SAPA")
		r := e.cycle()
		p, _ := e.db.Plan(context.Background(), "Esbjerg/SAPA")
		if r.Gone != 1 || p.State != store.PlanGone || p.Tasks != len(plans[1].Tasks) {
			t.Errorf("%s; plan %+v", r.Summary(), p)
		}
	})
	t.Run("429 storm with Retry-After, then success", func(t *testing.T) {
		e.fake.Fail("drive.files.list", 3, fakegoogle.Failure{Status: 429, RetryAfter: "1"})
		start := time.Now()
		r := e.cycle()
		if !r.OK() || r.Calls != 1+3+2 {
			t.Errorf("%s (%d calls)", r.Summary(), r.Calls)
		}
		if d := time.Since(start); d < 3*time.Second {
			t.Errorf("took %v: Retry-After of 1 s, three times, was not honoured", d)
		}
	})
	t.Run("500s then success", func(t *testing.T) {
		e.fake.Fail("drive.files.list", 2, fakegoogle.Failure{Status: 500})
		if r := e.cycle(); !r.OK() {
			t.Errorf("%s", r.Summary())
		}
	})
	t.Run("failing past the retries: the source fails, nothing applied", func(t *testing.T) {
		before, _ := e.db.ListTasks(context.Background(), store.TaskFilter{})
		e.fake.Fail("drive.files.list", 20, fakegoogle.Failure{Status: 503})
		r := e.cycle()
		if r.OK() || r.Err == nil {
			t.Errorf("%s", r.Summary())
		}
		after, _ := e.db.ListTasks(context.Background(), store.TaskFilter{})
		if len(after) != len(before) {
			t.Errorf("tasks %d → %d", len(before), len(after))
		}
		e.fake.Fail("drive.files.list", 0, fakegoogle.Failure{})
		e.fake.Calls()
	})
}

func TestListedSpreadsheets(t *testing.T) {
	// A generated service-account key: the token exchange runs against
	// the fake's token endpoint.
	const email = "udrul-test@udrul-project.iam.gserviceaccount.com"
	e := newEnvWithKey(t, email, gsheets.Options{PageSize: 1}) // changes come a page each

	var ids []string
	for i, mun := range []string{"Aarhus", "Vejle", "Skive"} {
		_, f, _ := planSheet(t, uint64(i+1), plangen.Blocks, mun, "KY")
		e.fake.Put(*f)
		ids = append(ids, f.ID)
	}
	_, hidden, _ := planSheet(t, 7, plangen.Blocks, "Sorø", "KY")
	hidden.Forbidden = true
	e.fake.Put(*hidden)
	ids = append(ids, hidden.ID)
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: append([]string{"https://docs.google.com/spreadsheets/d/" + ids[0] + "/edit#gid=0"}, ids[1:]...)})
	e.fake.Calls()

	r := e.cycle()
	calls := e.fake.Calls()
	if r.Read != 3 || r.Failed != 1 || calls["token"] != 1 {
		t.Fatalf("first cycle: %s %v; calls %v", r.Summary(), r.Errors, calls)
	}
	// Drive answers 404 for a file not shared with the caller.
	want := "not found, or not shared with " + email
	if msg := strings.Join(r.Errors, ""); !strings.Contains(msg, want) || !strings.Contains(msg, "share it with "+email) {
		t.Errorf("404 message = %q, want it to say %q", msg, want)
	}
	// Next cycle: one changes.list call, plus asking for the unshared
	// sheet again: still a problem, not skipped.
	for range 2 {
		r = e.cycle()
		calls = e.fake.Calls()
		if r.Read != 0 || r.Failed != 1 || calls["drive.changes.list"] != 1 || calls["sheets.get"] != 0 || calls["drive.files.get"] != 1 {
			t.Errorf("unchanged cycle: %s; calls %v", r.Summary(), calls)
		}
	}
	// One changes: read with one spreadsheets.get.
	_, f, _ := planSheet(t, 42, plangen.Blocks, "Vejle", "KY")
	e.fake.Put(*f)
	r = e.cycle()
	calls = e.fake.Calls()
	if r.Read != 1 || calls["sheets.get"] != 1 || calls["drive.changes.list"] != 1 {
		t.Errorf("changed cycle: %s; calls %v", r.Summary(), calls)
	}
	t.Run("shared at last: read", func(t *testing.T) {
		e.fake.Share(hidden.ID, true)
		r := e.cycle()
		p, _ := e.db.Plan(context.Background(), "Sorø/KY")
		if r.Read != 1 || r.Failed != 0 || r.Created != 1 || p.State != store.PlanOK {
			t.Errorf("%s %v; plan %+v", r.Summary(), r.Errors, p)
		}
	})
	t.Run("unshared: a problem every cycle, not gone", func(t *testing.T) {
		e.fake.Share(ids[1], false)
		for range 2 {
			r := e.cycle()
			p, _ := e.db.Plan(context.Background(), "Vejle/KY")
			if r.Gone != 0 || r.Failed != 1 || !strings.Contains(strings.Join(r.Errors, ""), "not shared with "+email) || p.State != store.PlanFailing || p.Tasks == 0 {
				t.Errorf("%s %v; plan %+v", r.Summary(), r.Errors, p)
			}
		}
		e.fake.Share(ids[1], true)
		r := e.cycle()
		p, _ := e.db.Plan(context.Background(), "Vejle/KY")
		if r.Failed != 0 || p.State != store.PlanOK {
			t.Errorf("shared again: %s; plan %+v", r.Summary(), p)
		}
	})
	t.Run("trashed: gone, tasks kept", func(t *testing.T) {
		e.fake.Delete(ids[2])
		r := e.cycle()
		p, _ := e.db.Plan(context.Background(), "Skive/KY")
		if r.Gone != 1 || p.State != store.PlanGone || p.Tasks == 0 {
			t.Errorf("%s; plan %+v", r.Summary(), p)
		}
	})
}

func newEnvWithKey(t *testing.T, email string, opts gsheets.Options) *env {
	fake := fakegoogle.New()
	t.Cleanup(fake.Close)
	b, err := fake.ServiceAccountKey(email)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "key.json")
	os.WriteFile(keyFile, b, 0o600)
	opts.CredentialsFile, opts.DriveEndpoint, opts.SheetsEndpoint = keyFile, fake.DriveEndpoint(), fake.SheetsEndpoint()
	if opts.BaseDelay == 0 {
		opts.BaseDelay, opts.MaxDelay = 5*time.Millisecond, 50*time.Millisecond
	}
	opts.RequestsPerMinute = 600000
	if opts.Language == "" {
		opts.Language = "en"
	}
	c, err := gsheets.NewClient(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if c.ServiceAccount() != email {
		t.Errorf("service account = %q", c.ServiceAccount())
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &env{t: t, fake: fake, client: c, db: db, s: &syncer.Syncer{DB: db, Parser: parse.New(parse.Options{}), Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}}}
}

func TestParseID(t *testing.T) {
	for in, want := range map[string]string{
		"https://docs.google.com/spreadsheets/d/1AbC-d_9/edit#gid=0":           "1AbC-d_9",
		"https://docs.google.com/spreadsheets/d/1AbC-d_9/edit?usp=sharing":     "1AbC-d_9",
		"https://drive.google.com/drive/folders/0Bx_folder":                    "0Bx_folder",
		"https://drive.google.com/drive/u/0/folders/0Bx_folder?usp=drive_link": "0Bx_folder",
		"https://drive.google.com/file/d/FILE1/view":                           "FILE1",
		"https://drive.google.com/open?id=1OpEn_id":                            "1OpEn_id",
		"https://drive.google.com/open?authuser=0&id=1OpEn_id":                 "1OpEn_id",
		"https://docs.google.com/spreadsheet/ccc?key=0OldKey#gid=0":            "0OldKey",
		" 1AbC ": "1AbC",
	} {
		if got, err := gsheets.ParseID(in); got != want || err != nil {
			t.Errorf("ParseID(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"https://docs.google.com/spreadsheets/d/e/2PACX-1vQ_published/pubhtml",
		"Aarhus plan",
		"x' or name contains 'y",
	} {
		if got, err := gsheets.ParseID(in); err == nil || !errors.Is(err, gsheets.ErrBadLink) {
			t.Errorf("ParseID(%q) = %q, %v, want ErrBadLink", in, got, err)
		}
	}
	_, err := gsheets.ParseID("https://docs.google.com/spreadsheets/d/e/2PACX-1vQ/pubhtml")
	if !strings.Contains(err.Error(), "published copy") {
		t.Errorf("message %q must say it is a published copy", err)
	}
}

// TestCallsPerCycle counts the API calls of cycles over 600 plans in a
// folder and 40 listed spreadsheets, half in My Drive and half in a shared
// drive: per cycle, the folder's check and listing, one changes.list per
// change log, and one spreadsheets.get per changed sheet.
func TestCallsPerCycle(t *testing.T) {
	if testing.Short() {
		t.Skip("640 plans")
	}
	e := newEnv(t, gsheets.Config{}, gsheets.Options{})
	e.fake.Folder("F", "Planer", "")
	e.fake.SharedDrive("SD", "Kommunernes planer", true)
	sols := []string{"KY", "KSD", "SAPA", "KP", "FLIS", "SBSIP", "Støttesystemerne"}
	sheetOf := func(i int, seed uint64) fakegoogle.File {
		mun, sol := parse.Municipalities[i%98], sols[i/98]
		p := plangen.Generate(plangen.Spec{Seed: seed, Layout: plangen.CSVDanish, Municipality: mun, Solution: sol, Wave: 1})
		path, err := p.Write(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		g, err := grid.ReadFile(path, grid.Options{})
		if err != nil {
			t.Fatal(err)
		}
		f := fakegoogle.File{ID: fmt.Sprintf("s%03d", i), Name: sol + "_" + mun, MimeType: gsheets.MimeSheet, Parents: []string{"F"}, Sheet: fakegoogle.Spreadsheet(g)}
		switch {
		case i >= 620:
			f.Parents, f.DriveID = nil, "SD"
		case i >= 600:
			f.Parents = nil
		}
		return f
	}
	var listed []string
	for i := range 640 {
		e.fake.Put(sheetOf(i, uint64(i)))
		if i >= 600 {
			listed = append(listed, fmt.Sprintf("s%03d", i))
		}
	}
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Folders: []string{"F"}, Spreadsheets: listed})
	r := e.cycle()
	calls := e.fake.Calls()
	// First: folder check and listing; 40 files.get, 2 start tokens and
	// the 40 looked up again once their logs have started; 640 sheets.
	if r.Read != 640 || r.Calls != 2+40+2+40+640 {
		t.Fatalf("first cycle: %s, %d calls %v", r.Summary(), r.Calls, calls)
	}
	t.Logf("first cycle: %d calls (%v)", r.Calls, calls)
	for _, changed := range []int{0, 1, 30} {
		for i := range changed {
			if i == 0 {
				e.fake.Put(sheetOf(625, uint64(1000+changed))) // in the shared drive
				continue
			}
			e.fake.Put(sheetOf(i*20, uint64(1000+changed+i)))
		}
		e.fake.Calls()
		r := e.cycle()
		calls := e.fake.Calls()
		if r.Read != changed || r.Calls != 4+changed || calls["drive.files.get"] != 1 || calls["drive.files.list"] != 1 || calls["drive.changes.list"] != 2 || calls["sheets.get"] != changed {
			t.Errorf("%d changed: %s; %d calls %v, want 1 folder check + 1 listing + 2 change logs + %d", changed, r.Summary(), r.Calls, calls, changed)
		}
		t.Logf("%d changed: %d calls (%v)", changed, r.Calls, calls)
	}
}

// FuzzParseID: any text gives an ID fit for a Drive query, or an error.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"https://docs.google.com/spreadsheets/d/1AbC/edit", "https://drive.google.com/open?id=x", "https://docs.google.com/spreadsheets/d/e/2PACX/pubhtml", "a'b", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := gsheets.ParseID(s)
		if err == nil && (id == "" || strings.ContainsAny(id, `'\ /?&`)) {
			t.Errorf("ParseID(%q) = %q: not a safe ID", s, id)
		}
	})
}
