-- Where story views came from and on what, per day, for the dashboards:
-- only rollups are kept (no address, no User-Agent, no single visit).

-- The referring site of story views: a host name ("news.example.com"),
-- "(direct)" when there was none, or "(internal)" for Folio's own pages.
CREATE TABLE source_days (
    day    INTEGER NOT NULL,
    source TEXT    NOT NULL,
    views  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, source)
) WITHOUT ROWID;

-- The kind of device ("Desktop", "Phone", …) and browser of story views.
CREATE TABLE device_days (
    day     INTEGER NOT NULL,
    device  TEXT    NOT NULL,
    browser TEXT    NOT NULL,
    views   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, device, browser)
) WITHOUT ROWID;

-- Readers of a story who got halfway through it (a SCROLL action at 50 %
-- or more, or its end), once each: the middle step of the read-through
-- funnel (opened, halfway, finished).
CREATE TABLE read_halfways (
    story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reached_at INTEGER NOT NULL,
    PRIMARY KEY (story_id, user_id)
) WITHOUT ROWID;
ALTER TABLE stories ADD COLUMN halfway_count INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER read_halfways_count AFTER INSERT ON read_halfways BEGIN
    UPDATE stories SET halfway_count = halfway_count + 1 WHERE id = NEW.story_id;
END;
CREATE TRIGGER read_halfways_uncount AFTER DELETE ON read_halfways BEGIN
    UPDATE stories SET halfway_count = halfway_count - 1 WHERE id = OLD.story_id;
END;

-- Readers who got halfway before this table existed: from the activity
-- log's own readers' SCROLL actions, and everyone who finished.
INSERT OR IGNORE INTO read_halfways (story_id, user_id, reached_at)
    SELECT reads.story_id, reads.user_id, MIN(actions.received_at)
    FROM actions JOIN reads
      ON reads.user_id = actions.account_id
     AND reads.story_id = CAST(json_extract(actions.properties, '$.storyId') AS INTEGER)
    WHERE actions.account_id IS NOT NULL AND actions.type = 'SCROLL'
      AND CAST(json_extract(actions.properties, '$.percent') AS REAL) >= 50
    GROUP BY reads.story_id, reads.user_id;
INSERT OR IGNORE INTO read_halfways (story_id, user_id, reached_at)
    SELECT story_id, user_id, completed_at FROM read_completions;
