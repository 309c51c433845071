-- Catalog word search (bot/db/postgres.py, match_words): one GIN index per entity, so a
-- title query never fetches the people rows holding its words only to filter them out;
-- and without the fast-update pending list, which every search scans in full (up to
-- 4 MB, tens of ms) until a VACUUM merges it into the index. A search's speed should not
-- depend on when autovacuum last ran; bulk rebuilds drop and rebuild these indexes, and
-- the one row at a time updates of the incremental reindex are cheap either way.
DROP INDEX search_names_words;
CREATE INDEX search_names_title_words ON search_names USING gin(words)
    WITH (fastupdate = off) WHERE entity = 'title';
CREATE INDEX search_names_person_words ON search_names USING gin(words)
    WITH (fastupdate = off) WHERE entity = 'person';
ANALYZE search_names;
