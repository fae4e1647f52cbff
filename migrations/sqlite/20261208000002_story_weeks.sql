-- Per story and week (whole weeks since 1970-01-01: day / 7): the sums of
-- story_days, kept in step by triggers, so that the top stories of a long
-- range add up 52 rows per story and year rather than 365.
CREATE TABLE story_weeks (
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    week     INTEGER NOT NULL,
    views    INTEGER NOT NULL DEFAULT 0,
    reads    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, week)
) WITHOUT ROWID;
CREATE INDEX story_weeks_by_week ON story_weeks (week, story_id, reads, views);

INSERT INTO story_weeks (story_id, week, views, reads)
    SELECT story_id, day / 7, SUM(views), SUM(reads) FROM story_days GROUP BY story_id, day / 7;

-- A day's first figures, and every change to them (upserts fire both).
CREATE TRIGGER story_days_into_weeks AFTER INSERT ON story_days BEGIN
    INSERT INTO story_weeks (story_id, week, views, reads)
        VALUES (NEW.story_id, NEW.day / 7, NEW.views, NEW.reads)
        ON CONFLICT (story_id, week) DO UPDATE
            SET views = views + excluded.views, reads = reads + excluded.reads;
END;

CREATE TRIGGER story_days_change_weeks AFTER UPDATE OF views, reads ON story_days BEGIN
    UPDATE story_weeks
        SET views = views + NEW.views - OLD.views, reads = reads + NEW.reads - OLD.reads
        WHERE story_id = NEW.story_id AND week = NEW.day / 7;
END;
