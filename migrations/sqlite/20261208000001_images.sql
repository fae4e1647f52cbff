-- Images uploaded by admins for stories and their covers. They are kept in
-- the database, so that `folio backup` (one SQLite file) holds them too.
-- An image is named by the SHA-256 of its bytes: the same file uploaded
-- twice is kept once, and its address never changes.
CREATE TABLE images (
    id          INTEGER PRIMARY KEY,
    hash        TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL CHECK (kind IN ('png', 'jpeg', 'webp', 'gif')),
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    size        INTEGER NOT NULL,
    -- The uploaded file's name, for the admin's list only.
    name        TEXT    NOT NULL DEFAULT '',
    uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    uploaded_at INTEGER NOT NULL,
    -- Last, so that listing images reads none of their bytes.
    bytes       BLOB    NOT NULL
);

-- A story's cover: shown in the story list, in feeds and when the story
-- is shared.
ALTER TABLE stories ADD COLUMN cover_image_id INTEGER REFERENCES images(id) ON DELETE SET NULL;
