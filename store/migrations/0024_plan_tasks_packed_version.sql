-- The packed value's format version in a column of its own, ahead of the
-- value: a sync asks which plans need packing (none, or of another
-- version) without reading the values themselves (reading the version out
-- of each value read 10 MB, a fifth of an unchanged sync). The values are
-- a copy of the tasks (migration 0023): dropped here, packed again from
-- the rows by the next sync.
DROP TABLE plan_tasks_packed;

CREATE TABLE plan_tasks_packed (
	plan_id INTEGER PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
	version INTEGER NOT NULL,
	data    BLOB NOT NULL
);
