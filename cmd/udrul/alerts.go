package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/notify"
	"github.com/udrul/udrul/store"
)

// AlertsCommand computes the alert digests and queues and sends them, or
// with --dry-run shows what would be sent to whom.
type AlertsCommand struct {
	Stdout, Stderr io.Writer
}

const alertsSynopsis = `[--config FILE] [--dry-run] [--as-of DATE]

Evaluates the findings and makes one digest per recipient of what is new
for them: tasks reaching a rung of the due-soon ladder, newly overdue
tasks, slipped end dates, escalations, and what was resolved since their
last digest. Without --dry-run the digests are queued in the outbox and
sent; an alert is never sent twice for the same state.`

// Run runs the command.
func (c *AlertsCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("alerts", alertsSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	dry := fs.Bool("dry-run", false, "show what would be sent to whom; send and record nothing")
	asOfFlag := fs.String("as-of", "", "evaluate for this `date` (YYYY-MM-DD; default today)")
	e, err := openFor(ctx, fs, args, cfgPath, nil)
	if err != nil {
		return err
	}
	defer e.Close()
	asOf, err := e.asOf("alerts", *asOfFlag, c.Stderr)
	if err != nil {
		return err
	}
	digests, err := e.composeAlerts(ctx, asOf)
	if err != nil {
		return err
	}
	if *dry {
		if len(digests) == 0 {
			plans, err := e.db.ListPlans(ctx)
			if err != nil {
				return err
			}
			if len(e.recipients(plans)) == 0 {
				fmt.Fprintln(c.Stdout, "No recipients: configure alerts.coordinators, alerts.contacts or alerts.webhooks, or put \"Projektleder: navn@kommune.dk\" in the plans.")
			} else {
				fmt.Fprintln(c.Stdout, "Nothing new to send.")
			}
		}
		for _, d := range digests {
			m, err := notify.Render(d, e.english(), isoWeek(asOf))
			if err != nil {
				return err
			}
			fmt.Fprintf(c.Stdout, "=== to %s (%s): %s\n", d.Recipient.Address, d.Recipient.Channel, m.Subject)
			if d.Recipient.Channel == "webhook" {
				fmt.Fprintln(c.Stdout, m.Payload)
			} else {
				fmt.Fprintln(c.Stdout, strings.TrimSpace(m.Text))
			}
			fmt.Fprintln(c.Stdout)
		}
		return nil
	}
	n, err := notify.Queue(ctx, e.db, digests, e.english(), isoWeek(asOf))
	if err != nil {
		return err
	}
	sent, failed, err := e.sender(nil).Flush(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "%d digests queued; %d messages sent, %d failed (kept in the outbox and retried)\n", n, sent, failed)
	if failed > 0 {
		return errReported
	}
	return nil
}

func isoWeek(d model.Date) string {
	y, w := d.Time().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

func (e *env) english() bool { return e.cfg.Language == "en" }

var contactKeyRe = regexp.MustCompile(`(?i)projektleder|kontakt|contact|e-?mail|ansvarlig|tovholder|project lead`)
var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// recipients builds who gets what: coordinators and webhooks from the
// configuration, each plan's contacts from the configuration and from the
// plan's own lines ("Projektleder: navn@kommune.dk").
func (e *env) recipients(plans []store.Plan) []notify.Recipient {
	a := e.cfg.Alerts
	var out []notify.Recipient
	coordinator := map[string]bool{}
	for _, c := range a.Coordinators {
		coordinator[strings.ToLower(c.Email)] = true
		out = append(out, notify.Recipient{Channel: "email", Address: c.Email, Solutions: c.Solutions, Waves: c.Waves})
	}
	for _, w := range a.Webhooks {
		out = append(out, notify.Recipient{Channel: "webhook", Address: w.URL, Format: w.Format, Name: w.Name, Solutions: w.Solutions, Waves: w.Waves})
	}
	contacts := map[string]map[string]bool{} // address → plans
	add := func(addr, plan string) {
		addr = strings.TrimSpace(addr)
		if addr == "" || coordinator[strings.ToLower(addr)] {
			return
		}
		if contacts[addr] == nil {
			contacts[addr] = map[string]bool{}
		}
		contacts[addr][plan] = true
	}
	for _, p := range plans {
		for _, key := range []string{p.Key(), p.Municipality} {
			for k, addrs := range a.Contacts {
				if strings.EqualFold(k, key) {
					for _, addr := range addrs {
						add(addr, p.Key())
					}
				}
			}
		}
		if a.ContactsFromSheets {
			for k, v := range p.Metadata {
				if contactKeyRe.MatchString(k) {
					for _, addr := range emailRe.FindAllString(v, -1) {
						add(addr, p.Key())
					}
				}
			}
		}
	}
	addrs := make([]string, 0, len(contacts))
	for addr := range contacts {
		addrs = append(addrs, addr)
	}
	sort.Strings(addrs)
	for _, addr := range addrs {
		out = append(out, notify.Recipient{Channel: "email", Address: addr, Plans: contacts[addr]})
	}
	return out
}

// composeAlerts evaluates the findings for asOf and returns each
// recipient's digest of what is new for them.
func (e *env) composeAlerts(ctx context.Context, asOf model.Date) ([]notify.Digest, error) {
	ev, err := e.evaluate(ctx, asOf)
	if err != nil {
		return nil, err
	}
	recipients := e.recipients(ev.Input.Plans)
	sent := map[string]map[string]map[string]bool{}
	unresolved := map[string]map[string]bool{}
	for _, r := range recipients {
		if sent[r.Address], err = e.db.SentAlerts(ctx, r.Address); err != nil {
			return nil, err
		}
		if unresolved[r.Address], err = e.db.UnresolvedAlerts(ctx, r.Address); err != nil {
			return nil, err
		}
	}
	rules := notify.Rules{Ladder: e.cfg.Alerts.Ladder, EscalateDays: e.cfg.Alerts.EscalateDays, Calendar: e.rules().Calendar, English: e.english()}
	return notify.Alerts(asOf, ev.Findings, ev.Input.Tasks, rules, recipients, sent, unresolved), nil
}

// sender delivers the outbox with the configured SMTP server.
func (e *env) sender(m *metrics) *notify.Sender {
	s := e.cfg.SMTP
	snd := &notify.Sender{DB: e.db, Mail: &notify.Mailer{Host: s.Host, Port: s.Port, Security: s.Security, Username: s.Username,
		Password: e.cfg.SMTPPassword(), From: s.From}, RetryBase: time.Duration(max(e.cfg.Alerts.RetrySeconds, 1)) * time.Second}
	if m != nil {
		snd.Sent = func(ch string) { m.alertsSent.WithLabelValues(ch).Inc() }
		snd.Failed = func(ch string) { m.alertsFailed.WithLabelValues(ch).Inc() }
	}
	return snd
}
