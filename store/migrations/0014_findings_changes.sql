-- An evaluation writes only the findings whose state changed (issue 16).
--
-- Each saved evaluation is recorded once in evaluations. An open finding is
-- seen by every evaluation since it was opened, so its last-seen date is the
-- latest evaluation's as-of date and is no longer written to each open row:
-- findings.last_seen of an open finding is the as-of date its row was last
-- written; of a resolved finding, the last evaluation that found it.
--
-- digest is a hash of what an open finding says (level, message, days,
-- detail, plan, task, municipality, solution): a finding found again with
-- the same digest is not written. Rows from before this migration have 0
-- and are written once more, with their digest.

CREATE TABLE evaluations (
	id       INTEGER PRIMARY KEY,
	as_of    TEXT NOT NULL,             -- YYYY-MM-DD
	at       TEXT NOT NULL,             -- when it was saved (RFC 3339)
	found    INTEGER NOT NULL DEFAULT 0,
	opened   INTEGER NOT NULL DEFAULT 0,
	changed  INTEGER NOT NULL DEFAULT 0, -- open findings rewritten
	resolved INTEGER NOT NULL DEFAULT 0
);
INSERT INTO evaluations (as_of, at) SELECT MAX(last_seen), '' FROM findings HAVING MAX(last_seen) IS NOT NULL;

ALTER TABLE findings ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;

-- An evaluation reads a municipality's open findings at a time.
CREATE INDEX findings_open_municipality ON findings(municipality, key, first_seen, digest) WHERE resolved_at IS NULL;

-- The rules read the last week's changes.
CREATE INDEX task_changes_at ON task_changes(at);
