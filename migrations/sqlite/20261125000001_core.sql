-- Readers and admins. Usernames are ASCII letters, digits, '_' and '-', so
-- NOCASE makes them unique regardless of case. AUTOINCREMENT here and below:
-- an id is never reused, so nothing keyed by an old id (a cached read, a
-- viewer) can be mistaken for a newer row.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    password_hash TEXT    NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

-- A login. The cookie holds a random token; only its SHA-256 is stored, so a
-- copy of the database does not hold usable sessions. Deleting the row ends
-- the login.
CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash BLOB    NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- An old link never opens a different story. read_count is the number of
-- rows in reads for the story, kept by the triggers below in the same
-- transaction as each insert or delete, so pages never COUNT(*).
CREATE TABLE stories (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    published_at INTEGER,
    read_count   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX stories_published ON stories (published_at) WHERE published_at IS NOT NULL;

-- One row per (story, reader), ever: the unique read.
CREATE TABLE reads (
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_at  INTEGER NOT NULL,
    PRIMARY KEY (story_id, user_id)
) WITHOUT ROWID;
CREATE INDEX reads_by_user ON reads (user_id);

-- Fired only for rows really inserted (not for ON CONFLICT DO NOTHING) and
-- for every row deleted, cascades included.
CREATE TRIGGER reads_count_insert AFTER INSERT ON reads BEGIN
    UPDATE stories SET read_count = read_count + 1 WHERE id = NEW.story_id;
END;
CREATE TRIGGER reads_count_delete AFTER DELETE ON reads BEGIN
    UPDATE stories SET read_count = read_count - 1 WHERE id = OLD.story_id;
END;

-- Facts about this installation, such as whether the sample stories were added.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
