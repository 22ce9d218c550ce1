package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrAlreadyQueued is returned by Queue for a message that is already in
// the outbox: the same dedupe key, or a digest whose alerts another run
// queued in the meantime.
var ErrAlreadyQueued = errors.New("already queued")

// Message is a message in the outbox.
type Message struct {
	ID         int64
	Channel    string // "email" or "webhook"
	Recipient  string
	Subject    string
	Text, HTML string
	Payload    string // webhook JSON
	Attachment string // path of a file to attach
	// Key, when set, makes queuing idempotent: a second message with the
	// same key is not queued.
	Key       string
	Attempts  int
	LastError string
	CreatedAt time.Time
	SentAt    time.Time
}

// Alert is one alert of a digest, logged so it is never sent twice for
// the same state.
type Alert struct {
	Recipient, Key, State string
}

// SentAlerts returns the alerts logged for a recipient: key → states.
func (s *DB) SentAlerts(ctx context.Context, recipient string) (map[string]map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, state FROM alert_log WHERE recipient = ?`, recipient)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]bool{}
	for rows.Next() {
		var k, st string
		if err := rows.Scan(&k, &st); err != nil {
			return nil, err
		}
		if out[k] == nil {
			out[k] = map[string]bool{}
		}
		out[k][st] = true
	}
	return out, rows.Err()
}

// UnresolvedAlerts returns the keys alerted to a recipient and not yet
// reported resolved to them.
func (s *DB) UnresolvedAlerts(ctx context.Context, recipient string) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT key FROM alert_log WHERE recipient = ? AND resolved_at IS NULL`, recipient)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// Queue puts a message in the outbox and logs its alerts and the resolved
// keys reported, in one transaction: a digest is queued whole or not at all.
// Queuing is idempotent per recipient and state: a digest with an alert
// already logged for its recipient (another run queued it meanwhile), or
// whose resolved keys were all reported already, or a message whose Key is
// in the outbox, is not queued again and ErrAlreadyQueued is returned. The
// check and the insert run under the write lock, so parallel runs cannot
// both pass it.
func (s *DB) Queue(ctx context.Context, m Message, alerts []Alert, resolved []string) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for _, a := range alerts {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM alert_log WHERE recipient = ? AND key = ? AND state = ?`, a.Recipient, a.Key, a.State).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return ErrAlreadyQueued
			}
		}
		if len(alerts) == 0 && len(resolved) > 0 {
			open := 0
			for _, k := range resolved {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM alert_log WHERE recipient = ? AND key = ? AND resolved_at IS NULL`, m.Recipient, k).Scan(&n); err != nil {
					return err
				}
				open += n
			}
			if open == 0 {
				return ErrAlreadyQueued
			}
		}
		var key any
		if m.Key != "" {
			key = m.Key
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE dedupe_key = ?`, m.Key).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return ErrAlreadyQueued
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO outbox (channel, recipient, subject, body_text, body_html, payload, attachment, dedupe_key, created_at, next_attempt_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.Channel, m.Recipient, m.Subject, m.Text, m.HTML, m.Payload, m.Attachment, key, now, now)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		for _, a := range alerts {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO alert_log (recipient, key, state, at) VALUES (?, ?, ?, ?)`, a.Recipient, a.Key, a.State, now); err != nil {
				return err
			}
		}
		for _, k := range resolved {
			if _, err := tx.ExecContext(ctx, `UPDATE alert_log SET resolved_at = ? WHERE recipient = ? AND key = ? AND resolved_at IS NULL`, now, m.Recipient, k); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, ErrAlreadyQueued) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("queue message to %s: %w", m.Recipient, err)
	}
	return id, nil
}

const messageColumns = `id, channel, recipient, subject, body_text, body_html, payload, attachment, COALESCE(dedupe_key, ''), attempts, last_error, created_at`

func scanMessage(sc interface{ Scan(...any) error }) (Message, error) {
	var m Message
	var created sql.NullString
	err := sc.Scan(&m.ID, &m.Channel, &m.Recipient, &m.Subject, &m.Text, &m.HTML, &m.Payload, &m.Attachment, &m.Key, &m.Attempts, &m.LastError, &created)
	m.CreatedAt = parseTime(created)
	return m, err
}

// DueMessages returns the unsent, unclaimed messages whose next attempt is
// due.
func (s *DB) DueMessages(ctx context.Context) ([]Message, error) {
	now := s.now()
	rows, err := s.db.QueryContext(ctx, `SELECT `+messageColumns+`
		FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? AND claimed_until <= ? ORDER BY id`, now, now)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Claim takes the oldest due message that no sender holds, for owner, until
// lease from now: it is the owner's to deliver, and nobody else's until the
// lease expires (a sender that crashed). ok is false when nothing is due.
// The claim is one transaction under the write lock, so two senders never
// take the same message.
func (s *DB) Claim(ctx context.Context, owner string, lease time.Duration) (m Message, ok bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		row := tx.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM outbox
			WHERE sent_at IS NULL AND next_attempt_at <= ? AND claimed_until <= ? ORDER BY id LIMIT 1`, now, now)
		var err error
		m, err = scanMessage(row)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		ok = true
		_, err = tx.ExecContext(ctx, `UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id = ?`, owner, formatTime(s.Now().Add(lease)), m.ID)
		return err
	})
	if err != nil {
		return Message{}, false, fmt.Errorf("claim a message: %w", err)
	}
	return m, ok, nil
}

// MessageSent marks a message delivered and releases its claim.
func (s *DB) MessageSent(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = '', claimed_by = '', claimed_until = '' WHERE id = ?`, s.now(), id)
	return busy(err)
}

// MessageFailed records a failed attempt and releases the claim; the next
// attempt is after wait.
func (s *DB) MessageFailed(ctx context.Context, id int64, sendErr error, wait time.Duration) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_by = '', claimed_until = '' WHERE id = ?`,
		sendErr.Error(), formatTime(s.Now().Add(wait)), id)
	return busy(err)
}

// OutboxCounts returns the numbers of unsent and sent messages.
func (s *DB) OutboxCounts(ctx context.Context) (pending, sent int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE sent_at IS NULL), COUNT(*) FILTER (WHERE sent_at IS NOT NULL) FROM outbox`).Scan(&pending, &sent)
	return pending, sent, err
}
