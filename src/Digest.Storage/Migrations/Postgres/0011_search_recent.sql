-- A recent tier for /search: the newest items' tsvectors in a table of their own with its own GIN index, so a search
-- among the newest ids reads short posting lists. The search index of items has one posting list per word over every
-- item: a word in one article of fifty (election, gaza) had its 10,000-25,000 postings read whole before the id range
-- applied. search_recent_since says how far back the tier is whole: every item with an id above "since" is in it
-- (rows at or below it may linger until the next prune; searches read the tier above "since" only, and the items
-- index at or below it). The same statement trigger as search_words adds each insert's items, in the same
-- transaction, so the tier is never behind what items holds; once the tier spans more than twice "keep" ids, the
-- insert that notices moves "since" to its newest id less "keep" and deletes what fell below it. An insert that finds
-- another one pruning leaves it to that one (SKIP LOCKED): no store transaction ever waits here.
-- Filling it copies the newest 65,536 items' tsvectors and builds their index: about 10 s at a million items (load 19),
-- with writes to items held off meanwhile, so no item is stored between the fill and the new trigger.
LOCK TABLE items IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE IF NOT EXISTS search_recent (
    id bigint PRIMARY KEY,
    feed_id bigint NOT NULL,
    published_at bigint NOT NULL,
    search tsvector NOT NULL
);

CREATE TABLE IF NOT EXISTS search_recent_since (
    since bigint NOT NULL,
    keep bigint NOT NULL
);

INSERT INTO search_recent_since (since, keep)
SELECT greatest(coalesce(max(id), 0) - 65536, 0), 65536 FROM items
WHERE NOT EXISTS (SELECT 1 FROM search_recent_since);

INSERT INTO search_recent (id, feed_id, published_at, search)
SELECT i.id, i.feed_id, i.published_at, i.search FROM items i WHERE i.id > (SELECT since FROM search_recent_since)
ON CONFLICT (id) DO NOTHING;

CREATE INDEX IF NOT EXISTS search_recent_search ON search_recent USING gin (search);

CREATE OR REPLACE FUNCTION search_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    newest bigint;
    tier record;
BEGIN
    INSERT INTO search_words (word)
    SELECT DISTINCT w COLLATE "C" FROM added, unnest(tsvector_to_array(added.search)) w
    WHERE NOT EXISTS (SELECT 1 FROM search_words s WHERE s.word = w COLLATE "C");

    INSERT INTO search_recent (id, feed_id, published_at, search) SELECT id, feed_id, published_at, search FROM added;

    SELECT max(id) INTO newest FROM added;
    IF newest > (SELECT since + 2 * keep FROM search_recent_since) THEN
        SELECT since, keep INTO tier FROM search_recent_since FOR UPDATE SKIP LOCKED;
        IF FOUND AND newest > tier.since + 2 * tier.keep THEN
            UPDATE search_recent_since SET since = newest - tier.keep;
            DELETE FROM search_recent WHERE id <= newest - tier.keep;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- A removed feed's items leave the tier with them (items' rows go by ON DELETE CASCADE).
CREATE OR REPLACE FUNCTION search_recent_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_recent r USING removed WHERE r.id = removed.id;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS items_search_recent_remove ON items;
CREATE TRIGGER items_search_recent_remove AFTER DELETE ON items REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION search_recent_remove();

ANALYZE search_recent;
