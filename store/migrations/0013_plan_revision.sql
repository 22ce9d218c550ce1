-- A plan's revision counts the transactions that changed its tasks. A sync
-- reads a plan's stored tasks and matches the sheet's tasks to them before
-- it takes the write lock; holding the lock, it checks that the revision
-- did not move meanwhile (and matches again if it did).
ALTER TABLE plans ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
