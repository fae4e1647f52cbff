-- Where and when each login was made and last used, for the account's own
-- sessions page. The address is as Folio sees the client (the socket peer,
-- or the configured ip_header); it goes with the login. last_seen_at is
-- written in batches, at most about once a minute per login; NULL: not
-- seen since it was made.
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN address TEXT;
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER;

-- One-time password-reset links, issued by an admin for a reader who is
-- locked out. Only the SHA-256 of the link's token is stored, as for
-- sessions. A used link keeps its row (used_at set) so a second use can be
-- told apart from a link that never existed.
CREATE TABLE password_resets (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash BLOB    NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);

-- A reader who deletes their account stays counted, anonymously, as one of
-- the readers each story has had: the rows saying which stories they read
-- (and finished) go with the account, the stories' counters stay. So
-- read_count is from now on the number of rows in reads plus the reads of
-- deleted accounts, and completion_count likewise; both still only grow,
-- as the live figures do. (These triggers fired for nothing else: a
-- deleted story takes its counters with it.)
DROP TRIGGER reads_count_delete;
DROP TRIGGER read_completions_uncount;
