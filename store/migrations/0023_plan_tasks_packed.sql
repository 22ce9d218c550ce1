-- Each plan's current tasks as one value (issue 16): an evaluation reads a
-- plan's tasks as one value rather than a row each (reading 120,000 rows
-- was a quarter of evaluating the country's findings).
--
-- The sync that writes a plan's tasks writes the value in the same
-- transaction. Anything else that changes a task (an older udrul, a
-- rebaselining, a hand edit with the sqlite3 tool) deletes the plan's value
-- through these triggers, in the same transaction as the change: a value
-- present is always the plan's tasks as committed. Readers without a value
-- read the rows, and the next sync writes it again.
CREATE TABLE plan_tasks_packed (
	plan_id INTEGER PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
	data    BLOB NOT NULL
);

CREATE TRIGGER plan_tasks_packed_insert AFTER INSERT ON tasks
BEGIN
	DELETE FROM plan_tasks_packed WHERE plan_id = NEW.plan_id;
END;

CREATE TRIGGER plan_tasks_packed_update AFTER UPDATE ON tasks
BEGIN
	DELETE FROM plan_tasks_packed WHERE plan_id IN (OLD.plan_id, NEW.plan_id);
END;

CREATE TRIGGER plan_tasks_packed_delete AFTER DELETE ON tasks
BEGIN
	DELETE FROM plan_tasks_packed WHERE plan_id = OLD.plan_id;
END;
