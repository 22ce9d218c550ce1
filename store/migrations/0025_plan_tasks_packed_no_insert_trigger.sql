-- A task inserted into a plan no longer deletes the plan's packed value
-- by a trigger (migration 0023): the sync that inserts tasks packs the
-- plan in the same transaction, and a reader uses a packed value only
-- when it holds as many tasks as the plan's current rows (counted from
-- the plan's index with the plan itself), so that a task inserted by
-- anything else (a hand edit) is read from the rows. The trigger cost a
-- first sync of 120,000 tasks 0.16 CPU-s. Updates and deletions still
-- delete the value.
DROP TRIGGER plan_tasks_packed_insert;
