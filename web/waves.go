package web

import (
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/reports"
)

// ---- Bølger: per solution and wave, go-live and milestones on a
// timeline, each municipality's tasks due by now against those done, and
// go-lives of different solutions too close together in one municipality.

type milestone struct {
	Name string     `json:"name"`
	Date model.Date `json:"date"`
}

// waveMunicipality is one municipality's plan in a wave.
type waveMunicipality struct {
	Municipality string `json:"municipality"`
	Level        string `json:"level"`
	Href         string `json:"-"`
	Tasks        int    `json:"tasks"`
	// Due is the tasks whose end is on or before the as-of date; DueDone
	// those of them done (or cancelled); Done all done tasks.
	Due     int `json:"due_by_now"`
	DueDone int `json:"due_done"`
	Done    int `json:"done"`
	Overdue int `json:"overdue"`
}

// wave is one wave of one solution.
type wave struct {
	Solution       string             `json:"solution"`
	Wave           string             `json:"wave"`
	GoLive         model.Date         `json:"go_live"`
	Milestones     []milestone        `json:"milestones"`
	Municipalities []waveMunicipality `json:"municipalities"`
}

// clash is two solutions going live too close together in a municipality.
type clash struct {
	Municipality string `json:"municipality"`
	Level        string `json:"level"`
	Days         int    `json:"working_days_apart"`
	Message      string `json:"message"`
}

// wavesOf gathers the waves the user may see: those configured and those
// the plans name, sorted by solution and wave.
func wavesOf(d *reports.Data, sn *snapshot) ([]wave, []clash) {
	type key struct{ sol, wave string }
	byKey := map[key]*wave{}
	var keys []key
	get := func(k key) *wave {
		w := byKey[k]
		if w == nil {
			w = &wave{Solution: k.sol, Wave: k.wave, Milestones: []milestone{}, Municipalities: []waveMunicipality{}}
			byKey[k] = w
			keys = append(keys, k)
		}
		return w
	}
	for _, cw := range d.Waves {
		w := get(key{cw.Solution, cw.Wave})
		w.GoLive = cw.GoLive
		for name, date := range cw.Milestones {
			w.Milestones = append(w.Milestones, milestone{name, date})
		}
		sort.Slice(w.Milestones, func(i, j int) bool {
			if c := w.Milestones[i].Date.Compare(w.Milestones[j].Date); c != 0 {
				return c < 0
			}
			return w.Milestones[i].Name < w.Milestones[j].Name
		})
	}
	for i := range d.Plans {
		p := &d.Plans[i]
		if p.Wave == "" {
			continue
		}
		w := get(key{p.Solution, p.Wave})
		w.Municipalities = append(w.Municipalities, waveMunicipality{Municipality: p.Municipality, Level: d.PlanStatus[p.ID], Href: planHref(p),
			Tasks: len(sn.tasks[p.ID]), Due: sn.due[p.ID], DueDone: sn.dueDone[p.ID], Done: sn.done[p.ID], Overdue: sn.overdue[p.ID]})
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].sol != keys[j].sol {
			return keys[i].sol < keys[j].sol
		}
		return waveLess(keys[i].wave, keys[j].wave)
	})
	out := make([]wave, 0, len(keys))
	for _, k := range keys {
		w := byKey[k]
		sort.Slice(w.Municipalities, func(i, j int) bool { return w.Municipalities[i].Municipality < w.Municipalities[j].Municipality })
		out = append(out, *w)
	}
	clashes := []clash{}
	for _, f := range d.Findings {
		if f.Kind == "go_live_clash" {
			clashes = append(clashes, clash{f.Municipality, f.Level, f.Days, f.Message})
		}
	}
	sort.SliceStable(clashes, func(i, j int) bool { return clashes[i].Municipality < clashes[j].Municipality })
	return out, clashes
}

// waveLess orders waves by number where both are numbers ("2" before "10").
func waveLess(a, b string) bool {
	var x, y int
	if _, err := fmt.Sscanf(a, "%d", &x); err == nil {
		if _, err := fmt.Sscanf(b, "%d", &y); err == nil && x != y {
			return x < y
		}
	}
	return a < b
}

type waveView struct {
	wave
	Label string
	Rows  []waveRow
}

type waveRow struct {
	waveMunicipality
	Bar template.HTML
	// Figure is "done of due by now".
	Figure string
}

type solutionView struct {
	Solution string
	Timeline template.HTML
	Waves    []waveView
}

type wavesPage struct {
	AsOf      string
	Solutions []solutionView
	Clashes   []clash
}

func (s *Server) wavesPage(r *http.Request, sn *snapshot, u *User) (string, string, any, error) {
	d := visible(sn, u)
	tr := dictionary(s.English)
	ws, clashes := wavesOf(d, sn)
	p := wavesPage{AsOf: d.AsOf.String(), Clashes: clashes}
	for i := 0; i < len(ws); {
		j := i
		for j < len(ws) && ws[j].Solution == ws[i].Solution {
			j++
		}
		sv := solutionView{Solution: ws[i].Solution, Timeline: timeline(ws[i:j], d.AsOf, s.English)}
		for _, w := range ws[i:j] {
			wv := waveView{wave: w, Label: tr["wave"] + " " + w.Wave}
			for _, m := range w.Municipalities {
				wv.Rows = append(wv.Rows, waveRow{waveMunicipality: m, Bar: dueBar(m, s.English),
					Figure: fmt.Sprintf("%d / %d", m.DueDone, m.Due)})
			}
			sv.Waves = append(sv.Waves, wv)
		}
		p.Solutions = append(p.Solutions, sv)
		i = j
	}
	return "waves", tr["waves"], p, nil
}

func (s *Server) apiWaves(r *http.Request, sn *snapshot, u *User, _ http.ResponseWriter) (any, error) {
	d := visible(sn, u)
	ws, clashes := wavesOf(d, sn)
	return struct {
		AsOf    string  `json:"as_of"`
		Waves   []wave  `json:"waves"`
		Clashes []clash `json:"clashes"`
	}{d.AsOf.String(), ws, clashes}, nil
}

// timeline draws a solution's waves on one time axis: a line from the
// first milestone to go-live, a dot per milestone, a diamond at go-live,
// and today as a dashed line.
func timeline(ws []wave, asOf model.Date, english bool) template.HTML {
	var lo, hi model.Date
	widen := func(d model.Date) {
		if d.IsZero() {
			return
		}
		if lo.IsZero() || d.Before(lo) {
			lo = d
		}
		if hi.IsZero() || d.After(hi) {
			hi = d
		}
	}
	n := 0
	for _, w := range ws {
		if w.GoLive.IsZero() && len(w.Milestones) == 0 {
			continue
		}
		n++
		widen(w.GoLive)
		for _, m := range w.Milestones {
			widen(m.Date)
		}
	}
	if n == 0 {
		return ""
	}
	widen(asOf)
	lo, hi = lo.AddDays(-14), hi.AddDays(14)
	const width, left, right, rowH, top = 900.0, 90.0, 80.0, 34.0, 26.0
	height := top + float64(n)*rowH + 10
	span := float64(lo.DaysUntil(hi))
	x := func(d model.Date) float64 { return left + float64(lo.DaysUntil(d))/span*(width-left-right) }
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg class="timeline" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-label="%s">`, width, height,
		map[bool]string{false: "Tidslinje for bølgerne", true: "Timeline of the waves"}[english])
	// Month ticks.
	for m := model.NewDate(lo.Year, lo.Month+1, 1); m.Before(hi); m = model.NewDate(m.Year, m.Month+1, 1) {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#e4e4e4"/>`, x(m), top-6, x(m), height-6)
		label := monthNames[english][m.Month-1]
		if m.Month == 1 || m == model.NewDate(lo.Year, lo.Month+1, 1) {
			label += fmt.Sprintf(" %d", m.Year)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="12" font-size="11" fill="#666">%s</text>`, x(m)+2, label)
	}
	row := 0
	for _, w := range ws {
		if w.GoLive.IsZero() && len(w.Milestones) == 0 {
			continue
		}
		y := top + float64(row)*rowH + rowH/2
		row++
		fmt.Fprintf(&b, `<text x="4" y="%.1f" font-size="12">%s %s</text>`, y+4, map[bool]string{false: "Bølge", true: "Wave"}[english], esc(w.Wave))
		first, last := w.GoLive, w.GoLive
		for _, m := range w.Milestones {
			if first.IsZero() || m.Date.Before(first) {
				first = m.Date
			}
			if last.IsZero() || m.Date.After(last) {
				last = m.Date
			}
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#9DB3CC" stroke-width="4"/>`, x(first), y, x(last), y)
		for _, m := range w.Milestones {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="5" fill="#fff" stroke="#1F4E78" stroke-width="2"><title>%s %s</title></circle>`,
				x(m.Date), y, esc(m.Name), m.Date)
		}
		if !w.GoLive.IsZero() {
			gx := x(w.GoLive)
			fmt.Fprintf(&b, `<path d="M%.1f %.1f l7 7 l-7 7 l-7 -7 z" fill="#1F4E78"><title>%s %s</title></path>`, gx, y-7,
				map[bool]string{false: "Idriftsættelse", true: "Go-live"}[english], w.GoLive)
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="#1F4E78">%s</text>`, gx+10, y+4, w.GoLive)
		}
	}
	tx := x(asOf)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#C00000" stroke-dasharray="4 3"/><text x="%.1f" y="%.0f" font-size="11" fill="#C00000" text-anchor="middle">%s</text>`,
		tx, top-6, tx, height-6, tx, top-8+0, map[bool]string{false: "i dag", true: "today"}[english])
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

var monthNames = map[bool][12]string{
	false: {"jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"},
	true:  {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
}

// dueBar draws a municipality's tasks due by now (the bar's length, of all
// its tasks) and those of them done (filled).
func dueBar(m waveMunicipality, english bool) template.HTML {
	const w, h = 220.0, 14.0
	if m.Tasks == 0 {
		return ""
	}
	due := float64(m.Due) / float64(m.Tasks) * w
	done := float64(m.DueDone) / float64(m.Tasks) * w
	colour := "#548235"
	switch {
	case m.Due > 0 && m.DueDone*10 < m.Due*8:
		colour = "#C00000"
	case m.DueDone < m.Due:
		colour = "#BF8F00"
	}
	title := fmt.Sprintf("%d af %d opgaver skulle være færdige nu; %d af dem er færdige", m.Due, m.Tasks, m.DueDone)
	if english {
		title = fmt.Sprintf("%d of %d tasks due by now; %d of them done", m.Due, m.Tasks, m.DueDone)
	}
	return template.HTML(fmt.Sprintf(`<svg class="bar" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="%s"><title>%s</title>`+
		`<rect x="0" y="0" width="%.0f" height="%.0f" fill="#f0f0f0"/><rect x="0" y="0" width="%.1f" height="%.0f" fill="#d9d9d9"/>`+
		`<rect x="0" y="0" width="%.1f" height="%.0f" fill="%s"/></svg>`, w, h, w, h, title, title, w, h, due, h, done, h, colour))
}
