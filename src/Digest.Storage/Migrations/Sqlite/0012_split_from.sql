-- A story that a later pass split off from another (its items left that story as a separate event): /story names the
-- story it came from, and that story names the ones split off from it.
ALTER TABLE stories ADD COLUMN split_from INTEGER REFERENCES stories(id);
CREATE INDEX stories_split_from ON stories(split_from) WHERE split_from IS NOT NULL;
