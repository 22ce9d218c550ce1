package web

import (
	"encoding/json"
	"net/http"
)

// apiFunc answers one API request with a value encoded as JSON.
type apiFunc func(r *http.Request, sn *snapshot, u *User, w http.ResponseWriter) (any, error)

func (s *Server) api(fn apiFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sn, err := s.current(r.Context())
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
			return
		}
		v, err := fn(r, sn, userOf(r.Context()), w)
		if err != nil {
			writeJSON(w, status(err), map[string]string{"error": http.StatusText(status(err))})
			return
		}
		if v != nil {
			writeJSON(w, http.StatusOK, v)
		}
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// The API's shapes: snake_case keys, numbers as numbers, dates as ISO
// strings (YYYY-MM-DD), times as RFC 3339.

type apiHeadline struct {
	Plans          int     `json:"plans"`
	Tasks          int     `json:"tasks"`
	Done           float64 `json:"done_share"`
	Overdue        int     `json:"overdue"`
	SlippedWeek    int     `json:"slipped_this_week"`
	DataProblems   int     `json:"data_problems"`
	FailingSources int     `json:"failing_sources"`
	RedPlans       int     `json:"red_plans"`
}

type apiPlanCell struct {
	Municipality string  `json:"municipality"`
	Solution     string  `json:"solution"`
	Wave         string  `json:"wave"`
	State        string  `json:"state"`
	Level        string  `json:"level"`
	Tasks        int     `json:"tasks"`
	Done         float64 `json:"done_share"`
	Overdue      int     `json:"overdue"`
	URL          string  `json:"url"`
}

func (s *Server) apiOverview(r *http.Request, sn *snapshot, u *User, _ http.ResponseWriter) (any, error) {
	d := visible(sn, u)
	h := sn.headline
	if d != sn.data {
		h = d.Headline()
	}
	out := struct {
		AsOf         string            `json:"as_of"`
		Snapshot     string            `json:"snapshot_at"`
		Headline     apiHeadline       `json:"headline"`
		Municipality map[string]string `json:"municipality_level"`
		Plans        []apiPlanCell     `json:"plans"`
	}{AsOf: d.AsOf.String(), Snapshot: sn.at.In(s.loc()).Format("2006-01-02T15:04:05Z07:00"),
		Headline:     apiHeadline{h.Plans, h.Tasks, h.Done, h.Overdue, h.SlippedWeek, h.DataProblems, h.FailingSources, h.RedPlans},
		Municipality: d.MunicipalStatus, Plans: []apiPlanCell{}}
	for i := range d.Plans {
		p := &d.Plans[i]
		n := len(sn.tasks[p.ID])
		c := apiPlanCell{p.Municipality, p.Solution, p.Wave, p.State, d.PlanStatus[p.ID], n, 0, sn.overdue[p.ID], "/api/plans" + planHref(p)[len("/plan"):]}
		if n > 0 {
			c.Done = float64(sn.done[p.ID]) / float64(n)
		}
		out.Plans = append(out.Plans, c)
	}
	return out, nil
}

type apiTask struct {
	ID          int64  `json:"id"`
	SheetID     string `json:"sheet_id,omitempty"`
	Step        string `json:"step"`
	Title       string `json:"title"`
	Responsible string `json:"responsible"`
	Performer   string `json:"performer"`
	Start       string `json:"start,omitempty"`
	End         string `json:"end,omitempty"`
	BaselineEnd string `json:"baseline_end,omitempty"`
	Status      string `json:"status"`
	RawStatus   string `json:"raw_status,omitempty"`
	Sheet       string `json:"sheet"`
	Row         int    `json:"row"`
}

type apiFinding struct {
	Kind    string `json:"kind"`
	Level   string `json:"level"`
	TaskID  int64  `json:"task_id,omitempty"`
	Title   string `json:"task,omitempty"`
	Days    int    `json:"days"`
	Old     string `json:"old,omitempty"`
	New     string `json:"new,omitempty"`
	Message string `json:"message"`
}

type apiIssue struct {
	Sheet    string `json:"sheet"`
	Row      int    `json:"row"`
	Cell     string `json:"cell,omitempty"`
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Link     string `json:"link,omitempty"`
}

// apiForecast is a plan's forecast readiness for its wave's go-live.
type apiForecast struct {
	Ready  string `json:"ready"`
	GoLive string `json:"go_live"`
	// Slack is working days from ready to go-live (negative: late).
	Slack        int    `json:"slack_working_days"`
	PlannedSlack int    `json:"planned_slack_working_days"`
	Explanation  string `json:"explanation"`
}

func (s *Server) apiPlan(r *http.Request, sn *snapshot, u *User, _ http.ResponseWriter) (any, error) {
	p, err := s.findPlan(r, sn, u)
	if err != nil {
		return nil, err
	}
	d := sn.data
	out := struct {
		Municipality string       `json:"municipality"`
		Solution     string       `json:"solution"`
		Wave         string       `json:"wave"`
		State        string       `json:"state"`
		StateReason  string       `json:"state_reason,omitempty"`
		Level        string       `json:"level"`
		Source       string       `json:"source"`
		Location     string       `json:"location"`
		LastRead     string       `json:"last_read,omitempty"`
		Tasks        []apiTask    `json:"tasks"`
		Findings     []apiFinding `json:"findings"`
		Issues       []apiIssue   `json:"issues"`
		Forecast     *apiForecast `json:"forecast,omitempty"`
	}{Municipality: p.Municipality, Solution: p.Solution, Wave: p.Wave, State: p.State, StateReason: p.StateReason, Level: d.PlanStatus[p.ID],
		Source: p.SourceName, Location: p.Location, Tasks: []apiTask{}, Findings: []apiFinding{}, Issues: []apiIssue{}}
	if !p.LastSyncAt.IsZero() {
		out.LastRead = p.LastSyncAt.In(s.loc()).Format("2006-01-02T15:04:05Z07:00")
	}
	for _, t := range sn.tasks[p.ID] {
		out.Tasks = append(out.Tasks, apiTask{ID: t.ID, SheetID: t.Task.Task.ID, Step: t.Step, Title: t.Title, Responsible: t.Responsible,
			Performer: t.Performer, Start: dateText(t.Start), End: dateText(t.End), BaselineEnd: dateText(t.BaselineEnd), Status: string(t.Status),
			RawStatus: t.RawStatus, Sheet: t.Pos.Sheet, Row: t.Pos.Row})
	}
	for _, f := range sn.findings[p.ID] {
		out.Findings = append(out.Findings, apiFinding{f.Kind, f.Level, f.TaskID, f.Title, f.Days, f.Old, f.New, f.Message})
	}
	if fc := sn.forecast[p.ID]; fc != nil && !fc.Ready.IsZero() {
		out.Forecast = &apiForecast{Ready: fc.Ready.String(), GoLive: dateText(fc.GoLive), Slack: fc.Slack, PlannedSlack: fc.PlannedSlack,
			Explanation: fc.Explain(d.Calendar, s.English)}
	}
	for _, is := range d.Issues[p.ID] {
		out.Issues = append(out.Issues, apiIssue{is.Pos.Sheet, is.Pos.Row, is.Pos.Cell, string(is.Severity), is.Code, is.Message, safeLink(is.Link)})
	}
	return out, nil
}

func (s *Server) apiList(r *http.Request, sn *snapshot, u *User, w http.ResponseWriter) (any, error) {
	name := r.PathValue("list")
	_, columns, rows, err := s.list(name, sn, u, filterOf(r.URL.Query()))
	if err != nil {
		return nil, err
	}
	switch r.URL.Query().Get("format") {
	case "csv":
		writeCSV(w, name, columns, rows)
		return nil, nil
	case "xlsx":
		return nil, writeXLSX(w, name, columns, rows)
	}
	out := struct {
		Columns []string   `json:"columns"`
		Rows    [][]string `json:"rows"`
	}{Columns: columns, Rows: [][]string{}}
	for _, row := range rows {
		rec := make([]string, len(row.Cells))
		for i, c := range row.Cells {
			rec[i] = c.Text
		}
		out.Rows = append(out.Rows, rec)
	}
	return out, nil
}

type apiSource struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	State     string `json:"state"`
	LastSync  string `json:"last_sync,omitempty"`
	LastOK    string `json:"last_ok,omitempty"`
	LastError string `json:"last_error,omitempty"`
}

func (s *Server) apiSources(r *http.Request, sn *snapshot, u *User, _ http.ResponseWriter) (any, error) {
	if u != nil && !u.Coordinator {
		return nil, errForbidden
	}
	out := []apiSource{}
	for _, src := range sn.data.Sources {
		a := apiSource{Name: src.Name, Kind: src.Kind, State: src.State, LastError: src.LastError}
		if !src.LastSyncAt.IsZero() {
			a.LastSync = src.LastSyncAt.In(s.loc()).Format("2006-01-02T15:04:05Z07:00")
		}
		if !src.LastOKAt.IsZero() {
			a.LastOK = src.LastOKAt.In(s.loc()).Format("2006-01-02T15:04:05Z07:00")
		}
		out = append(out, a)
	}
	return out, nil
}
