-- E-mail recipients are kept in lower case (app.mailbox): what was sent to
-- "PL@Aarhus.dk" is what was sent to "pl@aarhus.dk". Rows written before
-- are moved to the lower-case address; where that address already has the
-- same record, the duplicate goes. Webhook URLs are left as they are.
UPDATE OR IGNORE alert_log SET recipient = lower(recipient)
	WHERE recipient LIKE '%@%' AND recipient NOT LIKE '%://%' AND recipient <> lower(recipient);
DELETE FROM alert_log
	WHERE recipient LIKE '%@%' AND recipient NOT LIKE '%://%' AND recipient <> lower(recipient);
