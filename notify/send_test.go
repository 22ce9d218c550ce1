package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-smtp"
	"github.com/udrul/udrul/store"
)

// smtpCounter is a real SMTP server on loopback counting the messages each
// recipient gets.
type smtpCounter struct {
	mu  sync.Mutex
	got map[string]int
}

type smtpSession struct {
	c  *smtpCounter
	to []string
}

func (s *smtpSession) Reset()                                      { s.to = nil }
func (s *smtpSession) Logout() error                               { return nil }
func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error { return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = append(s.to, to); return nil }
func (s *smtpSession) Data(r io.Reader) error {
	io.Copy(io.Discard, r)
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	for _, to := range s.to {
		s.c.got[to]++
	}
	return nil
}

func startSMTP(t *testing.T) (*smtpCounter, string, int) {
	t.Helper()
	c := &smtpCounter{got: map[string]int{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{c: c}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	return c, host, p
}

// TestSender_Flush_concurrent flushes one outbox with six senders at once,
// on two database handles of one file (two processes do the same): every
// e-mail reaches the loopback SMTP server once and every webhook the test
// server once.
func TestSender_Flush_concurrent(t *testing.T) {
	ctx := context.Background()
	mailbox, host, port := startSMTP(t)
	var mu sync.Mutex
	hooks := map[string]int{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		hooks[string(b)]++
		mu.Unlock()
	}))
	defer hook.Close()

	path := filepath.Join(t.TempDir(), "udrul.db")
	var dbs []*store.DB
	for range 2 {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs = append(dbs, db)
	}
	const n = 20
	for i := range n {
		if _, err := dbs[0].Queue(ctx, store.Message{Channel: "email", Recipient: fmt.Sprintf("pl%d@kommune.dk", i), Subject: "s", Text: "t"}, nil, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := dbs[0].Queue(ctx, store.Message{Channel: "webhook", Recipient: hook.URL, Subject: "s", Payload: fmt.Sprintf(`{"n":%d}`, i)}, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var sent, failed atomic.Int64
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &Sender{DB: dbs[i%2], Mail: &Mailer{Host: host, Port: port, Security: "none", From: "udrul@kombit.dk"}}
			ns, nf, err := s.Flush(ctx)
			if err != nil {
				t.Error(err)
			}
			sent.Add(int64(ns))
			failed.Add(int64(nf))
		}()
	}
	wg.Wait()
	if sent.Load() != 2*n || failed.Load() != 0 {
		t.Errorf("sent %d, failed %d; want %d, 0", sent.Load(), failed.Load(), 2*n)
	}
	for i := range n {
		addr := fmt.Sprintf("pl%d@kommune.dk", i)
		if got := mailbox.got[addr]; got != 1 {
			t.Errorf("%s got %d e-mails, want 1", addr, got)
		}
		if got := hooks[fmt.Sprintf(`{"n":%d}`, i)]; got != 1 {
			t.Errorf("webhook %d delivered %d times, want 1", i, got)
		}
	}
}

// TestSender_Flush_logsFailures: every failed delivery is logged at WARN
// with its reason, in the sender's language (the attributes' keys English),
// and a webhook's secret path stays out of the log.
func TestSender_Flush_logsFailures(t *testing.T) {
	ctx := context.Background()
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusForbidden)
	}))
	defer hook.Close()
	for _, tt := range []struct {
		english bool
		msg     string
		want    []string
	}{
		{false, `msg="levering fejlede; beskeden bliver i udbakken" channel=webhook`, []string{"webhooken " + hook.URL + "/… svarede 403 Forbidden", "http://127.0.0.1:1/… afviste forbindelsen (connection refused): tjek adressen og porten",
			"der er ingen SMTP-server i konfigurationen (smtp.host): e-mail kan ikke sendes"}},
		{true, `msg="delivery failed; it stays in the outbox" channel=webhook`, []string{"the webhook " + hook.URL + "/… answered 403 Forbidden", "http://127.0.0.1:1/… refused the connection (connection refused): check the address and port",
			"no SMTP server configured (smtp.host): e-mail cannot be sent"}},
	} {
		t.Run(map[bool]string{false: "da", true: "en"}[tt.english], func(t *testing.T) {
			db, err := store.Open(ctx, filepath.Join(t.TempDir(), "udrul.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.Queue(ctx, store.Message{Channel: "webhook", Recipient: hook.URL + "/hooks/SECRET123", Subject: "s", Payload: "{}"}, nil, nil)
			db.Queue(ctx, store.Message{Channel: "webhook", Recipient: "http://127.0.0.1:1/hooks/SECRET456", Subject: "s", Payload: "{}"}, nil, nil)
			db.Queue(ctx, store.Message{Channel: "email", Recipient: "pl@kommune.dk", Subject: "s"}, nil, nil)
			var logs bytes.Buffer
			s := &Sender{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), English: tt.english}
			if _, failed, err := s.Flush(ctx); err != nil || failed != 3 {
				t.Fatalf("failed = %d, err = %v; want 3, nil", failed, err)
			}
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != 3 {
				t.Fatalf("%d log lines, want 3:\n%s", len(lines), logs.String())
			}
			for i, want := range tt.want {
				msg := tt.msg
				if i == 2 {
					msg = strings.Replace(msg, "channel=webhook", "channel=email", 1)
				}
				if !strings.Contains(lines[i], "level=WARN") || !strings.Contains(lines[i], msg) || !strings.Contains(lines[i], want) {
					t.Errorf("log line %d = %s; want WARN with %s and %q", i, lines[i], msg, want)
				}
			}
			if strings.Contains(logs.String(), "SECRET") {
				t.Errorf("a webhook's secret reached the log:\n%s", logs.String())
			}
		})
	}
}

// TestRender_webhookMarkup: a task title written to ping a channel or to
// forge a link reaches Slack and Teams as text.
func TestRender_webhookMarkup(t *testing.T) {
	title := "<!channel> se <https://evil.example|Aarhus' plan> & [klik](https://evil.example) <a href=\"https://evil.example\">her</a> **fed**"
	d := Digest{Items: []Item{{Key: "overdue|1|1", Kind: "overdue", Municipality: "Aarhus", Solution: "KY", Step: "Trin 1", Title: title}}}
	for _, tc := range []struct {
		format      string
		forbidden   []string
		mustContain []string
	}{
		{"slack", []string{"<!channel>", "<https://", "<a href"}, []string{"&lt;!channel&gt;", "&amp;"}},
		{"teams", []string{"[klik](https://", "<a href", "**fed**", "<!channel>"}, []string{`\[klik\]\(https://evil.example\)`, "&lt;a href", `\*\*fed\*\*`}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			d.Recipient = Recipient{Channel: "webhook", Address: "http://x", Format: tc.format}
			m, err := Render(d, false, "2026-W48")
			if err != nil {
				t.Fatal(err)
			}
			var payload struct{ Text string }
			if err := json.Unmarshal([]byte(m.Payload), &payload); err != nil {
				t.Fatal(err)
			}
			for _, f := range tc.forbidden {
				if strings.Contains(payload.Text, f) {
					t.Errorf("text holds %q:\n%s", f, payload.Text)
				}
			}
			for _, w := range tc.mustContain {
				if !strings.Contains(payload.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, payload.Text)
				}
			}
		})
	}
}

// TestRender_webhookSize: a digest too long for a Teams or Slack message
// (Teams refuses over 28 KB, every retry) is cut after a whole line and
// says how many lines are left out and where to see them; a short one is
// whole.
func TestRender_webhookSize(t *testing.T) {
	for _, tc := range []struct {
		format string
		items  int
		cut    bool
	}{
		{"teams", 10, false}, {"teams", 2000, true}, {"slack", 10, false}, {"slack", 2000, true}, {"generic", 10, false},
	} {
		t.Run(fmt.Sprintf("%s %d", tc.format, tc.items), func(t *testing.T) {
			d := Digest{Recipient: Recipient{Channel: "webhook", Address: "http://x", Format: tc.format}, WebURL: "https://udrul.example"}
			for i := range tc.items {
				d.Items = append(d.Items, Item{Key: fmt.Sprintf("overdue|%d|%d", i, i), Kind: "overdue", Municipality: "Aarhus", Solution: "KY",
					Step: "Trin 1", Title: fmt.Sprintf("Opgave nummer %d med en lang titel [som skal escapes] * _ & <> \\ \"", i)})
			}
			m, err := Render(d, false, "2026-W48")
			if err != nil {
				t.Fatal(err)
			}
			if tc.format == "generic" {
				return
			}
			var payload struct{ Text string }
			if err := json.Unmarshal([]byte(m.Payload), &payload); err != nil {
				t.Fatal(err)
			}
			if len(m.Payload) > 28<<10 && tc.format == "teams" || utf8.RuneCountInString(payload.Text) > 40_000 {
				t.Errorf("%s payload of %d bytes, text %d: over the service's limit", tc.format, len(m.Payload), len(payload.Text))
			}
			said := strings.Contains(payload.Text, "linjer mere er udeladt her") && strings.Contains(payload.Text, "se dem alle i webvisningen (https://udrul.example)")
			if said != tc.cut {
				t.Errorf("cut said: %v, want %v:\n…%s", said, tc.cut, payload.Text[max(0, len(payload.Text)-300):])
			}
			if tc.cut {
				body, _, _ := strings.Cut(payload.Text, "\n… ")
				if !strings.HasSuffix(body, "\n") || !strings.Contains(body, "Opgave nummer 1 ") {
					t.Errorf("not cut after a whole line:\n…%s", body[max(0, len(body)-200):])
				}
			}
		})
	}
}

// TestSender_webhookRedirect: a webhook that answers with a redirect the
// client would follow as a GET (301, 302, 303: a moved hook, http to
// https) never received the alerts — Go's client drops the body — yet the
// page at the end answered 200 and the message counted as sent. It fails
// in words and stays in the outbox; a 307 or 308, which posts the same
// body again, delivers.
func TestSender_webhookRedirect(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		code     int
		wantSent bool
	}{
		{http.StatusMovedPermanently, false},
		{http.StatusFound, false},
		{http.StatusSeeOther, false},
		{http.StatusTemporaryRedirect, true},
		{http.StatusPermanentRedirect, true},
	} {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			var posted atomic.Int64
			hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/old" {
					http.Redirect(w, r, "/new", tt.code)
					return
				}
				if b, _ := io.ReadAll(r.Body); r.Method == http.MethodPost && string(b) == `{"n":1}` {
					posted.Add(1)
				}
				io.WriteString(w, "ok") // a page that answers anything
			}))
			defer hook.Close()
			db, err := store.Open(ctx, filepath.Join(t.TempDir(), "udrul.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Queue(ctx, store.Message{Channel: "webhook", Recipient: hook.URL + "/old", Subject: "s", Payload: `{"n":1}`}, nil, nil); err != nil {
				t.Fatal(err)
			}
			s := &Sender{DB: db, English: true}
			sent, failed, err := s.Flush(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := posted.Load() == 1; got != tt.wantSent || (sent == 1) != tt.wantSent || (failed == 1) == tt.wantSent {
				t.Errorf("payload posted: %v, sent %d, failed %d; want posted and sent: %v", got, sent, failed, tt.wantSent)
			}
			if !tt.wantSent {
				msgs, _ := db.Outbox(ctx, false)
				if len(msgs) != 1 || !strings.Contains(msgs[0].LastError, "a redirect to "+hook.URL+"/…") || strings.Contains(msgs[0].LastError, "/new") {
					t.Errorf("outbox = %+v; want the message kept with a reason naming the redirect", msgs)
				}
			}
		})
	}
}

// TestSender_attachmentGone: an e-mail whose attachment is gone by the time
// it is delivered (the weekly report pruned or moved while an SMTP outage
// kept it in the outbox) is not sent without it — go-mail leaves out a
// file it cannot find, and "the weekly report is attached" went out with
// nothing attached, counted as sent. It fails in words and waits.
func TestSender_attachmentGone(t *testing.T) {
	ctx := context.Background()
	mailbox, host, port := startSMTP(t)
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	report := filepath.Join(dir, "udrul-rapport-2026-W48.xlsx")
	if _, err := db.Queue(ctx, store.Message{Channel: "email", Recipient: "koordinator@kombit.dk", Subject: "udrul: weekly report 2026-W48",
		Text: "The weekly report for 2026-W48 is attached.", Attachment: report}, nil, nil); err != nil {
		t.Fatal(err)
	}
	s := &Sender{DB: db, Mail: &Mailer{Host: host, Port: port, Security: "none", From: "udrul@example.dk"}, English: true}
	sent, failed, err := s.Flush(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sent != 0 || failed != 1 || mailbox.got["koordinator@kombit.dk"] != 0 {
		t.Fatalf("sent %d, failed %d, received %d; want the message kept, not sent without its attachment", sent, failed, mailbox.got["koordinator@kombit.dk"])
	}
	msgs, _ := db.Outbox(ctx, false)
	if len(msgs) != 1 || !strings.Contains(msgs[0].LastError, "the attachment "+report+" is gone") {
		t.Errorf("outbox = %+v; want the message kept, its reason naming the attachment", msgs)
	}
}
