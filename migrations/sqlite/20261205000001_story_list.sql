-- Who wrote a story: the admin who created it. Stories from before authors
-- were kept, and the sample stories, have none (the pages say "Folio"); a
-- deleted account leaves its stories without an author.
ALTER TABLE stories ADD COLUMN author_id INTEGER REFERENCES users (id) ON DELETE SET NULL;

-- A hand-written excerpt for the list and sharing tags. NULL or empty: the
-- first paragraph is shown.
ALTER TABLE stories ADD COLUMN summary TEXT;

-- What Folio works out from the body when it saves it (src/stories/summary.rs):
-- the first paragraph as plain text and the number of words, so the list
-- shows excerpts and reading times without reading or parsing bodies. NULL
-- until worked out: Folio fills them at start, and the list works them out
-- itself for rows written behind its back.
ALTER TABLE stories ADD COLUMN excerpt TEXT;
ALTER TABLE stories ADD COLUMN words INTEGER;

-- When what readers read last changed (title, summary or body). updated_at
-- also moves on every save and on publishing and unpublishing.
ALTER TABLE stories ADD COLUMN revised_at INTEGER;
UPDATE stories SET revised_at = updated_at;

-- The "most read" order, a page at a time, straight from an index. The
-- newest-first order is served by stories_published (published_at, then id).
CREATE INDEX stories_by_reads ON stories (read_count DESC, id DESC) WHERE published_at IS NOT NULL;

-- Full-text search over the titles and bodies of PUBLISHED stories: drafts
-- are never in the index, so readers cannot find them. The text stays in
-- stories (external content); the triggers below keep the index in step
-- with every insert, edit, (un)publishing and delete, whoever makes it.
-- Never run the 'rebuild' command on it: that would index the drafts too
-- (and 'integrity-check' with rank 1 counts the drafts as missing: check it
-- with rank 0, or with PRAGMA integrity_check).
CREATE VIRTUAL TABLE stories_search USING fts5 (
    title, body,
    content = 'stories', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO stories_search (rowid, title, body)
    SELECT id, title, body FROM stories WHERE published_at IS NOT NULL;

CREATE TRIGGER stories_search_insert AFTER INSERT ON stories
WHEN NEW.published_at IS NOT NULL BEGIN
    INSERT INTO stories_search (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body);
END;

-- An external-content index is told exactly what it held: deleting a row it
-- never had would corrupt it, hence the conditions.
CREATE TRIGGER stories_search_delete AFTER DELETE ON stories
WHEN OLD.published_at IS NOT NULL BEGIN
    INSERT INTO stories_search (stories_search, rowid, title, body)
        VALUES ('delete', OLD.id, OLD.title, OLD.body);
END;

-- One trigger, so the old entry always goes before the new one comes. Read
-- counts and view counts change stories too, but not these columns: reads
-- never touch the index.
CREATE TRIGGER stories_search_update AFTER UPDATE OF title, body, published_at ON stories BEGIN
    INSERT INTO stories_search (stories_search, rowid, title, body)
        SELECT 'delete', OLD.id, OLD.title, OLD.body WHERE OLD.published_at IS NOT NULL;
    INSERT INTO stories_search (rowid, title, body)
        SELECT NEW.id, NEW.title, NEW.body WHERE NEW.published_at IS NOT NULL;
END;
