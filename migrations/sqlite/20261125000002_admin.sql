-- Disabled accounts cannot log in; their sessions are deleted when they are
-- disabled. NULL: active.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;

-- Readable URLs. Every story gets a slug (filled in by Folio at start for
-- stories made before slugs existed); numeric links keep working.
ALTER TABLE stories ADD COLUMN slug TEXT;
CREATE UNIQUE INDEX stories_by_slug ON stories (slug);

-- All views ever, kept on the story so the all-time figures need no sum.
ALTER TABLE stories ADD COLUMN view_count INTEGER NOT NULL DEFAULT 0;

-- Days are counted in whole UTC days since 1970-01-01.

-- Per story and day: page opens (views) and first reads (new reads).
-- Deleted with the story.
CREATE TABLE story_days (
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    day      INTEGER NOT NULL,
    views    INTEGER NOT NULL DEFAULT 0,
    reads    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, day)
) WITHOUT ROWID;
CREATE INDEX story_days_by_day ON story_days (day, story_id, reads, views);

-- Per day, for the whole site: views, new reads and unique visitors. These
-- are history: they keep counting what happened on stories deleted since.
CREATE TABLE site_days (
    day      INTEGER PRIMARY KEY,
    views    INTEGER NOT NULL DEFAULT 0,
    reads    INTEGER NOT NULL DEFAULT 0,
    visitors INTEGER NOT NULL DEFAULT 0
);

-- Reads made before these tables existed, on the days they were made.
INSERT INTO story_days (story_id, day, reads)
    SELECT story_id, read_at / 86400, COUNT(*) FROM reads GROUP BY story_id, read_at / 86400;
INSERT INTO site_days (day, reads)
    SELECT read_at / 86400, COUNT(*) FROM reads GROUP BY read_at / 86400;

-- A new read counts on the day it happens, in the same transaction.
CREATE TRIGGER reads_count_days AFTER INSERT ON reads BEGIN
    INSERT INTO story_days (story_id, day, reads) VALUES (NEW.story_id, NEW.read_at / 86400, 1)
        ON CONFLICT (story_id, day) DO UPDATE SET reads = reads + 1;
    INSERT INTO site_days (day, reads) VALUES (NEW.read_at / 86400, 1)
        ON CONFLICT (day) DO UPDATE SET reads = reads + 1;
END;

-- Today's visitors, as hashes of (daily salt, address, User-Agent): only to
-- count each visitor once per day. Rows of past days are deleted with their
-- salt, so no hash outlives the day it can be matched in.
CREATE TABLE visitors (
    day  INTEGER NOT NULL,
    hash BLOB    NOT NULL,
    PRIMARY KEY (day, hash)
) WITHOUT ROWID;

CREATE TRIGGER visitors_count AFTER INSERT ON visitors BEGIN
    INSERT INTO site_days (day, visitors) VALUES (NEW.day, 1)
        ON CONFLICT (day) DO UPDATE SET visitors = visitors + 1;
END;

-- The secret salt of the current day. Replaced (and the old one forgotten)
-- when the day ends.
CREATE TABLE visitor_salts (
    day  INTEGER PRIMARY KEY,
    salt BLOB    NOT NULL
);
