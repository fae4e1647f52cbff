-- What readers do while reading, as the activity-log API receives it. The
-- time is kept as sent; its instant orders the log, and its wall-clock
-- time where it was sent answers queries given without an offset.
CREATE TABLE actions (
    id          INTEGER PRIMARY KEY,
    user_key    TEXT    NOT NULL,
    session_key TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    time        TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,
    wall_clock  TEXT    NOT NULL,
    properties  TEXT    NOT NULL,
    received_at INTEGER NOT NULL
);
-- (user_key, at_ms, id) and (at_ms, id): the id comes with every index.
CREATE INDEX actions_by_user ON actions (user_key, at_ms);
CREATE INDEX actions_by_time ON actions (at_ms);

-- Readers of a story who reached its end (a READ_COMPLETE action), once
-- each: the story's read-through rate is completion_count / read_count.
CREATE TABLE read_completions (
    story_id     INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    completed_at INTEGER NOT NULL,
    PRIMARY KEY (story_id, user_id)
) WITHOUT ROWID;
ALTER TABLE stories ADD COLUMN completion_count INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER read_completions_count AFTER INSERT ON read_completions BEGIN
    UPDATE stories SET completion_count = completion_count + 1 WHERE id = NEW.story_id;
END;
CREATE TRIGGER read_completions_uncount AFTER DELETE ON read_completions BEGIN
    UPDATE stories SET completion_count = completion_count - 1 WHERE id = OLD.story_id;
END;

-- API tokens for scripts: shown once when created, stored as SHA-256.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    token_hash   BLOB    NOT NULL UNIQUE,
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
