-- The trigger on task inserts again (dropped by migration 0025): a REPLACE
-- INTO tasks (the sqlite3 tool, a script) deletes the row it replaces
-- without firing the delete trigger (SQLite fires delete triggers for a
-- REPLACE only with recursive_triggers on, which is off by default) and
-- inserts one under the same ID: the plan's count of current tasks stays
-- as it was, so the count a reader checks a value against cannot tell, and
-- the plan's old packed value was read as its tasks. The insert's trigger
-- deletes the value. It costs a first sync of 120,000 tasks about 0.16
-- CPU-s (migration 0025): the price of a value never read stale.
-- One of that name made by hand meanwhile (0023's, say, to mend this)
-- gives way to udrul's: its values are dropped below all the same.
DROP TRIGGER IF EXISTS plan_tasks_packed_insert;
CREATE TRIGGER plan_tasks_packed_insert AFTER INSERT ON tasks
BEGIN
	DELETE FROM plan_tasks_packed WHERE plan_id = NEW.plan_id;
END;

-- A value already made stale that way is dropped: the next sync packs
-- each plan again from its rows (PackMissing).
DELETE FROM plan_tasks_packed;
