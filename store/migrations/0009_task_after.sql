-- A plan's own dependency column ("Forudgående", "Predecessors"): the tasks
-- each task follows, as model.JoinAfter writes them: task IDs as written
-- and sheet rows as "row:N", separated by ", " ("3, row:7"); '' when none.
ALTER TABLE tasks ADD COLUMN depends_on TEXT NOT NULL DEFAULT '';
