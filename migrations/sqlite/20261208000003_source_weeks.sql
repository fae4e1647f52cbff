-- Per week (day / 7) and source: the sums of source_days, kept in step by
-- triggers, so that a long range's sources add up one row per source and
-- week rather than one per day.
CREATE TABLE source_weeks (
    week   INTEGER NOT NULL,
    source TEXT    NOT NULL,
    views  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (week, source)
) WITHOUT ROWID;

INSERT INTO source_weeks (week, source, views)
    SELECT day / 7, source, SUM(views) FROM source_days GROUP BY day / 7, source;

CREATE TRIGGER source_days_into_weeks AFTER INSERT ON source_days BEGIN
    INSERT INTO source_weeks (week, source, views) VALUES (NEW.day / 7, NEW.source, NEW.views)
        ON CONFLICT (week, source) DO UPDATE SET views = views + excluded.views;
END;

CREATE TRIGGER source_days_change_weeks AFTER UPDATE OF views ON source_days BEGIN
    UPDATE source_weeks SET views = views + NEW.views - OLD.views
        WHERE week = NEW.day / 7 AND source = NEW.source;
END;
