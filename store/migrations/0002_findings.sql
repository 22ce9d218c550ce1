-- Findings with their lifecycle, and weekly snapshots of the headline
-- figures for "change since last week" and progress charts.

CREATE TABLE findings (
	id           INTEGER PRIMARY KEY,
	key          TEXT NOT NULL UNIQUE, -- kind and what it is about: stable across runs
	kind         TEXT NOT NULL,
	level        TEXT NOT NULL,        -- red, amber, info
	plan_id      INTEGER REFERENCES plans(id) ON DELETE CASCADE,
	task_id      INTEGER REFERENCES tasks(id) ON DELETE CASCADE,
	municipality TEXT NOT NULL DEFAULT '',
	solution     TEXT NOT NULL DEFAULT '',
	message      TEXT NOT NULL,
	days         INTEGER NOT NULL DEFAULT 0,
	detail       TEXT NOT NULL DEFAULT '{}',
	first_seen   TEXT NOT NULL,  -- as-of dates (YYYY-MM-DD)
	last_seen    TEXT NOT NULL,
	resolved_at  TEXT            -- as-of date it was no longer found
);
CREATE INDEX findings_open ON findings(resolved_at);

CREATE TABLE snapshots (
	as_of TEXT PRIMARY KEY, -- YYYY-MM-DD
	data  TEXT NOT NULL     -- JSON of the headline figures
);

CREATE TABLE reports (
	id         INTEGER PRIMARY KEY,
	as_of      TEXT NOT NULL,
	written_at TEXT NOT NULL,
	path       TEXT NOT NULL
);
