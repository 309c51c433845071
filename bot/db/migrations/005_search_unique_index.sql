-- search_names' uniqueness moves from a table constraint to a named index, so a rebuild
-- can drop it while it bulk-fills the table and build it once, sorted, afterwards (a
-- constraint's index cannot be dropped, and filling it row by row in weight order was a
-- third of an IMDb import's search build).
--
-- The search tables hold derived data only: they are emptied here, and the stamp below
-- (no rules' fingerprint) makes the next start (or `marquee db reindex`) rebuild them,
-- renormalising the stored keys first: this release changed the spelling rules. An
-- empty store has no keys to renormalise, so it gets no stamp (a first build).
DROP TABLE search_names;
CREATE TABLE search_names (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL CHECK (entity IN ('title', 'person')),
    entity_id INTEGER NOT NULL,
    name      TEXT NOT NULL,
    key       TEXT NOT NULL,
    weight    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX search_names_entity ON search_names(entity, entity_id, key);
CREATE INDEX search_names_key ON search_names(entity, key, weight, entity_id, name);
INSERT INTO search_title_fts(search_title_fts) VALUES ('delete-all');
INSERT INTO search_person_fts(search_person_fts) VALUES ('delete-all');
DELETE FROM search_vocab;
DELETE FROM search_deletes;
DELETE FROM meta WHERE key = 'search_key_version';
INSERT INTO meta(key, value) SELECT 'search_key_version', 'before migration 005'
WHERE EXISTS (SELECT 1 FROM titles) OR EXISTS (SELECT 1 FROM people)
   OR EXISTS (SELECT 1 FROM companies) OR EXISTS (SELECT 1 FROM articles);
