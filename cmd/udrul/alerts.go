package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/notify"
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
	asOf, err := asOf(e, "alerts", *asOfFlag, c.Stderr)
	if err != nil {
		return err
	}
	digests, err := e.ComposeAlerts(ctx, asOf)
	if err != nil {
		return err
	}
	if *dry {
		if len(digests) == 0 {
			plans, err := e.DB.ListPlans(ctx)
			if err != nil {
				return err
			}
			if len(e.Recipients(plans)) == 0 {
				fmt.Fprintln(c.Stdout, e.L("Ingen modtagere: angiv alerts.coordinators, alerts.contacts eller alerts.webhooks, eller skriv \"Projektleder: navn@kommune.dk\" i planerne.",
					"No recipients: configure alerts.coordinators, alerts.contacts or alerts.webhooks, or put \"Projektleder: navn@kommune.dk\" in the plans."))
			} else {
				fmt.Fprintln(c.Stdout, e.L("Intet nyt at sende.", "Nothing new to send."))
			}
		}
		for _, d := range digests {
			m, err := notify.Render(d, e.English(), app.ISOWeek(asOf))
			if err != nil {
				return err
			}
			fmt.Fprintf(c.Stdout, e.L("=== til %s (%s): %s\n", "=== to %s (%s): %s\n"), d.Recipient.Address, d.Recipient.Channel, m.Subject)
			if d.Recipient.Channel == "webhook" {
				fmt.Fprintln(c.Stdout, m.Payload)
			} else {
				for _, line := range strings.Split(strings.TrimSpace(m.Text), "\n") {
					fmt.Fprintln(c.Stdout, safeout.Terminal(line))
				}
			}
			fmt.Fprintln(c.Stdout)
		}
		return nil
	}
	if e.Cfg.SMTP.Host == "" {
		for _, d := range digests {
			if d.Recipient.Channel == "email" {
				return fmt.Errorf("%s", e.L("e-mail kan ikke sendes: der er ingen SMTP-server i konfigurationen (smtp.host); intet er lagt i udbakken. 'udrul alerts --dry-run' viser hvad der ville blive sendt",
					"e-mail cannot be sent: no SMTP server is configured (smtp.host); nothing was queued. 'udrul alerts --dry-run' shows what would be sent"))
			}
		}
	}
	n, err := notify.Queue(ctx, e.DB, digests, e.English(), app.ISOWeek(asOf))
	if err != nil {
		return err
	}
	sent, failed, err := e.Sender(slog.New(slog.NewTextHandler(c.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), nil, nil).Flush(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, e.L("%d samlebeskeder lagt i udbakken; %d sendt, %d fejlede (bliver i udbakken og prøves igen)\n",
		"%d digests queued; %d messages sent, %d failed (kept in the outbox and retried)\n"), n, sent, failed)
	if failed > 0 {
		return errReported
	}
	return nil
}
