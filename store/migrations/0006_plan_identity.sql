-- Plan identity: the document a plan was last applied from (a plan follows
-- its file: another file claiming the plan is read, not skipped as
-- unchanged), the files claiming a plan in conflict, and each document's
-- name and location for people.
ALTER TABLE plans ADD COLUMN document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL;
ALTER TABLE plans ADD COLUMN claimants TEXT NOT NULL DEFAULT '[]';
ALTER TABLE documents ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN location TEXT NOT NULL DEFAULT '';
-- A plan fed by exactly one document was read from it.
UPDATE plans SET document_id = (SELECT d.id FROM documents d WHERE d.plan_id = plans.id AND d.last_error = '')
	WHERE (SELECT COUNT(*) FROM documents d WHERE d.plan_id = plans.id AND d.last_error = '') = 1;
