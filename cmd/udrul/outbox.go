package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"text/tabwriter"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/internal/safeout"
	"github.com/udrul/udrul/store"
)

// OutboxCommand lists the messages waiting to be delivered, and retries or
// drops one.
type OutboxCommand struct {
	Stdout, Stderr io.Writer
}

const outboxSynopsis = `[--config FILE] [--all] [--format table|json] [--retry ID | --drop ID]

Lists the messages (digests, weekly reports) not yet delivered: recipient,
subject, attempts, the next try and the last error, so a delivery that keeps
failing is seen and its reason known. --all lists the delivered ones too.
--retry ID makes a message due now (the daemon's outbox job, or 'udrul
alerts', sends it); --drop ID removes one that must not be sent: its alerts
stay logged, so they are not sent again either.`

// Run runs the command.
func (c *OutboxCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("outbox", outboxSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	all := fs.Bool("all", false, "list delivered messages too")
	format := fs.String("format", "table", "output `format`: table or json")
	retry := fs.Int64("retry", 0, "make message `ID` due now")
	drop := fs.Int64("drop", 0, "remove undelivered message `ID`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *format != "table" && *format != "json":
		fmt.Fprintf(c.Stderr, "udrul outbox: "+usageText(fs, "unknown format %s: use table or json")+"\n", *format)
		fs.Usage()
		return errUsage
	case *retry != 0 && *drop != 0, fs.NArg() > 0:
		fmt.Fprintln(c.Stderr, "udrul outbox: "+usageText(fs, "--retry and --drop take one message at a time, and nothing else"))
		fs.Usage()
		return errUsage
	}
	e, err := app.OpenTelling(ctx, *cfgPath, c.Stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	if id := max(*retry, *drop); id != 0 {
		act, done, undone := e.DB.RetryMessage, e.L("Besked %d sendes ved næste forsøg.", "Message %d will be sent at the next try."),
			e.L("Der er ingen uafsendt besked %d.", "There is no undelivered message %d.")
		if *drop != 0 {
			act, done = e.DB.DropMessage, e.L("Besked %d er fjernet og sendes ikke.", "Message %d is removed and will not be sent.")
			undone = e.L("Der er ingen uafsendt besked %d, eller den sendes lige nu.", "There is no undelivered message %d, or it is being sent right now.")
		}
		ok, err := act(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintf(c.Stderr, undone+"\n", id)
			return errReported
		}
		fmt.Fprintf(c.Stdout, done+"\n", id)
		return nil
	}
	msgs, err := e.DB.Outbox(ctx, *all)
	if err != nil {
		return err
	}
	loc := e.Cfg.Location()
	if *format == "json" {
		type entry struct {
			ID          int64   `json:"id"`
			Channel     string  `json:"channel"`
			Recipient   string  `json:"recipient"`
			Subject     string  `json:"subject"`
			Attempts    int     `json:"attempts"`
			Created     string  `json:"created_at"`
			NextAttempt *string `json:"next_attempt_at"`
			Sent        *string `json:"sent_at"`
			LastError   string  `json:"last_error,omitempty"`
		}
		out := []entry{}
		rfc := func(t time.Time) *string {
			if t.IsZero() {
				return nil
			}
			s := t.In(loc).Format(time.RFC3339)
			return &s
		}
		for _, m := range msgs {
			next := rfc(m.NextAttempt)
			if !m.SentAt.IsZero() {
				next = nil
			}
			out = append(out, entry{m.ID, m.Channel, recipient(m.Message), m.Subject, m.Attempts, m.CreatedAt.In(loc).Format(time.RFC3339), next, rfc(m.SentAt), m.LastError})
		}
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(msgs) == 0 {
		fmt.Fprintln(c.Stdout, e.L("Udbakken er tom: alt er leveret.", "The outbox is empty: everything was delivered."))
		return nil
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, e.L("ID\tKANAL\tMODTAGER\tEMNE\tFORSØG\tNÆSTE FORSØG\tSIDSTE FEJL", "ID\tCHANNEL\tRECIPIENT\tSUBJECT\tATTEMPTS\tNEXT TRY\tLAST ERROR"))
	failing := 0
	for _, m := range msgs {
		next := stamp(m.NextAttempt, loc)
		switch {
		case !m.SentAt.IsZero():
			next = e.L("sendt ", "sent ") + stamp(m.SentAt, loc)
		case m.ClaimedUntil.After(time.Now()):
			next = e.L("sendes nu", "being sent")
		}
		if m.SentAt.IsZero() && m.LastError != "" {
			failing++
		}
		tableRow(tw, m.ID, m.Channel, recipient(m.Message), m.Subject, m.Attempts, next, m.LastError)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, e.L("%d %s, %d med fejl ved sidste forsøg\n", "%d %s, %d failed at their last try\n"), len(msgs),
		e.L(plural(len(msgs), "besked", "beskeder"), plural(len(msgs), "message", "messages")), failing)
	return nil
}

// recipient shows a message's recipient; a webhook by its host only, as its
// path holds the hook's secret.
func recipient(m store.Message) string {
	if m.Channel != "webhook" {
		return safeout.Terminal(m.Recipient)
	}
	if u, err := url.Parse(m.Recipient); err == nil && u.Host != "" {
		return u.Scheme + "://" + u.Host + "/…"
	}
	return "webhook"
}
