package reconcile_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/reconcile"
)

func TestSimilarTitle(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Dialogmøde/kick-off på udrulning", "DIALOGMØDE/KICK-OFF PÅ UDRULNING", true},
		{"Dialogmøde/kick-off på udrulning", "Dialogmoede/kick-off paa udrulning", true},
		{"Dialogmøde/kick-off på udrulning", "Dialogmode / kick off pa udrulning.", true},
		{"Prøvekonvertering 1", "Prøve-konvertering 1", true},
		{"Prøvekonvertering 1", "Prøve konvertering 1", true},
		{"Idriftsættelse", "Idriftsætelse", true},
		{"Idriftsættelse", "Idriftsaettelse", true},
		{"Go/no-go møde", "Go/no go-møde", true},
		{"Go/no-go møde", "Go-/no-go-møde", true},
		{"Godkende test", "Godkende tests", true},
		{"Godkende test", "1.3 Godkende test", true},
		{"Udpege lokal projektleder", "Udpege lokal projektleder (KY)", true},
		{"Etablere lokal styregruppe", "Etablere  lokal   styregruppe ", true},
		{"Test", "Tst", true},
		{"Datavask i kommunen", "Datavask", true},
		{"Go-live", "Idriftsættelse", false},
		{"Godkende test", "Test af integration til ESDH", false},
		{"Uddannelse af brugere", "Superbrugerkursus afholdt", false},
		{"Oprette brugere og rettigheder", "Oprydning i CPR-relationer", false},
		{"Kommune bestiller uddannelse af slutbrugere", "Etablering af SAPA-projektgruppe", false},
		{"Endelig konvertering", "Migrering af historiske sager", false},
		{"Test", "Tilslutning", false},
		{"Kick-off", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"→"+tt.b, func(t *testing.T) {
			if got := reconcile.SimilarTitle(tt.a, tt.b); got != tt.want {
				t.Errorf("SimilarTitle(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// stdPlan is the standard plan's tasks as one sheet with IDs 1, 2, 3, …
// (ids false: without), rows from 2.
func stdPlan(ids bool) []model.Task {
	var out []model.Task
	for i, st := range plangen.Standard {
		t := model.Task{Pos: model.Pos{Sheet: "Plan", Row: i + 2}, Step: st.Step, Title: st.Title, Responsible: st.Responsible,
			Start: d("2026-03-02").AddDays(st.Offset), End: d("2026-03-02").AddDays(st.Offset + st.Len), Status: model.NotStarted}
		if ids {
			t.ID = fmt.Sprint(i + 1)
		}
		out = append(out, t)
	}
	return out
}

var defaultGuard = reconcile.Guard{MaxLoss: 0.5, MinTasks: 4, MaxRetitled: 0.5, MaxTailLoss: 0.2}

// guardSync applies tasks (with md as the plan's lines) to Aarhus/KY read
// from KY_Aarhus.xlsx.
func (h *harness) guardSync(g reconcile.Guard, tasks []model.Task, md model.Metadata) reconcile.Outcome {
	h.t.Helper()
	ctx := context.Background()
	run, _ := h.db.BeginRun(ctx)
	src, _ := h.db.EnsureSource(ctx, "share", "files", "/share")
	docs, _ := h.db.Documents(ctx, src)
	doc := docs[h.doc]
	doc.Key, doc.Name = h.doc, "KY_Aarhus.xlsx"
	if md.Extra == nil {
		md.Extra = map[string]string{}
	}
	out, err := reconcile.Apply(ctx, h.db, reconcile.Input{
		RunID: run, SourceID: src, Doc: doc, Version: fmt.Sprint(run), Hash: fmt.Sprint("h", run), Location: h.doc,
		Municipality: "Aarhus", Solution: "KY", Wave: "1", Plan: &model.Plan{Tasks: tasks, Metadata: md}, Guard: g,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

func TestGuard(t *testing.T) {
	other := []string{"Etablering af SAPA-projektgruppe", "Afklaring af lokale roller i SAPA", "Gennemgang af stamdata for parter",
		"Tilslutning til Fælleskommunal Adgangsstyring", "Oprydning i CPR-relationer", "Opsætning af organisationsenheder i SAPA",
		"Kortlægning af fagsystemer med partsoplysninger", "Aftale om indberetning til partsregistret", "Udfyldelse af tjekliste for tilslutning",
		"Bestilling af certifikater til snitflader", "Test af integration til ESDH", "Planlægning af superbrugerforløb",
		"Superbrugerkursus afholdt", "Informationsmateriale til medarbejdere", "Migrering af historiske sager",
		"Kvalitetssikring af migrerede data", "Accepttest af SAPA-overblik", "Godkendelse af driftsovergang"}
	overwrite := func(ts []model.Task, n int) []model.Task {
		for i := range n {
			ts[i].Title = other[i%len(other)]
		}
		return ts
	}
	n := len(plangen.Standard) // 28
	tests := []struct {
		name  string
		guard reconcile.Guard
		base  []model.Task
		read  func([]model.Task) []model.Task
		md    model.Metadata
		held  string // what the reason says, "" when applied
	}{
		{"every title another plan's, IDs kept", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return overwrite(ts, n) },
			model.Metadata{}, fmt.Sprintf("%d of %d tasks changed title at once (ID 1: “Kommune bestiller uddannelse af slutbrugere” → “Etablering af SAPA-projektgruppe”): is another plan saved over KY_Aarhus.xlsx, or were its IDs renumbered?", n, n)},
		{"15 of 28 titles another plan's", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return overwrite(ts, 15) },
			model.Metadata{}, "15 of 28 tasks changed title at once"},
		{"14 of 28 titles rewritten: half is not most", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return overwrite(ts, 14) },
			model.Metadata{}, ""},
		{"every title another plan's, without IDs", defaultGuard, stdPlan(false), func(ts []model.Task) []model.Task { return overwrite(ts, n) },
			model.Metadata{}, "28 of 28 tasks changed title at once (“Kommune bestiller uddannelse af slutbrugere” → “Etablering af SAPA-projektgruppe”): is another plan saved over KY_Aarhus.xlsx?"},
		{"IDs renumbered after a task inserted at the top", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task {
			ts = append([]model.Task{{Pos: model.Pos{Sheet: "Plan", Row: 2}, Step: "Trin 0a", Title: "Opstartsmøde med direktionen"}}, ts...)
			for i := range ts {
				ts[i].ID, ts[i].Pos.Row = fmt.Sprint(i+1), i+2
			}
			return ts
		}, model.Metadata{}, "or were its IDs renumbered?"},
		{"the retitle check turned off (1)", reconcile.Guard{MaxLoss: 0.5, MinTasks: 4, MaxRetitled: 1, MaxTailLoss: 0.2}, stdPlan(true),
			func(ts []model.Task) []model.Task { return overwrite(ts, n) }, model.Metadata{}, ""},
		{"a plan below min_tasks retitled", defaultGuard, stdPlan(true)[:3], func(ts []model.Task) []model.Task { return overwrite(ts, 3) },
			model.Metadata{}, ""},
		{"cut off after 18 rows", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return ts[:18] },
			model.Metadata{}, "the last 10 of 28 tasks are gone at once (from “Datavask i kommunen” on): is KY_Aarhus.xlsx cut off"},
		{"cut off through a row: its title half there", defaultGuard, stdPlan(false), func(ts []model.Task) []model.Task {
			ts = ts[:19]
			ts[18].Title, ts[18].Start, ts[18].End = "Validering af prø", model.Date{}, model.Date{}
			return ts
		}, model.Metadata{}, "the last 10 of 28 tasks are gone at once"},
		{"cut off, the check turned off: 10 of 28 is under max_loss", reconcile.Guard{MaxLoss: 0.5, MinTasks: 4, MaxRetitled: 0.5, MaxTailLoss: 1}, stdPlan(true),
			func(ts []model.Task) []model.Task { return ts[:18] }, model.Metadata{}, ""},
		{"the last 5 of 28 deleted: a fifth is allowed", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return ts[:23] },
			model.Metadata{}, ""},
		{"the last 6 of 28 deleted", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return ts[:22] },
			model.Metadata{}, "the last 6 of 28 tasks are gone at once"},
		{"the last 8 replaced by new ones: the end rewritten, not cut", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task {
			ts = ts[:20]
			for i := range 3 {
				ts = append(ts, model.Task{Pos: model.Pos{Sheet: "Plan", Row: 22 + i}, Step: "Trin 4", ID: fmt.Sprint(40 + i), Title: other[i]})
			}
			return ts
		}, model.Metadata{}, ""},
		{"10 of 28 deleted from the middle", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task {
			return append(ts[:8:8], ts[18:]...)
		}, model.Metadata{}, ""},
		{"the last sheet gone", defaultGuard, func() []model.Task {
			ts := stdPlan(true)
			for i := range ts[20:] {
				ts[20+i].Pos = model.Pos{Sheet: "Trin 4", Row: i + 2}
			}
			return ts
		}(), func(ts []model.Task) []model.Task { return ts[:20] }, model.Metadata{}, "the last 8 of 28 tasks are gone at once"},
		{"18 of 28 deleted across the plan", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task {
			var out []model.Task
			for i, t := range ts {
				if i%3 == 0 {
					out = append(out, t)
				}
			}
			return out
		}, model.Metadata{}, "18 of 28 tasks disappeared at once"},
		{"every step renamed, ten tasks titled alike, five rewritten: the ten came back, not another plan's", defaultGuard, func() []model.Task {
			ts := stdPlan(true)
			for i := range 10 {
				ts[i*2].Title, ts[i*2].ID = "Statusmøde", ""
			}
			return ts
		}(), func(ts []model.Task) []model.Task {
			for i := range ts {
				ts[i].Step = strings.Replace(ts[i].Step, "Trin", "Fase", 1)
			}
			for i := range 5 {
				ts[i*2+1].Title = other[i]
			}
			return ts
		}, model.Metadata{}, ""},
		{"without IDs, rows sorted the other way and every title retyped: held, but not as another plan", defaultGuard, stdPlan(false), func(ts []model.Task) []model.Task {
			out := make([]model.Task, len(ts))
			for i, t := range ts {
				t.Pos.Row = len(ts) + 1 - i
				t.Title = strings.ToUpper(strings.Replace(t.Title, "e", "", 1))
				out[len(ts)-1-i] = t
			}
			return out
		}, model.Metadata{}, "28 of 28 tasks disappeared at once"}, // not another plan's: the same tasks, which Match cannot pair
		{"the Kommune line names Odense", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return ts },
			model.Metadata{Municipality: "Odense", MunicipalityFrom: model.Origin{Kind: model.FromLine, Pos: model.Pos{Sheet: "Plan", Cell: "B2"}, Text: "Odense"}},
			"the sheet says “Kommune: Odense” (at Plan!B2), but it is read as the plan Aarhus/KY: is another plan saved over KY_Aarhus.xlsx?"},
		{"the Kommune line spells Aarhus another way", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return ts },
			model.Metadata{Municipality: "Århus", MunicipalityFrom: model.Origin{Kind: model.FromLine, Text: "Århus Kommune"}}, ""},
		{"the Kommune line holds an alias", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return ts },
			model.Metadata{Municipality: "Smilets By", MunicipalityFrom: model.Origin{Kind: model.FromLine, Text: "Smilets By"}}, ""},
		{"the title names KSD", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return ts },
			model.Metadata{Solution: "KSD", SolutionFrom: model.Origin{Kind: model.FromTitle, Pos: model.Pos{Sheet: "Plan", Cell: "A1"}, Text: "KSD"}},
			"the sheet's title names “KSD” (at Plan!A1)"},
		{"the solution written as a name", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return ts },
			model.Metadata{Solution: "Kommunernes Ydelsessystem", SolutionFrom: model.Origin{Kind: model.FromLine, Text: "Kommunernes Ydelsessystem"}}, ""},
		{"the file name names the solution in another case", defaultGuard, stdPlan(true), func(ts []model.Task) []model.Task { return ts },
			model.Metadata{Solution: "ky", SolutionFrom: model.Origin{Kind: model.FromLine, Text: "ky"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			first := h.guardSync(tt.guard, tt.base, model.Metadata{})
			if first.Held {
				t.Fatalf("first read held: %s", first.HeldWhy)
			}
			before := h.tasks("Aarhus")
			base := append([]model.Task(nil), tt.base...)
			out := h.guardSync(tt.guard, tt.read(base), tt.md)
			switch {
			case tt.held == "" && out.Held:
				t.Fatalf("held: %s; want applied", out.HeldWhy)
			case tt.held != "" && !out.Held:
				t.Fatalf("applied: %+v; want held saying %q", out, tt.held)
			case tt.held == "":
				return
			}
			if !strings.Contains(out.HeldWhy, tt.held) || !strings.HasSuffix(out.HeldWhy, "udrul sync --accept Aarhus/KY") {
				t.Errorf("reason = %q; want it to say %q and end with the accept command", out.HeldWhy, tt.held)
			}
			eq(t, "tasks while held", h.tasks("Aarhus"), before)
			da := model.HeldReason(out.HeldWhy, false)
			if da == out.HeldWhy || !strings.HasSuffix(da, "udrul sync --accept Aarhus/KY") {
				t.Errorf("Danish reason = %q; want it translated, ending with the accept command", da)
			}
		})
	}
}

// TestGuard_newPlanNamedOtherwise: a new plan whose own line names another
// municipality than its file is held too, before it has any history.
func TestGuard_newPlanNamedOtherwise(t *testing.T) {
	h := newHarness(t)
	out := h.guardSync(defaultGuard, stdPlan(true), model.Metadata{Municipality: "Odense", MunicipalityFrom: model.Origin{Kind: model.FromLine, Text: "Odense"}})
	if !out.Held || !out.Created || h.taskCount() != 0 {
		t.Errorf("outcome = %+v, %d tasks; want a held new plan without tasks", out, h.taskCount())
	}
}
