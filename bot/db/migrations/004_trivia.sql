-- Trivia: who owns a pack, the games in progress (so a restart can close them out),
-- and every answer given (so leaderboards can be cut by month or week).

ALTER TABLE trivia_packs ADD COLUMN guild INTEGER;        -- NULL: every server (bundled, CLI)
ALTER TABLE trivia_packs ADD COLUMN format TEXT;          -- 'red' or 'opentdb'
ALTER TABLE trivia_packs ADD COLUMN digest TEXT;          -- content hash of the imported file

ALTER TABLE trivia_questions ADD COLUMN question_key TEXT;  -- same key as trivia_rounds
CREATE INDEX trivia_questions_pack ON trivia_questions(pack_id);

CREATE TABLE trivia_games (
    id         INTEGER PRIMARY KEY,
    guild      INTEGER NOT NULL,
    channel    INTEGER NOT NULL,
    starter    INTEGER NOT NULL,
    source     TEXT NOT NULL,                     -- pack name, or 'movies' for the store
    mode       TEXT NOT NULL CHECK (mode IN ('buttons', 'typed')),
    questions  INTEGER NOT NULL,
    seconds    INTEGER NOT NULL,
    asked      INTEGER NOT NULL DEFAULT 0,
    state      TEXT NOT NULL DEFAULT 'running'
               CHECK (state IN ('running', 'finished', 'stopped', 'interrupted')),
    started_at TEXT NOT NULL,
    ended_at   TEXT
);
-- One game per channel, enforced by the store as well as by the cog.
CREATE UNIQUE INDEX trivia_games_running ON trivia_games(channel) WHERE state = 'running';

CREATE TABLE trivia_answers (
    id           INTEGER PRIMARY KEY,
    game_id      INTEGER NOT NULL REFERENCES trivia_games(id) ON DELETE CASCADE,
    guild        INTEGER NOT NULL,
    user         INTEGER NOT NULL,
    question_no  INTEGER NOT NULL,
    question_key TEXT NOT NULL,
    correct      INTEGER NOT NULL,
    points       INTEGER NOT NULL,
    answered_at  TEXT NOT NULL,
    UNIQUE (game_id, question_no, user)               -- one answer per person per question
);
CREATE INDEX trivia_answers_period ON trivia_answers(guild, answered_at);
