-- The same as Sqlite/0008_subscribers.sql: what a subscriber receives.
ALTER TABLE stories ADD COLUMN fresh_at bigint;
ALTER TABLE stories ADD COLUMN fresh_published bigint;
UPDATE stories SET fresh_at = last_seen,
    fresh_published = (SELECT max(published_at) FROM items WHERE story_id = stories.id AND NOT is_backlog)
WHERE EXISTS (SELECT 1 FROM items WHERE story_id = stories.id AND NOT is_backlog);
CREATE INDEX stories_fresh_at ON stories(fresh_at) WHERE fresh_at IS NOT NULL;

ALTER TABLE digest_entries ADD COLUMN shown boolean NOT NULL DEFAULT true;
ALTER TABLE digest_entries ADD COLUMN sources_sent text NOT NULL DEFAULT '[]';
ALTER TABLE digest_entries ADD COLUMN lines_sent text NOT NULL DEFAULT '[]';

ALTER TABLE channels ADD COLUMN joined_at bigint;
ALTER TABLE channels ADD COLUMN say_nothing_new boolean NOT NULL DEFAULT false;

CREATE TABLE community_mutes (
    community_id text NOT NULL,
    feed_id bigint NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    PRIMARY KEY (community_id, feed_id)
);

CREATE INDEX items_url ON items(url);
