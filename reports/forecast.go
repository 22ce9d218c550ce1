package reports

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/udrul/udrul/model"
)

// forecast writes the Prognose sheet: per plan whose go-live is ahead, the
// go-live, the forecast readiness, the slack in working days (negative:
// late) and its change since last week's report, the level, and the chain
// of tasks that drives it. Plans with the least slack come first.
func (w *writer) forecast() {
	cols := []column{
		{"Kommune", "Municipality", colText, 0}, {"Løsning", "Solution", colText, 10}, {"Bølge", "Wave", colText, 7},
		{"Idriftsættelse", "Go-live", colDate, 13}, {"Klar (prognose)", "Ready (forecast)", colDate, 14},
		{"Slack (arb.dage)", "Slack (working days)", colInt, 11}, {"Ændring siden sidste uge", "Change since last week", colInt, 12},
		{"Niveau", "Level", colText, 9}, {"Drivende kæde", "Driving chain", colText, 80},
	}
	if w.d.PublicURL != "" {
		cols = append(cols, column{"Plan i webvisningen", "Plan in the web view", colText, 10})
	}
	last := map[string]int{}
	if n := len(w.d.History); n > 0 {
		last = w.d.History[n-1].Slack
	}
	level := w.d.findingSums().GoLiveRisk
	type entry struct {
		values []any
		level  string
		slack  int
	}
	var es []entry
	for _, p := range w.d.Plans {
		fc := w.d.Forecasts[p.ID]
		if fc == nil {
			continue
		}
		var change any
		if prev, ok := last[p.Key()]; ok {
			change = fc.Slack - prev
		}
		lv := level[p.ID]
		if lv == "" {
			lv = model.LevelGreen
		}
		values := []any{p.Municipality, p.Solution, p.Wave, fc.GoLive, fc.Ready, fc.Slack, change, w.levelWord(lv),
			strings.TrimSpace(fc.Explain(w.d.Calendar, w.en))}
		if w.d.PublicURL != "" {
			values = append(values, w.planLink(p.Municipality, p.Solution))
		}
		es = append(es, entry{values: values, level: lv, slack: fc.Slack})
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].slack < es[j].slack })
	rows := make([]row, len(es))
	for i, e := range es {
		rows[i] = row{values: e.values, levels: []string{"", "", "", "", "", e.level, "", e.level, "", ""}}
	}
	note := w.l("Ingen plan har en idriftsættelse forude med en prognose.", "No plan has a go-live ahead with a forecast.")
	if len(rows) > 0 {
		note = ""
	}
	w.table("forecast", cols, rows, note)
}

// planLink is a cell linking to a plan's page in the web view. The address
// is built from the configured URL and path-escaped names, so no quote
// from a sheet can end the formula's string.
func (w *writer) planLink(municipality, solution string) any {
	u := strings.TrimRight(w.d.PublicURL, "/") + "/plan/" + url.PathEscape(municipality) + "/" + url.PathEscape(solution)
	return w.link(u)
}

// maxFormulaText is the longest text Excel allows in a formula's string:
// a longer one makes Excel call the whole workbook damaged.
const maxFormulaText = 255

// link is a cell opening u (an address udrul made, never text from a
// sheet): a HYPERLINK formula, or, for an address too long for one (a long
// public_url and long names), the address as text.
func (w *writer) link(u string) any {
	u = strings.ReplaceAll(u, `"`, "%22") // no quote can end the formula's string
	if len(u) > maxFormulaText {
		return u
	}
	return excelize.Cell{Formula: fmt.Sprintf(`HYPERLINK("%s","%s")`, u, w.l("åbn", "open"))}
}
