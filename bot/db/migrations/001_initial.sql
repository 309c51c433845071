-- The data model of DESIGN.md. Every fact row carries its source ("article:<id>",
-- "imdb", "manual") and the date it was true as of (as_of, ISO date).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE titles (
    id              INTEGER PRIMARY KEY,
    imdb_id         TEXT UNIQUE,
    title           TEXT NOT NULL,
    original_title  TEXT,
    norm_title      TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'movie',
    year            INTEGER,
    runtime_minutes INTEGER,
    genres          TEXT,
    rating          REAL,
    votes           INTEGER,
    status          TEXT,
    source          TEXT NOT NULL,
    as_of           TEXT NOT NULL
);
CREATE INDEX titles_norm ON titles(norm_title);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    imdb_id     TEXT UNIQUE,
    name        TEXT NOT NULL,
    norm_name   TEXT NOT NULL,
    birth_year  INTEGER,
    death_year  INTEGER,
    professions TEXT,
    source      TEXT NOT NULL,
    as_of       TEXT NOT NULL
);
CREATE INDEX people_norm ON people(norm_name);

CREATE TABLE credits (
    id        INTEGER PRIMARY KEY,
    title_id  INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('actor', 'director', 'writer', 'producer')),
    character TEXT,
    billing   INTEGER,
    known_for TEXT,
    status    TEXT CHECK (status IN ('returning', 'new')),
    source    TEXT NOT NULL,
    as_of     TEXT NOT NULL,
    UNIQUE (title_id, person_id, role, source)
);
CREATE INDEX credits_person ON credits(person_id);

CREATE TABLE companies (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    norm_name TEXT NOT NULL UNIQUE,
    source    TEXT NOT NULL,
    as_of     TEXT NOT NULL
);

CREATE TABLE title_companies (
    title_id   INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    role       TEXT NOT NULL DEFAULT 'studio',
    source     TEXT NOT NULL,
    as_of      TEXT NOT NULL,
    PRIMARY KEY (title_id, company_id, role)
);

CREATE TABLE releases (
    id        INTEGER PRIMARY KEY,
    title_id  INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    region    TEXT NOT NULL DEFAULT '',           -- ISO country code; '' = not stated
    date      TEXT NOT NULL,                      -- ISO date; first day when imprecise
    precision TEXT NOT NULL CHECK (precision IN ('day', 'month', 'year')),
    kind      TEXT NOT NULL CHECK (kind IN ('theatrical', 'digital', 'premiere', 'announced')),
    note      TEXT,
    source    TEXT NOT NULL,
    as_of     TEXT NOT NULL,
    UNIQUE (title_id, region, kind, source)
);
CREATE INDEX releases_date ON releases(date);

CREATE TABLE title_facts (
    id       INTEGER PRIMARY KEY,
    title_id INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    fact     TEXT NOT NULL,
    source   TEXT NOT NULL,
    as_of    TEXT NOT NULL,
    UNIQUE (title_id, fact, source)
);

CREATE TABLE aliases (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL CHECK (entity IN ('title', 'person')),
    entity_id INTEGER NOT NULL,
    alias     TEXT NOT NULL,
    norm      TEXT NOT NULL,
    region    TEXT,
    source    TEXT NOT NULL,
    as_of     TEXT NOT NULL,
    UNIQUE (entity, entity_id, norm)
);
CREATE INDEX aliases_norm ON aliases(norm, entity);

CREATE TABLE articles (
    id         TEXT PRIMARY KEY,                  -- content hash: the same text is one article
    published  TEXT NOT NULL,
    url        TEXT,
    source     TEXT NOT NULL,                     -- file name, feed title or publisher
    headline   TEXT,
    norm_headline TEXT,
    body       TEXT NOT NULL,
    summary    TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;

CREATE TABLE article_mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity     TEXT NOT NULL CHECK (entity IN ('title', 'person')),
    entity_id  INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity, entity_id)
);
CREATE INDEX article_mentions_entity ON article_mentions(entity, entity_id);

CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    guild         INTEGER NOT NULL,
    url           TEXT NOT NULL,
    channel       INTEGER,
    title         TEXT,
    etag          TEXT,
    last_modified TEXT,
    last_polled   TEXT,
    next_poll     TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    UNIQUE (guild, url)
);

CREATE TABLE guild_settings (
    guild           INTEGER PRIMARY KEY,
    news_channel    INTEGER,
    schedule        TEXT,                        -- JSON: {"kind": "daily", "at": "09:00", ...}
    timezone        TEXT,
    next_news_at    TEXT,
    last_news_at    TEXT,
    last_error      TEXT,
    trivia_seconds  INTEGER,
    trivia_questions INTEGER
);

CREATE TABLE posts (
    id         INTEGER PRIMARY KEY,
    guild      INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    channel    INTEGER NOT NULL,
    message_id INTEGER,
    posted_at  TEXT NOT NULL,
    UNIQUE (guild, article_id)
);

CREATE TABLE trivia_packs (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    author      TEXT,
    description TEXT,
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

CREATE TABLE trivia_questions (
    id         INTEGER PRIMARY KEY,
    pack_id    INTEGER NOT NULL REFERENCES trivia_packs(id) ON DELETE CASCADE,
    question   TEXT NOT NULL,
    answers    TEXT NOT NULL,                     -- JSON list; the first is canonical
    choices    TEXT,                              -- JSON list of wrong choices, if the pack has them
    category   TEXT,
    difficulty TEXT,
    source     TEXT NOT NULL,
    UNIQUE (pack_id, question)
);

CREATE TABLE trivia_scores (
    guild       INTEGER NOT NULL,
    user        INTEGER NOT NULL,
    points      INTEGER NOT NULL DEFAULT 0,
    wins        INTEGER NOT NULL DEFAULT 0,
    games       INTEGER NOT NULL DEFAULT 0,
    correct     INTEGER NOT NULL DEFAULT 0,
    streak      INTEGER NOT NULL DEFAULT 0,
    best_streak INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild, user)
);

CREATE TABLE trivia_rounds (
    id          INTEGER PRIMARY KEY,
    guild       INTEGER NOT NULL,
    channel     INTEGER NOT NULL,
    question_key TEXT NOT NULL,                  -- stable key of the question asked
    asked_at    TEXT NOT NULL
);
CREATE INDEX trivia_rounds_guild ON trivia_rounds(guild, question_key);
