-- Every saved text of a story: its history in the studio, to compare with
-- and to restore. A save that changes nothing of the text adds none.
CREATE TABLE story_revisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    summary    TEXT,
    author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX story_revisions_by_story ON story_revisions (story_id, id);

-- The text each story has now is its first revision.
INSERT INTO story_revisions (story_id, title, body, summary, author_id, created_at)
SELECT id, title, body, summary, author_id, updated_at FROM stories ORDER BY id;
