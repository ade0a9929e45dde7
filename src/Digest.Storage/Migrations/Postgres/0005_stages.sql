-- The same as Sqlite/0005_stages.sql: the staged pipeline (store → process → refresh).
DROP INDEX IF EXISTS items_unclassified;
CREATE INDEX items_unprocessed ON items(published_at, id) WHERE relevant IS NULL;
ALTER TABLE items ADD COLUMN cluster_seq bigint;
ALTER TABLE items ADD COLUMN joined_version integer;
CREATE INDEX items_cluster_seq ON items(cluster_seq) WHERE cluster_seq IS NOT NULL;

ALTER TABLE stories ADD COLUMN version integer NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN refreshed_version integer NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN merged_into bigint REFERENCES stories(id);
ALTER TABLE stories ADD COLUMN claimed_by text;
ALTER TABLE stories ADD COLUMN claimed_until bigint;
CREATE INDEX stories_refresh_due ON stories(id) WHERE version > refreshed_version;

UPDATE stories SET version = 1, refreshed_version = 1;
UPDATE items SET cluster_seq = 0, joined_version = 1 WHERE story_id IS NOT NULL;

CREATE TABLE pipeline_counters (
    name text PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO pipeline_counters(name, value) SELECT 'story_id', coalesce(max(id), 0) FROM stories;
INSERT INTO pipeline_counters(name, value) VALUES ('cluster_seq', 0);
