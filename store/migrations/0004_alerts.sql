-- Alerts: what was sent to whom for which state (never twice), and the
-- outbox that delivers messages with retries.

CREATE TABLE alert_log (
	id          INTEGER PRIMARY KEY,
	recipient   TEXT NOT NULL,
	key         TEXT NOT NULL, -- the finding's key
	state       TEXT NOT NULL, -- due:5, overdue, escalated, slipped:2026-06-15, ...
	at          TEXT NOT NULL,
	resolved_at TEXT,          -- when the recipient was told it was resolved
	UNIQUE (recipient, key, state)
);
CREATE INDEX alert_log_key ON alert_log(recipient, key);

CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	channel         TEXT NOT NULL, -- email, webhook
	recipient       TEXT NOT NULL, -- address or URL
	subject         TEXT NOT NULL,
	body_text       TEXT NOT NULL DEFAULT '',
	body_html       TEXT NOT NULL DEFAULT '',
	payload         TEXT NOT NULL DEFAULT '', -- webhook JSON
	attachment      TEXT NOT NULL DEFAULT '', -- a file to attach
	created_at      TEXT NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TEXT NOT NULL,
	sent_at         TEXT,
	last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(sent_at, next_attempt_at);
