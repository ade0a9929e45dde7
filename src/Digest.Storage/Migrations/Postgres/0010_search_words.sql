-- Every word of the search index, so /search can turn the last word's prefix ('says':*) into the words it begins
-- ('says'): a prefix makes the GIN index gather every posting of every word it begins into a bitmap (at a million
-- items 'president & says:*' took 50-150 ms where 'president & says' took 6-15 ms). A word is added by the
-- transaction that stores its item, so the list is never behind what a search can find; words are never removed
-- (one left over matches nothing). No unique constraint: two workers storing the same new word both add it rather
-- than wait for each other (a duplicate is harmless), so no store transaction ever waits on another here.
-- Filling it reads every item's tsvector once: about 15 s at a million items on two busy cores.
CREATE TABLE IF NOT EXISTS search_words (word text COLLATE "C" NOT NULL);
CREATE INDEX IF NOT EXISTS search_words_word ON search_words (word);

CREATE OR REPLACE FUNCTION search_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_words (word)
    SELECT DISTINCT w COLLATE "C" FROM added, unnest(tsvector_to_array(added.search)) w
    WHERE NOT EXISTS (SELECT 1 FROM search_words s WHERE s.word = w COLLATE "C");
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS items_search_words ON items;
CREATE TRIGGER items_search_words AFTER INSERT ON items REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION search_words_add();

INSERT INTO search_words (word)
SELECT DISTINCT w COLLATE "C" FROM items, unnest(tsvector_to_array(items.search)) w;

-- The id range a search starts with (id > N) as a page range: a few BRIN entries, where the primary key's bitmap
-- read every id of the range (16,384-250,000 ids: 4-50 ms). Ids grow with the table, so the ranges stay narrow.
-- Under a second at a million items.
CREATE INDEX IF NOT EXISTS items_id_brin ON items USING brin (id) WITH (pages_per_range = 16, autosummarize = on);

-- The search index holds the words only again (0009 added the id): a GIN index reads an id range as one posting per
-- id, and the planner, taking that for cheap, let it read 250,000 ids (45-95 ms) where the BRIN index above gives the
-- range in about a millisecond. Rebuilding it is this migration's cost: about 70 s at a million items on two busy cores.
CREATE INDEX IF NOT EXISTS items_search ON items USING gin (search);
DROP INDEX IF EXISTS items_search_id;
