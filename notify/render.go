package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
)

var kindWords = map[string][2]string{
	"escalated": {"ESKALERING – mere end aftalt forsinket", "ESCALATION – overdue past the limit"},
	"overdue":   {"Forsinket", "Overdue"},
	"slipped":   {"Slutdato skredet", "End date slipped"},
	"due":       {"Frist nærmer sig", "Deadline approaching"},
	"resolved":  {"Løst siden sidste besked", "Resolved since the last message"},
	"at_risk":   {"Idriftsættelsen er i fare", "The go-live is at risk"},
}

func word(kind string, english bool) string {
	if english {
		return kindWords[kind][1]
	}
	return kindWords[kind][0]
}

type group struct {
	Plan  string
	Step  string
	Items []Item
}

func groups(items []Item) []group {
	var out []group
	for _, it := range items {
		plan := it.Municipality + " / " + it.Solution
		if n := len(out); n > 0 && out[n-1].Plan == plan && out[n-1].Step == it.Step {
			out[n-1].Items = append(out[n-1].Items, it)
			continue
		}
		out = append(out, group{Plan: plan, Step: it.Step, Items: []Item{it}})
	}
	return out
}

func (it Item) line(english bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", word(it.Kind, english), it.Title)
	if it.Title == "" {
		b.Reset()
		b.WriteString(word(it.Kind, english))
	}
	switch it.Kind {
	case "slipped":
		if english {
			fmt.Fprintf(&b, " — end date %s → %s", it.Old, it.New)
		} else {
			fmt.Fprintf(&b, " — slutdato %s → %s", it.Old, it.New)
		}
	default:
		if it.Message != "" {
			fmt.Fprintf(&b, " — %s", it.Message)
		}
	}
	return b.String()
}

var htmlTmpl = template.Must(template.New("digest").Parse(`<!DOCTYPE html>
<html><body style="font-family: Calibri, Arial, sans-serif; color: #222">
<h2 style="color: #1F4E78">{{.Title}}</h2>
<p>{{.Intro}}</p>
{{range .Groups}}<h3 style="margin-bottom: 4px">{{if .URL}}<a href="{{.URL}}" style="color: #1F4E78">{{.Plan}}</a>{{else}}{{.Plan}}{{end}}{{if .Step}} · {{.Step}}{{end}}</h3>
<ul>{{range .Lines}}<li style="color: {{.Color}}">{{.Text}}</li>{{end}}</ul>
{{end}}{{if .Resolved}}<h3>{{.ResolvedTitle}}</h3><ul>{{range .Resolved}}<li style="color: #006100">{{.}}</li>{{end}}</ul>{{end}}
<p style="color: #777; font-size: small">{{.Footer}}</p>
</body></html>`))

var colors = map[string]string{"escalated": "#9C0006", "overdue": "#9C0006", "slipped": "#9C5700", "due": "#222", "at_risk": "#9C0006"}

// Render makes the message of a digest: a plain-text and an HTML part for
// e-mail (Danish by default), or the JSON payload for a webhook.
func Render(d Digest, english bool, week string) (store.Message, error) {
	l := func(da, en string) string {
		if english {
			return en
		}
		return da
	}
	n := len(d.Items)
	subject := fmt.Sprintf(l("udrul: %d varsler om frister (%s)", "udrul: %d deadline alerts (%s)"), n, week)
	if n == 1 {
		subject = fmt.Sprintf(l("udrul: 1 varsel om en frist (%s)", "udrul: 1 deadline alert (%s)"), week)
	}
	if n == 0 {
		subject = fmt.Sprintf(l("udrul: %d løste forhold (%s)", "udrul: %d resolved (%s)"), len(d.Resolved), week)
	}
	intro := l("Her er de frister der nærmer sig, er overskredet eller er skredet i de planer du følger.",
		"These are the deadlines approaching, passed or slipped in the plans you follow.")
	footer := l("Sendt af udrul. Ret datoerne i jeres plan; udrul læser den igen af sig selv.",
		"Sent by udrul. Correct the dates in your plan; udrul reads it again by itself.")
	var text strings.Builder
	fmt.Fprintf(&text, "%s\n\n%s\n", subject, intro)
	type line struct{ Text, Color string }
	type hgroup struct {
		Plan, Step, URL string
		Lines           []line
	}
	var hg []hgroup
	for _, g := range groups(d.Items) {
		fmt.Fprintf(&text, "\n%s", g.Plan)
		if g.Step != "" {
			fmt.Fprintf(&text, " · %s", g.Step)
		}
		text.WriteString("\n")
		h := hgroup{Plan: g.Plan, Step: g.Step}
		if len(g.Items) > 0 {
			h.URL = PlanURL(d.WebURL, g.Items[0].Municipality, g.Items[0].Solution)
		}
		if h.URL != "" && (len(hg) == 0 || hg[len(hg)-1].URL != h.URL) {
			fmt.Fprintf(&text, "  %s\n", h.URL)
		}
		for _, it := range g.Items {
			fmt.Fprintf(&text, "  - %s\n", it.line(english))
			h.Lines = append(h.Lines, line{it.line(english), colors[it.Kind]})
		}
		hg = append(hg, h)
	}
	var resolved []string
	if len(d.Resolved) > 0 {
		fmt.Fprintf(&text, "\n%s: %d\n", word("resolved", english), len(d.Resolved))
		for _, it := range d.Resolved {
			desc := describeKey(it.Key, english)
			if it.Title != "" {
				desc = fmt.Sprintf("%s / %s: %s", it.Municipality, it.Solution, it.Title)
			}
			resolved = append(resolved, desc)
			fmt.Fprintf(&text, "  - %s\n", desc)
		}
	}
	fmt.Fprintf(&text, "\n%s\n", footer)
	m := store.Message{Channel: d.Recipient.Channel, Recipient: d.Recipient.Address, Subject: subject, Text: text.String()}
	if d.Recipient.Channel == "webhook" {
		var payload any
		switch d.Recipient.Format {
		case "teams", "slack":
			payload = map[string]string{"text": fitMessage(d.Recipient.Format, escapeMarkup(d.Recipient.Format, text.String()), d.WebURL, english)}
		default:
			items := []itemJSON{}
			for _, it := range d.Items {
				items = append(items, itemJSON{it.Kind, word(it.Kind, english), it.Municipality, it.Solution, it.Step, it.Title, it.Message,
					dateOrNil(it.End), it.EndAs.Text, it.Days, it.Old, it.New, PlanURL(d.WebURL, it.Municipality, it.Solution)})
			}
			payload = map[string]any{"source": "udrul", "subject": subject, "week": week, "items": items, "resolved": len(d.Resolved)}
		}
		b, err := json.Marshal(payload)
		if err != nil {
			return m, err
		}
		m.Payload = string(b)
		return m, nil
	}
	var html bytes.Buffer
	err := htmlTmpl.Execute(&html, map[string]any{"Title": subject, "Intro": intro, "Groups": hg, "Resolved": resolved,
		"ResolvedTitle": word("resolved", english), "Footer": footer})
	m.HTML = html.String()
	return m, err
}

// itemJSON is one alert in a generic webhook's payload: lowercase
// snake_case keys, dates as YYYY-MM-DD (null when absent).
type itemJSON struct {
	Kind         string      `json:"kind"`
	Label        string      `json:"label"`
	Municipality string      `json:"municipality"`
	Solution     string      `json:"solution"`
	Step         string      `json:"step"`
	Title        string      `json:"title"`
	Message      string      `json:"message"`
	End          *model.Date `json:"end"`
	EndAsWritten string      `json:"end_as_written,omitempty"` // "uge 34" when not an exact day
	Days         int         `json:"days"`
	Old          string      `json:"old,omitempty"`
	New          string      `json:"new,omitempty"`
	URL          string      `json:"url,omitempty"` // the plan's page in the web view
}

func dateOrNil(d model.Date) *model.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

// describeKey says in words what a finding key was about, for resolved
// lines whose task is not known any more.
func describeKey(key string, english bool) string {
	kind, _, _ := strings.Cut(key, "|")
	w, ok := map[string][2]string{"overdue": {"en forsinket opgave", "an overdue task"}, "due": {"en frist", "a deadline"},
		"due_soon": {"en frist", "a deadline"}, "slipped_week": {"et skred", "a slip"}, "slipped": {"et skred", "a slip"}}[kind]
	if !ok {
		return model.KindLabel(kind, english)
	}
	if english {
		return w[1]
	}
	return w[0]
}

// slackEscaper escapes the three characters Slack gives a meaning to in
// message text: with them escaped, a title such as "<!channel>" or
// "<https://evil|Klik her>" shows as written instead of pinging a channel
// or forging a link.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// teamsEscaper escapes what Teams renders in a message's text: HTML (as
// entities) and Markdown (with a backslash): links ([text](url), <a>),
// emphasis, headings, code and tables.
var teamsEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`, "*", `\*`, "_", `\_`, "`", "\\`", "#", `\#`, "~", `\~`, "|", `\|`)

// escapeMarkup makes the plain text of a digest safe to post as a Slack or
// Teams message: nothing in it (a task title, a step, a municipality from a
// sheet) is read as markup.
func escapeMarkup(format, text string) string {
	switch format {
	case "slack":
		return slackEscaper.Replace(text)
	case "teams":
		return teamsEscaper.Replace(text)
	}
	return text
}

// messageLimit is the most a Teams or Slack message may be, in bytes of
// its JSON payload: Teams refuses a webhook message over 28 KB (HTTP 413,
// every retry: a large coordinator digest would never arrive), Slack cuts
// a text after 40,000 characters without saying so.
var messageLimit = map[string]int{"teams": 27 << 10, "slack": 38_000}

// fitMessage cuts an escaped Teams or Slack text whose payload would be
// over its limit after a whole line and says how many lines are left out
// and where all of them are: a digest that arrives, shortened in words,
// rather than one refused or cut mid-line. The payload's size is measured
// as JSON (a backslash of Teams' escaping, an & of its entities, take
// two and six bytes there).
func fitMessage(format, text, webURL string, english bool) string {
	limit := messageLimit[format]
	size := func(t string) int {
		b, _ := json.Marshal(map[string]string{"text": t})
		return len(b)
	}
	if limit == 0 || size(text) <= limit {
		return text
	}
	where := "ugerapporten"
	if english {
		where = "the weekly report"
	}
	if webURL != "" {
		where = escapeMarkup(format, webURL)
		if english {
			where = "the web view (" + where + ") or the weekly report"
		} else {
			where = "webvisningen (" + where + ") eller ugerapporten"
		}
	}
	for keep := len(text); ; keep = keep * 4 / 5 {
		cut := strings.LastIndexByte(text[:keep], '\n') + 1
		left := strings.Count(text[cut:], "\n")
		out := text[:cut] + fmt.Sprintf("\n… %d linjer mere er udeladt her (beskeden ville blive for lang til %s): se dem alle i %s.\n", left, format, where)
		if english {
			out = text[:cut] + fmt.Sprintf("\n… %d more lines are left out here (the message would be too long for %s): see them all in %s.\n", left, format, where)
		}
		if size(out) <= limit || cut == 0 {
			return out
		}
	}
}
