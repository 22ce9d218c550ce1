package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/store"
)

// TestOutboxCommand lists a message whose delivery failed with its reason,
// retries it, drops another, and shows webhooks by their host only.
func TestOutboxCommand(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("database: udrul.db\nlanguage: en\n"), 0o600)
	e, err := app.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mail, err := e.DB.Queue(ctx, store.Message{Channel: "email", Recipient: "pl@aarhus.dk", Subject: "udrul: frister"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.DB.Queue(ctx, store.Message{Channel: "webhook", Recipient: "https://hooks.slack.com/services/T0/B0/SECRET", Subject: "udrul"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.DB.MessageFailed(ctx, mail, errors.New("dial tcp 127.0.0.1:25: connection refused"), time.Hour); err != nil {
		t.Fatal(err)
	}
	e.Close()

	code, out, errOut := run(t, "outbox", "--config", cfg)
	if code != exitOK {
		t.Fatalf("outbox: %d %s", code, errOut)
	}
	for _, want := range []string{"pl@aarhus.dk", "udrul: frister", "connection refused", "https://hooks.slack.com/…", "2 messages, 1 failed at their last try"} {
		if !strings.Contains(out, want) {
			t.Errorf("outbox lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "SECRET") {
		t.Errorf("the webhook's secret path is shown:\n%s", out)
	}
	if code, out, _ := run(t, "outbox", "--config", cfg, "--retry", "1"); code != exitOK || !strings.Contains(out, "will be sent at the next try") {
		t.Errorf("retry: %d %s", code, out)
	}
	var list []struct {
		ID          int64   `json:"id"`
		Attempts    int     `json:"attempts"`
		NextAttempt *string `json:"next_attempt_at"`
		LastError   string  `json:"last_error"`
	}
	_, out, _ = run(t, "outbox", "--config", cfg, "--format", "json")
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 2 || list[0].Attempts != 1 || list[0].NextAttempt == nil {
		t.Fatalf("json: %v %s", err, out)
	}
	if next, _ := time.Parse(time.RFC3339, *list[0].NextAttempt); time.Until(next) > time.Minute {
		t.Errorf("after --retry the next try is %s, want now", *list[0].NextAttempt)
	}
	if code, _, _ := run(t, "outbox", "--config", cfg, "--drop", "2"); code != exitOK {
		t.Errorf("drop: %d", code)
	}
	if code, _, errOut := run(t, "outbox", "--config", cfg, "--drop", "2"); code != exitFailure || !strings.Contains(errOut, "no undelivered message 2") {
		t.Errorf("drop again: %d %s", code, errOut)
	}
	if _, out, _ := run(t, "outbox", "--config", cfg); strings.Contains(out, "hooks.slack.com") || !strings.Contains(out, "1 message,") {
		t.Errorf("after the drop:\n%s", out)
	}
	if code, _, errOut := run(t, "outbox", "--config", cfg, "--format", "xml"); code != exitUsage || !strings.HasPrefix(errOut, "udrul outbox: unknown format xml") {
		t.Errorf("bad format: %d %s", code, errOut)
	}
}
