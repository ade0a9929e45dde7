CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    interval_seconds INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_polled_at INTEGER,
    last_success_at INTEGER,
    last_error TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_poll_at INTEGER,
    paused_reason TEXT,
    backlog_stored INTEGER NOT NULL DEFAULT 0,
    added_at INTEGER NOT NULL
);

CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    score REAL NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]',
    key_lines TEXT NOT NULL DEFAULT '[]',
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
);
CREATE INDEX stories_last_seen ON stories(last_seen);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    summary TEXT NOT NULL,
    author TEXT,
    published_at INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    is_backlog INTEGER NOT NULL DEFAULT 0,
    relevant INTEGER,
    score REAL,
    tags TEXT,
    reasons TEXT,
    story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,
    duplicate_of INTEGER,
    UNIQUE (feed_id, item_key)
);
CREATE INDEX items_first_seen ON items(first_seen);
CREATE INDEX items_story ON items(story_id);

CREATE VIRTUAL TABLE items_fts USING fts5(title, summary, content='items', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary);
END;
CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, summary) VALUES ('delete', old.id, old.title, old.summary);
END;
CREATE TRIGGER items_au AFTER UPDATE OF title, summary ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, summary) VALUES ('delete', old.id, old.title, old.summary);
    INSERT INTO items_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary);
END;

CREATE TABLE channels (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    address TEXT NOT NULL,
    community_id TEXT,
    schedule TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    last_digest_at INTEGER,
    paused_reason TEXT,
    UNIQUE (platform, address)
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    dedup_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
-- Which version of each story a channel has been sent: a story reaches a channel's digest once, and again only with new items.
CREATE TABLE digest_entries (
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    last_seen_sent INTEGER NOT NULL,
    PRIMARY KEY (channel_id, story_id)
);

CREATE INDEX outbox_pending ON outbox(channel_id, id) WHERE sent_at IS NULL;
