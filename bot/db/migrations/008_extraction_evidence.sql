-- Extraction facts keep their evidence; release dates gain kinds, precision and history;
-- articles may be undated.

-- Releases: 'festival' kind, 'season' precision, the evidence sentence, and history: a
-- date a film moved FROM stays as superseded beside the current one.
CREATE TABLE releases_new (
    id            INTEGER PRIMARY KEY,
    title_id      INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    region        TEXT NOT NULL DEFAULT '',
    date          TEXT NOT NULL,
    precision     TEXT NOT NULL CHECK (precision IN ('day', 'month', 'season', 'year')),
    kind          TEXT NOT NULL CHECK (kind IN ('premiere', 'limited', 'theatrical', 'digital',
                                                'physical', 'tv', 'festival', 'announced')),
    note          TEXT,
    certification TEXT,
    source        TEXT NOT NULL,
    as_of         TEXT NOT NULL,
    superseded    INTEGER NOT NULL DEFAULT 0,
    evidence      TEXT
);
INSERT INTO releases_new(id, title_id, region, date, precision, kind, note, certification,
                         source, as_of)
    SELECT id, title_id, region, date, precision, kind, note, certification, source, as_of
    FROM releases;
DROP TABLE releases;
ALTER TABLE releases_new RENAME TO releases;
CREATE INDEX releases_date ON releases(date);
CREATE INDEX releases_title ON releases(title_id);
-- One current date per film, region, kind and source (what TMDB's cache and an article's
-- restatement replace); the dates a film moved away from are kept beside it as history.
CREATE UNIQUE INDEX releases_current ON releases(title_id, region, kind, source)
    WHERE superseded = 0;
CREATE UNIQUE INDEX releases_history ON releases(title_id, region, kind, date, source)
    WHERE superseded = 1;

ALTER TABLE credits ADD COLUMN evidence TEXT;
ALTER TABLE title_companies ADD COLUMN evidence TEXT;
ALTER TABLE article_mentions ADD COLUMN evidence TEXT;

-- An article without a date is stored as of the day it was ingested, marked undated.
ALTER TABLE articles ADD COLUMN undated INTEGER NOT NULL DEFAULT 0;
