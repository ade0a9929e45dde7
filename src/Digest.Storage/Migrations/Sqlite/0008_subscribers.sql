-- What a subscriber receives. A story is new or updated for a channel's digest only through a fresh item (not a feed's
-- backlog): the refresh that brings one stamps fresh_at (its time) and fresh_published (the newest such item's
-- publication). Digest entries record every story a digest covered — shown, or passed over below the digest's stories —
-- at the fresh time it had, and for a shown one what was shown, so the next showing can say what is new.
ALTER TABLE stories ADD COLUMN fresh_at INTEGER;
ALTER TABLE stories ADD COLUMN fresh_published INTEGER;
UPDATE stories SET fresh_at = last_seen,
    fresh_published = (SELECT max(published_at) FROM items WHERE story_id = stories.id AND is_backlog = 0)
WHERE EXISTS (SELECT 1 FROM items WHERE story_id = stories.id AND is_backlog = 0);
CREATE INDEX stories_fresh_at ON stories(fresh_at) WHERE fresh_at IS NOT NULL;

ALTER TABLE digest_entries ADD COLUMN shown INTEGER NOT NULL DEFAULT 1;
ALTER TABLE digest_entries ADD COLUMN sources_sent TEXT NOT NULL DEFAULT '[]';
ALTER TABLE digest_entries ADD COLUMN lines_sent TEXT NOT NULL DEFAULT '[]';

-- When the bot first knew a channel (items published before never make a story new for it), and whether it wants a
-- "nothing new" line when a digest has nothing (by default it is not sent).
ALTER TABLE channels ADD COLUMN joined_at INTEGER;
ALTER TABLE channels ADD COLUMN say_nothing_new INTEGER NOT NULL DEFAULT 0;

-- Feeds a community muted (/feeds mute): still polled and searchable, but they bring it no story.
CREATE TABLE community_mutes (
    community_id TEXT NOT NULL,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    PRIMARY KEY (community_id, feed_id)
);

-- One hit per article in search: items carried by several feeds share their canonical URL.
CREATE INDEX items_url ON items(url);
