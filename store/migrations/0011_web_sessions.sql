-- Web view sessions ended before their time. A session cookie is signed
-- and holds its own expiry, so ending one means remembering that it may
-- no longer be used: 'all' ends every session issued at or before
-- revoked_at, 'user' those of one e-mail address (subject, lower case),
-- 'session' one session (subject is its ID, from logging out). A row is
-- kept until keep_until (the longest a session lasts after revoked_at),
-- then removed. Times are Unix seconds.
CREATE TABLE web_session_revocations (
    kind TEXT NOT NULL CHECK (kind IN ('all', 'user', 'session')),
    subject TEXT NOT NULL,
    revoked_at INTEGER NOT NULL,
    keep_until INTEGER NOT NULL,
    PRIMARY KEY (kind, subject)
);
