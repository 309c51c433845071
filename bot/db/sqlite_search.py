"""The SQLite half of the catalog's search index: the bulk rebuild over FTS5, in C.

Triggers from migration 002 queue every changed title or person in `search_dirty`, and
the next search re-indexes the queue through the Store (bot/catalog/search.py). Bulk
loaders (the IMDb importer) should not pay even that: inside their own transaction they
drop the queue triggers, load, restore them and rebuild everything once::

    with bulk_search_update(conn, rules):
        load titles, people, aliases, credits

The spelling rules come from the catalog as `SearchRules`; this module only knows how
SQLite stores the index. Plain sqlite3, no transaction handling of its own.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from bot.db.store import SearchRules

log = logging.getLogger(__name__)

_TRIGGER_PREFIX = "search_dirty_"
_FTS5_TABLES = {"title": "search_title_fts", "person": "search_person_fts"}


def drop_search_triggers(conn: sqlite3.Connection) -> list[str]:
    """Drop the queue triggers; returns their DDL for `restore_search_triggers`."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? ORDER BY name",
        (_TRIGGER_PREFIX + "%",),
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP TRIGGER "{name}"')
    return [sql for _, sql in rows]


def restore_search_triggers(conn: sqlite3.Connection, ddl: Sequence[str]) -> None:
    for statement in ddl:
        conn.execute(statement)


@contextmanager
def bulk_search_update(conn: sqlite3.Connection, rules: SearchRules) -> Iterator[None]:
    """Bulk-write the catalog without per-row trigger cost, then rebuild search once.

    Use inside the caller's transaction. The triggers come back even if the body raises
    (a rollback then undoes the drop and the restore together); the rebuild runs only on
    success.
    """
    ddl = drop_search_triggers(conn)
    try:
        yield
    finally:
        restore_search_triggers(conn, ddl)
    rebuild_search_tables(conn, rules)


def rebuild_search_tables(conn: sqlite3.Connection, rules: SearchRules) -> None:
    """Rebuild every search structure from titles, people and aliases.

    Run it inside the caller's transaction. Rows are numbered best-known first (see
    migration 002). Keys come from the stored normalize_key() columns (norm_title,
    norm_name, aliases.norm) rather than the raw text: for most rows the search key is
    then the stored key itself. When the index was stamped under other spelling rules,
    those columns were normalised under the old rules too, so they are renormalised first.
    """
    conn.create_function("search_key", 1, rules.search_key, deterministic=True)
    conn.create_function("search_key_of_norm", 1, rules.search_key_of_norm, deterministic=True)
    stamp = conn.execute("SELECT value FROM meta WHERE key = ?", (rules.version_meta,)).fetchone()
    if stamp is not None and stamp[0] != rules.version:
        _renormalize(conn, rules)
    for fts in _FTS5_TABLES.values():
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')")
    # Indexes are built once, sorted, after the rows are in: filled in weight order each
    # would take every row as a random insert.
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'search_names'"
        " AND sql IS NOT NULL"
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    for table in ("search_names", "search_vocab", "search_deletes", "search_dirty"):
        conn.execute(f"DELETE FROM {table}")
    # Each entity's weight, credits counted in one grouped scan per kind (not a subquery
    # per entity), keyed by rowid for the join below.
    for entity, table, credit_column, weight in (
        ("title", "titles", "title_id", rules.title_weight),
        ("person", "people", "person_id", rules.person_weight),
    ):
        conn.execute(f"DROP TABLE IF EXISTS temp.search_{entity}_weights")
        conn.execute(
            f"CREATE TEMP TABLE search_{entity}_weights(id INTEGER PRIMARY KEY, weight INTEGER)"
        )
        alias = table[0]
        conn.execute(
            f"INSERT INTO temp.search_{entity}_weights SELECT {alias}.id, "
            + weight.format(credits="coalesce(c.n, 0)")
            + f" FROM {table} {alias} LEFT JOIN (SELECT {credit_column}, count(*) AS n"
            f" FROM credits GROUP BY {credit_column}) c ON c.{credit_column} = {alias}.id"
            f" ORDER BY {alias}.id"
        )
    # Every spelling of every entity, once per key: the first one in wins, so the title
    # beats the original title beats the aliases (in the order they were added). Each
    # source arrives in id order, so the keyed inserts stay local.
    conn.execute("DROP TABLE IF EXISTS temp.search_spellings")
    conn.execute(
        "CREATE TEMP TABLE search_spellings(entity TEXT, entity_id INTEGER, key TEXT,"
        " name TEXT, pri INTEGER, PRIMARY KEY (entity, entity_id, key)) WITHOUT ROWID"
    )
    conn.execute(
        "INSERT OR IGNORE INTO temp.search_spellings "
        "SELECT 'title', id, search_key_of_norm(norm_title), title, 0 FROM titles "
        "UNION ALL SELECT 'person', id, search_key_of_norm(norm_name), name, 0 FROM people "
        "UNION ALL SELECT 'title', id, search_key(original_title), original_title, 1 "
        " FROM titles WHERE original_title IS NOT NULL "
        "UNION ALL SELECT entity, entity_id, search_key_of_norm(norm), alias, 2 + id "
        " FROM aliases NOT INDEXED WHERE entity IN ('title', 'person')"  # in id order
    )
    # Best-known entities first; orphan aliases (no such entity) have no weight and drop.
    conn.execute(
        "INSERT INTO search_names(entity, entity_id, name, key, weight) "
        "SELECT s.entity, s.entity_id, s.name, s.key, coalesce(t.weight, p.weight) AS w"
        " FROM temp.search_spellings s"
        " LEFT JOIN temp.search_title_weights t ON s.entity = 'title' AND t.id = s.entity_id"
        " LEFT JOIN temp.search_person_weights p ON s.entity = 'person' AND p.id = s.entity_id"
        " WHERE s.key <> '' AND w IS NOT NULL ORDER BY w DESC, s.entity, s.entity_id, s.pri"
    )
    for table in ("search_spellings", "search_title_weights", "search_person_weights"):
        conn.execute(f"DROP TABLE temp.{table}")
    for _name, sql in indexes:
        conn.execute(sql)
    # In rowid order: FTS5 flushes its pending terms to a new segment whenever a rowid is
    # not above the last one, so any other order (e.g. the key index's) writes a segment
    # per row and merges them endlessly (20x slower).
    for entity, fts in _FTS5_TABLES.items():
        conn.execute(
            f"INSERT INTO {fts}(rowid, key)"
            " SELECT id, key FROM search_names WHERE entity = ? ORDER BY id",
            (entity,),
        )
    # The vocabulary (word -> how many spellings hold it) is read off the FTS indexes
    # just built, in C, rather than by splitting millions of keys in Python.
    for fts in _FTS5_TABLES.values():
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{fts}_vocab USING fts5vocab(main, {fts}, row)"
        )
    conn.execute(
        "INSERT INTO search_vocab(word, n) SELECT term, sum(doc) FROM ("
        + " UNION ALL ".join(
            f"SELECT term, doc FROM temp.{fts}_vocab" for fts in _FTS5_TABLES.values()
        )
        + ") GROUP BY term"
    )
    for fts in _FTS5_TABLES.values():
        conn.execute(f"DROP TABLE temp.{fts}_vocab")
    words = [w for (w,) in conn.execute(
        "SELECT word FROM search_vocab WHERE length(word) BETWEEN ? AND ?", rules.fuzzy_lengths,
    )]  # fmt: skip
    conn.executemany(
        "INSERT OR IGNORE INTO search_deletes(variant, word) VALUES (?, ?)",
        rules.typo_rows(words),
    )
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (rules.version_meta, rules.version),
    )
    log.info(
        "search index rebuilt: %d words",
        conn.execute("SELECT count(*) FROM search_vocab").fetchone()[0],
    )


def _renormalize(conn: sqlite3.Connection, rules: SearchRules) -> None:
    """Bring the stored normalize_key() columns up to the current spelling rules."""
    conn.create_function("normalize_key", 1, rules.normalize_key, deterministic=True)
    conn.execute(
        "UPDATE titles SET norm_title = normalize_key(title)"
        " WHERE norm_title IS NOT normalize_key(title)"
    )
    conn.execute(
        "UPDATE people SET norm_name = normalize_key(name)"
        " WHERE norm_name IS NOT normalize_key(name)"
    )
    # A collision under the new rules keeps the older alias's key (still a valid spelling
    # of the same entity; the rebuild's keys dedupe them).
    conn.execute(
        "UPDATE OR IGNORE aliases SET norm = normalize_key(alias)"
        " WHERE norm IS NOT normalize_key(alias)"
    )
    conn.execute(
        "UPDATE OR IGNORE companies SET norm_name = normalize_key(name)"
        " WHERE norm_name IS NOT normalize_key(name)"
    )
    conn.execute(
        "UPDATE articles SET norm_headline = normalize_key(headline)"
        " WHERE headline IS NOT NULL AND norm_headline IS NOT normalize_key(headline)"
    )


def rebuild_search_file(path: str, rules: SearchRules, timeout: float = 30) -> None:
    """rebuild_search_tables on a short-lived connection to the file, as one transaction
    (run in a worker thread, so the bot keeps answering from the old index meanwhile)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=timeout)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            rebuild_search_tables(conn, rules)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()
