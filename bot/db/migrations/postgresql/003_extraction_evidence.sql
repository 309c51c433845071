-- SQLite's 008_extraction_evidence.sql: extraction facts keep their evidence; release
-- dates gain the 'festival' kind, the 'season' precision and history (a date a film moved
-- FROM stays as superseded beside the current one); articles may be undated.

ALTER TABLE releases DROP CONSTRAINT releases_kind_check;
ALTER TABLE releases ADD CONSTRAINT releases_kind_check
    CHECK (kind IN ('premiere', 'limited', 'theatrical', 'digital', 'physical', 'tv',
                    'festival', 'announced'));
ALTER TABLE releases DROP CONSTRAINT releases_precision_check;
ALTER TABLE releases ADD CONSTRAINT releases_precision_check
    CHECK (precision IN ('day', 'month', 'season', 'year'));
ALTER TABLE releases ADD COLUMN superseded BIGINT NOT NULL DEFAULT 0;
ALTER TABLE releases ADD COLUMN evidence TEXT;
ALTER TABLE releases DROP CONSTRAINT releases_title_id_region_kind_source_key;
CREATE UNIQUE INDEX releases_current ON releases(title_id, region, kind, source)
    WHERE superseded = 0;
CREATE UNIQUE INDEX releases_history ON releases(title_id, region, kind, date, source)
    WHERE superseded = 1;

ALTER TABLE credits ADD COLUMN evidence TEXT;
ALTER TABLE title_companies ADD COLUMN evidence TEXT;
ALTER TABLE article_mentions ADD COLUMN evidence TEXT;

ALTER TABLE articles ADD COLUMN undated BIGINT NOT NULL DEFAULT 0;
