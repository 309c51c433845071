-- Several bot processes over one store (the same claims as SQLite's 009_cluster_claims).
ALTER TABLE post_batches ADD COLUMN claimed_by BIGINT;
ALTER TABLE reminder_fires ADD COLUMN claimed_by BIGINT;

-- Queues of time slots shared by every process of the bot (bot/db/coordination.py):
-- the background send budget and the IDENTIFY turns. One row per queue: the epoch
-- second of its next free slot, by the database's clock.
CREATE TABLE cluster_slots (
    key     TEXT PRIMARY KEY,
    next_at DOUBLE PRECISION NOT NULL
);
