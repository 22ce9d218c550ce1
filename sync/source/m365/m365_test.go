package m365_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/fakegraph"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/source/m365"
	"github.com/udrul/udrul/sync/syncer"
)

const (
	tenantID = "11111111-2222-3333-4444-555555555555"
	clientID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	siteURL  = "https://aarhus.sharepoint.com/sites/Udrulning"
)

func identify(it source.Item, md model.Metadata) (syncer.Identity, error) {
	if md.Municipality == "" || md.Solution == "" {
		return syncer.Identity{}, fmt.Errorf("cannot tell the plan of %s", it.Name)
	}
	return syncer.Identity{Municipality: md.Municipality, Solution: md.Solution}, nil
}

// planFile generates a plan and its file's bytes.
func planFile(t testing.TB, seed uint64, layout plangen.Layout, mun, sol string) (*plangen.Plan, []byte) {
	t.Helper()
	p := plangen.Generate(plangen.Spec{Seed: seed, Layout: layout, Municipality: mun, Solution: sol, Wave: 1})
	return p, planBytes(t, p)
}

func planBytes(t testing.TB, p *plangen.Plan) []byte {
	t.Helper()
	path, err := p.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type env struct {
	t     testing.TB
	fake  *fakegraph.Server
	site  *fakegraph.Site
	drive *fakegraph.Drive
	db    *store.DB
	s     *syncer.Syncer
	src   *m365.Source
	opts  m365.Options

	mu      sync.Mutex
	metrics map[string]int // endpoint/status → calls, from OnCall
}

// newEnv starts a fake tenant with the app registered by certificate, a
// granted site with its default library "Delte dokumenter", and a source.
func newEnv(t testing.TB, cfg m365.Config, tweak func(o *m365.Options)) *env {
	t.Helper()
	fake := fakegraph.New()
	t.Cleanup(fake.Close)
	pemBytes, cert, err := fakegraph.Certificate()
	if err != nil {
		t.Fatal(err)
	}
	fake.AddTenant(tenantID, "aarhus.onmicrosoft.com")
	fake.RegisterApp(tenantID, clientID, "", cert, true)
	site := fake.AddSite(tenantID, "aarhus.sharepoint.com", "sites/Udrulning", "Udrulning", true)
	drive := site.AddDrive("Delte dokumenter", "Shared Documents")
	site.AddDrive("Arkiv", "Arkiv")
	fake.PageSize = 3
	e := &env{t: t, fake: fake, site: site, drive: drive, metrics: map[string]int{}}
	e.opts = m365.Options{TenantID: tenantID, ClientID: clientID, Certificate: pemBytes, GraphURL: fake.GraphURL(), AuthorityHost: fake.AuthorityHost(),
		Transport: fake.Client().Transport, Language: "en", RequestsPerMinute: 600000, BaseDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond,
		OnCall: func(ep, status string) {
			e.mu.Lock()
			e.metrics[ep+"/"+status]++
			e.mu.Unlock()
		}}
	if tweak != nil {
		tweak(&e.opts)
	}
	c, err := m365.NewClient(e.opts)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if cfg.Name == "" {
		cfg.Name = "sharepoint"
	}
	if cfg.Site == "" && len(cfg.Links) == 0 {
		cfg.Site = siteURL
	}
	e.db = db
	e.src = m365.New(c, cfg)
	e.s = &syncer.Syncer{DB: db, Parser: parse.New(parse.Options{}), Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}}
	return e
}

func (e *env) cycle() syncer.Result {
	e.t.Helper()
	res, err := e.s.Cycle(context.Background(), []syncer.Target{{Source: e.src, Identify: identify}}, syncer.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	return res[0]
}

func (e *env) tasksMatch(t *testing.T, p *plangen.Plan) {
	t.Helper()
	tasks, err := e.db.ListTasks(context.Background(), store.TaskFilter{Municipality: p.Municipality, Solution: p.Solution})
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != len(p.Tasks) {
		t.Errorf("%s/%s: %d tasks, want %d", p.Municipality, p.Solution, len(tasks), len(p.Tasks))
		return
	}
	for i, tk := range tasks {
		w := p.Tasks[i]
		if tk.Title != w.Title || tk.Step != w.Step || tk.Start != w.Start || tk.End != w.End || tk.Status != w.Status ||
			tk.Responsible != w.Responsible || tk.Performer != w.Performer || tk.Task.Task.ID != w.ID {
			t.Errorf("%s/%s task %d = %s|%s|%s|%s|%s|%s|%s|%s, want %s|%s|%s|%s|%s|%s|%s|%s", p.Municipality, p.Solution, i,
				tk.Task.Task.ID, tk.Step, tk.Title, tk.Responsible, tk.Performer, tk.Start, tk.End, tk.Status,
				w.ID, w.Step, w.Title, w.Responsible, w.Performer, w.Start, w.End, w.Status)
			return
		}
	}
}

func TestSource_Library(t *testing.T) {
	e := newEnv(t, m365.Config{Folders: []string{"Planer"}}, nil)
	var plans []*plangen.Plan
	for i, spec := range []struct {
		layout   plangen.Layout
		mun, sol string
	}{{plangen.Blocks, "Aarhus", "KY"}, {plangen.SectionRows, "Esbjerg", "SAPA"}, {plangen.TabPerStep, "Odense", "KSD"},
		{plangen.StepColumn, "Gladsaxe", "KY"}, {plangen.CSVDanish, "Vejle", "KP"}} {
		p, data := planFile(t, uint64(i+1), spec.layout, spec.mun, spec.sol)
		e.drive.Put("Planer/"+p.FileName(), data)
		plans = append(plans, p)
	}
	// Beside them: a lock file, a Word file, a plan in a subfolder (not
	// recursive) and one outside the folder; none is read.
	e.drive.Put("Planer/~$KY_Aarhus_implementeringsplan.xlsx", []byte("lock"))
	e.drive.Put("Planer/Referat.docx", []byte("word"))
	_, sub := planFile(t, 20, plangen.Blocks, "Roskilde", "KY")
	e.drive.Put("Planer/Gammelt/KY_Roskilde.xlsx", sub)
	e.drive.Put("Andet/KY_Roskilde.xlsx", sub)
	e.fake.Calls()

	r := e.cycle()
	calls := e.fake.Calls()
	if !r.OK() || r.Read != 5 || r.Created != 5 || r.Documents != 5 {
		t.Fatalf("first cycle: %s %v", r.Summary(), r.Errors)
	}
	// Resolution (site, drives, folder), the delta in pages of 3, and one
	// download per plan through the redirect.
	if calls["site"] != 1 || calls["drives"] != 1 || calls["item"] != 1 || calls["delta"] < 4 || calls["content"] != 5 || calls["download"] != 5 {
		t.Errorf("first cycle calls = %v", calls)
	}
	if got, want := r.Calls, fakegraph.GraphCalls(calls)+calls["download"]; got != want {
		t.Errorf("counted calls = %d, want %d (%v)", got, want, calls)
	}
	if e.fake.AuthOnDownload != 0 {
		t.Errorf("the bearer token went to the download URL %d times", e.fake.AuthOnDownload)
	}
	for _, p := range plans {
		e.tasksMatch(t, p)
	}
	// The plan links to its file in SharePoint, its problems to their cell.
	aarhus, _ := e.db.Plan(context.Background(), "Aarhus/KY")
	wantURL := e.drive.WebURL("Planer/KY_Aarhus_implementeringsplan.xlsx")
	if aarhus.Location != wantURL || !strings.HasPrefix(wantURL, siteURL+"/Shared%20Documents/Planer/") {
		t.Errorf("location = %s, want %s", aarhus.Location, wantURL)
	}
	issues, _ := e.db.PlanIssues(context.Background(), aarhus.ID)
	if len(issues) == 0 || !strings.HasPrefix(issues[0].Link, wantURL+"?web=1&activeCell=") || !strings.HasSuffix(issues[0].Link, issues[0].Pos.Cell) {
		t.Errorf("issue links = %+v", issues)
	}
	e.mu.Lock()
	if e.metrics["delta/200"] < 4 || e.metrics["content/302"] != 5 || e.metrics["download/200"] != 5 {
		t.Errorf("metrics hook = %v", e.metrics)
	}
	e.mu.Unlock()

	t.Run("nothing changed: one delta call, no download", func(t *testing.T) {
		r := e.cycle()
		calls := e.fake.Calls()
		if r.Read != 0 || r.Unchanged != 5 || r.Calls != 1 || calls["delta"] != 1 || calls["content"] != 0 || calls["token"] != 0 {
			t.Errorf("%s; calls %v (counted %d)", r.Summary(), calls, r.Calls)
		}
	})
	t.Run("a metadata-only change downloads nothing", func(t *testing.T) {
		e.drive.Touch("Planer/KY_Aarhus_implementeringsplan.xlsx")
		r := e.cycle()
		if calls := e.fake.Calls(); r.Read != 0 || calls["content"] != 0 {
			t.Errorf("%s; calls %v", r.Summary(), calls)
		}
	})
	t.Run("one changed: only it is downloaded", func(t *testing.T) {
		plans[0].Slip(2, 9)
		e.drive.Put("Planer/"+plans[0].FileName(), planBytes(t, plans[0]))
		r := e.cycle()
		calls := e.fake.Calls()
		if r.Read != 1 || r.Changed != 1 || calls["content"] != 1 || calls["delta"] != 1 || r.Calls != 3 {
			t.Errorf("%s; calls %v (counted %d)", r.Summary(), calls, r.Calls)
		}
		e.tasksMatch(t, plans[0])
	})
	t.Run("a new file", func(t *testing.T) {
		p, data := planFile(t, 11, plangen.English, "Køge", "KSD")
		e.drive.Put("Planer/"+p.FileName(), data)
		r := e.cycle()
		if calls := e.fake.Calls(); r.Read != 1 || r.Created != 1 || calls["content"] != 1 {
			t.Errorf("%s; calls %v", r.Summary(), calls)
		}
		e.tasksMatch(t, p)
	})
	t.Run("a deleted file: its plan is gone with its tasks kept", func(t *testing.T) {
		e.drive.Delete("Planer/" + plans[1].FileName())
		r := e.cycle()
		p, _ := e.db.Plan(context.Background(), "Esbjerg/SAPA")
		if r.Gone != 1 || p.State != store.PlanGone || p.Tasks != len(plans[1].Tasks) {
			t.Errorf("%s; plan %+v", r.Summary(), p)
		}
	})
	t.Run("a file moved out of the folder is gone; moved back, it is read again", func(t *testing.T) {
		e.drive.Move("Planer/"+plans[2].FileName(), "Arkiveret/"+plans[2].FileName())
		r := e.cycle()
		p, _ := e.db.Plan(context.Background(), "Odense/KSD")
		if r.Gone != 1 || p.State != store.PlanGone {
			t.Errorf("moved out: %s; plan %+v", r.Summary(), p)
		}
		e.drive.Move("Arkiveret/"+plans[2].FileName(), "Planer/"+plans[2].FileName())
		r = e.cycle()
		p, _ = e.db.Plan(context.Background(), "Odense/KSD")
		if r.Gone != 0 || p.State == store.PlanGone || r.Documents != 5 {
			t.Errorf("moved back: %s; plan %+v", r.Summary(), p)
		}
	})
	t.Run("resync required: a full enumeration, nothing lost or duplicated", func(t *testing.T) {
		e.fake.Calls()
		plans[3].Slip(1, 5)
		e.drive.Put("Planer/"+plans[3].FileName(), planBytes(t, plans[3]))
		e.drive.ExpireDeltaTokens()
		r := e.cycle()
		calls := e.fake.Calls()
		if !r.OK() || r.Documents != 5 || r.Read != 1 || r.Changed != 1 || r.Gone != 0 || calls["content"] != 1 {
			t.Errorf("%s %v; calls %v", r.Summary(), r.Errors, calls)
		}
		plansNow, _ := e.db.ListPlans(context.Background())
		if len(plansNow) != 6 {
			t.Errorf("%d plans after the resync, want 6 (5 read, 1 gone)", len(plansNow))
		}
		e.tasksMatch(t, plans[3])
		// And the next cycle is one call again.
		if r := e.cycle(); r.Calls != 1 || r.Read != 0 {
			t.Errorf("after the resync: %s (%d calls)", r.Summary(), r.Calls)
		}
	})
	t.Run("a delta that fails on its last page applies nothing", func(t *testing.T) {
		// Four changes: two pages of three; the first arrives, the
		// second fails through every retry.
		e.drive.Delete("Planer/" + plans[4].FileName())
		for i, name := range []string{"a", "b", "c"} {
			p, data := planFile(t, uint64(30+i), plangen.Blocks, []string{"Ishøj", "Fanø", "Sorø"}[i], "KY")
			e.drive.Put("Planer/"+name+"_"+p.FileName(), data)
		}
		e.fake.Calls()
		e.fake.FailAfter("delta", 1, 7, fakegraph.Failure{Status: 503, RetryAfter: "0"})
		r := e.cycle()
		calls := e.fake.Calls()
		p, _ := e.db.Plan(context.Background(), "Vejle/KP")
		if r.Err == nil || !errors.Is(r.Err, m365.ErrThrottled) || p.State == store.PlanGone || calls["content"] != 0 || calls["delta"] != 8 {
			t.Errorf("%s; plan %+v; calls %v", r.Summary(), p, calls)
		}
		if n, _ := e.db.ListPlans(context.Background()); len(n) != 6 {
			t.Errorf("%d plans after a failed delta, want the 6 before it", len(n))
		}
		r = e.cycle()
		p, _ = e.db.Plan(context.Background(), "Vejle/KP")
		if !r.OK() || r.Gone != 1 || r.Created != 3 || p.State != store.PlanGone {
			t.Errorf("next cycle: %s; plan %+v", r.Summary(), p)
		}
	})
	t.Run("the configured folder deleted: the source fails, plans untouched", func(t *testing.T) {
		before, _ := e.db.ListPlans(context.Background())
		e.drive.Move("Planer", "Planer-gammel")
		r := e.cycle()
		if r.Err == nil || !errors.Is(r.Err, m365.ErrNotFound) || !strings.Contains(r.Err.Error(), "folder Planer") {
			t.Errorf("%s", r.Summary())
		}
		after, _ := e.db.ListPlans(context.Background())
		for i := range after {
			if after[i].State != before[i].State {
				t.Errorf("plan %s: %s, was %s", after[i].Key(), after[i].State, before[i].State)
			}
		}
		// Put back: found again by its path, nothing is read again.
		e.drive.Move("Planer-gammel", "Planer")
		e.fake.Calls()
		r = e.cycle()
		if calls := e.fake.Calls(); !r.OK() || r.Read != 0 || r.Gone != 0 || calls["content"] != 0 {
			t.Errorf("put back: %s; calls %v", r.Summary(), calls)
		}
	})
	t.Run("429 storm with Retry-After, then success", func(t *testing.T) {
		e.fake.Calls()
		e.fake.Fail("delta", 3, fakegraph.Failure{Status: 429, RetryAfter: "1"})
		start := time.Now()
		r := e.cycle()
		if !r.OK() || r.Calls != 4 {
			t.Errorf("%s (%d calls)", r.Summary(), r.Calls)
		}
		if time.Since(start) < 3*time.Second {
			t.Errorf("Retry-After not honoured: %s", time.Since(start))
		}
		e.mu.Lock()
		if e.metrics["delta/429"] != 3 {
			t.Errorf("metrics: %d 429s counted, want 3", e.metrics["delta/429"])
		}
		e.mu.Unlock()
	})
}

func TestSource_Subfolders(t *testing.T) {
	e := newEnv(t, m365.Config{Library: "Delte dokumenter", Folders: []string{"Planer"}, Recursive: true}, nil)
	p1, d1 := planFile(t, 1, plangen.Blocks, "Aarhus", "KY")
	p2, d2 := planFile(t, 2, plangen.Blocks, "Horsens", "KY")
	e.drive.Put("Planer/"+p1.FileName(), d1)
	e.drive.Put("Planer/Bølge 2/Horsens/"+p2.FileName(), d2)
	r := e.cycle()
	if !r.OK() || r.Read != 2 {
		t.Fatalf("%s %v", r.Summary(), r.Errors)
	}
	e.tasksMatch(t, p2)
	// A whole subfolder moved out: delta tells only of the folder, and its
	// file is gone all the same.
	e.drive.Move("Planer/Bølge 2", "Arkiv 2025/Bølge 2")
	r = e.cycle()
	if r.Gone != 1 || r.Documents != 1 {
		t.Errorf("folder moved out: %s", r.Summary())
	}
}

func TestSource_TeamsChannelFolder(t *testing.T) {
	// A Teams channel's Files tab is the channel's folder in the team
	// site's library; the folder may name the library first.
	e := newEnv(t, m365.Config{Folders: []string{"Delte dokumenter/KY-implementering"}}, nil)
	p, data := planFile(t, 3, plangen.Blocks, "Aarhus", "KY")
	e.drive.Put("KY-implementering/"+p.FileName(), data)
	r := e.cycle()
	if !r.OK() || r.Read != 1 {
		t.Fatalf("%s %v", r.Summary(), r.Errors)
	}
	e.tasksMatch(t, p)
}

func TestSource_SharingLink(t *testing.T) {
	e := newEnv(t, m365.Config{}, nil)
	p, data := planFile(t, 4, plangen.Blocks, "Aarhus", "KY")
	e.drive.Put("Personligt/"+p.FileName(), data)
	_, other := planFile(t, 5, plangen.Blocks, "Skive", "KY")
	e.drive.Put("Personligt/KY_Skive.xlsx", other)
	link := e.drive.Share("Personligt/" + p.FileName())
	e.src = m365.New(mustClient(t, e.opts), m365.Config{Name: "link", Links: []string{link}})
	r := e.cycle()
	if calls := e.fake.Calls(); !r.OK() || r.Read != 1 || calls["share"] != 1 || calls["site"] != 0 {
		t.Fatalf("%s %v; calls %v", r.Summary(), r.Errors, calls)
	}
	e.tasksMatch(t, p)
	// Deleted: the plan is gone, the source is fine.
	e.drive.Delete("Personligt/" + p.FileName())
	r = e.cycle()
	if !r.OK() || r.Gone != 1 {
		t.Errorf("%s %v", r.Summary(), r.Errors)
	}
}

func mustClient(t testing.TB, o m365.Options) *m365.Client {
	c, err := m365.NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSource_CopyBeside(t *testing.T) {
	// "… - Kopi.xlsx" beside the plan names the same plan: a conflict that
	// names both files and changes nothing; with an ignore pattern the copy
	// is not read.
	e := newEnv(t, m365.Config{Folders: []string{"Planer"}}, nil)
	p, data := planFile(t, 6, plangen.Blocks, "Aarhus", "KY")
	e.drive.Put("Planer/"+p.FileName(), data)
	if r := e.cycle(); r.Read != 1 {
		t.Fatalf("%s %v", r.Summary(), r.Errors)
	}
	e.drive.Put("Planer/KY_Aarhus_implementeringsplan - Kopi.xlsx", data)
	r := e.cycle()
	plan, _ := e.db.Plan(context.Background(), "Aarhus/KY")
	if r.Documents != 2 || len(r.Conflicts) != 1 || !strings.Contains(r.Conflicts[0], "Kopi") || plan.State != store.PlanConflict {
		t.Fatalf("%s; conflicts %v; plan %s", r.Summary(), r.Conflicts, plan.State)
	}
	if !strings.Contains(plan.StateReason, e.drive.WebURL("Planer/KY_Aarhus_implementeringsplan - Kopi.xlsx")) {
		t.Errorf("the conflict does not link the copy: %s", plan.StateReason)
	}
	e.s.Ignore = []string{"*Kopi*"}
	r = e.cycle()
	plan, _ = e.db.Plan(context.Background(), "Aarhus/KY")
	if r.Ignored != 1 || len(r.Conflicts) != 0 || plan.State == store.PlanConflict {
		t.Errorf("ignored: %s; conflicts %v; plan %s", r.Summary(), r.Conflicts, plan.State)
	}
}

func TestSource_Refusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(e *env)
		cfg   m365.Config
		tweak func(o *m365.Options)
		want  []string
		is    error
	}{
		{name: "site not granted under Sites.Selected", setup: func(e *env) { e.site.Grant(false) },
			want: []string{"not granted", "POST https://graph.microsoft.com/v1.0/sites/{site-id}/permissions", `"roles":["read"]`, clientID,
				"Grant-PnPAzureADAppSitePermission -AppId " + clientID, "-Site " + siteURL, "GET https://graph.microsoft.com/v1.0/sites/aarhus.sharepoint.com:/sites/Udrulning"},
			is: m365.ErrNotGranted},
		{name: "no consent in the tenant", setup: func(e *env) { e.fake.RegisterApp(tenantID, clientID, "s3cret", nil, false) },
			tweak: func(o *m365.Options) { o.Certificate = nil; o.Secret = "s3cret" },
			want:  []string{"admin consent", "Sites.Selected", tenantID}, is: m365.ErrNotGranted},
		{name: "wrong tenant", tweak: func(o *m365.Options) { o.TenantID = "kolding.onmicrosoft.com" },
			want: []string{"tenant \"kolding.onmicrosoft.com\" does not exist", "AADSTS90002"}, is: m365.ErrSignIn},
		{name: "app not in the tenant", setup: func(e *env) { e.fake.AddTenant("99999999-0000-0000-0000-000000000000", "kolding.onmicrosoft.com") },
			tweak: func(o *m365.Options) { o.TenantID = "99999999-0000-0000-0000-000000000000" },
			want:  []string{"is not known in tenant", "AADSTS700016"}, is: m365.ErrSignIn},
		{name: "wrong secret", setup: func(e *env) { e.fake.RegisterApp(tenantID, clientID, "right", nil, true) },
			tweak: func(o *m365.Options) { o.Certificate = nil; o.Secret = "wrong" },
			want:  []string{"client secret is wrong or expired", "AADSTS7000215"}, is: m365.ErrSignIn},
		{name: "certificate not uploaded", setup: func(e *env) { e.fake.RegisterApp(tenantID, clientID, "", nil, true) },
			want: []string{"client certificate is not accepted", "AADSTS700027"}, is: m365.ErrSignIn},
		{name: "site not found", cfg: m365.Config{Site: "https://aarhus.sharepoint.com/sites/Findesikke"},
			want: []string{"site https://aarhus.sharepoint.com/sites/Findesikke", "not found, or not shared with the app"}, is: m365.ErrNotFound},
		{name: "library not found", cfg: m365.Config{Library: "Planer"},
			want: []string{`library "Planer"`, "Delte dokumenter, Arkiv"}, is: m365.ErrNotFound},
		{name: "folder not found", cfg: m365.Config{Folders: []string{"Findes ikke"}},
			want: []string{"folder Findes ikke", "not found"}, is: m365.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.cfg, tc.tweak)
			if tc.setup != nil {
				tc.setup(e)
			}
			p, data := planFile(t, 7, plangen.Blocks, "Aarhus", "KY")
			e.drive.Put(p.FileName(), data)
			r := e.cycle()
			if r.Err == nil {
				t.Fatalf("no error: %s", r.Summary())
			}
			if !errors.Is(r.Err, tc.is) {
				t.Errorf("error %v is not %v", r.Err, tc.is)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Err.Error(), w) {
					t.Errorf("error %q\nlacks %q", r.Err, w)
				}
			}
			if plans, _ := e.db.ListPlans(context.Background()); len(plans) != 0 {
				t.Errorf("%d plans applied after a failure", len(plans))
			}
		})
	}
}

func TestSource_ClientSecret(t *testing.T) {
	e := newEnv(t, m365.Config{}, func(o *m365.Options) { o.Certificate, o.Secret = nil, "s3cret" })
	e.fake.RegisterApp(tenantID, clientID, "s3cret", nil, true)
	p, data := planFile(t, 8, plangen.Blocks, "Aarhus", "KY")
	e.drive.Put(p.FileName(), data)
	if r := e.cycle(); !r.OK() || r.Read != 1 {
		t.Fatalf("%s %v", r.Summary(), r.Errors)
	}
	e.tasksMatch(t, p)
}

func TestSource_SizeCap(t *testing.T) {
	e := newEnv(t, m365.Config{MaxSize: 1000}, nil)
	p, data := planFile(t, 9, plangen.Blocks, "Aarhus", "KY")
	e.drive.Put(p.FileName(), data)
	r := e.cycle()
	if r.Failed != 1 || e.fake.Calls()["content"] != 0 || !strings.Contains(strings.Join(r.Errors, ""), "max_file_size_mib") {
		t.Errorf("%s %v", r.Summary(), r.Errors)
	}
}

func TestNewClient_Refuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    m365.Options
		want string
	}{
		{"no client ID", m365.Options{Secret: "x", Language: "en"}, "no client_id"},
		{"no credential", m365.Options{ClientID: clientID, Language: "en"}, "no credential"},
		{"not a certificate", m365.Options{ClientID: clientID, Certificate: []byte("hello"), Language: "en"}, "not a PEM file"},
		{"no client ID (da)", m365.Options{Secret: "x"}, "m365: client_id mangler: registrér en app i Entra ID"},
		{"no credential (da)", m365.Options{ClientID: clientID}, "m365: ingen loginoplysninger: angiv client_certificate (foretrukket)"},
		{"not a certificate (da)", m365.Options{ClientID: clientID, Certificate: []byte("hello")}, "m365: client_certificate er hverken en PEM-fil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m365.NewClient(tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	e := newEnv(t, m365.Config{}, nil)
	p, data := planFile(t, 10, plangen.Blocks, "Aarhus", "KY")
	e.drive.Put(p.FileName(), data)
	if got := m365.Summary(nil, time.UTC, "en"); got != "no delta yet" {
		t.Errorf("empty: %q", got)
	}
	e.cycle()
	if got := m365.Summary(e.src.State(), time.UTC, "en"); !strings.Contains(got, "last delta ") || !strings.Contains(got, "1 drives, 1 plan files") {
		t.Errorf("summary = %q", got)
	}
}
