-- Commands, communities, subscriptions and alerts.

-- A feed added by a community's /feeds add belongs to the communities linked to it; a configured feed (community_only = 0)
-- belongs to every community. The feeds table stays global by URL, so a feed many communities follow is fetched once.
ALTER TABLE feeds ADD COLUMN community_only INTEGER NOT NULL DEFAULT 0;

CREATE TABLE community_feeds (
    community_id TEXT NOT NULL,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    added_by TEXT,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (community_id, feed_id)
);
CREATE INDEX community_feeds_feed ON community_feeds(feed_id);

-- Per-community topic settings applied on top of the stored relevance: include and exclude phrases (JSON arrays), a threshold.
CREATE TABLE community_topics (
    community_id TEXT PRIMARY KEY,
    include_phrases TEXT NOT NULL DEFAULT '[]',
    exclude_phrases TEXT NOT NULL DEFAULT '[]',
    threshold REAL
);

-- A member of a community who gets the digest (digest = 1) or alerts in a private channel.
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    community_id TEXT NOT NULL,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    digest INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (platform, user_id, community_id)
);

CREATE TABLE alerts (
    subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    phrase TEXT NOT NULL COLLATE NOCASE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (subscription_id, phrase)
);

-- What members said about a story; the classifier's trainer reads it with the story's item titles.
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    community_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('good', 'bad')),
    created_at INTEGER NOT NULL,
    UNIQUE (story_id, community_id, user_id)
);

-- Small named values a worker resumes from: the Telegram update offset, the Discord gateway session.
CREATE TABLE bot_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
