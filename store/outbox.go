package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Message is a message in the outbox.
type Message struct {
	ID         int64
	Channel    string // "email" or "webhook"
	Recipient  string
	Subject    string
	Text, HTML string
	Payload    string // webhook JSON
	Attachment string // path of a file to attach
	Attempts   int
	LastError  string
	CreatedAt  time.Time
	SentAt     time.Time
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
func (s *DB) Queue(ctx context.Context, m Message, alerts []Alert, resolved []string) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO outbox (channel, recipient, subject, body_text, body_html, payload, attachment, created_at, next_attempt_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.Channel, m.Recipient, m.Subject, m.Text, m.HTML, m.Payload, m.Attachment, now, now)
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
	if err != nil {
		return 0, fmt.Errorf("queue message to %s: %w", m.Recipient, err)
	}
	return id, nil
}

// DueMessages returns the unsent messages whose next attempt is due.
func (s *DB) DueMessages(ctx context.Context) ([]Message, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, channel, recipient, subject, body_text, body_html, payload, attachment, attempts, last_error, created_at
		FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY id`, s.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		var created sql.NullString
		if err := rows.Scan(&m.ID, &m.Channel, &m.Recipient, &m.Subject, &m.Text, &m.HTML, &m.Payload, &m.Attachment, &m.Attempts, &m.LastError, &created); err != nil {
			return nil, err
		}
		m.CreatedAt = parseTime(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// MessageSent marks a message delivered.
func (s *DB) MessageSent(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?`, s.now(), id)
	return err
}

// MessageFailed records a failed attempt; the next one is after wait.
func (s *DB) MessageFailed(ctx context.Context, id int64, sendErr error, wait time.Duration) error {
	_, err := s.db.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`,
		sendErr.Error(), formatTime(s.Now().Add(wait)), id)
	return err
}

// OutboxCounts returns the numbers of unsent and sent messages.
func (s *DB) OutboxCounts(ctx context.Context) (pending, sent int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE sent_at IS NULL), COUNT(*) FILTER (WHERE sent_at IS NOT NULL) FROM outbox`).Scan(&pending, &sent)
	return pending, sent, err
}
