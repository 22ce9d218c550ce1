package reconcile_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/reconcile"
)

// readTasks reads every plan's current tasks as an evaluation does.
func readTasks(t *testing.T, db *store.DB) map[string][]store.Task {
	t.Helper()
	ctx := context.Background()
	plans, err := db.ListPlans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pts, err := db.PlansTasks(ctx, plans)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]store.Task{}
	for _, pt := range pts {
		out[pt.Plan.Key()] = append(out[pt.Plan.Key()], pt.Task)
	}
	return out
}

// packed counts the plans with packed tasks.
func packed(t *testing.T, db *store.DB, where string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM plan_tasks_packed k JOIN plans p ON p.id = k.plan_id ` + where).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkPacked checks that the packed tasks read as the rows do: it reads
// every plan packed, deletes the packed values, reads the rows, and packs
// them again from the rows.
func checkPacked(t *testing.T, db *store.DB, step string) {
	t.Helper()
	got := readTasks(t, db)
	if _, err := db.SQL().Exec(`DELETE FROM plan_tasks_packed`); err != nil {
		t.Fatal(err)
	}
	want := readTasks(t, db)
	if !reflect.DeepEqual(got, want) {
		for key := range want {
			for i := range max(len(got[key]), len(want[key])) {
				var g, w store.Task
				if i < len(got[key]) {
					g = got[key][i]
				}
				if i < len(want[key]) {
					w = want[key][i]
				}
				if !reflect.DeepEqual(g, w) {
					t.Fatalf("%s: %s task %d read packed:\n  %+v\nfrom its row:\n  %+v", step, key, i, g, w)
				}
			}
		}
		t.Fatalf("%s: packed tasks are not the rows (%d plans packed, %d read)", step, len(got), len(want))
	}
	if _, err := db.PackMissing(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestPacked_asTheRows syncs random edits of plans (every kind of field,
// odd texts and dates, moves, removals and restores, new plans) and checks
// after each sync that the plan it wrote is packed and that packed tasks
// read exactly as their rows.
func TestPacked_asTheRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	texts := []string{"", "Kommune", "Leverandør", "a\x1fb", "nul\x00byte", "\xff\xfe ugyldig", "æøå ÆØÅ", "12, 13", strings.Repeat("x", 300), " mellemrum "}
	dates := []model.Date{{}, d("2026-06-01"), d("2026-12-31"), d("2027-02-28"), {Year: 999, Month: 1, Day: 1}, {Year: 1900, Month: 1, Day: 1}, d("9999-12-31")}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	pickDate := func() model.Date { return dates[rng.IntN(len(dates))] }
	edit := func(ts []model.Task) []model.Task {
		for range 1 + rng.IntN(4) {
			if len(ts) == 0 {
				break
			}
			i := rng.IntN(len(ts))
			x := &ts[i]
			switch rng.IntN(14) {
			case 0:
				x.Title += " (ny)"
			case 1:
				x.Status = []model.Status{model.Done, model.InProgress, model.NotStarted, model.Status("odd")}[rng.IntN(4)]
				x.RawStatus = pick(texts)
			case 2:
				x.Start = pickDate()
			case 3:
				x.End = pickDate()
			case 4:
				x.Responsible, x.Performer, x.Notes = pick(texts), pick(texts), pick(texts)
			case 5:
				x.StartAs = model.Written{Text: pick(texts), Precision: model.Part, YearAssumed: rng.IntN(2) == 0}
				x.EndAs = model.Written{Text: pick(texts), Precision: model.Precision(pick(texts)), YearAssumed: rng.IntN(2) == 0}
			case 6:
				x.After = [][]string{nil, {"1"}, {"row:3", " 7 "}, {"a,b"}, {""}}[rng.IntN(5)]
			case 7:
				x.Health = []string{"", model.HealthGreen, model.HealthRed, "x"}[rng.IntN(4)]
			case 8:
				x.Pos.Row += 40   // moved down the sheet
				x.Pos.Cell = "B9" // not stored
			case 9:
				x.Pos.Sheet = pick([]string{"Plan", "Ark2", "Plan (2)"})
			case 10:
				ts = append(ts[:i:i], ts[i+1:]...) // removed
			case 11:
				ts = append(ts, model.Task{Pos: model.Pos{Sheet: "Plan", Row: 100 + rng.IntN(50)}, Step: pick(texts), Title: fmt.Sprintf("Ny opgave %d", rng.IntN(1000)),
					Start: pickDate(), End: pickDate(), Status: model.NotStarted})
			case 12:
				x.ID = pick([]string{"", "1", "A3", "1"})
			case 13:
				x.Step = pick(texts)
			}
		}
		return ts
	}

	h := newHarness(t)
	base := basePlan()
	for i := range 6 {
		base = append(base, model.Task{Pos: model.Pos{Sheet: "Plan", Row: 20 + i}, Step: "Trin 2", Title: fmt.Sprintf("Opgave %d", i),
			Start: d("2026-09-01").AddDays(i), End: d("2026-09-10").AddDays(i), Status: model.NotStarted})
	}
	current := map[string][]model.Task{}
	muns := []string{"Aarhus", "Odense", "Aalborg"}
	packedReads := 0
	for step := range 120 {
		mun := muns[rng.IntN(len(muns))]
		ts, ok := current[mun]
		if !ok {
			ts = append([]model.Task(nil), base...)
		} else {
			ts = edit(append([]model.Task(nil), ts...))
		}
		if mun == "Aalborg" && step > 60 && len(ts) > 0 {
			ts[0].End = model.Date{Year: 12000, Month: 1, Day: 1} // too far out to store: read back as none
			if step > 80 {
				ts[0].End = d("2027-01-04")
			}
			// A task added with such a date keeps it as its baseline (a
			// text read as none) when its end is mended.
			far := -1
			for i := range ts {
				if ts[i].Title == "Langt ude" {
					far = i
				}
			}
			if far < 0 {
				ts = append(ts, model.Task{Pos: model.Pos{Sheet: "Plan", Row: 99}, Title: "Langt ude", Start: d("2026-10-01"),
					End: model.Date{Year: 12000, Month: 1, Day: 1}, Status: model.NotStarted})
			} else if step > 80 {
				ts[far].End = d("2026-12-01")
			}
		}
		h.doc = "/share/KY_" + mun + ".xlsx"
		out, err := reconcile.Apply(context.Background(), h.db, h.input(mun, ts, true))
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		if out.Held {
			t.Fatalf("step %d: held although accepted: %s", step, out.HeldWhy)
		}
		current[mun] = ts
		// The plan just written is packed unless a row of it holds a date
		// too far out to read back.
		var odd bool
		if err := h.db.SQL().QueryRow(`SELECT COUNT(*) > 0 FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE p.municipality = ? AND t.removed_at IS NULL
			AND (length(t.start) NOT IN (0, 10) OR length(t.end) NOT IN (0, 10) OR length(t.baseline_start) NOT IN (0, 10) OR length(t.baseline_end) NOT IN (0, 10))`,
			mun).Scan(&odd); err != nil {
			t.Fatal(err)
		}
		if n := packed(t, h.db, fmt.Sprintf("WHERE p.municipality = '%s'", mun)); n != 1 && !odd {
			t.Fatalf("step %d: %s is not packed after its sync", step, mun)
		}
		packedReads += packed(t, h.db, "")
		checkPacked(t, h.db, fmt.Sprintf("step %d (%s)", step, mun))
	}
	// Most checks read packed plans: the far-out date stays in one plan.
	if packedReads < 200 {
		t.Errorf("only %d plans read packed in 120 checks", packedReads)
	}
}
