-- The findings without foreign keys (issue 16): checking that each saved
-- finding's plan and task exist was a fifth of inserting a first
-- evaluation's 72,000 findings (0.07 s of 0.33 s), and udrul deletes no
-- plan, task or finding (a plan or task gone from its sheet is kept and
-- marked). The findings are udrul's own judgement of the plans as last
-- evaluated: a finding whose plan or task was deleted by hand is no longer
-- found at the next evaluation and is resolved then.
CREATE TABLE findings_new (
	id           INTEGER PRIMARY KEY,
	key          TEXT NOT NULL UNIQUE, -- kind and what it is about: stable across runs
	kind         TEXT NOT NULL,
	level        TEXT NOT NULL,        -- red, amber, info
	plan_id      INTEGER,              -- plans(id), or none
	task_id      INTEGER,              -- tasks(id), or none
	municipality TEXT NOT NULL DEFAULT '',
	solution     TEXT NOT NULL DEFAULT '',
	message      TEXT NOT NULL,
	days         INTEGER NOT NULL DEFAULT 0,
	detail       TEXT NOT NULL DEFAULT '{}',
	first_seen   TEXT NOT NULL,  -- as-of dates (YYYY-MM-DD)
	last_seen    TEXT NOT NULL,
	resolved_at  TEXT,           -- as-of date it was no longer found
	digest       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO findings_new (id, key, kind, level, plan_id, task_id, municipality, solution, message, days, detail, first_seen, last_seen, resolved_at, digest)
	SELECT id, key, kind, level, plan_id, task_id, municipality, solution, message, days, detail, first_seen, last_seen, resolved_at, digest FROM findings;
DROP TABLE findings;
ALTER TABLE findings_new RENAME TO findings;
CREATE INDEX findings_open ON findings(resolved_at);
CREATE INDEX findings_open_municipality ON findings(municipality) WHERE resolved_at IS NULL;
