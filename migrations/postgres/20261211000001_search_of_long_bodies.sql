-- A body with very many distinct words makes a search vector past
-- PostgreSQL's limit (1 MB), which refused the story's save. Such a body
-- is searched on its first 100,000 characters (a vector of well under
-- 1 MB, whatever the words).
CREATE OR REPLACE FUNCTION stories_searched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        NEW.search := setweight(to_tsvector('simple', NEW.title), 'A')
                   || setweight(to_tsvector('simple', NEW.body), 'B');
    EXCEPTION WHEN program_limit_exceeded THEN
        NEW.search := setweight(to_tsvector('simple', NEW.title), 'A')
                   || setweight(to_tsvector('simple', left(NEW.body, 100000)), 'B');
    END;
    RETURN NEW;
END $$;
