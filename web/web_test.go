package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/provenance"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
	"github.com/xuri/excelize/v2"
)

func date(s string) model.Date {
	d, err := model.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// fixture is a small portfolio: Aarhus KY (red: an overdue task), Aarhus
// KSD (green), Vejle KY (amber, with a sheet problem and a slip).
func fixture() *reports.Data {
	plans := []store.Plan{
		{ID: 1, Municipality: "Aarhus", Solution: "KY", Wave: "1", State: store.PlanOK, SourceName: "share", Location: "plans/KY_Aarhus.xlsx"},
		{ID: 2, Municipality: "Aarhus", Solution: "KSD", Wave: "2", State: store.PlanOK, SourceName: "share", Location: "plans/KSD_Aarhus.xlsx"},
		{ID: 3, Municipality: "Vejle", Solution: "KY", Wave: "2", State: store.PlanHeld, StateReason: "the sheet has no tasks any more", SourceName: "share", Location: "plans/KY_Vejle.csv"},
	}
	task := func(id int64, plan int, step, title string, status model.Status, end, baseline string) store.PlanTask {
		t := store.PlanTask{Plan: &plans[plan-1]}
		t.ID, t.PlanID, t.Step, t.Title, t.Status = id, int64(plan), step, title, status
		t.Responsible, t.Performer = "Kommune", "Leverandør"
		t.End, t.BaselineEnd = date(end), date(baseline)
		t.Pos = model.Pos{Sheet: "Plan", Row: int(id) + 4}
		return t
	}
	d := &reports.Data{
		AsOf:  date("2026-11-25"),
		Plans: plans,
		Tasks: []store.PlanTask{
			task(11, 1, "Trin 1", "Datavask i kommunen", model.InProgress, "2026-11-13", "2026-11-13"),
			task(12, 1, "Trin 1", "Prøvekonvertering 1", model.Done, "2026-11-20", "2026-11-20"),
			task(21, 2, "Trin 0a", "Kick-off", model.Done, "2026-10-01", "2026-10-01"),
			task(31, 3, "Trin 2", "=HYPERLINK(\"http://evil\")", model.NotStarted, "2026-12-18", "2026-12-04"),
		},
		Findings: []model.Finding{
			{Key: "overdue|1|11", Kind: "overdue", Level: model.LevelRed, PlanID: 1, TaskID: 11, Municipality: "Aarhus", Solution: "KY", Wave: "1", Title: "Datavask i kommunen", Days: 8, Old: "2026-11-13", Message: "8 arbejdsdage forsinket"},
			{Key: "slipped|3|31", Kind: "slipped", Level: model.LevelAmber, PlanID: 3, TaskID: 31, Municipality: "Vejle", Solution: "KY", Wave: "2", Title: "=HYPERLINK(\"http://evil\")", Days: 10, Old: "2026-12-04", New: "2026-12-18", Message: "skredet 10 arbejdsdage"},
		},
		PlanStatus:      map[int64]string{1: model.LevelRed, 2: model.LevelGreen, 3: model.LevelAmber},
		MunicipalStatus: map[string]string{"Aarhus": model.LevelRed, "Vejle": model.LevelAmber},
		Issues: map[int64][]model.Issue{3: {{Pos: model.Pos{Sheet: "KY_Vejle", Row: 7, Cell: "F7"}, Severity: model.SevError, Code: "bad_date",
			Message: "Datoen »31-02-2026« findes ikke", Link: "javascript:alert(1)"}}},
		Sources:  []store.Source{{Name: "share", Kind: "files", State: "ok"}},
		Calendar: workdays.New(),
	}
	// Vejle's task is due "uge 51", and its owner calls it green.
	d.Tasks[3].EndAs = model.Written{Text: "uge 51", Precision: model.Week}
	d.Tasks[3].Health = model.HealthGreen
	return d
}

func newServer(t *testing.T, d *reports.Data, acc *Access, english bool) *httptest.Server {
	t.Helper()
	s := &Server{Load: func(context.Context) (*reports.Data, error) { return d, nil }, English: english, Access: acc,
		Location: time.UTC, Now: func() time.Time { return time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC) }}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, ts *httptest.Server, path string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestServer_pages(t *testing.T) {
	ts := newServer(t, fixture(), nil, false)
	tests := []struct {
		path string
		want []string
	}{
		{"/", []string{`<html lang="da">`, "Overblik", `<td class="cell red"><a href="/plan/Aarhus/KY"`, "0 % · 1 forsinket", `<td class="cell green"><a href="/plan/Aarhus/KSD"`,
			`<td class="empty">`, "røde planer"}},
		{"/plan/Aarhus/KY", []string{"Aarhus · KY · Bølge 1", `<span class="red">Rød</span>`, "Datavask i kommunen", "Forsinket", "8 arbejdsdage forsinket",
			`<tr class="step"><td colspan="10">Trin 1</td></tr>`, "I gang", "Færdig"}},
		{"/plan/vejle/ky", []string{"the sheet has no tasks any more", "KY_Vejle!F7", "Datoen »31-02-2026« findes ikke", "&#43;10", "Holdt tilbage", "2026-12-18 (uge 51)", `<span class="green">Grøn</span>`, "=HYPERLINK(&#34;http://evil&#34;)"}},
		{"/list/overdue", []string{"Forsinkede", "Datavask i kommunen", "1 rækker"}},
		{"/list/slipped?municipality=Vejle", []string{"Skredet mod baseline", "2026-12-04", "2026-12-18"}},
		{"/list/data", []string{"KY_Vejle!F7", "Fejl"}},
		{"/sources", []string{"Kilder", "share", "Holdt tilbage", "Aarhus/KSD"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, h, body := get(t, ts, tt.path, nil)
			if code != 200 {
				t.Fatalf("status %d: %s", code, body)
			}
			if !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") || h.Get("X-Frame-Options") != "DENY" || h.Get("Cache-Control") != "no-store" {
				t.Errorf("security headers: %v", h)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if strings.Contains(body, "javascript:") {
				t.Error("a javascript: link from a sheet reached the page")
			}
		})
	}
	for _, path := range []string{"/plan/Odense/KY", "/task/999", "/list/nothing", "/api/plans/Odense/KY"} {
		if code, _, _ := get(t, ts, path, nil); code != 404 {
			t.Errorf("%s: status %d, want 404", path, code)
		}
	}
}

func TestServer_english(t *testing.T) {
	ts := newServer(t, fixture(), nil, true)
	_, _, body := get(t, ts, "/plan/Aarhus/KY", nil)
	for _, w := range []string{`<html lang="en">`, "Overview", "In progress", "Done", "Wave 1", `<span class="red">Red</span>`} {
		if !strings.Contains(body, w) {
			t.Errorf("English page lacks %q", w)
		}
	}
}

func TestServer_api(t *testing.T) {
	ts := newServer(t, fixture(), nil, false)
	var ov struct {
		AsOf     string `json:"as_of"`
		Headline struct {
			Plans   int     `json:"plans"`
			Tasks   int     `json:"tasks"`
			Done    float64 `json:"done_share"`
			Overdue int     `json:"overdue"`
			Red     int     `json:"red_plans"`
		} `json:"headline"`
		Plans []struct {
			Municipality string  `json:"municipality"`
			Level        string  `json:"level"`
			Done         float64 `json:"done_share"`
			URL          string  `json:"url"`
		} `json:"plans"`
	}
	_, h, body := get(t, ts, "/api/overview", nil)
	if err := json.Unmarshal([]byte(body), &ov); err != nil || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("overview: %v %s", err, body)
	}
	if ov.AsOf != "2026-11-25" || ov.Headline.Plans != 3 || ov.Headline.Tasks != 4 || ov.Headline.Done != 0.5 || ov.Headline.Overdue != 1 || ov.Headline.Red != 1 {
		t.Errorf("headline %+v", ov.Headline)
	}
	if len(ov.Plans) != 3 || ov.Plans[0].URL != "/api/plans/Aarhus/KY" || ov.Plans[0].Level != "red" || ov.Plans[0].Done != 0.5 {
		t.Errorf("plans %+v", ov.Plans)
	}
	var plan struct {
		State string `json:"state"`
		Tasks []struct {
			ID          int64  `json:"id"`
			End         string `json:"end"`
			BaselineEnd string `json:"baseline_end"`
			Status      string `json:"status"`
			Row         int    `json:"row"`
		} `json:"tasks"`
		Issues []struct {
			Cell string `json:"cell"`
			Link string `json:"link"`
		} `json:"issues"`
	}
	_, _, body = get(t, ts, "/api/plans/Vejle/KY", nil)
	if err := json.Unmarshal([]byte(body), &plan); err != nil {
		t.Fatal(err)
	}
	if plan.State != "held" || len(plan.Tasks) != 1 || plan.Tasks[0].End != "2026-12-18" || plan.Tasks[0].Row != 35 || len(plan.Issues) != 1 ||
		plan.Issues[0].Cell != "F7" || plan.Issues[0].Link != "" {
		t.Errorf("plan %s", body)
	}
	var list struct {
		Columns []string   `json:"columns"`
		Rows    [][]string `json:"rows"`
	}
	_, _, body = get(t, ts, "/api/list/slipped?level=amber", nil)
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Rows) != 1 || len(list.Rows[0]) != len(list.Columns) {
		t.Errorf("list %s", body)
	}
}

// TestServer_csv: the download has the rows the page shows, and a title
// that looks like a formula stays text.
func TestServer_csv(t *testing.T) {
	ts := newServer(t, fixture(), nil, false)
	_, _, page := get(t, ts, "/list/slipped", nil)
	if !strings.Contains(page, `href="/api/list/slipped?format=csv"`) {
		t.Fatalf("no CSV link on the page")
	}
	_, h, body := get(t, ts, "/api/list/slipped?format=csv", nil)
	if !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
		t.Errorf("content type %s", h.Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[1][0] != "Vejle" || recs[1][3] != `'=HYPERLINK("http://evil")` || recs[1][7] != "10" {
		t.Errorf("csv = %q", recs)
	}
}

var proxyLoopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

var testRules = Rules{Coordinators: []string{"koordinator@kombit.dk"}, CoordinatorGroups: []string{"udrul-koordinatorer"},
	Domains: map[string]string{"aarhus.dk": "Aarhus", "vejle.dk": "Vejle"}}

// TestServer_access: behind the proxy, a coordinator sees everything, a
// municipality's people their own plans only, in pages and API alike;
// requests not from the proxy or without a user are refused.
func TestServer_access(t *testing.T) {
	acc := &Access{Header: "X-Forwarded-Email", Proxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
		Rules: testRules}
	ts := newServer(t, fixture(), acc, false)
	coord := map[string]string{"X-Forwarded-Email": "Koordinator@KOMBIT.dk"}
	aarhus := map[string]string{"X-Forwarded-Email": "pl@aarhus.dk"}
	tests := []struct {
		name   string
		path   string
		header map[string]string
		want   int
	}{
		{"coordinator, other plan", "/plan/Vejle/KY", coord, 200},
		{"coordinator, sources", "/api/sources", coord, 200},
		{"own plan", "/plan/Aarhus/KY", aarhus, 200},
		{"own plan, API", "/api/plans/Aarhus/KSD", aarhus, 200},
		{"other plan", "/plan/Vejle/KY", aarhus, 403},
		{"other plan, API", "/api/plans/Vejle/KY", aarhus, 403},
		{"other plan's task", "/task/31", aarhus, 403},
		{"sources, municipal user", "/api/sources", aarhus, 403},
		{"no user", "/", nil, 403},
		{"unknown domain", "/", map[string]string{"X-Forwarded-Email": "x@gmail.com"}, 403},
		{"not an address", "/", map[string]string{"X-Forwarded-Email": "aarhus.dk"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, body := get(t, ts, tt.path, tt.header); code != tt.want {
				t.Errorf("status %d, want %d: %s", code, tt.want, body)
			}
		})
	}
	// What a municipal user's overview and lists hold: their own only.
	_, _, body := get(t, ts, "/api/overview", aarhus)
	if strings.Contains(body, "Vejle") || !strings.Contains(body, "Aarhus") {
		t.Errorf("municipal overview: %s", body)
	}
	_, _, body = get(t, ts, "/api/list/slipped?format=csv", aarhus)
	if strings.Contains(body, "Vejle") {
		t.Errorf("municipal list: %s", body)
	}
	// Not from the proxy: refused even with a header.
	far := &Access{Header: "X-Forwarded-Email", Proxies: []netip.Prefix{netip.MustParsePrefix("10.9.9.9/32")}}
	ts2 := newServer(t, fixture(), far, false)
	if code, _, _ := get(t, ts2, "/", coord); code != 403 {
		t.Errorf("request not through the proxy: %d", code)
	}
}

// TestServer_Coordinators: the daemon's status page and report download
// are for coordinators, behind the same login.
func TestServer_Coordinators(t *testing.T) {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "status") })
	acc := &Access{Header: "X-Forwarded-Email", Proxies: proxyLoopback, Rules: testRules}
	tests := []struct {
		name   string
		s      *Server
		header map[string]string
		want   int
	}{
		{"loopback, no access control", &Server{}, nil, 200},
		{"coordinator", &Server{Access: acc}, map[string]string{"X-Forwarded-Email": "koordinator@kombit.dk"}, 200},
		{"municipal user", &Server{Access: acc}, map[string]string{"X-Forwarded-Email": "pl@aarhus.dk"}, 403},
		{"nobody", &Server{Access: acc}, nil, 403},
		{"no OIDC session", &Server{OIDC: &OIDC{Key: []byte("0123456789abcdef0123456789abcdef")}}, nil, 302},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.s.Coordinators(page))
			defer ts.Close()
			c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			req, _ := http.NewRequest("GET", ts.URL+"/status", nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

// TestServer_xlsx: the Excel extract of a list has its rows, numbers as
// numbers, a formula-like title as text, and udrul's mark.
func TestServer_xlsx(t *testing.T) {
	ts := newServer(t, fixture(), nil, false)
	code, h, body := get(t, ts, "/api/list/slipped?format=xlsx&municipality=Vejle", nil)
	if code != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("status %d, type %s", code, h.Get("Content-Type"))
	}
	if kind, ok := provenance.Written([]byte(body)); !ok || kind != provenance.Report {
		t.Errorf("the extract is not marked as udrul's (%q, %v)", kind, ok)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("slipped")
	if len(rows) != 2 || rows[1][0] != "Vejle" || rows[1][7] != "10" {
		t.Fatalf("rows = %q", rows)
	}
	if formula, _ := f.GetCellFormula("slipped", "D2"); formula != "" {
		t.Errorf("a title became a formula: %q", formula)
	}
	if typ, _ := f.GetCellType("slipped", "H2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("days cell type %v, want a number", typ)
	}
}
