package notify

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
)

func d(s string) model.Date { v, _ := model.ParseISODate(s); return v }

func tasksFor(p *store.Plan, ends ...string) []store.PlanTask {
	var out []store.PlanTask
	for i, e := range ends {
		out = append(out, store.PlanTask{Plan: p, Task: store.Task{ID: int64(i + 1), PlanID: p.ID, Task: model.Task{
			Step: "Trin 1", Title: "Opgave " + e, End: d(e), Status: model.InProgress}}})
	}
	return out
}

func rules() Rules {
	return Rules{Ladder: []int{10, 5, 2, 0}, EscalateDays: 10, Calendar: workdays.New()}
}

func TestAlerts_ladder(t *testing.T) {
	p := &store.Plan{ID: 1, Municipality: "Aarhus", Solution: "KY", Wave: "1"}
	// Monday 1 June 2026; 5 June is Grundlovsdag.
	tasks := tasksFor(p, "2026-06-01", "2026-06-03", "2026-06-08", "2026-06-12", "2026-06-19", "2026-07-30")
	rc := []Recipient{{Channel: "email", Address: "pl@aarhus.example"}}
	ds := Alerts(d("2026-06-01"), nil, tasks, rules(), rc, nil, nil)
	if len(ds) != 1 {
		t.Fatalf("digests = %d", len(ds))
	}
	var states []string
	for _, it := range ds[0].Items {
		states = append(states, it.State)
	}
	// 0, 2, 4 (→5), 8 (→10), 13 (none), 43 (none) working days.
	if got := strings.Join(states, " "); got != "due:0 due:2 due:5 due:10" {
		t.Errorf("ladder states = %q", got)
	}
	// Already sent: nothing new.
	sent := map[string]map[string]map[string]bool{"pl@aarhus.example": {}}
	for _, it := range ds[0].Items {
		sent["pl@aarhus.example"][it.Key] = map[string]bool{it.State: true}
	}
	if again := Alerts(d("2026-06-01"), nil, tasks, rules(), rc, sent, nil); len(again) != 0 {
		t.Errorf("the same states alerted twice: %+v", again)
	}
	// Three working days later the 8-day task reaches the next rung.
	later := Alerts(d("2026-06-04"), nil, tasks, rules(), rc, sent, nil)
	found := false
	for _, it := range later[0].Items {
		found = found || (it.Title == "Opgave 2026-06-12" && it.State == "due:5")
	}
	if len(later) != 1 || !found {
		t.Errorf("next rung = %+v", later)
	}
}

func TestAlerts_overdueSlipResolvedAndFilters(t *testing.T) {
	ky := &store.Plan{ID: 1, Municipality: "Aarhus", Solution: "KY", Wave: "1"}
	ksd := &store.Plan{ID: 2, Municipality: "Vejle", Solution: "KSD", Wave: "2"}
	tasks := append(tasksFor(ky, "2026-05-20"), store.PlanTask{Plan: ksd, Task: store.Task{ID: 9, PlanID: 2, Task: model.Task{Title: "Test", End: d("2026-05-01"), Status: model.Done}}})
	findings := []model.Finding{
		{Key: "overdue|1|1", Kind: "overdue", Level: model.LevelAmber, PlanID: 1, TaskID: 1, Municipality: "Aarhus", Solution: "KY", Wave: "1", Days: 3, Title: "Opgave 2026-05-20"},
		{Key: "overdue|2|9", Kind: "overdue", Level: model.LevelRed, PlanID: 2, TaskID: 9, Municipality: "Vejle", Solution: "KSD", Wave: "2", Days: 12},
		{Key: "slipped_week|1|1", Kind: "slipped_week", PlanID: 1, TaskID: 1, Municipality: "Aarhus", Solution: "KY", Wave: "1", Old: "2026-05-13", New: "2026-05-20", Days: 5},
	}
	rcs := []Recipient{
		{Channel: "email", Address: "pl@aarhus.example", Plans: map[string]bool{"Aarhus/KY": true}},
		{Channel: "email", Address: "ksd@kombit.example", Solutions: []string{"KSD"}},
		{Channel: "webhook", Address: "http://hook", Format: "generic"},
	}
	unresolved := map[string]map[string]bool{"pl@aarhus.example": {"overdue|1|7": true, "overdue|1|1": true}}
	ds := Alerts(d("2026-05-25"), findings, tasks, rules(), rcs, nil, unresolved)
	if len(ds) != 3 {
		t.Fatalf("digests = %d", len(ds))
	}
	kinds := func(d Digest) string {
		var k []string
		for _, it := range d.Items {
			k = append(k, it.Kind)
		}
		return strings.Join(k, " ")
	}
	if got := kinds(ds[0]); got != "overdue slipped" {
		t.Errorf("contact's kinds = %q", got)
	}
	if len(ds[0].Resolved) != 1 || ds[0].Resolved[0].Key != "overdue|1|7" {
		t.Errorf("resolved = %+v", ds[0].Resolved)
	}
	if got := kinds(ds[1]); got != "escalated" {
		t.Errorf("KSD coordinator's kinds = %q (12 days overdue is an escalation)", got)
	}
	if got := kinds(ds[2]); got != "overdue slipped escalated" {
		t.Errorf("webhook kinds = %q", got)
	}
	m, err := Render(ds[2], false, "2026-W22")
	if err != nil {
		t.Fatal(err)
	}
	var payload struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(m.Payload), &payload); err != nil || len(payload.Items) != 3 {
		t.Errorf("generic payload = %s (%v)", m.Payload, err)
	}
	// Every key lowercase snake_case; dates as YYYY-MM-DD.
	var generic map[string]any
	json.Unmarshal([]byte(m.Payload), &generic)
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	for k := range generic {
		if !snake.MatchString(k) {
			t.Errorf("payload key %q is not lowercase snake_case", k)
		}
	}
	for _, it := range payload.Items {
		for k := range it {
			if !snake.MatchString(k) {
				t.Errorf("item key %q is not lowercase snake_case", k)
			}
		}
		if end, ok := it["end"].(string); ok && !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(end) {
			t.Errorf("item end = %q, want YYYY-MM-DD", end)
		}
	}
	mail, _ := Render(ds[0], false, "2026-W22")
	if !strings.Contains(mail.Text, "Slutdato skredet: Opgave 2026-05-20 — slutdato 2026-05-13 → 2026-05-20") || !strings.Contains(mail.HTML, "<li") {
		t.Errorf("mail:\n%s", mail.Text)
	}
}

// TestRender_resolvedWords: a resolved line says in words what was
// resolved, in the digest's language, without finding codes.
func TestRender_resolvedWords(t *testing.T) {
	for _, tt := range []struct {
		name    string
		english bool
		want    []string
	}{
		{"danish", false, []string{"en forsinket opgave", "Ikke startet til tiden"}},
		{"english", true, []string{"an overdue task", "Not started on time"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := Digest{Recipient: Recipient{Channel: "email", Address: "k@x.example"},
				Resolved: []Item{{Key: "overdue|1|7", Kind: "resolved"}, {Key: "not_started|1|8", Kind: "resolved"}}}
			m, err := Render(d, tt.english, "2026-W48")
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(m.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, m.Text)
				}
			}
			if strings.Contains(m.Text, "overdue|") || strings.Contains(m.Text, "not_started") {
				t.Errorf("text shows finding codes:\n%s", m.Text)
			}
		})
	}
}

func TestRender_dateAsWritten(t *testing.T) {
	p := &store.Plan{ID: 1, Municipality: "Aarhus", Solution: "KY", Wave: "1"}
	tasks := tasksFor(p, "2026-06-05")
	tasks[0].EndAs = model.Written{Text: "uge 23", Precision: model.Week}
	ds := Alerts(d("2026-06-01"), nil, tasks, rules(), []Recipient{{Channel: "email", Address: "pl@aarhus.example"}}, nil, nil)
	if len(ds) != 1 {
		t.Fatalf("digests = %d", len(ds))
	}
	m, err := Render(ds[0], false, "2026-W23")
	if err != nil {
		t.Fatal(err)
	}
	if want := `(2026-06-05 ("uge 23"))`; !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, "uge 23") {
		t.Errorf("digest does not show the date as written %s:\n%s", want, m.Text)
	}
	ds[0].Recipient = Recipient{Channel: "webhook", Address: "http://x"}
	m, err = Render(ds[0], true, "2026-W23")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Payload, `"end_as_written":"uge 23"`) {
		t.Errorf("webhook payload = %s", m.Payload)
	}
}

// TestAlerts_goLiveAtRisk: a plan at risk is told once per level: amber,
// then red, and not again while it stays red.
func TestAlerts_goLiveAtRisk(t *testing.T) {
	risk := func(level string) []model.Finding {
		return []model.Finding{{Key: "go_live_at_risk|1", Kind: "go_live_at_risk", Level: level, PlanID: 1, Municipality: "Aarhus", Solution: "KY", Wave: "1",
			Old: "2027-01-18", New: "2027-01-27", Message: "Datavask i kommunen (23 arbejdsdage forsinket) → Prøvekonvertering 1: klar 7 arbejdsdage efter idriftsættelse 2027-01-18"}}
	}
	rcs := []Recipient{{Channel: "email", Address: "pl@aarhus.example", Plans: map[string]bool{"Aarhus/KY": true}}}
	sent := map[string]map[string]map[string]bool{"pl@aarhus.example": {}}
	record := func(ds []Digest) {
		for _, d := range ds {
			for _, a := range d.Alerts() {
				if sent[a.Recipient][a.Key] == nil {
					sent[a.Recipient][a.Key] = map[string]bool{}
				}
				sent[a.Recipient][a.Key][a.State] = true
			}
		}
	}
	asOf := d("2026-11-25")
	ds := Alerts(asOf, risk(model.LevelAmber), nil, rules(), rcs, sent, nil)
	if len(ds) != 1 || len(ds[0].Items) != 1 || ds[0].Items[0].Kind != "at_risk" {
		t.Fatalf("amber: %+v", ds)
	}
	mail, err := Render(ds[0], false, "2026-W48")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(mail.Text, "Idriftsættelsen er i fare — Datavask i kommunen (23 arbejdsdage forsinket) → Prøvekonvertering 1: klar 7 arbejdsdage efter") {
		t.Errorf("mail:\n%s", mail.Text)
	}
	record(ds)
	if ds := Alerts(asOf, risk(model.LevelAmber), nil, rules(), rcs, sent, nil); len(ds) != 0 {
		t.Errorf("amber again: %+v", ds)
	}
	ds = Alerts(asOf, risk(model.LevelRed), nil, rules(), rcs, sent, nil)
	if len(ds) != 1 || ds[0].Items[0].State != "at_risk:red" {
		t.Fatalf("red: %+v", ds)
	}
	record(ds)
	if ds := Alerts(asOf, risk(model.LevelRed), nil, rules(), rcs, sent, nil); len(ds) != 0 {
		t.Errorf("red again: %+v", ds)
	}
}

// TestRender_webLinks: with the web view's address, each plan in a digest
// links to its page (text, HTML and the webhook's JSON).
func TestRender_webLinks(t *testing.T) {
	d := Digest{Recipient: Recipient{Channel: "email", Address: "pl@aarhus.dk"}, WebURL: "https://udrul.kombit.dk/",
		Items: []Item{{Key: "overdue|1|1", Kind: "overdue", Municipality: "Høje-Taastrup", Solution: "KY", Step: "Trin 1", Title: "Datavask"}}}
	m, err := Render(d, false, "2026-W48")
	if err != nil {
		t.Fatal(err)
	}
	const want = "https://udrul.kombit.dk/plan/H%C3%B8je-Taastrup/KY"
	if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, `<a href="`+want+`"`) {
		t.Errorf("no link to the plan:\n%s\n%s", m.Text, m.HTML)
	}
	d.Recipient = Recipient{Channel: "webhook", Address: "http://hook", Format: "generic"}
	m, _ = Render(d, false, "2026-W48")
	if !strings.Contains(m.Payload, `"url":"`+want+`"`) {
		t.Errorf("payload: %s", m.Payload)
	}
	d.WebURL = ""
	if m, _ := Render(d, false, "2026-W48"); strings.Contains(m.Payload, `"url"`) {
		t.Errorf("a link without a web view: %s", m.Payload)
	}
}
