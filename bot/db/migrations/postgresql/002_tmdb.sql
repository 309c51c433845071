-- SQLite's 007_tmdb.sql: TMDB's six release kinds and certifications, what TMDB alone
-- knows about a film or person, a server's default region, a reminder's last known date.

ALTER TABLE releases DROP CONSTRAINT releases_kind_check;
ALTER TABLE releases ADD CONSTRAINT releases_kind_check
    CHECK (kind IN ('premiere', 'limited', 'theatrical', 'digital', 'physical', 'tv', 'announced'));
ALTER TABLE releases ADD COLUMN certification TEXT;
CREATE INDEX releases_title ON releases(title_id);

CREATE TABLE tmdb_titles (
    title_id     BIGINT PRIMARY KEY REFERENCES titles(id) ON DELETE CASCADE,
    tmdb_id      BIGINT UNIQUE,
    overview     TEXT,
    tagline      TEXT,
    poster_url   TEXT,
    runtime      BIGINT,
    genres       TEXT,
    vote_average DOUBLE PRECISION,
    vote_count   BIGINT,
    trailer_url  TEXT,
    providers    TEXT,
    fetched_at   TEXT,
    as_of        TEXT NOT NULL
);

CREATE TABLE tmdb_people (
    person_id      BIGINT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    tmdb_id        BIGINT UNIQUE,
    biography      TEXT,
    profile_url    TEXT,
    birthday       TEXT,
    deathday       TEXT,
    place_of_birth TEXT,
    department     TEXT,
    known_for      TEXT,
    fetched_at     TEXT,
    as_of          TEXT NOT NULL
);

ALTER TABLE guild_settings ADD COLUMN region TEXT;

ALTER TABLE reminders ADD COLUMN known_date TEXT;
ALTER TABLE reminders ADD COLUMN moved_from TEXT;
