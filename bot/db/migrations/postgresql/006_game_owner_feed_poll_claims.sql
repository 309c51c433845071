-- Several bot processes over one store (the same as SQLite's 010_game_owner_feed_poll_claims):
-- the process that runs a trivia game, and a feed poll's claim and lease.
ALTER TABLE trivia_games ADD COLUMN owner BIGINT;
ALTER TABLE feeds ADD COLUMN poll_claimed_by BIGINT;
ALTER TABLE feeds ADD COLUMN poll_lease_until TEXT;
