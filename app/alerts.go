package app

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/notify"
	"github.com/udrul/udrul/store"
)

// ISOWeek names the ISO week of d ("2026-W48").
func ISOWeek(d model.Date) string {
	y, w := d.Time().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// English reports whether the configured language is English.
func (e *Env) English() bool { return e.Cfg.Language == "en" }

var contactKeyRe = regexp.MustCompile(`(?i)projektleder|kontakt|contact|e-?mail|ansvarlig|tovholder|project lead`)

var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// Recipients builds who gets what: coordinators and webhooks from the
// configuration, each plan's contacts from the configuration and from the
// plan's own lines ("Projektleder: navn@kommune.dk").
func (e *Env) Recipients(plans []store.Plan) []notify.Recipient {
	a := e.Cfg.Alerts
	var out []notify.Recipient
	coordinator := map[string]bool{}
	for _, c := range a.Coordinators {
		addr := mailbox(c.Email)
		coordinator[addr] = true
		out = append(out, notify.Recipient{Channel: "email", Address: addr, Solutions: c.Solutions, Waves: c.Waves})
	}
	for _, w := range a.Webhooks {
		out = append(out, notify.Recipient{Channel: "webhook", Address: w.URL, Format: w.Format, Name: w.Name, Solutions: w.Solutions, Waves: w.Waves})
	}
	contacts := map[string]map[string]bool{} // address → plans
	add := func(addr, plan string) {
		addr = mailbox(addr)
		if addr == "" || coordinator[addr] {
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

// mailbox is an e-mail address as udrul keys it: trimmed and in lower
// case, so "PL@Aarhus.dk" in the configuration and "pl@aarhus.dk" in a
// sheet are one recipient with one record of what was sent (mail systems
// treat the case of an address as the same mailbox; a digest sent twice,
// or again in full after a change of case, was the cost of not doing so).
//
// Only A-Z are folded, as SQLite's lower() folds them in migration 0021
// (which moved the log written before): the two keys must agree.
func mailbox(addr string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, strings.TrimSpace(addr))
}

// ComposeAlerts evaluates the findings for asOf and returns each
// recipient's digest of what is new for them.
func (e *Env) ComposeAlerts(ctx context.Context, asOf model.Date) ([]notify.Digest, error) {
	ev, err := e.Evaluate(ctx, asOf)
	if err != nil {
		return nil, err
	}
	recipients := e.Recipients(ev.Input.Plans)
	sent := map[string]map[string]map[string]bool{}
	unresolved := map[string]map[string]bool{}
	for _, r := range recipients {
		if sent[r.Address], err = e.DB.SentAlerts(ctx, r.Address); err != nil {
			return nil, err
		}
		if unresolved[r.Address], err = e.DB.UnresolvedAlerts(ctx, r.Address); err != nil {
			return nil, err
		}
	}
	rules := notify.Rules{Ladder: e.Cfg.Alerts.Ladder, EscalateDays: e.Cfg.Alerts.EscalateDays, Calendar: e.Rules().Calendar, English: e.English()}
	digests := notify.Alerts(asOf, ev.Findings, ev.Input.Tasks, rules, recipients, sent, unresolved)
	for i := range digests {
		digests[i].WebURL = e.Cfg.HTTP.PublicURL
	}
	return digests, nil
}

// Sender delivers the outbox with the configured SMTP server, logging each
// failed delivery at WARN with its reason to log (nil: nowhere).
// sent and failed, when given, are told of each delivery and failed attempt
// by channel.
func (e *Env) Sender(log *slog.Logger, sent, failed func(channel string)) *notify.Sender {
	s := e.Cfg.SMTP
	snd := &notify.Sender{DB: e.DB, Mail: &notify.Mailer{Host: s.Host, Port: s.Port, Security: s.Security, Username: s.Username,
		Password: e.Cfg.SMTPPassword(), From: s.From}, RetryBase: time.Duration(max(e.Cfg.Alerts.RetrySeconds, 1)) * time.Second,
		English: e.English()}
	if log != nil {
		snd.Log = log.With("component", "outbox")
	}
	snd.Sent, snd.Failed = sent, failed
	return snd
}
