-- Several bot processes over one store: a pending post or reminder is held by the process
-- that reserved or took it over (its coordination token, bot/db/coordination.py) until it
-- is sent, given up, or that process dies; no other process touches it meanwhile.
ALTER TABLE post_batches ADD COLUMN claimed_by INTEGER;
ALTER TABLE reminder_fires ADD COLUMN claimed_by INTEGER;
