-- Outbox claims: a worker claims a message before sending it; a dead worker's claim expires and the message is retried.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;

-- Leases: a connection that must be unique (the Telegram long poll, the Discord gateway) is held by one worker at a time.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
