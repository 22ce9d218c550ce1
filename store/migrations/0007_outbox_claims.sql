-- Each alert exactly once, and runs that died are known.
--
-- A sender claims an outbox message (claimed_by, claimed_until) in a
-- transaction before delivering it; a claim that expires (the sender
-- crashed) lets another sender retry. dedupe_key makes queuing the same
-- message twice (a report mail for the same week, file and recipient) a
-- no-op. A sync run records the process that runs it, so the next start can
-- mark a run whose process is gone as interrupted.

ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_until TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN dedupe_key TEXT;
CREATE UNIQUE INDEX outbox_dedupe ON outbox(dedupe_key) WHERE dedupe_key IS NOT NULL;

ALTER TABLE sync_runs ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN host TEXT NOT NULL DEFAULT '';
