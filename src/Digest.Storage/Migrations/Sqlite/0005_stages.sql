-- The staged pipeline (store → process → refresh). An item is unprocessed while relevant IS NULL; the process stage takes
-- them oldest first. Each process commit has a sequence number (pipeline_counters 'cluster_seq') stamped on the items it
-- placed, so a worker catches its in-memory clusterer up with what others clustered; each membership change bumps the
-- story's version, and the refresh stage brings a story whose version is ahead of its refreshed version up to date.
CREATE INDEX items_unprocessed ON items(published_at, id) WHERE relevant IS NULL;
ALTER TABLE items ADD COLUMN cluster_seq INTEGER;
ALTER TABLE items ADD COLUMN joined_version INTEGER;
CREATE INDEX items_cluster_seq ON items(cluster_seq) WHERE cluster_seq IS NOT NULL;

ALTER TABLE stories ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN refreshed_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN merged_into INTEGER REFERENCES stories(id);
ALTER TABLE stories ADD COLUMN claimed_by TEXT;
ALTER TABLE stories ADD COLUMN claimed_until INTEGER;
CREATE INDEX stories_refresh_due ON stories(id) WHERE version > refreshed_version;

-- Stories built before the stages were refreshed as they were built.
UPDATE stories SET version = 1, refreshed_version = 1;
UPDATE items SET cluster_seq = 0, joined_version = 1 WHERE story_id IS NOT NULL;

CREATE TABLE pipeline_counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO pipeline_counters(name, value) SELECT 'story_id', coalesce(max(id), 0) FROM stories;
INSERT INTO pipeline_counters(name, value) VALUES ('cluster_seq', 0);
