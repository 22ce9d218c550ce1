package syncer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/syncer"
)

// otherPlanTitles are the tasks of another solution's plan (an SAPA
// connection plan): what a municipality saves over a KY plan's file by
// mistake. Some words are shared with the KY plan, as in real plans.
var otherPlanTitles = []string{
	"Etablering af SAPA-projektgruppe", "Afklaring af lokale roller i SAPA", "Gennemgang af stamdata for parter",
	"Tilslutning til Fælleskommunal Adgangsstyring", "Oprydning i CPR-relationer", "Opsætning af organisationsenheder i SAPA",
	"Kortlægning af fagsystemer med partsoplysninger", "Aftale om indberetning til partsregistret", "Udfyldelse af tjekliste for tilslutning",
	"Bestilling af certifikater til snitflader", "Test af integration til ESDH", "Planlægning af superbrugerforløb",
	"Superbrugerkursus afholdt", "Informationsmateriale til medarbejdere", "Migrering af historiske sager",
	"Kvalitetssikring af migrerede data", "Accepttest af SAPA-overblik", "Godkendelse af driftsovergang",
	"Lukning af gammelt partsregister", "Evaluering af tilslutningsforløbet", "Opfølgning på driftsforstyrrelser",
	"Opdatering af lokale arbejdsgange", "Ledelsesinformation om sagsoverblik", "Sikkerhedsgodkendelse af brugeradgange",
	"Afrapportering til styregruppen", "Overdragelse til linjeorganisationen", "Afslutning af projektet", "Gevinstrealisering følges op",
}

// retype edits a title the way people retype one: case, æøå written
// without the letters, punctuation and spacing, a typo, a word added.
func retype(title string, how int) string {
	switch how % 6 {
	case 0:
		return strings.ToUpper(title)
	case 1:
		return strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa", "Æ", "Ae", "Ø", "Oe", "Å", "Aa").Replace(title)
	case 2:
		return strings.NewReplacer("/", " / ", "-", " ", " af ", " af  ").Replace(title) + "."
	case 3: // a letter dropped from the longest word
		words := strings.Fields(title)
		long := 0
		for i, w := range words {
			if utf8.RuneCountInString(w) > utf8.RuneCountInString(words[long]) {
				long = i
			}
		}
		r := []rune(words[long])
		if len(r) >= 5 {
			words[long] = string(r[:len(r)/2]) + string(r[len(r)/2+1:])
		}
		return strings.Join(words, " ")
	case 4:
		return title + " (KY)"
	default:
		return strings.ToLower(title)
	}
}

// guardFixture syncs one generated plan with the guard as udrul's default
// configuration sets it.
type guardFixture struct {
	t    *testing.T
	dir  string
	db   *store.DB
	s    *syncer.Syncer
	p    *plangen.Plan
	tick int
	// byName names the plan from its file name (a source pattern such as
	// "{solution}_{municipality}*"), not from what the sheet says.
	byName bool
}

func newGuardFixture(t *testing.T, layout plangen.Layout, byName bool) *guardFixture {
	t.Helper()
	dir := t.TempDir()
	f := &guardFixture{t: t, dir: filepath.Join(dir, "plans"), byName: byName}
	os.MkdirAll(f.dir, 0o755)
	db, err := store.Open(context.Background(), filepath.Join(dir, "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f.db = db
	g := config.Default().ShrinkGuard
	f.s = &syncer.Syncer{DB: db, Parser: parse.New(parse.Options{}),
		Guard: reconcile.Guard{MaxLoss: g.MaxLoss, MinTasks: g.MinTasks, MaxRetitled: g.MaxRetitled, MaxTailLoss: g.MaxTailLoss}}
	f.p = plangen.Generate(plangen.Spec{Seed: 7, Layout: layout, Municipality: "Aarhus", Solution: "KY", Wave: 1})
	return f
}

// write writes the plan (or data, when given) to the plan's file, with a
// later modification time.
func (f *guardFixture) write(data []byte) {
	f.t.Helper()
	path := filepath.Join(f.dir, f.p.FileName())
	if data == nil {
		if _, err := f.p.Write(f.dir); err != nil {
			f.t.Fatal(err)
		}
	} else if err := os.WriteFile(path, data, 0o644); err != nil {
		f.t.Fatal(err)
	}
	f.tick++
	later := time.Now().Add(time.Duration(f.tick) * time.Minute)
	os.Chtimes(path, later, later)
}

func (f *guardFixture) cycle(opts syncer.Options) syncer.Result {
	f.t.Helper()
	identify := identifyByMetadata
	if f.byName {
		identify = func(it source.Item, md model.Metadata) (syncer.Identity, error) {
			if it.Name != f.p.FileName() {
				return syncer.Identity{}, fmt.Errorf("unexpected file %s", it.Name)
			}
			return syncer.Identity{Municipality: "Aarhus", Solution: "KY", Wave: "1"}, nil
		}
	}
	res, err := f.s.Cycle(context.Background(), []syncer.Target{{Source: source.NewFiles("share", f.dir, false), Identify: identify}}, opts)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(res) != 1 || res[0].Err != nil || res[0].Failed != 0 {
		f.t.Fatalf("cycle: %+v", res)
	}
	return res[0]
}

func (f *guardFixture) plan() store.Plan {
	f.t.Helper()
	p, err := f.db.Plan(context.Background(), "Aarhus/KY")
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// changes counts the recorded field changes.
func (f *guardFixture) changes() int {
	var n int
	f.db.SQL().QueryRow(`SELECT COUNT(*) FROM task_changes`).Scan(&n)
	return n
}

// titles lists the stored active tasks' titles.
func (f *guardFixture) titles() []string {
	f.t.Helper()
	rows, err := f.db.SQL().Query(`SELECT title FROM tasks WHERE removed_at IS NULL ORDER BY id`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

var guardLayouts = []plangen.Layout{plangen.Blocks, plangen.TabPerStep, plangen.StepColumn, plangen.CSVDanish, plangen.CSVUTF8}

// TestCycle_guardLetsEditsThrough: the edits planners make — some of
// them all at once — are applied, never held.
func TestCycle_guardLetsEditsThrough(t *testing.T) {
	stepColumns := []plangen.Layout{plangen.StepColumn, plangen.CSVDanish, plangen.CSVUTF8}
	edits := []struct {
		name    string
		edit    func(p *plangen.Plan)
		layouts []plangen.Layout // nil: every layout
	}{
		{"a step renamed", func(p *plangen.Plan) {
			for i := range p.Tasks {
				if p.Tasks[i].Step == "Trin 2" {
					p.Tasks[i].Step = "Trin 2 - Konvertering"
				}
			}
		}, stepColumns},
		{"every step renamed and a few titles retyped", func(p *plangen.Plan) {
			for i := range p.Tasks {
				p.Tasks[i].Step = strings.Replace(p.Tasks[i].Step, "Trin", "Fase", 1)
				if i%4 == 0 {
					p.Rename(i, retype(p.Tasks[i].Title, i))
				}
			}
		}, stepColumns},
		{"a few titles rewritten", func(p *plangen.Plan) {
			for i, k := range []int{1, 6, 12, 19} {
				p.Rename(k, otherPlanTitles[i])
			}
		}, nil},
		{"every title retyped: case, æøå, punctuation, typos", func(p *plangen.Plan) {
			for i := range p.Tasks {
				p.Rename(i, retype(p.Tasks[i].Title, i))
			}
		}, nil},
		{"rows reordered", func(p *plangen.Plan) {
			n := len(p.Tasks)
			p.Move(0, 3)
			p.Move(n-1, n-4)
			p.Move(10, 7)
			p.Move(5, 6)
		}, nil},
		{"new tasks added, also at the end", func(p *plangen.Plan) {
			p.Add(3, "Workshop om nye arbejdsgange")
			p.Add(10, "Ekstra prøvekonvertering")
			for i := range 5 {
				p.Add(len(p.Tasks)-1, fmt.Sprintf("Opfølgningsmøde %d efter idriftsættelse", i+1))
			}
		}, nil},
		{"a few tasks deleted here and there", func(p *plangen.Plan) {
			for _, k := range []int{20, 14, 9, 4, 2} {
				p.Remove(k)
			}
		}, nil},
		{"the last step's last tasks deleted", func(p *plangen.Plan) {
			p.Remove(len(p.Tasks) - 1)
			p.Remove(len(p.Tasks) - 1)
		}, nil},
		{"a plan pruned: 40 % deleted across it", func(p *plangen.Plan) {
			for k := len(p.Tasks) - 2; k > 0 && k >= 3; k -= 3 {
				p.Remove(k)
				if k%2 == 0 {
					p.Remove(k - 1)
				}
			}
		}, nil},
		{"a week's work: slips, renames, an addition, a deletion, a move", func(p *plangen.Plan) {
			p.Slip(3, 14)
			p.Slip(8, 7)
			p.Rename(4, otherPlanTitles[0])
			p.Rename(11, retype(p.Tasks[11].Title, 1))
			p.Add(6, "Møde med leverandøren")
			p.Remove(15)
			p.Move(2, 0)
		}, nil},
	}
	for _, layout := range guardLayouts {
		for _, e := range edits {
			if e.layouts != nil && !slices.Contains(e.layouts, layout) {
				continue
			}
			t.Run(string(layout)+"/"+e.name, func(t *testing.T) {
				f := newGuardFixture(t, layout, false)
				f.write(nil)
				f.cycle(syncer.Options{})
				e.edit(f.p)
				f.write(nil)
				r := f.cycle(syncer.Options{})
				if r.Held != 0 {
					t.Fatalf("held: %v; want the edit applied", r.HeldPlans)
				}
				if r.Read != 1 || (r.Added+r.Changed+r.Removed == 0) != (e.name == "rows reordered") {
					t.Errorf("result = %+v; want the edit applied", r)
				}
				// Edits that add and remove nothing keep every task's
				// identity: no task removed and another added.
				// (A task without ID whose step and title change at once is
				// one removed and one added: Match's rule, not the guard's.)
				if keeps := e.name == "a step renamed" || strings.HasPrefix(e.name, "every title retyped") || e.name == "rows reordered"; keeps && (r.Added != 0 || r.Removed != 0) {
					t.Errorf("result = %+v; want every task kept, none removed or added", r)
				}
				if p := f.plan(); p.State != store.PlanOK || p.Tasks != len(f.p.Tasks) {
					t.Errorf("plan: state %s, %d tasks; want ok with %d", p.State, p.Tasks, len(f.p.Tasks))
				}
			})
		}
	}
}

// TestCycle_guardHolds: reads that are accidents are held — nothing
// applied, no history written — with a reason that says what happened and
// how to apply it anyway, in Danish and English; the plan recovers when
// the file does, and --accept applies the read.
func TestCycle_guardHolds(t *testing.T) {
	cases := []struct {
		name    string
		layouts []plangen.Layout
		byName  bool
		// accident changes the fixture's file; it may write it itself.
		accident func(f *guardFixture) []byte
		reason   string // what the English reason says
		danish   string // what the Danish reason says
		// figures, when set, is what the reason says of the figures, given
		// the plan's tasks before.
		figures func(tasks int) string
	}{
		{"another plan saved over the file, IDs kept", guardLayouts, false, func(f *guardFixture) []byte {
			for i := range f.p.Tasks {
				f.p.Rename(i, otherPlanTitles[i%len(otherPlanTitles)])
			}
			return nil
		}, "tasks changed title at once", "opgaver skiftede titel på én gang", nil},
		{"another plan saved over a plan without IDs", []plangen.Layout{plangen.CSVDanish, plangen.SectionRows}, false, func(f *guardFixture) []byte {
			for i := range f.p.Tasks {
				f.p.Rename(i, otherPlanTitles[i%len(otherPlanTitles)])
			}
			return nil
		}, "tasks changed title at once", "opgaver skiftede titel på én gang", nil},
		{"a file cut off after 15 rows", guardLayouts, false, func(f *guardFixture) []byte {
			for len(f.p.Tasks) > 15 {
				f.p.Remove(len(f.p.Tasks) - 1)
			}
			return nil
		}, "tasks are gone at once", "opgaver forsvandt på én gang", func(n int) string { return fmt.Sprintf("the last %d of %d tasks", n-15, n) }},
		{"the bottom half deleted", guardLayouts, false, func(f *guardFixture) []byte {
			for n := len(f.p.Tasks) / 2; n > 0; n-- {
				f.p.Remove(len(f.p.Tasks) - 1)
			}
			return nil
		}, "tasks are gone at once", "opgaver forsvandt på én gang", nil},
		{"an export truncated in the middle of a row", []plangen.Layout{plangen.CSVDanish, plangen.CSVUTF8}, false, func(f *guardFixture) []byte {
			data, _ := os.ReadFile(filepath.Join(f.dir, f.p.FileName()))
			return data[:len(data)*3/5]
		}, "tasks are gone at once", "opgaver forsvandt på én gang", nil},
		{"a colleague's plan of another municipality saved over a file named for Aarhus", []plangen.Layout{plangen.Blocks, plangen.WeekDates}, true, func(f *guardFixture) []byte {
			other := plangen.Generate(plangen.Spec{Seed: 99, Layout: f.p.Layout, Municipality: "Odense", Solution: "KY", Wave: 1})
			dir := f.t.TempDir()
			path, err := other.Write(dir)
			if err != nil {
				f.t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			return data
		}, "the sheet says “Kommune: Odense”", "arket siger “Kommune: Odense”", nil},
		{"another solution's plan saved over a file named for KY (its title)", []plangen.Layout{plangen.Blocks}, true, func(f *guardFixture) []byte {
			other := plangen.Generate(plangen.Spec{Seed: 99, Layout: f.p.Layout, Municipality: "Aarhus", Solution: "KSD", Wave: 1})
			path, err := other.Write(f.t.TempDir())
			if err != nil {
				f.t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			return data
		}, "the sheet's title names “KSD”", "arkets titel nævner “KSD”", nil},
		{"another solution's plan saved over a file named for KY (its Løsning line)", []plangen.Layout{plangen.WeekDates, plangen.TextDates}, true, func(f *guardFixture) []byte {
			other := plangen.Generate(plangen.Spec{Seed: 99, Layout: f.p.Layout, Municipality: "Aarhus", Solution: "KSD", Wave: 1})
			path, err := other.Write(f.t.TempDir())
			if err != nil {
				f.t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			return data
		}, "the sheet says “Løsning: KSD”", "arket siger “Løsning: KSD”", nil},
	}
	for _, c := range cases {
		for _, layout := range c.layouts {
			t.Run(string(layout)+"/"+c.name, func(t *testing.T) {
				f := newGuardFixture(t, layout, c.byName)
				f.write(nil)
				good, _ := os.ReadFile(filepath.Join(f.dir, f.p.FileName()))
				first := f.cycle(syncer.Options{})
				if first.Created != 1 || first.Held != 0 {
					t.Fatalf("first sync: %+v", first)
				}
				tasks, titles, changes := f.plan().Tasks, f.titles(), f.changes()

				f.write(c.accident(f))
				r := f.cycle(syncer.Options{})
				if r.Held != 1 || len(r.HeldPlans) != 1 {
					t.Fatalf("result = %+v; want the plan held", r)
				}
				p := f.plan()
				if p.State != store.PlanHeld || p.Tasks != tasks {
					t.Errorf("plan: state %s, %d tasks; want held with its %d", p.State, p.Tasks, tasks)
				}
				if got := f.changes(); got != changes {
					t.Errorf("%d changes recorded; want none while held", got-changes)
				}
				if got := f.titles(); strings.Join(got, "|") != strings.Join(titles, "|") {
					t.Errorf("titles changed while held:\n got %q\nwant %q", got, titles)
				}
				// The reason says what happened and what to do, in both
				// languages; the result's line carries it.
				why := p.StateReason
				if !strings.Contains(why, c.reason) || !strings.Contains(strings.ToLower(why), "nothing was applied") ||
					!strings.HasSuffix(why, "udrul sync --accept Aarhus/KY") {
					t.Errorf("reason = %q; want %q, nothing applied and the accept command at the end", why, c.reason)
				}
				if c.figures != nil {
					if want := c.figures(tasks); !strings.Contains(why, want) {
						t.Errorf("reason = %q; want it to say %q", why, want)
					}
				}
				if r.HeldPlans[0] != "Aarhus/KY: "+why {
					t.Errorf("result line = %q; want the plan and its reason", r.HeldPlans[0])
				}
				da := model.HeldReason(why, false)
				if !strings.Contains(da, c.danish) || !strings.Contains(strings.ToLower(da), "intet er opdateret") ||
					!strings.HasSuffix(da, "udrul sync --accept Aarhus/KY") {
					t.Errorf("Danish reason = %q; want %q, nothing applied and the accept command at the end", da, c.danish)
				}
				for _, english := range []string{"tasks", "applied", "the sheet says", "saved over", "cut off"} {
					if strings.Contains(da, english) {
						t.Errorf("Danish reason has English %q in it: %q", english, da)
					}
				}

				// Unchanged next time: still held, with its reason.
				r = f.cycle(syncer.Options{})
				if r.Held != 1 || r.Read != 0 || len(r.HeldPlans) != 1 || r.HeldPlans[0] != "Aarhus/KY: "+why {
					t.Errorf("next cycle = %+v; want still held with the reason", r)
				}

				// Touched but not changed (saved again, copied with a new
				// time): still held, with its reason.
				path := filepath.Join(f.dir, f.p.FileName())
				later := time.Now().Add(time.Hour)
				os.Chtimes(path, later, later)
				r = f.cycle(syncer.Options{})
				if r.Held != 1 || len(r.HeldPlans) != 1 || r.HeldPlans[0] != "Aarhus/KY: "+why {
					t.Errorf("touched: %+v; want still held with the reason", r)
				}

				// The file recovers: applied again, nothing changed.
				f.write(good)
				r = f.cycle(syncer.Options{})
				if r.Held != 0 || f.plan().State != store.PlanOK || f.changes() != changes {
					t.Errorf("recovered: %+v, state %s, %d changes; want ok with none", r, f.plan().State, f.changes()-changes)
				}

				// The accident again, this time accepted: applied.
				f.write(c.accident(f))
				if r := f.cycle(syncer.Options{}); r.Held != 1 {
					t.Fatalf("again: %+v; want held", r)
				}
				r = f.cycle(syncer.Options{Accept: map[string]bool{"Aarhus/KY": true}})
				if r.Held != 0 || r.Read != 1 || f.plan().State != store.PlanOK {
					t.Errorf("accepted: %+v, state %s; want applied", r, f.plan().State)
				}
			})
		}
	}
}
