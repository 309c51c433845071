"""Link rows an article created to the IMDb rows for the same film or person.

An article can mention a film before the catalog holds it; ingest then creates a
title (and people) with no imdb_id. When an import brings the IMDb entry, keeping
both would show the film twice. So the importer *links* them: the article's row
gets the imdb_id and IMDb's facts, IMDb's credits and aliases move onto it, and the
IMDb duplicate is deleted. The article's row keeps its id, its wording of the title
or name, its source and as_of, so everything the article said stays attributed to it.

The rule (deliberately conservative: a wrong link is worse than a missing one):

Titles. Candidates are IMDb titles whose normalised primary title or an IMDb alias
equals the article title's normalised title. If the article gave a year, candidates
must start within one year of it (festival vs. release year). Each candidate is
scored by how many people the article credits on the film IMDb also credits on the
candidate (by normalised name), then by primary-title match, then by votes. With a
year, the best candidate wins; without one, the best wins only if it shares at
least one person with the article or is the only candidate.

People (after titles, so shared films can be counted). Candidates are IMDb people
with the same normalised name. The one credited by IMDb on the most films the
article credits the person on wins if that count is at least one and beats the
runner-up; otherwise a single candidate is linked; otherwise nothing is.
"""

from __future__ import annotations

import logging
import sqlite3

log = logging.getLogger(__name__)

SOURCE = "imdb"
# Tables derived from the catalog and rebuilt after an import: never "references".
DERIVED_PREFIXES = ("search_",)


def references(conn: sqlite3.Connection, table: str, entity: str) -> list[tuple[str, str, str]]:
    """(table, id column, extra condition) for every row that can point at `table` rows.

    Found from the schema, so tables other modules add later (with a foreign key, or
    with the polymorphic `entity`/`entity_id` pair) are followed too.
    """
    found: list[tuple[str, str, str]] = []
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
        )
    ]
    for name in names:
        if name.startswith(DERIVED_PREFIXES):
            continue
        for fk in conn.execute(f'PRAGMA foreign_key_list("{name}")'):
            if fk[2] == table:
                found.append((name, fk[3], ""))
        columns = {c[1] for c in conn.execute(f'PRAGMA table_info("{name}")')}
        if {"entity", "entity_id"} <= columns:
            found.append((name, "entity_id", f" AND entity = '{entity}'"))
    return found


def _has_source(conn: sqlite3.Connection, table: str) -> bool:
    return any(c[1] == "source" for c in conn.execute(f'PRAGMA table_info("{table}")'))


def merge_into(
    conn: sqlite3.Connection, table: str, entity: str, duplicate: int, keeper: int
) -> None:
    """Move every reference from row `duplicate` to row `keeper`, then delete `duplicate`."""
    for ref_table, column, extra in references(conn, table, entity):
        conn.execute(
            f'UPDATE OR IGNORE "{ref_table}" SET "{column}" = ? WHERE "{column}" = ?{extra}',
            (keeper, duplicate),
        )
        conn.execute(f'DELETE FROM "{ref_table}" WHERE "{column}" = ?{extra}', (duplicate,))
    conn.execute(f'DELETE FROM "{table}" WHERE id = ?', (duplicate,))


def delete_unreferenced(conn: sqlite3.Connection, table: str, entity: str, ids_table: str) -> int:
    """Delete rows listed in `ids_table` that nothing outside IMDb refers to.

    IMDb's own credits and aliases for them go too; a row an article (or a person)
    still points at stays, so no article fact is ever lost to a re-import.
    """
    refs = references(conn, table, entity)
    keep_conditions = []
    for ref_table, column, extra in refs:
        source = " AND source <> 'imdb'" if _has_source(conn, ref_table) else ""
        keep_conditions.append(
            f'EXISTS (SELECT 1 FROM "{ref_table}" WHERE "{column}" = s.id{extra}{source})'
        )
    if keep_conditions:
        conn.execute(f"DELETE FROM {ids_table} AS s WHERE {' OR '.join(keep_conditions)}")
    for ref_table, column, extra in refs:
        conn.execute(
            f'DELETE FROM "{ref_table}" WHERE "{column}" IN (SELECT id FROM {ids_table}){extra}'
        )
    cursor = conn.execute(f'DELETE FROM "{table}" WHERE id IN (SELECT id FROM {ids_table})')
    return cursor.rowcount


def link_titles(conn: sqlite3.Connection) -> int:
    """Link article-made titles to their IMDb entries (rule in the module docstring)."""
    linked = 0
    articles = conn.execute(
        "SELECT id, norm_title, year FROM titles WHERE imdb_id IS NULL AND norm_title <> ''"
    ).fetchall()
    for art_id, norm, year in articles:
        candidates = conn.execute(
            "SELECT t.id, t.norm_title = :norm AS primary_match, coalesce(t.votes, 0),"
            " (SELECT count(DISTINCT pa.norm_name) FROM credits ca"
            "  JOIN people pa ON pa.id = ca.person_id"
            "  WHERE ca.title_id = :art AND pa.norm_name IN ("
            "   SELECT pb.norm_name FROM credits cb JOIN people pb ON pb.id = cb.person_id"
            "   WHERE cb.title_id = t.id)) AS shared "
            "FROM titles t WHERE t.source = 'imdb' AND t.imdb_id IS NOT NULL"
            " AND (:year IS NULL OR t.year IS NULL OR abs(t.year - :year) <= 1)"
            " AND (t.norm_title = :norm OR t.id IN (SELECT entity_id FROM aliases"
            "  WHERE entity = 'title' AND norm = :norm AND source = 'imdb'))",
            {"norm": norm, "art": art_id, "year": year},
        ).fetchall()
        if not candidates:
            continue
        candidates.sort(key=lambda c: (c[3], c[1], c[2]), reverse=True)
        best = candidates[0]
        if year is None and best[3] == 0 and len(candidates) > 1:
            log.info("title %d (%r): %d IMDb candidates, none sure", art_id, norm, len(candidates))
            continue
        _link_title(conn, art_id, best[0])
        linked += 1
    return linked


def _link_title(conn: sqlite3.Connection, art_id: int, imdb_row: int) -> None:
    row = conn.execute(
        "SELECT imdb_id, original_title, year, kind, runtime_minutes, genres, rating, votes"
        " FROM titles WHERE id = ?",
        (imdb_row,),
    ).fetchone()
    conn.execute("UPDATE titles SET imdb_id = NULL WHERE id = ?", (imdb_row,))
    conn.execute(
        "UPDATE titles SET imdb_id = ?, original_title = coalesce(original_title, ?),"
        " year = coalesce(year, ?), kind = ?, runtime_minutes = ?, genres = ?, rating = ?,"
        " votes = ? WHERE id = ?",
        (*row, art_id),
    )
    merge_into(conn, "titles", "title", imdb_row, art_id)


def link_people(conn: sqlite3.Connection) -> int:
    """Link article-made people to their IMDb entries (rule in the module docstring)."""
    linked = 0
    articles = conn.execute(
        "SELECT id, norm_name FROM people WHERE imdb_id IS NULL AND norm_name <> ''"
    ).fetchall()
    for art_id, norm in articles:
        candidates = conn.execute(
            "SELECT p.id, (SELECT count(DISTINCT ca.title_id) FROM credits ca"
            "  WHERE ca.person_id = :art AND ca.title_id IN ("
            "   SELECT cb.title_id FROM credits cb WHERE cb.person_id = p.id)) AS shared "
            "FROM people p WHERE p.norm_name = :norm AND p.source = 'imdb'"
            " AND p.imdb_id IS NOT NULL",
            {"norm": norm, "art": art_id},
        ).fetchall()
        if not candidates:
            continue
        candidates.sort(key=lambda c: c[1], reverse=True)
        best = candidates[0]
        runner_up = candidates[1][1] if len(candidates) > 1 else -1
        if not (best[1] >= 1 and best[1] > runner_up) and len(candidates) != 1:
            log.info("person %d (%r): %d candidates, none sure", art_id, norm, len(candidates))
            continue
        row = conn.execute(
            "SELECT imdb_id, birth_year, death_year, professions FROM people WHERE id = ?",
            (best[0],),
        ).fetchone()
        conn.execute("UPDATE people SET imdb_id = NULL WHERE id = ?", (best[0],))
        conn.execute(
            "UPDATE people SET imdb_id = ?, birth_year = ?, death_year = ?, professions = ?"
            " WHERE id = ?",
            (*row, art_id),
        )
        merge_into(conn, "people", "person", best[0], art_id)
        linked += 1
    return linked
