-- A plan's own dependency column ("Forudgående", "Predecessors"): the tasks
-- each task follows, as model.JoinAfter writes them: task IDs as written
-- and sheet rows as "row:N", separated by ", " ("3, row:7"); '' when none.
ALTER TABLE tasks ADD COLUMN depends_on TEXT NOT NULL DEFAULT '';
-- Plans read before this version never had the column read: forget the
-- content hash of every document so the next sync reads each file again
-- (a file that did not change keeps its tasks; only what is newly read,
-- the dependencies, is recorded as a change).
UPDATE documents SET content_hash = '';
