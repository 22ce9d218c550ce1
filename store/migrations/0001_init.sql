-- The store of udrul: sources, plans, tasks, their history and sync runs.

CREATE TABLE sync_runs (
	id          INTEGER PRIMARY KEY,
	started_at  TEXT NOT NULL,
	finished_at TEXT,
	status      TEXT NOT NULL DEFAULT 'running', -- running, ok, failed, interrupted
	summary     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sources (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	kind         TEXT NOT NULL,
	location     TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL DEFAULT 'new', -- new, ok, failing
	last_sync_at TEXT,
	last_ok_at   TEXT,
	last_error   TEXT NOT NULL DEFAULT '',
	last_stats   TEXT NOT NULL DEFAULT ''      -- JSON: files, calls, bytes, duration
);

-- One plan per municipality and solution.
CREATE TABLE plans (
	id             INTEGER PRIMARY KEY,
	municipality   TEXT NOT NULL,
	solution       TEXT NOT NULL,
	wave           TEXT NOT NULL DEFAULT '',
	source_id      INTEGER REFERENCES sources(id) ON DELETE SET NULL,
	location       TEXT NOT NULL DEFAULT '',   -- the file (or sheet URL) it is read from
	state          TEXT NOT NULL DEFAULT 'ok', -- ok, held, failing, gone
	state_reason   TEXT NOT NULL DEFAULT '',
	metadata       TEXT NOT NULL DEFAULT '{}', -- JSON of the plan's key/value lines
	created_at     TEXT NOT NULL,
	last_sync_at   TEXT,                        -- last time its source was read
	last_ok_at     TEXT,                        -- last time it was read and applied
	last_change_at TEXT,                        -- last time its content changed
	UNIQUE (municipality, solution)
);

-- What was last read from each file or sheet, so unchanged ones cost nothing.
CREATE TABLE documents (
	id           INTEGER PRIMARY KEY,
	source_id    INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	key          TEXT NOT NULL,          -- path, or spreadsheet ID
	version      TEXT NOT NULL DEFAULT '', -- size+mtime, or Drive modifiedTime
	content_hash TEXT NOT NULL DEFAULT '',
	plan_id      INTEGER REFERENCES plans(id) ON DELETE SET NULL,
	last_read_at TEXT,
	last_error   TEXT NOT NULL DEFAULT '',
	held_hash    TEXT NOT NULL DEFAULT '', -- content held back by the shrink guard
	UNIQUE (source_id, key)
);

CREATE TABLE tasks (
	id             INTEGER PRIMARY KEY,
	plan_id        INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	ext_id         TEXT NOT NULL DEFAULT '', -- the plan's own ID
	step           TEXT NOT NULL DEFAULT '',
	title          TEXT NOT NULL,
	responsible    TEXT NOT NULL DEFAULT '',
	performer      TEXT NOT NULL DEFAULT '',
	start          TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD or ''
	end            TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL DEFAULT 'not_started',
	raw_status     TEXT NOT NULL DEFAULT '',
	notes          TEXT NOT NULL DEFAULT '',
	sheet          TEXT NOT NULL DEFAULT '',
	row            INTEGER NOT NULL DEFAULT 0,
	baseline_start TEXT NOT NULL DEFAULT '',
	baseline_end   TEXT NOT NULL DEFAULT '',
	created_run_id INTEGER NOT NULL REFERENCES sync_runs(id),
	updated_run_id INTEGER NOT NULL REFERENCES sync_runs(id),
	removed_at     TEXT,                      -- gone from the sheet; kept
	removed_run_id INTEGER REFERENCES sync_runs(id)
);
CREATE INDEX tasks_plan ON tasks(plan_id);

-- Field-level history: what changed, from what, to what, in which run.
CREATE TABLE task_changes (
	id      INTEGER PRIMARY KEY,
	task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
	run_id  INTEGER NOT NULL REFERENCES sync_runs(id),
	at      TEXT NOT NULL,
	field   TEXT NOT NULL, -- a task field, or 'created', 'removed', 'restored', 'baseline'
	old     TEXT NOT NULL DEFAULT '',
	new     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_changes_task ON task_changes(task_id);
CREATE INDEX task_changes_run ON task_changes(run_id);

-- The problems found in each plan's sheet at its last read.
CREATE TABLE plan_issues (
	id       INTEGER PRIMARY KEY,
	plan_id  INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	sheet    TEXT NOT NULL DEFAULT '',
	cell     TEXT NOT NULL DEFAULT '',
	severity TEXT NOT NULL,
	code     TEXT NOT NULL,
	message  TEXT NOT NULL
);
CREATE INDEX plan_issues_plan ON plan_issues(plan_id);

-- Baseline resets, with the label a coordinator gave them.
CREATE TABLE baselines (
	id      INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	label   TEXT NOT NULL,
	at      TEXT NOT NULL
);
