-- Several bot processes over one store (bot/db/coordination.py):
-- a running trivia game belongs to the process that runs it (its coordination token):
-- only that process asks its questions and takes its answers, and another process ends
-- it only once that process is gone;
ALTER TABLE trivia_games ADD COLUMN owner INTEGER;
-- a feed's poll is a row claim with a lease: the process that takes it fetches the feed,
-- and no other process does until the poll is recorded or the lease runs out.
ALTER TABLE feeds ADD COLUMN poll_claimed_by INTEGER;
ALTER TABLE feeds ADD COLUMN poll_lease_until TEXT;
