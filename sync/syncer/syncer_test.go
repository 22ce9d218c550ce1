package syncer_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/syncer"
)

// identifyByMetadata names plans by what they say of themselves.
func identifyByMetadata(it source.Item, md model.Metadata) (syncer.Identity, error) {
	if md.Municipality == "" || md.Solution == "" {
		return syncer.Identity{}, fmt.Errorf("cannot tell the plan of %s", it.Name)
	}
	return syncer.Identity{Municipality: md.Municipality, Solution: md.Solution, Wave: md.Wave}, nil
}

type fixture struct {
	t     *testing.T
	dir   string
	db    *store.DB
	s     *syncer.Syncer
	plans []*plangen.Plan
}

func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{t: t, dir: filepath.Join(dir, "plans")}
	os.MkdirAll(f.dir, 0o755)
	munis := []string{"Aarhus", "Odense", "Vejle", "Skive", "Sorø", "Køge", "Herning", "Viborg"}
	for i := range n {
		p := plangen.Generate(plangen.Spec{Seed: uint64(i + 1), Layout: plangen.Layouts[i%len(plangen.Layouts)], Municipality: munis[i%len(munis)], Solution: []string{"KY", "KSD"}[i/len(munis)%2], Wave: 1})
		if _, err := p.Write(f.dir); err != nil {
			t.Fatal(err)
		}
		f.plans = append(f.plans, p)
	}
	db, err := store.Open(context.Background(), filepath.Join(dir, "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f.db = db
	f.s = &syncer.Syncer{DB: db, Parser: parse.New(parse.Options{}), Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}, HoldBudget: testHoldBudget}
	return f
}

// testHoldBudget is the HoldBudget of the fixtures' syncers (0: the default).
var testHoldBudget int64

// bothBudgets runs a test of the sync cycle three times: with the parsed
// plans held in memory from reading to applying; with every plan set aside
// in a temporary file once its claim is known (a budget of one byte); and
// with no temporary file to be had, every plan let go and read again to be
// applied.
func bothBudgets(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	for _, b := range []struct {
		name   string
		budget int64
		noTemp bool
	}{{"plans held", 0, false}, {"plans set aside", 1, false}, {"plans read again", 1, true}} {
		t.Run(b.name, func(t *testing.T) {
			testHoldBudget = b.budget
			defer func() { testHoldBudget = 0 }()
			if b.noTemp {
				noTempDir(t)
			}
			body(t)
		})
	}
}

// noTempDir points the temporary folder at a folder that does not exist.
func noTempDir(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "gone"))
}

func (f *fixture) target(path string) syncer.Target {
	return syncer.Target{Source: source.NewFiles("share", path, false), Identify: identifyByMetadata}
}

func (f *fixture) cycle(opts syncer.Options, targets ...syncer.Target) []syncer.Result {
	f.t.Helper()
	if len(targets) == 0 {
		targets = []syncer.Target{f.target(f.dir)}
	}
	res, err := f.s.Cycle(context.Background(), targets, opts)
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

func (f *fixture) plan(key string) store.Plan {
	f.t.Helper()
	p, err := f.db.Plan(context.Background(), key)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func TestCycle_unchangedCostsNothing(t *testing.T) {
	bothBudgets(t, func(t *testing.T) {
		f := newFixture(t, 6)
		r := f.cycle(syncer.Options{})[0]
		if !r.OK() || r.Read != 6 || r.Created != 6 || r.Added == 0 {
			t.Fatalf("first sync: %+v", r)
		}
		r = f.cycle(syncer.Options{})[0]
		if r.Read != 0 || r.Unchanged != 6 || r.Bytes != 0 {
			t.Errorf("second sync read something: %+v", r)
		}
		// Rewritten with the same content: the version moved, the hash did not.
		path := filepath.Join(f.dir, f.plans[0].FileName())
		data, _ := os.ReadFile(path)
		later := time.Now().Add(time.Minute)
		os.WriteFile(path, data, 0o644)
		os.Chtimes(path, later, later)
		r = f.cycle(syncer.Options{})[0]
		if r.Read != 0 || r.Unchanged != 6 || r.Bytes != int64(len(data)) {
			t.Errorf("same content, new time: %+v; want it fetched and hashed but not applied", r)
		}
		var changes int
		f.db.SQL().QueryRow(`SELECT COUNT(*) FROM task_changes`).Scan(&changes)
		if changes != 0 {
			t.Errorf("%d changes recorded for unchanged files", changes)
		}
	})
}

func TestCycle_failures(t *testing.T) {
	bothBudgets(t, func(t *testing.T) {
		f := newFixture(t, 3)
		f.cycle(syncer.Options{})
		key := f.plans[1].Municipality + "/" + f.plans[1].Solution
		before := f.plan(key)

		t.Run("a source that cannot be read changes nothing, others still sync", func(t *testing.T) {
			res := f.cycle(syncer.Options{}, f.target(filepath.Join(f.dir, "missing")), f.target(f.dir))
			if res[0].OK() || res[0].Err == nil || !res[1].OK() {
				t.Errorf("results = %+v", res)
			}
			if p := f.plan(key); p.Tasks != before.Tasks || p.State != store.PlanOK {
				t.Errorf("plan changed: %+v", p)
			}
		})
		path := filepath.Join(f.dir, f.plans[1].FileName())
		good, _ := os.ReadFile(path)
		t.Run("a broken file changes nothing and marks its plan failing", func(t *testing.T) {
			os.WriteFile(path, good[:len(good)/3], 0o644)
			r := f.cycle(syncer.Options{})[0]
			if r.OK() || r.Failed != 1 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0], f.plans[1].FileName()) {
				t.Errorf("result = %+v", r)
			}
			p := f.plan(key)
			if p.State != store.PlanFailing || p.Tasks != before.Tasks || p.StateReason == "" {
				t.Errorf("plan = %+v; want failing with its tasks", p)
			}
		})
		t.Run("fixed again", func(t *testing.T) {
			os.WriteFile(path, good, 0o644)
			r := f.cycle(syncer.Options{})[0]
			if !r.OK() || r.Read != 1 {
				t.Errorf("result = %+v", r)
			}
			if p := f.plan(key); p.State != store.PlanOK {
				t.Errorf("state = %s", p.State)
			}
		})
		t.Run("a file that cannot be named", func(t *testing.T) {
			os.WriteFile(filepath.Join(f.dir, "anonymous.csv"), []byte("Opgave;Startdato;Slutdato;Status\nA;01-06-2026;02-06-2026;\n"), 0o644)
			r := f.cycle(syncer.Options{})[0]
			if r.Failed != 1 || !strings.Contains(strings.Join(r.Errors, ""), "cannot tell") {
				t.Errorf("result = %+v", r)
			}
			os.Remove(filepath.Join(f.dir, "anonymous.csv"))
		})
		t.Run("a deleted file leaves its plan gone, tasks kept", func(t *testing.T) {
			os.Remove(path)
			r := f.cycle(syncer.Options{})[0]
			if r.Gone != 2 { // the plan's file, and anonymous.csv removed above
				t.Errorf("result = %+v", r)
			}
			if p := f.plan(key); p.State != store.PlanGone || p.Tasks != before.Tasks {
				t.Errorf("plan = %+v", p)
			}
		})
	})
}

func TestCycle_heldAndAccepted(t *testing.T) {
	bothBudgets(t, func(t *testing.T) {
		f := newFixture(t, 2)
		f.cycle(syncer.Options{})
		p := f.plans[0]
		key := p.Municipality + "/" + p.Solution
		tasks := len(p.Tasks)
		p.Clear()
		p.Write(f.dir)
		r := f.cycle(syncer.Options{})[0]
		if r.Held != 1 || len(r.HeldPlans) != 1 {
			t.Fatalf("result = %+v, want one held", r)
		}
		if got := f.plan(key); got.State != store.PlanHeld || got.Tasks != tasks {
			t.Errorf("plan = %+v", got)
		}
		// Still held next time, without reading it again.
		r = f.cycle(syncer.Options{})[0]
		if r.Held != 1 || r.Read != 0 {
			t.Errorf("second cycle = %+v", r)
		}
		r = f.cycle(syncer.Options{Accept: map[string]bool{key: true}})[0]
		if r.Held != 0 || r.Removed != tasks {
			t.Errorf("accepted = %+v, want %d removed", r, tasks)
		}
		if got := f.plan(key); got.State != store.PlanOK || got.Tasks != 0 || got.Removed != tasks {
			t.Errorf("plan = %+v", got)
		}
	})
}

// TestCycle_killed kills a sync in a subprocess while it writes: the
// database is intact, and each plan is either fully applied or not at all.
func TestCycle_killed(t *testing.T) {
	bothBudgets(t, func(t *testing.T) {
		if os.Getenv("UDRUL_SYNC_HELPER") != "" {
			return
		}
		dir := t.TempDir()
		plans := filepath.Join(dir, "plans")
		os.MkdirAll(plans, 0o755)
		const perPlan = 3000
		for i := range 8 {
			p := plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: plangen.CSVDanish, Municipality: parse.Municipalities[i], Solution: "KY", Wave: 1, Tasks: perPlan})
			if _, err := p.Write(plans); err != nil {
				t.Fatal(err)
			}
		}
		dbPath := filepath.Join(dir, "udrul.db")
		for attempt, delay := range []time.Duration{400 * time.Millisecond, 900 * time.Millisecond} {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSync$")
			cmd.Env = append(os.Environ(), "UDRUL_SYNC_HELPER="+plans+"|"+dbPath)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()

			db, err := store.Open(context.Background(), dbPath)
			if err != nil {
				t.Fatalf("attempt %d: open after kill: %v", attempt, err)
			}
			if res, err := db.IntegrityCheck(context.Background()); err != nil || res != "ok" {
				t.Errorf("attempt %d: integrity_check = %q, %v", attempt, res, err)
			}
			rows, _ := db.SQL().Query(`SELECT p.municipality, COUNT(t.id) FROM plans p LEFT JOIN tasks t ON t.plan_id = p.id GROUP BY p.id`)
			applied := 0
			for rows.Next() {
				var m string
				var n int
				rows.Scan(&m, &n)
				if n != perPlan {
					t.Errorf("attempt %d: plan %s has %d tasks: half applied (want 0 or %d)", attempt, m, n, perPlan)
				}
				applied++
			}
			rows.Close()
			db.Close()
			t.Logf("attempt %d: killed after %v with %d of 8 plans applied", attempt, delay, applied)
		}
	})
}

// TestHelperSync is the subprocess of TestCycle_killed.
func TestHelperSync(t *testing.T) {
	env := os.Getenv("UDRUL_SYNC_HELPER")
	if env == "" {
		t.Skip("runs only as TestCycle_killed's subprocess")
	}
	plans, dbPath, _ := strings.Cut(env, "|")
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	s := &syncer.Syncer{DB: db, Parser: parse.New(parse.Options{}), Guard: reconcile.Guard{MaxLoss: 0.5, MinTasks: 4}, Workers: 1}
	s.Cycle(context.Background(), []syncer.Target{{Source: source.NewFiles("share", plans, false), Identify: identifyByMetadata}}, syncer.Options{})
}

// TestCycle_packs: every plan a sync applies is packed by it, and a plan
// whose packed tasks are missing (a database from before packing, a task
// changed by hand) is packed again by the next sync, though nothing in
// the files changed.
func TestCycle_packs(t *testing.T) {
	f := newFixture(t, 6)
	count := func() int {
		var n int
		f.db.SQL().QueryRow(`SELECT COUNT(*) FROM plan_tasks_packed`).Scan(&n)
		return n
	}
	f.cycle(syncer.Options{})
	if n := count(); n != 6 {
		t.Fatalf("packed after the first sync: %d plans, want 6", n)
	}
	if _, err := f.db.SQL().Exec(`UPDATE tasks SET notes = 'ændret i hånden' WHERE id = (SELECT MIN(id) FROM tasks)`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SQL().Exec(`DELETE FROM plan_tasks_packed WHERE plan_id = (SELECT MAX(id) FROM plans)`); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 4 {
		t.Fatalf("packed after the hand edits: %d plans, want 4", n)
	}
	if r := f.cycle(syncer.Options{})[0]; r.Read != 0 {
		t.Fatalf("second sync read files: %+v", r)
	}
	if n := count(); n != 6 {
		t.Errorf("packed after the second sync: %d plans, want 6", n)
	}
	var notes string
	plans, _ := f.db.ListPlans(context.Background())
	pts, err := f.db.PlansTasks(context.Background(), plans)
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range pts {
		if pt.Notes == "ændret i hånden" {
			notes = pt.Notes
		}
	}
	if notes == "" {
		t.Errorf("the hand edit is not read from the packed tasks")
	}
}
