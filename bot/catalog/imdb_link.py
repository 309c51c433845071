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

from bot.db.catalog_load import CatalogLoad

log = logging.getLogger(__name__)


def link_titles(load: CatalogLoad) -> int:
    """Link article-made titles to their IMDb entries (rule in the module docstring)."""
    linked = 0
    articles = load.fetchall(
        "SELECT id, norm_title, year FROM titles WHERE imdb_id IS NULL AND norm_title <> ''"
    )
    for art_id, norm, year in articles:
        near_year = " AND (t.year IS NULL OR abs(t.year - ?) <= 1)" if year is not None else ""
        candidates = load.fetchall(
            "SELECT t.id, t.norm_title = ? AS primary_match, coalesce(t.votes, 0),"
            " (SELECT count(DISTINCT pa.norm_name) FROM credits ca"
            "  JOIN people pa ON pa.id = ca.person_id"
            "  WHERE ca.title_id = ? AND pa.norm_name IN ("
            "   SELECT pb.norm_name FROM credits cb JOIN people pb ON pb.id = cb.person_id"
            "   WHERE cb.title_id = t.id)) AS shared "
            "FROM titles t WHERE t.source = 'imdb' AND t.imdb_id IS NOT NULL"
            f"{near_year} AND (t.norm_title = ? OR t.id IN (SELECT entity_id FROM aliases"
            "  WHERE entity = 'title' AND norm = ? AND source = 'imdb'))",
            (norm, art_id, *([year] if year is not None else []), norm, norm),
        )
        if not candidates:
            continue
        candidates.sort(key=lambda c: (c[3], c[1], c[2]), reverse=True)
        best = candidates[0]
        if year is None and best[3] == 0 and len(candidates) > 1:
            log.info("title %d (%r): %d IMDb candidates, none sure", art_id, norm, len(candidates))
            continue
        _link_title(load, art_id, best[0])
        linked += 1
    return linked


def _link_title(load: CatalogLoad, art_id: int, imdb_row: int) -> None:
    row = load.fetchall(
        "SELECT imdb_id, original_title, year, kind, runtime_minutes, genres, rating, votes"
        " FROM titles WHERE id = ?",
        (imdb_row,),
    )[0]
    load.execute("UPDATE titles SET imdb_id = NULL WHERE id = ?", (imdb_row,))
    load.execute(
        "UPDATE titles SET imdb_id = ?, original_title = coalesce(original_title, ?),"
        " year = coalesce(year, ?), kind = ?, runtime_minutes = ?, genres = ?, rating = ?,"
        " votes = ? WHERE id = ?",
        (*row, art_id),
    )
    load.merge_into("titles", "title", imdb_row, art_id)


def link_people(load: CatalogLoad) -> int:
    """Link article-made people to their IMDb entries (rule in the module docstring)."""
    linked = 0
    articles = load.fetchall(
        "SELECT id, norm_name FROM people WHERE imdb_id IS NULL AND norm_name <> ''"
    )
    for art_id, norm in articles:
        candidates = load.fetchall(
            "SELECT p.id, (SELECT count(DISTINCT ca.title_id) FROM credits ca"
            "  WHERE ca.person_id = ? AND ca.title_id IN ("
            "   SELECT cb.title_id FROM credits cb WHERE cb.person_id = p.id)) AS shared "
            "FROM people p WHERE p.norm_name = ? AND p.source = 'imdb'"
            " AND p.imdb_id IS NOT NULL",
            (art_id, norm),
        )
        if not candidates:
            continue
        candidates.sort(key=lambda c: c[1], reverse=True)
        best = candidates[0]
        runner_up = candidates[1][1] if len(candidates) > 1 else -1
        if not (best[1] >= 1 and best[1] > runner_up) and len(candidates) != 1:
            log.info("person %d (%r): %d candidates, none sure", art_id, norm, len(candidates))
            continue
        row = load.fetchall(
            "SELECT imdb_id, birth_year, death_year, professions FROM people WHERE id = ?",
            (best[0],),
        )[0]
        load.execute("UPDATE people SET imdb_id = NULL WHERE id = ?", (best[0],))
        load.execute(
            "UPDATE people SET imdb_id = ?, birth_year = ?, death_year = ?, professions = ?"
            " WHERE id = ?",
            (*row, art_id),
        )
        load.merge_into("people", "person", best[0], art_id)
        linked += 1
    return linked
