package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/store"
)

// pages are the parsed templates, one set per page.
var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		if strings.HasSuffix(n, "/layout.html") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		out[name] = template.Must(template.ParseFS(assets, "templates/layout.html", n))
	}
	return out
}()

type navItem struct {
	Href, Label string
	Active      bool
}

// frame is what the layout shows around a page.
type frame struct {
	Lang, Title, User, Snapshot string
	// Logout shows the log-out link (OpenID Connect sessions).
	Logout bool
	Nav    []navItem
	T      t
	Page   any
}

// pageFunc renders one page: its template, title, and data.
type pageFunc func(r *http.Request, sn *snapshot, u *User) (tmpl, title string, page any, err error)

func (s *Server) page(fn pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sn, err := s.current(r.Context())
		if err != nil {
			s.log().Error(s.log().say("web: siden kunne ikke hentes", "web: page"), "path", r.URL.Path, "err", err)
			http.Error(w, reason{"Oversigten kan ikke hentes lige nu; prøv igen om lidt (årsagen står i udruls log).",
				"The overview cannot be loaded right now; try again in a moment (udrul's log has the reason)."}.in(s.English), http.StatusServiceUnavailable)
			return
		}
		u := userOf(r.Context())
		tmpl, title, p, err := fn(r, sn, u)
		if err != nil {
			code := status(err)
			if code == http.StatusInternalServerError {
				s.log().Error(s.log().say("web: siden kunne ikke vises", "web: render"), "path", r.URL.Path, "err", err)
			}
			http.Error(w, pageError(code).in(s.English), code)
			return
		}
		if tmpl == "" { // the page answered itself (a CSV download)
			return
		}
		tr := dictionary(s.English)
		f := frame{Lang: "da", Title: title, T: tr, Page: p, Snapshot: sn.at.In(s.loc()).Format("2006-01-02 15:04")}
		if s.English {
			f.Lang = "en"
		}
		if u != nil {
			f.User = u.Email
			f.Logout = s.OIDC != nil
		}
		for _, n := range []struct{ href, key string }{{"/", "overview"}, {"/waves", "waves"}, {"/list/data", "dataQuality"}, {"/list/overdue", "overdue"},
			{"/list/slipped", "slipped"}, {"/sources", "sources"}} {
			active := r.URL.Path == n.href || (n.href != "/" && strings.HasPrefix(r.URL.Path, n.href))
			f.Nav = append(f.Nav, navItem{n.href, tr[n.key], active})
		}
		var buf bytes.Buffer
		if err := pages[tmpl].ExecuteTemplate(&buf, "layout", f); err != nil {
			s.log().Error(s.log().say("web: siden kunne ikke vises", "web: render"), "page", tmpl, "err", err)
			http.Error(w, pageError(http.StatusInternalServerError).in(s.English), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(buf.Bytes())
	}
}

// pageError says why a page is not shown, in words: a refusal as the
// other refusals say it, never Go's English status text or an error's.
func pageError(code int) reason {
	switch code {
	case http.StatusForbidden:
		return reason{"Adgang nægtet / access denied: planen hører til en anden kommune", "Adgang nægtet / access denied: the plan belongs to another municipality"}
	case http.StatusNotFound:
		return reason{"Siden findes ikke: udrul kender ikke den plan eller opgave.", "No such page: udrul knows no such plan or task."}
	}
	return reason{"Siden kan ikke vises lige nu; prøv igen om lidt (årsagen står i udruls log).",
		"The page cannot be shown right now; try again in a moment (udrul's log has the reason)."}
}

// visible is the snapshot's data as the user may see it.
func visible(sn *snapshot, u *User) *reports.Data {
	if u == nil || u.Coordinator {
		return sn.data
	}
	return sn.data.ForMunicipality(u.Municipality)
}

func planHref(p *store.Plan) string {
	return "/plan/" + url.PathEscape(p.Municipality) + "/" + url.PathEscape(p.Solution)
}

func taskHref(id int64) string { return "/task/" + strconv.FormatInt(id, 10) }

// ---- Overblik

type figure struct{ Value, Label, Change string }

type matrixCell struct {
	Plan                     bool
	Level, Href, Title, Done string
	Overdue                  int
}

type matrixRow struct {
	Municipality, Level string
	Cells               []matrixCell
}

type changeRow struct {
	When, Plan, PlanHref, Title, TaskHref, Field, Old, New string
}

type overviewPage struct {
	Figures   []figure
	Solutions []string
	Rows      []matrixRow
	Chart     template.HTML
	Changes   []changeRow
}

func (s *Server) overview(r *http.Request, sn *snapshot, u *User) (string, string, any, error) {
	d := visible(sn, u)
	tr := dictionary(s.English)
	p := overviewPage{}
	h := sn.headline
	if d != sn.data {
		h = d.Headline()
	}
	prev, hasPrev := weekAgo(d)
	delta := func(now, then int) string {
		if !hasPrev || now == then {
			return ""
		}
		return fmt.Sprintf("%+d %s", now-then, map[bool]string{false: "på en uge", true: "in a week"}[s.English])
	}
	p.Figures = []figure{
		{strconv.Itoa(h.Plans), tr["figPlans"], delta(h.Plans, prev.Plans)},
		{strconv.Itoa(h.Tasks), tr["figTasks"], delta(h.Tasks, prev.Tasks)},
		{fmt.Sprintf("%.0f %%", h.Done*100), tr["figDone"], ""},
		{strconv.Itoa(h.Overdue), tr["figOverdue"], delta(h.Overdue, prev.Overdue)},
		{strconv.Itoa(h.SlippedWeek), tr["figSlipped"], ""},
		{strconv.Itoa(h.DataProblems), tr["figProblems"], delta(h.DataProblems, prev.DataProblems)},
		{strconv.Itoa(h.RedPlans), tr["figRed"], delta(h.RedPlans, prev.RedPlans)},
		{strconv.Itoa(h.FailingSources), tr["figFailing"], ""},
	}
	cells, sols := matrix(d, sn)
	p.Solutions = sols
	for _, m := range d.Municipalities() {
		row := matrixRow{Municipality: m, Level: d.MunicipalStatus[m]}
		for _, sol := range sols {
			c, ok := cells[m+"/"+sol]
			if !ok {
				row.Cells = append(row.Cells, matrixCell{})
				continue
			}
			row.Cells = append(row.Cells, c)
		}
		p.Rows = append(p.Rows, row)
	}
	p.Chart = progressChart(d.History, s.English)
	for i, c := range d.Changes {
		if i == 200 {
			break
		}
		mun, sol, _ := strings.Cut(c.Plan, "/")
		p.Changes = append(p.Changes, changeRow{When: c.At.In(s.loc()).Format("2006-01-02 15:04"), Plan: c.Plan,
			PlanHref: "/plan/" + url.PathEscape(mun) + "/" + url.PathEscape(sol), Title: c.Title, TaskHref: taskHref(c.TaskID),
			Field: fieldWord(c.Field, s.English), Old: model.ChangeValueLabel(c.Field, c.Old, s.English), New: model.ChangeValueLabel(c.Field, c.New, s.English)})
	}
	return "overview", tr["overview"], p, nil
}

// weekAgo is the latest weekly snapshot at least a week old.
func weekAgo(d *reports.Data) (reports.Headline, bool) {
	for i := len(d.History) - 1; i >= 0; i-- {
		if d.History[i].AsOf.DaysUntil(d.AsOf) >= 7 {
			return d.History[i].Headline, true
		}
	}
	return reports.Headline{}, false
}

// matrix computes each plan's cell and the solutions, sorted.
func matrix(d *reports.Data, sn *snapshot) (map[string]matrixCell, []string) {
	cells := map[string]matrixCell{}
	seen := map[string]bool{}
	var sols []string
	for i := range d.Plans {
		p := &d.Plans[i]
		if !seen[p.Solution] {
			seen[p.Solution] = true
			sols = append(sols, p.Solution)
		}
		share := "–"
		if n := len(sn.tasks[p.ID]); n > 0 {
			share = fmt.Sprintf("%.0f %%", float64(sn.done[p.ID])*100/float64(n))
		}
		cells[p.Municipality+"/"+p.Solution] = matrixCell{Plan: true, Level: d.PlanStatus[p.ID], Href: planHref(p),
			Title: p.Key() + " · " + p.State, Done: share, Overdue: sn.overdue[p.ID]}
	}
	sort.Strings(sols)
	return cells, sols
}

// progressChart draws the share done per weekly snapshot as an SVG line.
func progressChart(hist []reports.Snapshot, english bool) template.HTML {
	if len(hist) < 2 {
		return ""
	}
	const w, h, pad = 640.0, 180.0, 30.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="progress" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-label="%s">`, w, h,
		map[bool]string{false: "Andel færdige opgaver pr. uge", true: "Share of tasks done per week"}[english])
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#999"/>`, pad, h-pad, w-pad, h-pad)
	for _, pct := range []float64{0, 0.5, 1} {
		y := h - pad - pct*(h-2*pad)
		fmt.Fprintf(&b, `<text x="2" y="%.0f">%.0f%%</text><line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#eee"/>`, y+4, pct*100, pad, y, w-pad, y)
	}
	var pts []string
	step := (w - 2*pad) / float64(len(hist)-1)
	for i, s := range hist {
		x, y := pad+float64(i)*step, h-pad-s.Done*(h-2*pad)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		if i == 0 || i == len(hist)-1 || len(hist) <= 12 {
			yr, wk := s.AsOf.Time().ISOWeek()
			_ = yr
			fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle">%s %d</text>`, x, h-pad+14, map[bool]string{false: "uge", true: "week"}[english], wk)
		}
	}
	fmt.Fprintf(&b, `<polyline fill="none" stroke="#1F4E78" stroke-width="2" points="%s"/></svg>`, strings.Join(pts, " "))
	return template.HTML(b.String())
}

// ---- Plan

type findingRow struct {
	Level, LevelWord, Kind, Title, TaskHref, Message string
}

type issueRow struct {
	Where, Link, Level, Severity, Message string
}

type taskRow struct {
	ID, Title, Href, Responsible, Performer, Start, End, Baseline string
	Slip                                                          string
	SlipLevel, Status, StatusLevel                                string
	// Health is the owner's own traffic light, when the sheet has one.
	Health, HealthWord string
}

type stepRows struct {
	Label string
	Tasks []taskRow
}

type planPage struct {
	Plan                      *store.Plan
	Level, LevelWord          string
	Location, LastRead, State string
	StateNote                 string
	Forecast, ForecastLevel   string
	// Outlook is the forecast readiness against go-live, in a line.
	Outlook  string
	Figures  []figure
	Findings []findingRow
	Issues   []issueRow
	Steps    []stepRows
}

func (s *Server) findPlan(r *http.Request, sn *snapshot, u *User) (*store.Plan, error) {
	key := strings.ToLower(r.PathValue("municipality") + "/" + r.PathValue("solution"))
	p, ok := sn.plans[key]
	if !ok {
		return nil, errNotFound
	}
	if !u.Sees(p.Municipality) {
		return nil, errForbidden
	}
	return p, nil
}

func (s *Server) planPage(r *http.Request, sn *snapshot, u *User) (string, string, any, error) {
	p, err := s.findPlan(r, sn, u)
	if err != nil {
		return "", "", nil, err
	}
	d := sn.data
	tr := dictionary(s.English)
	pg := planPage{Plan: p, Level: d.PlanStatus[p.ID], LevelWord: levelWord(d.PlanStatus[p.ID], s.English), Location: p.Location,
		LastRead: stamp(p.LastSyncAt, s.loc()), State: stateWord(p.State, s.English)}
	if p.State != store.PlanOK && p.StateReason != "" {
		pg.StateNote = p.StateReason
		if p.State == store.PlanHeld {
			pg.StateNote = model.HeldReason(p.StateReason, s.English)
		}
	}
	cal := d.Calendar
	tasks := sn.tasks[p.ID]
	done, overdue := 0, 0
	for _, t := range tasks {
		if t.Status == model.Done || t.Status == model.Cancelled {
			done++
		}
	}
	for _, f := range sn.findings[p.ID] {
		if f.Kind == "overdue" {
			overdue++
		}
		row := findingRow{Level: f.Level, LevelWord: levelWord(f.Level, s.English), Kind: kindWord(f.Kind, s.English), Title: f.Title, Message: f.Message}
		if f.TaskID != 0 {
			row.TaskHref = taskHref(f.TaskID)
		}
		if f.Kind == "go_live_at_risk" {
			pg.Forecast, pg.ForecastLevel = f.Message, f.Level
		}
		pg.Findings = append(pg.Findings, row)
	}
	if fc := sn.forecast[p.ID]; fc != nil && !fc.Ready.IsZero() && !fc.GoLive.IsZero() {
		pg.Outlook = outlook(fc.Ready, fc.GoLive, fc.Slack, fc.PlannedSlack, fc.PlannedKnown, s.English)
	}
	share := 0.0
	if len(tasks) > 0 {
		share = float64(done) / float64(len(tasks))
	}
	pg.Figures = []figure{{Value: strconv.Itoa(len(tasks)), Label: tr["figTasks"]}, {Value: fmt.Sprintf("%.0f %%", share*100), Label: tr["figDone"]},
		{Value: strconv.Itoa(overdue), Label: tr["figOverdue"]}, {Value: strconv.Itoa(len(d.Issues[p.ID])), Label: tr["figProblems"]}}
	for _, is := range d.Issues[p.ID] {
		where := is.Pos.Sheet
		if is.Pos.Cell != "" {
			where += "!" + is.Pos.Cell
		} else if is.Pos.Row > 0 {
			where += fmt.Sprintf(" %s %d", map[bool]string{false: "række", true: "row"}[s.English], is.Pos.Row)
		}
		level := model.LevelAmber
		if is.Severity == model.SevError {
			level = model.LevelRed
		}
		pg.Issues = append(pg.Issues, issueRow{Where: where, Link: safeLink(is.Link), Level: level, Severity: tr[string(is.Severity)+"_sev"], Message: is.Message})
	}
	for _, t := range tasks {
		row := taskRow{ID: t.Task.Task.ID, Title: t.Title, Href: taskHref(t.ID), Responsible: t.Responsible, Performer: t.Performer,
			Start: writtenDate(t.Start, t.StartAs), End: writtenDate(t.End, t.EndAs), Baseline: dateText(t.BaselineEnd),
			Status: statusWord(t.Status, s.English), StatusLevel: statusLevel(t.Status), Health: t.Health, HealthWord: levelWord(t.Health, s.English)}
		if !t.BaselineEnd.IsZero() && !t.End.IsZero() && cal != nil {
			if n := cal.Between(t.BaselineEnd, t.End); n != 0 {
				row.Slip = fmt.Sprintf("%+d", n)
				if n > 0 {
					row.SlipLevel = model.LevelAmber
				}
			}
		}
		if n := len(pg.Steps); n == 0 || pg.Steps[n-1].Label != t.Step {
			pg.Steps = append(pg.Steps, stepRows{Label: t.Step})
		}
		pg.Steps[len(pg.Steps)-1].Tasks = append(pg.Steps[len(pg.Steps)-1].Tasks, row)
	}
	return "plan", p.Key(), pg, nil
}

// safeLink keeps only http(s) links (a sheet's link could say anything).
// outlook says when the plan will be ready against its go-live.
func outlook(ready, goLive model.Date, slack, planned int, known, english bool) string {
	if english {
		rel := fmt.Sprintf("%d working days before", slack)
		switch {
		case slack < 0:
			rel = fmt.Sprintf("%d working days after", -slack)
		case slack == 0:
			rel = "on the day of"
		}
		if !known {
			return fmt.Sprintf("Forecast: ready %s, %s go-live %s.", ready, rel, goLive)
		}
		return fmt.Sprintf("Forecast: ready %s, %s go-live %s (the plan's own dates give %d).", ready, rel, goLive, planned)
	}
	rel := fmt.Sprintf("%d arbejdsdage før", slack)
	switch {
	case slack < 0:
		rel = fmt.Sprintf("%d arbejdsdage efter", -slack)
	case slack == 0:
		rel = "samme dag som"
	}
	if !known {
		return fmt.Sprintf("Prognose: klar %s, %s idriftsættelse %s.", ready, rel, goLive)
	}
	return fmt.Sprintf("Prognose: klar %s, %s idriftsættelse %s (planens egne datoer giver %d).", ready, rel, goLive, planned)
}

func safeLink(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	return s
}

// writtenDate is a date with the text it was written as, when that was
// not a plain date ("2026-08-21 (uge 34)").
func writtenDate(d model.Date, w model.Written) string {
	if d.IsZero() {
		return ""
	}
	if w.Text == "" {
		return d.String()
	}
	return d.String() + " (" + w.Text + ")"
}

func dateText(d model.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// ---- Task

type historyRow struct{ When, Field, Old, New string }

type taskPage struct {
	Title, Plan, PlanHref, Step, Status, Start, End, Baseline string
	History                                                   []historyRow
}

func (s *Server) findTask(r *http.Request, sn *snapshot, u *User) (*store.PlanTask, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, errNotFound
	}
	t, ok := sn.byID[id]
	if !ok {
		return nil, errNotFound
	}
	// Without its plan, whose municipality it is cannot be told: only a
	// coordinator (or no access control) sees it.
	if t.Plan == nil && u != nil && !u.Coordinator || t.Plan != nil && !u.Sees(t.Plan.Municipality) {
		return nil, errForbidden
	}
	return t, nil
}

func (s *Server) taskPage(r *http.Request, sn *snapshot, u *User) (string, string, any, error) {
	t, err := s.findTask(r, sn, u)
	if err != nil {
		return "", "", nil, err
	}
	pg := taskPage{Title: t.Title, Step: t.Step, Status: statusWord(t.Status, s.English), Start: writtenDate(t.Start, t.StartAs), End: writtenDate(t.End, t.EndAs),
		Baseline: dateText(t.BaselineEnd)}
	if t.Plan != nil {
		pg.Plan, pg.PlanHref = t.Plan.Key(), planHref(t.Plan)
	}
	if s.DB != nil {
		hist, err := s.DB.History(r.Context(), t.ID)
		if err != nil {
			return "", "", nil, err
		}
		for _, c := range hist {
			pg.History = append(pg.History, historyRow{When: stamp(c.At, s.loc()), Field: fieldWord(c.Field, s.English), Old: model.ChangeValueLabel(c.Field, c.Old, s.English), New: model.ChangeValueLabel(c.Field, c.New, s.English)})
		}
	}
	return "task", t.Title, pg, nil
}

// ---- Lists: data quality, overdue, slipped

type option struct {
	Value, Label string
	Selected     bool
}

type cell struct{ Text, Href, Class string }

type listRow struct{ Cells []cell }

type listPage struct {
	Heading, Count, CSVHref, XLSXHref        string
	Municipalities, Solutions, Waves, Levels []option
	Columns                                  []string
	Rows                                     []listRow
}

// filter is a list's query: municipality, solution, wave and level.
type filter struct{ municipality, solution, wave, level string }

func filterOf(q url.Values) filter {
	return filter{q.Get("municipality"), q.Get("solution"), q.Get("wave"), q.Get("level")}
}

func (f filter) keep(p *store.Plan, level string) bool {
	return (f.municipality == "" || strings.EqualFold(f.municipality, p.Municipality)) &&
		(f.solution == "" || strings.EqualFold(f.solution, p.Solution)) &&
		(f.wave == "" || f.wave == p.Wave) && (f.level == "" || f.level == level)
}

// list builds one of the report's lists for the user with the filter.
func (s *Server) list(name string, sn *snapshot, u *User, f filter) (heading string, columns []string, rows []listRow, err error) {
	d := visible(sn, u)
	tr := dictionary(s.English)
	byID := map[int64]*store.Plan{}
	for i := range d.Plans {
		byID[d.Plans[i].ID] = &d.Plans[i]
	}
	planCells := func(p *store.Plan) []cell {
		return []cell{{Text: p.Municipality, Href: planHref(p)}, {Text: p.Solution}, {Text: p.Wave}}
	}
	switch name {
	case "data":
		heading = tr["dataQuality"]
		columns = []string{tr["municipality"], tr["solution"], tr["wave"], tr["where"], tr["level"], tr["message"]}
		for i := range d.Plans {
			p := &d.Plans[i]
			for _, is := range d.Issues[p.ID] {
				level := model.LevelAmber
				if is.Severity == model.SevError {
					level = model.LevelRed
				}
				if !f.keep(p, level) {
					continue
				}
				where := is.Pos.Sheet
				if is.Pos.Cell != "" {
					where += "!" + is.Pos.Cell
				}
				rows = append(rows, listRow{append(planCells(p), cell{Text: where, Href: safeLink(is.Link)},
					cell{Text: tr[string(is.Severity)+"_sev"], Class: level}, cell{Text: is.Message})})
			}
		}
	case "overdue", "slipped":
		kinds := map[string]bool{"overdue": name == "overdue", "slipped": name == "slipped", "slipped_week": name == "slipped"}
		heading = tr[name]
		columns = []string{tr["municipality"], tr["solution"], tr["wave"], tr["task"], tr["kind"], tr["old"], tr["new"],
			map[bool]string{false: "Arbejdsdage", true: "Working days"}[s.English], tr["level"]}
		fs := d.Findings
		if name == "overdue" {
			fs = append([]model.Finding(nil), fs...)
			sort.SliceStable(fs, func(i, j int) bool { return fs[i].Days > fs[j].Days })
		}
		for _, fd := range fs {
			p := byID[fd.PlanID]
			if !kinds[fd.Kind] || p == nil || !f.keep(p, fd.Level) {
				continue
			}
			rows = append(rows, listRow{append(planCells(p), cell{Text: fd.Title, Href: taskHref(fd.TaskID)}, cell{Text: kindWord(fd.Kind, s.English)},
				cell{Text: fd.Old}, cell{Text: fd.New}, cell{Text: strconv.Itoa(fd.Days)}, cell{Text: levelWord(fd.Level, s.English), Class: fd.Level})})
		}
	default:
		return "", nil, nil, errNotFound
	}
	return heading, columns, rows, nil
}

func (s *Server) listPage(r *http.Request, sn *snapshot, u *User) (string, string, any, error) {
	name := r.PathValue("list")
	f := filterOf(r.URL.Query())
	heading, columns, rows, err := s.list(name, sn, u, f)
	if err != nil {
		return "", "", nil, err
	}
	if r.URL.Query().Get("format") == "csv" {
		return "", "", nil, nil // answered by listCSV through the API route
	}
	tr := dictionary(s.English)
	d := visible(sn, u)
	pg := listPage{Heading: heading, Columns: columns, Rows: rows, Count: fmt.Sprintf("%d %s", len(rows), tr["rows"])}
	if len(rows) > maxPageRows {
		// A page of thousands of rows helps nobody and costs seconds: the
		// first rows, and the whole list by filter or download.
		pg.Rows = rows[:maxPageRows]
		pg.Count = fmt.Sprintf(map[bool]string{false: "%d rækker; de første %d vises – filtrér, eller hent det hele som CSV",
			true: "%d rows; the first %d are shown – filter, or download all as CSV"}[s.English], len(rows), maxPageRows)
	}
	q := r.URL.Query()
	q.Set("format", "csv")
	pg.CSVHref = "/api/list/" + url.PathEscape(name) + "?" + q.Encode()
	q.Set("format", "xlsx")
	pg.XLSXHref = "/api/list/" + url.PathEscape(name) + "?" + q.Encode()
	seenM, seenS, seenW := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, p := range d.Plans {
		if !seenM[p.Municipality] {
			seenM[p.Municipality] = true
			pg.Municipalities = append(pg.Municipalities, option{Value: p.Municipality, Selected: strings.EqualFold(p.Municipality, f.municipality)})
		}
		if !seenS[p.Solution] {
			seenS[p.Solution] = true
			pg.Solutions = append(pg.Solutions, option{Value: p.Solution, Selected: strings.EqualFold(p.Solution, f.solution)})
		}
		if p.Wave != "" && !seenW[p.Wave] {
			seenW[p.Wave] = true
			pg.Waves = append(pg.Waves, option{Value: p.Wave, Selected: p.Wave == f.wave})
		}
	}
	for _, o := range [][]option{pg.Municipalities, pg.Solutions, pg.Waves} {
		sort.Slice(o, func(i, j int) bool { return o[i].Value < o[j].Value })
	}
	for _, l := range []string{model.LevelRed, model.LevelAmber} {
		pg.Levels = append(pg.Levels, option{Value: l, Label: levelWord(l, s.English), Selected: f.level == l})
	}
	return "list", heading, pg, nil
}

// maxPageRows is the most rows a list page shows.
const maxPageRows = 500

// writeCSV writes a list as CSV; a cell that a spreadsheet would take as
// a formula is prefixed with an apostrophe.
func writeCSV(w http.ResponseWriter, name string, columns []string, rows []listRow) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "udrul-"+name+".csv"))
	cw := csv.NewWriter(w)
	cw.Write(columns)
	for _, r := range rows {
		rec := make([]string, len(r.Cells))
		for i, c := range r.Cells {
			rec[i] = safeout.CSVCell(c.Text)
		}
		cw.Write(rec)
	}
	cw.Flush()
}

// ---- Sources

type sourceRow struct{ Name, Kind, State, Level, LastSync, LastOK, Error string }

type sourcePlanRow struct {
	Key, Href, Source, State, Level, LastRead, Reason string
	Tasks                                             int
}

type sourcesPage struct {
	Sources []sourceRow
	Plans   []sourcePlanRow
	// Outbox holds the messages not yet delivered (coordinators only).
	Outbox     []outboxRow
	ShowOutbox bool
}

type outboxRow struct {
	ID                                                 int64
	Channel, Recipient, Subject, NextTry, Error, Level string
	Attempts                                           int
}

func stateLevel(state string) string {
	switch state {
	case "ok":
		return model.LevelGreen
	case "failing", "held", "conflict":
		return model.LevelRed
	case "gone":
		return model.LevelAmber
	}
	return ""
}

func (s *Server) sourcesPage(r *http.Request, sn *snapshot, u *User) (string, string, any, error) {
	d := visible(sn, u)
	pg := sourcesPage{}
	if u == nil || u.Coordinator {
		for _, src := range d.Sources {
			pg.Sources = append(pg.Sources, sourceRow{src.Name, src.Kind, model.SourceStateLabel(src.State, src.LastError, s.English), stateLevel(src.State), stamp(src.LastSyncAt, s.loc()),
				stamp(src.LastOKAt, s.loc()), src.LastError})
		}
		if s.DB != nil {
			// The outbox is read live: a failing delivery shows at once.
			msgs, err := s.DB.Outbox(r.Context(), false)
			if err != nil {
				return "", "", nil, err
			}
			pg.ShowOutbox = true
			for _, m := range msgs {
				row := outboxRow{ID: m.ID, Channel: m.Channel, Recipient: m.Recipient, Subject: m.Subject, Attempts: m.Attempts,
					NextTry: stamp(m.NextAttempt, s.loc()), Error: m.LastError}
				if m.Channel == "webhook" {
					if u, err := url.Parse(m.Recipient); err == nil {
						row.Recipient = u.Scheme + "://" + u.Host + "/…" // the path is the hook's secret
					}
				}
				if m.LastError != "" {
					row.Level = model.LevelRed
				}
				pg.Outbox = append(pg.Outbox, row)
			}
		}
	}
	for i := range d.Plans {
		p := &d.Plans[i]
		pg.Plans = append(pg.Plans, sourcePlanRow{Key: p.Key(), Href: planHref(p), Source: p.SourceName, State: stateWord(p.State, s.English), Level: stateLevel(p.State),
			LastRead: stamp(p.LastSyncAt, s.loc()), Reason: stateReason(*p, s.English), Tasks: len(sn.tasks[p.ID])})
	}
	return "sources", dictionary(s.English)["sources"], pg, nil
}

// stateReason is why a plan is not ok, in the language (a held plan's
// reason is kept in English).
func stateReason(p store.Plan, english bool) string {
	if p.State == store.PlanHeld {
		return model.HeldReason(p.StateReason, english)
	}
	return p.StateReason
}
