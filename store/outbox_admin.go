package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// OutboxEntry is a message in the outbox as an operator sees it.
type OutboxEntry struct {
	Message
	NextAttempt  time.Time
	ClaimedUntil time.Time // a sender holds it until then (zero: nobody)
}

// Outbox lists the messages not yet delivered, oldest first, and with all
// the delivered ones too.
func (s *DB) Outbox(ctx context.Context, all bool) ([]OutboxEntry, error) {
	where := `WHERE sent_at IS NULL`
	if all {
		where = ``
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+messageColumns+`, next_attempt_at, COALESCE(claimed_until, ''), COALESCE(sent_at, '')
		FROM outbox `+where+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list the outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		var created, next, claimed, sent sql.NullString
		if err := rows.Scan(&e.ID, &e.Channel, &e.Recipient, &e.Subject, &e.Text, &e.HTML, &e.Payload, &e.Attachment, &e.Key, &e.Attempts,
			&e.LastError, &created, &next, &claimed, &sent); err != nil {
			return nil, err
		}
		e.CreatedAt, e.NextAttempt, e.ClaimedUntil, e.SentAt = parseTime(created), parseTime(next), parseTime(claimed), parseTime(sent)
		out = append(out, e)
	}
	return out, rows.Err()
}

// RetryMessage makes an undelivered message due now. It reports false when
// there is no such undelivered message.
func (s *DB) RetryMessage(ctx context.Context, id int64) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND sent_at IS NULL`, s.now(), id)
	if err != nil {
		return false, busy(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// DropMessage removes an undelivered message: it will not be sent. Its
// alerts stay logged, so they are not queued again. It reports false when
// there is no such undelivered message, or a sender holds it right now.
func (s *DB) DropMessage(ctx context.Context, id int64) (bool, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM outbox WHERE id = ? AND sent_at IS NULL AND COALESCE(claimed_until, '') <= ?`, id, s.now())
	if err != nil {
		return false, busy(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
