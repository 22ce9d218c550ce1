package web

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/reports"
	"github.com/udrul/udrul/store"
)

// TestServer_sourcesOutbox: the Kilder page shows undelivered messages
// with their last error, a webhook by its host only; municipal users do
// not see it.
func TestServer_sourcesOutbox(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "udrul.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id, err := db.Queue(ctx, store.Message{Channel: "email", Recipient: "pl@aarhus.dk", Subject: "udrul: 3 varsler"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.MessageFailed(ctx, id, errors.New("550 mailbox unavailable"), time.Hour)
	db.Queue(ctx, store.Message{Channel: "webhook", Recipient: "https://hooks.slack.com/services/T0/B0/SECRET", Subject: "udrul"}, nil, nil)
	d := fixture()
	s := &Server{Load: func(context.Context) (*reports.Data, error) { return d, nil }, DB: db, Location: time.UTC}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	_, _, body := get(t, ts, "/sources", nil)
	for _, want := range []string{"Udbakke", "pl@aarhus.dk", "udrul: 3 varsler", "550 mailbox unavailable", "https://hooks.slack.com/…"} {
		if !strings.Contains(body, want) {
			t.Errorf("Kilder lacks %q", want)
		}
	}
	if strings.Contains(body, "SECRET") {
		t.Error("the webhook's secret is on the page")
	}
}
