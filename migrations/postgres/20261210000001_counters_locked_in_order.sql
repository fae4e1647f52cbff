-- A batch of first reads locks its stories' counters in id order, as every
-- other writer of counters does: two transactions that raise the same
-- counters in different orders wait for each other until the deadlock
-- detector fails one of them.
CREATE OR REPLACE FUNCTION reads_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM stories WHERE id IN (SELECT story_id FROM new_reads) ORDER BY id FOR NO KEY UPDATE;
    UPDATE stories SET read_count = read_count + added.n
        FROM (SELECT story_id, COUNT(*) AS n FROM new_reads GROUP BY story_id) AS added
        WHERE stories.id = added.story_id;
    INSERT INTO story_days (story_id, day, reads)
        SELECT story_id, read_at / 86400, COUNT(*) FROM new_reads GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (story_id, day) DO UPDATE SET reads = story_days.reads + excluded.reads;
    INSERT INTO site_days (day, reads)
        SELECT read_at / 86400, COUNT(*) FROM new_reads GROUP BY 1 ORDER BY 1
        ON CONFLICT (day) DO UPDATE SET reads = site_days.reads + excluded.reads;
    RETURN NULL;
END $$;
