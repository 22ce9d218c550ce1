// Package notify tells people about slipping deadlines: it turns findings
// into one digest per recipient (due-soon ladder, newly overdue, slipped
// end dates, escalations, and what was resolved), never the same alert
// twice for the same state, and delivers digests by e-mail and webhook
// through an outbox in the store, with retries.
package notify

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/workdays"
)

// Recipient is who gets a digest and what of.
type Recipient struct {
	Channel string // "email" or "webhook"
	Address string // e-mail address or URL
	Format  string // webhook format: generic, teams, slack
	Name    string
	// Plans limits the recipient to these plans ("Aarhus/KY"); nil: all.
	Plans map[string]bool
	// Solutions and Waves filter what a coordinator gets; nil: all.
	Solutions, Waves []string
}

func (r Recipient) wants(f model.Finding) bool {
	if r.Plans != nil && !r.Plans[f.Municipality+"/"+f.Solution] {
		return false
	}
	if len(r.Solutions) > 0 && !containsFold(r.Solutions, f.Solution) {
		return false
	}
	if len(r.Waves) > 0 && !containsFold(r.Waves, f.Wave) {
		return false
	}
	return true
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// Item is one alert line.
type Item struct {
	Key, State   string
	Kind         string // due, overdue, escalated, slipped, at_risk, resolved
	Municipality string
	Solution     string
	Step         string
	Title        string
	End          model.Date
	EndAs        model.Written // how the end date was written, when not an exact day
	Days         int
	Old, New     string
	Message      string
}

// Digest is what one recipient is sent in one run.
type Digest struct {
	Recipient Recipient
	Items     []Item // sorted by municipality, solution, step
	Resolved  []Item
	// WebURL, when set, is the web view's public address: each plan in the
	// digest links to its page there.
	WebURL string
}

// PlanURL is the web view's page of a plan under base ("" without base).
func PlanURL(base, municipality, solution string) string {
	if base == "" {
		return ""
	}
	return strings.TrimRight(base, "/") + "/plan/" + url.PathEscape(municipality) + "/" + url.PathEscape(solution)
}

// Rules are the alert rules.
type Rules struct {
	Ladder       []int // working days before the end date
	EscalateDays int
	Calendar     *workdays.Calendar
	English      bool
}

// Alerts computes, from the open findings and the tasks, each
// recipient's new alerts: sent holds what each was already sent (recipient
// → key → states), open the keys alerted before and not yet reported
// resolved.
func Alerts(asOf model.Date, findings []model.Finding, tasks []store.PlanTask, r Rules, recipients []Recipient,
	sent map[string]map[string]map[string]bool, unresolved map[string]map[string]bool) []Digest {
	items := candidates(asOf, findings, tasks, r)
	openKeys := map[string]bool{}
	for _, it := range items {
		openKeys[it.Key] = true
	}
	for _, f := range findings {
		openKeys[f.Key] = true
	}
	var out []Digest
	for _, rc := range recipients {
		d := Digest{Recipient: rc}
		for _, c := range items {
			if !rc.wants(c.finding) {
				continue
			}
			if sent[rc.Address][c.Key][c.State] {
				continue
			}
			d.Items = append(d.Items, c.Item)
		}
		for k := range unresolved[rc.Address] {
			if !openKeys[k] {
				it := Item{Key: k, Kind: "resolved"}
				if t := taskOfKey(k, tasks); t != nil {
					it.Municipality, it.Solution, it.Step, it.Title = t.Plan.Municipality, t.Plan.Solution, t.Step, t.Title
				}
				d.Resolved = append(d.Resolved, it)
			}
		}
		sort.Slice(d.Resolved, func(i, j int) bool { return d.Resolved[i].Key < d.Resolved[j].Key })
		if len(d.Items) > 0 || len(d.Resolved) > 0 {
			out = append(out, d)
		}
	}
	return out
}

// taskOfKey finds the task a finding key ("overdue|plan|task") is about.
func taskOfKey(key string, tasks []store.PlanTask) *store.PlanTask {
	parts := strings.Split(key, "|")
	id := parts[len(parts)-1]
	for i := range tasks {
		if fmt.Sprint(tasks[i].ID) == id {
			return &tasks[i]
		}
	}
	return nil
}

type candidate struct {
	Item
	finding model.Finding
}

var goLiveRe = regexp.MustCompile(`(?i)idriftsættelse|go-live`)

// candidates are the alertable states now: a rung of the due-soon ladder,
// overdue, escalated, slipped to a new end date.
func candidates(asOf model.Date, findings []model.Finding, tasks []store.PlanTask, r Rules) []candidate {
	var out []candidate
	byTask := map[int64]*store.PlanTask{}
	for i := range tasks {
		byTask[tasks[i].ID] = &tasks[i]
	}
	ladder := append([]int(nil), r.Ladder...)
	sort.Ints(ladder)
	for i := range tasks {
		t := &tasks[i]
		if t.Status == model.Done || t.Status == model.Cancelled || t.End.IsZero() || t.End.Before(asOf) {
			continue
		}
		days := r.Calendar.Between(asOf, t.End)
		rung := -1
		for _, l := range ladder {
			if days <= l {
				rung = l
				break
			}
		}
		if rung < 0 {
			continue
		}
		f := model.Finding{Key: fmt.Sprintf("due|%d", t.ID), Kind: "due", PlanID: t.PlanID, TaskID: t.ID, Municipality: t.Plan.Municipality,
			Solution: t.Plan.Solution, Wave: t.Plan.Wave, Step: t.Step, Title: t.Title, Days: days}
		end := model.AsWritten(t.End, t.EndAs)
		msg := fmt.Sprintf("slutter om %d arbejdsdage (%s)", days, end)
		if days == 1 {
			msg = fmt.Sprintf("slutter om 1 arbejdsdag (%s)", end)
		}
		if days == 0 {
			msg = fmt.Sprintf("slutter i dag (%s)", end)
		}
		if r.English {
			msg = fmt.Sprintf("ends in %d working days (%s)", days, end)
			if days == 0 {
				msg = fmt.Sprintf("ends today (%s)", end)
			}
		}
		out = append(out, candidate{Item{Key: f.Key, State: fmt.Sprintf("due:%d", rung), Kind: "due", Municipality: f.Municipality, Solution: f.Solution,
			Step: t.Step, Title: t.Title, End: t.End, EndAs: t.EndAs, Days: days, Message: msg}, f})
	}
	for _, f := range findings {
		base := Item{Key: f.Key, Municipality: f.Municipality, Solution: f.Solution, Step: f.Step, Title: f.Title, Days: f.Days, Message: f.Message}
		if t := byTask[f.TaskID]; t != nil {
			base.End, base.EndAs = t.End, t.EndAs
			if base.Title == "" {
				base.Title, base.Step = t.Title, t.Step
			}
		}
		switch f.Kind {
		case "overdue":
			it := base
			it.Kind, it.State = "overdue", "overdue"
			if f.Days > r.EscalateDays {
				it.Kind, it.State = "escalated", "escalated"
			}
			out = append(out, candidate{it, f})
		case "slipped_week":
			it := base
			it.Kind, it.State, it.Old, it.New = "slipped", "slipped:"+f.New, f.Old, f.New
			out = append(out, candidate{it, f})
		case "go_live_at_risk":
			// Told once per level: amber, then red, then resolved.
			it := base
			it.Kind, it.State, it.Old, it.New = "at_risk", "at_risk:"+f.Level, f.Old, f.New
			out = append(out, candidate{it, f})
		case "slipped":
			if goLiveRe.MatchString(f.Title) { // a go-live slip is always told
				it := base
				it.Kind, it.State, it.Old, it.New = "slipped", "slipped:"+f.New, f.Old, f.New
				out = append(out, candidate{it, f})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Municipality != b.Municipality {
			return a.Municipality < b.Municipality
		}
		if a.Solution != b.Solution {
			return a.Solution < b.Solution
		}
		if a.Step != b.Step {
			return a.Step < b.Step
		}
		return kindOrder[a.Kind] < kindOrder[b.Kind]
	})
	return out
}

var kindOrder = map[string]int{"at_risk": 0, "escalated": 1, "overdue": 2, "slipped": 3, "due": 4}

// Alerts returns the alert-log entries a digest records.
func (d Digest) Alerts() []store.Alert {
	var out []store.Alert
	for _, it := range d.Items {
		out = append(out, store.Alert{Recipient: d.Recipient.Address, Key: it.Key, State: it.State})
	}
	return out
}

// ResolvedKeys are the keys the digest reports resolved.
func (d Digest) ResolvedKeys() []string {
	var out []string
	for _, it := range d.Resolved {
		out = append(out, it.Key)
	}
	return out
}

// Queue renders digests and puts them in the outbox, logging their alerts
// in the same transaction. A digest that a parallel run queued already is
// skipped; n counts those queued by this call.
func Queue(ctx context.Context, db *store.DB, digests []Digest, english bool, week string) (int, error) {
	n := 0
	for _, d := range digests {
		m, err := Render(d, english, week)
		if err != nil {
			return n, err
		}
		if _, err := db.Queue(ctx, m, d.Alerts(), d.ResolvedKeys()); errors.Is(err, store.ErrAlreadyQueued) {
			continue // a parallel run queued it
		} else if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
