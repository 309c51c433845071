-- Search over titles, people and their aliases (bot/catalog/search.py owns these tables).
--
-- search_names holds one row per spelling of an entity (its title or name, original title,
-- each alias) under search_key(). Rebuilds number rows best-known first, so the FTS tables'
-- rowid order is a popularity order and a bounded `LIMIT` keeps the best candidates.
CREATE TABLE search_names (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL CHECK (entity IN ('title', 'person')),
    entity_id INTEGER NOT NULL,
    name      TEXT NOT NULL,
    key       TEXT NOT NULL,
    weight    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (entity, entity_id, key)
);
-- Exact and prefix matches are a range scan on this covering index (no table lookups).
CREATE INDEX search_names_key ON search_names(entity, key, weight, entity_id, name);

-- All-words matching: contentless FTS5, one per entity kind, rowid = search_names.id.
CREATE VIRTUAL TABLE search_title_fts USING fts5(
    key, content='', detail='none', columnsize=0, prefix='2 3', tokenize='ascii'
);
CREATE VIRTUAL TABLE search_person_fts USING fts5(
    key, content='', detail='none', columnsize=0, prefix='2 3', tokenize='ascii'
);

-- Typos: every indexed word, and its one-letter deletions (symmetric-delete spelling).
CREATE TABLE search_vocab (
    word TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE search_deletes (
    variant TEXT NOT NULL,
    word    TEXT NOT NULL,
    PRIMARY KEY (variant, word)
) WITHOUT ROWID;

-- Small writes (article ingest) only queue the entity here; search.py re-indexes queued
-- entities before the next query. Bulk loaders drop these triggers and rebuild instead
-- (see bot/catalog/search.py: bulk_search_update).
CREATE TABLE search_dirty (
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

CREATE TRIGGER search_dirty_title_ins AFTER INSERT ON titles BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('title', new.id);
END;
CREATE TRIGGER search_dirty_title_upd AFTER UPDATE OF title, original_title, norm_title, votes
ON titles BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('title', new.id);
END;
CREATE TRIGGER search_dirty_title_del AFTER DELETE ON titles BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('title', old.id);
END;
CREATE TRIGGER search_dirty_person_ins AFTER INSERT ON people BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('person', new.id);
END;
CREATE TRIGGER search_dirty_person_upd AFTER UPDATE OF name, norm_name ON people BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('person', new.id);
END;
CREATE TRIGGER search_dirty_person_del AFTER DELETE ON people BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('person', old.id);
END;
CREATE TRIGGER search_dirty_alias_ins AFTER INSERT ON aliases BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (new.entity, new.entity_id);
END;
CREATE TRIGGER search_dirty_alias_del AFTER DELETE ON aliases BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (old.entity, old.entity_id);
END;
CREATE TRIGGER search_dirty_credit_ins AFTER INSERT ON credits BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('title', new.title_id);
    INSERT OR IGNORE INTO search_dirty VALUES ('person', new.person_id);
END;
CREATE TRIGGER search_dirty_credit_del AFTER DELETE ON credits BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES ('title', old.title_id);
    INSERT OR IGNORE INTO search_dirty VALUES ('person', old.person_id);
END;
