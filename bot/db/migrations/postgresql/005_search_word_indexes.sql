-- Catalog word search (bot/db/postgres.py, `_match_in_id_order`) wants an entity's first
-- matching rows in id order (best known first).
-- One GIN index per entity, so a title query never fetches the people rows holding its
-- words only to filter them out; and no fast-update pending list, which every search
-- scans in full (up to 4 MB: tens of ms) until a VACUUM merges it into the index. Bulk
-- rebuilds drop and rebuild these indexes; the incremental reindex writes a row at a time.
DROP INDEX search_names_words;
CREATE INDEX search_names_title_words ON search_names USING gin(words)
    WITH (fastupdate = off) WHERE entity = 'title';
CREATE INDEX search_names_person_words ON search_names USING gin(words)
    WITH (fastupdate = off) WHERE entity = 'person';
-- An entity's rows in id order, for walking them.
CREATE INDEX search_names_order ON search_names(entity, id);
ANALYZE search_names;
