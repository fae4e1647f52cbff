-- When a draft is to be published by itself (Unix seconds); NULL for none.
-- Publishing, by hand or on time, clears it.
ALTER TABLE stories ADD COLUMN scheduled_at INTEGER;
CREATE INDEX stories_scheduled ON stories (scheduled_at) WHERE scheduled_at IS NOT NULL;
