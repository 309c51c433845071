-- TMDB: release kinds of TMDB's six types, certifications, what TMDB alone knows about a
-- film or person (cached with the time it was fetched), a server's default region, and
-- the date a reminder last announced (so a moved date can be said).

CREATE TABLE releases_new (
    id            INTEGER PRIMARY KEY,
    title_id      INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    region        TEXT NOT NULL DEFAULT '',
    date          TEXT NOT NULL,
    precision     TEXT NOT NULL CHECK (precision IN ('day', 'month', 'year')),
    kind          TEXT NOT NULL CHECK (kind IN ('premiere', 'limited', 'theatrical', 'digital',
                                                'physical', 'tv', 'announced')),
    note          TEXT,
    certification TEXT,
    source        TEXT NOT NULL,
    as_of         TEXT NOT NULL,
    UNIQUE (title_id, region, kind, source)
);
INSERT INTO releases_new(id, title_id, region, date, precision, kind, note, source, as_of)
    SELECT id, title_id, region, date, precision, kind, note, source, as_of FROM releases;
DROP TABLE releases;
ALTER TABLE releases_new RENAME TO releases;
CREATE INDEX releases_date ON releases(date);
CREATE INDEX releases_title ON releases(title_id);

-- One row per catalog film TMDB was asked about; tmdb_id NULL = TMDB has no such film.
-- fetched_at NULL = only seen in a list (upcoming), details not fetched yet.
CREATE TABLE tmdb_titles (
    title_id     INTEGER PRIMARY KEY REFERENCES titles(id) ON DELETE CASCADE,
    tmdb_id      INTEGER UNIQUE,
    overview     TEXT,
    tagline      TEXT,
    poster_url   TEXT,
    runtime      INTEGER,
    genres       TEXT,
    vote_average REAL,
    vote_count   INTEGER,
    trailer_url  TEXT,
    providers    TEXT,                     -- JSON: {region: {link, flatrate: [..], ...}}
    fetched_at   TEXT,
    as_of        TEXT NOT NULL
);

CREATE TABLE tmdb_people (
    person_id      INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    tmdb_id        INTEGER UNIQUE,
    biography      TEXT,
    profile_url    TEXT,
    birthday       TEXT,
    deathday       TEXT,
    place_of_birth TEXT,
    department     TEXT,
    known_for      TEXT,                   -- JSON list of "Title (year)"
    fetched_at     TEXT,
    as_of          TEXT NOT NULL
);

ALTER TABLE guild_settings ADD COLUMN region TEXT;

ALTER TABLE reminders ADD COLUMN known_date TEXT;
ALTER TABLE reminders ADD COLUMN moved_from TEXT;
