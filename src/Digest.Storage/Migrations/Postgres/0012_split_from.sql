-- The same as Sqlite/0012_split_from.sql: the story a story was split off from.
ALTER TABLE stories ADD COLUMN split_from bigint REFERENCES stories(id);
CREATE INDEX stories_split_from ON stories(split_from) WHERE split_from IS NOT NULL;
