-- Readers following stories. Deleted with the story or the reader.
CREATE TABLE follows (
    story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (story_id, user_id)
) WITHOUT ROWID;
CREATE INDEX follows_by_user ON follows (user_id, created_at);

-- What admins tell a story's readers: an announcement, or a new chapter or
-- edit published with "notify followers". Public while the story is.
CREATE TABLE story_updates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('announcement', 'chapter')),
    body       TEXT    NOT NULL,
    author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX story_updates_by_story ON story_updates (story_id, id);

-- One row per (follower, update), stored for every follower in the update's
-- transaction, so a reader who is away finds it waiting. Newest first is
-- update_id descending.
CREATE TABLE notifications (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    update_id INTEGER NOT NULL REFERENCES story_updates (id) ON DELETE CASCADE,
    read_at   INTEGER,
    PRIMARY KEY (user_id, update_id)
) WITHOUT ROWID;
CREATE INDEX notifications_by_update ON notifications (update_id);

-- Kept by the triggers below, so the unread badge on every page needs no
-- COUNT(*). inbox_version rises with every change to what a reader's pages
-- show about their inbox (unread count, follows, preference), so a cached
-- copy can tell which of two is newer.
ALTER TABLE users ADD COLUMN unread_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN inbox_version INTEGER NOT NULL DEFAULT 0;
-- Whether open pages show a small notice when an update arrives.
ALTER TABLE users ADD COLUMN live_notices INTEGER NOT NULL DEFAULT 1;

CREATE TRIGGER notifications_count_insert AFTER INSERT ON notifications BEGIN
    UPDATE users SET unread_count = unread_count + (NEW.read_at IS NULL),
                     inbox_version = inbox_version + 1
        WHERE id = NEW.user_id;
END;
CREATE TRIGGER notifications_count_read AFTER UPDATE OF read_at ON notifications
    WHEN (OLD.read_at IS NULL) != (NEW.read_at IS NULL) BEGIN
    UPDATE users SET unread_count = unread_count + (NEW.read_at IS NULL) - (OLD.read_at IS NULL),
                     inbox_version = inbox_version + 1
        WHERE id = NEW.user_id;
END;
-- Cascades included: deleting a story takes its unread notifications off
-- the count.
CREATE TRIGGER notifications_count_delete AFTER DELETE ON notifications BEGIN
    UPDATE users SET unread_count = unread_count - (OLD.read_at IS NULL),
                     inbox_version = inbox_version + 1
        WHERE id = OLD.user_id;
END;
CREATE TRIGGER follows_version_insert AFTER INSERT ON follows BEGIN
    UPDATE users SET inbox_version = inbox_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER follows_version_delete AFTER DELETE ON follows BEGIN
    UPDATE users SET inbox_version = inbox_version + 1 WHERE id = OLD.user_id;
END;
