-- Delivery that isolates. A message that failed waits for its next attempt (next_attempt_at: the platform's retry_after,
-- else exponential backoff); one that keeps failing is set aside with its reason (set_aside_at, last_error) and its
-- channel goes on. parts_sent counts the platform messages of a multi-part message already acknowledged, so a retry
-- continues from the part that failed.
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER;
ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN set_aside_at INTEGER;
DROP INDEX outbox_pending;
CREATE INDEX outbox_waiting ON outbox(channel_id, id) WHERE sent_at IS NULL AND set_aside_at IS NULL;

-- Chat input that isolates: updates received from a platform (the Telegram long poll or webhook) are stored before they
-- are handled, together with the new poll offset, then handled in order within their queue (a chat) and marked. A worker
-- that dies mid-way leaves rows another worker's sweep handles once their claim expires.
CREATE TABLE inbox (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    queue TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    handled_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    claimed_until INTEGER,
    UNIQUE (source, external_id)
);
CREATE INDEX inbox_waiting ON inbox(source, queue, id) WHERE handled_at IS NULL;
