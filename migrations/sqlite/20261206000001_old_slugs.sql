-- A story's former URL names. Its page at a former name answers 301 to the
-- current one, so links shared before a rename keep working. A name taken
-- again by any story is no longer a former one.
CREATE TABLE story_old_slugs (
    slug       TEXT    PRIMARY KEY,
    story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    retired_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX story_old_slugs_by_story ON story_old_slugs (story_id);

CREATE TRIGGER stories_slug_retired AFTER UPDATE OF slug ON stories
WHEN OLD.slug IS NOT NULL AND OLD.slug IS NOT NEW.slug
BEGIN
    INSERT INTO story_old_slugs (slug, story_id, retired_at)
    VALUES (OLD.slug, OLD.id, CAST(strftime('%s', 'now') AS INTEGER))
    ON CONFLICT (slug) DO UPDATE SET story_id = excluded.story_id,
                                     retired_at = excluded.retired_at;
    DELETE FROM story_old_slugs WHERE slug = NEW.slug;
END;

CREATE TRIGGER stories_slug_claimed AFTER INSERT ON stories
WHEN NEW.slug IS NOT NULL
BEGIN
    DELETE FROM story_old_slugs WHERE slug = NEW.slug;
END;
