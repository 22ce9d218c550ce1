package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/udrul/udrul/store"
	"github.com/wneessen/go-mail"
)

// Mailer sends e-mail through an SMTP server.
type Mailer struct {
	Host     string
	Port     int
	Security string // starttls, tls or none
	Username string
	Password string
	From     string
	Timeout  time.Duration
}

// Send delivers one message: a plain-text part and, if any, an HTML
// alternative, with an attachment if named.
func (m *Mailer) Send(ctx context.Context, msg store.Message) error {
	if m == nil || m.Host == "" {
		return errNoSMTP
	}
	opts := []mail.Option{mail.WithPort(m.Port), mail.WithTimeout(max(m.Timeout, 10*time.Second))}
	switch m.Security {
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if m.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(m.Username), mail.WithPassword(m.Password))
	}
	c, err := mail.NewClient(m.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	e := mail.NewMsg()
	if err := e.From(m.From); err != nil {
		return fmt.Errorf("from %q: %w", m.From, err)
	}
	if err := e.To(msg.Recipient); err != nil {
		return fmt.Errorf("to %q: %w", msg.Recipient, err)
	}
	e.Subject(msg.Subject)
	e.SetDate()
	e.SetMessageID()
	e.SetBodyString(mail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		e.AddAlternativeString(mail.TypeTextHTML, msg.HTML)
	}
	if msg.Attachment != "" {
		// go-mail leaves out a file it cannot find: a message saying the
		// report is attached would go without it.
		if fi, err := os.Stat(msg.Attachment); err != nil || !fi.Mode().IsRegular() {
			return &attachmentGone{path: msg.Attachment, err: err}
		}
		e.AttachFile(msg.Attachment)
	}
	if err := c.DialAndSendWithContext(ctx, e); err != nil {
		return fmt.Errorf("smtp %s:%d: %w", m.Host, m.Port, err)
	}
	return nil
}

// attachmentGone: a message's attachment is not there to send.
type attachmentGone struct {
	path string
	err  error
}

func (e *attachmentGone) Error() string { return "the attachment " + e.path + " is gone" }
func (e *attachmentGone) Unwrap() error { return e.err }

// Sender delivers the outbox. Several senders (the daemon's jobs, a
// `udrul alerts` run, another process on the same database) may flush at
// once: each message is claimed in a transaction before it is sent, so it
// is delivered once.
type Sender struct {
	DB   *store.DB
	Mail *Mailer
	HTTP *http.Client
	// Log gets a WARN line for every failed delivery, with the reason.
	Log *slog.Logger
	// English: the reasons kept with failed messages (shown by udrul
	// outbox and alerts) and the log messages in English; else Danish. The
	// log attributes' keys are English in both.
	English bool
	// Sent and Failed, when set, count deliveries (metrics).
	Sent, Failed func(channel string)
	// RetryBase is the wait after a first failure (default a minute); it
	// doubles with each failure, up to an hour.
	RetryBase time.Duration
	// Lease is how long a claimed message is this sender's (default
	// DefaultLease); a sender that crashed holds it no longer.
	Lease time.Duration
}

// DefaultLease is how long a sender holds a claimed message: longer than
// any delivery takes (SMTP and webhook time out well before).
const DefaultLease = 10 * time.Minute

// Flush delivers every message that is due. A failed message waits before
// its next attempt — 1, 2, 4 … minutes, at most an hour — so an outage
// loses nothing and a message is sent once it succeeds.
func (s *Sender) Flush(ctx context.Context) (sent, failed int, err error) {
	owner := newOwner()
	lease := s.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for {
		if ctx.Err() != nil {
			return sent, failed, ctx.Err()
		}
		m, ok, err := s.DB.Claim(ctx, owner, lease)
		if err != nil {
			return sent, failed, err
		}
		if !ok {
			return sent, failed, nil
		}
		err = s.explain(m, s.deliver(ctx, m))
		if err == nil {
			if err := s.DB.MessageSent(context.WithoutCancel(ctx), m.ID); err != nil {
				return sent, failed, err
			}
			sent++
			if s.Sent != nil {
				s.Sent(m.Channel)
			}
			continue
		}
		failed++
		if s.Failed != nil {
			s.Failed(m.Channel)
		}
		base := s.RetryBase
		if base <= 0 {
			base = time.Minute
		}
		wait := min(base<<min(m.Attempts, 6), time.Hour)
		log.Warn(s.say("levering fejlede; beskeden bliver i udbakken", "delivery failed; it stays in the outbox"), "channel", m.Channel, "to", redactURL(m.Channel, m.Recipient), "subject", m.Subject,
			"attempt", m.Attempts+1, "retry_in", wait, "reason", err)
		if err := s.DB.MessageFailed(context.WithoutCancel(ctx), m.ID, err, wait); err != nil {
			return sent, failed, err
		}
	}
}

// say is a log message in the sender's language: Danish, or English with
// English set.
func (s *Sender) say(da, en string) string {
	if s.English {
		return en
	}
	return da
}

// newOwner names one flush, for its claims.
func newOwner() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// redactURL keeps a webhook's host only: its path often holds the secret.
func redactURL(channel, recipient string) string {
	if channel != "webhook" {
		return recipient
	}
	u, err := url.Parse(recipient)
	if err != nil || u.Host == "" {
		return "webhook"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

func (s *Sender) deliver(ctx context.Context, m store.Message) error {
	switch m.Channel {
	case "email":
		return s.Mail.Send(ctx, m)
	case "webhook":
		client := &http.Client{Timeout: 30 * time.Second}
		if s.HTTP != nil {
			c := *s.HTTP
			client = &c
		}
		// A redirect that Go's client follows as a GET (301, 302, 303)
		// drops the message's body: the page at the end may answer 200
		// and the alerts would count as sent, never posted. Such an
		// answer is a failure, said below; 307 and 308 post again.
		next := client.CheckRedirect
		client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if req.Method != via[0].Method {
				return http.ErrUseLastResponse
			}
			if next != nil {
				return next(req, via)
			}
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			return nil
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.Recipient, bytes.NewReader([]byte(m.Payload)))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) { // its text holds the URL, and the URL the secret
				return fmt.Errorf("webhook %s: %w", redactURL(m.Channel, m.Recipient), ue.Err)
			}
			return err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			to := "?"
			if loc, err := resp.Location(); err == nil {
				to = redactURL(m.Channel, loc.String())
			}
			if s.English {
				return &failure{msg: fmt.Sprintf("the webhook %s answered %s, a redirect to %s that would drop the message: put the hook's new address in alerts.webhooks[].url", redactURL(m.Channel, m.Recipient), resp.Status, to)}
			}
			return &failure{msg: fmt.Sprintf("webhooken %s svarede %s, en omdirigering (redirect) til %s, som ville tabe beskeden: skriv hookens nye adresse i alerts.webhooks[].url", redactURL(m.Channel, m.Recipient), resp.Status, to)}
		}
		if resp.StatusCode >= 300 {
			if s.English {
				return &failure{msg: fmt.Sprintf("the webhook %s answered %s", redactURL(m.Channel, m.Recipient), resp.Status)}
			}
			return &failure{msg: fmt.Sprintf("webhooken %s svarede %s", redactURL(m.Channel, m.Recipient), resp.Status)}
		}
		return nil
	}
	return fmt.Errorf("unknown channel %q", m.Channel)
}
