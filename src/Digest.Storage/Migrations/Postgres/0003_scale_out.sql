-- The same as Sqlite/0003_scale_out.sql (0002 is the command core's, as there).
-- Outbox claims: a worker claims a message before sending it; a dead worker's claim expires and the message is retried.
ALTER TABLE outbox ADD COLUMN claimed_by text;
ALTER TABLE outbox ADD COLUMN claimed_until bigint;

-- Leases: a connection that must be unique (the Telegram long poll, the Discord gateway) is held by one worker at a time.
CREATE TABLE leases (
    name text PRIMARY KEY,
    holder text NOT NULL,
    expires_at bigint NOT NULL
);
