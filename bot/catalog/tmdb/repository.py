"""What TMDB said, cached in the store and merged with the same film or person.

A TMDB film joins the catalog row that already stands for it: the one linked to its TMDB
id, else the one with its IMDb id (TMDB's external id), else the row asked about, else
one with the same normalised title and a year within one; only then is a new row made.
TMDB's facts go in with source `tmdb` and the day they were fetched: its releases and
credits sit beside the articles' and IMDb's (each source keeps its own rows), and a
title's own columns are only filled where empty, never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bot.catalog.models import Provenance
from bot.catalog.normalize import normalize_key
from bot.catalog.repository import CatalogRepository
from bot.catalog.tmdb.parse import CreditRecord, MovieRecord, MovieSummary, PersonRecord
from bot.db.store import Store

SOURCE = "tmdb"
TMDB_MOVIE_URL = "https://www.themoviedb.org/movie/{}"
TMDB_PERSON_URL = "https://www.themoviedb.org/person/{}"


@dataclass(frozen=True)
class TmdbTitleInfo:
    tmdb_id: int | None
    overview: str | None
    tagline: str | None
    poster_url: str | None
    runtime: int | None
    genres: str | None
    vote_average: float | None
    vote_count: int | None
    trailer_url: str | None
    providers: dict[str, dict[str, Any]]
    fetched_at: str | None
    as_of: str

    @property
    def url(self) -> str | None:
        return TMDB_MOVIE_URL.format(self.tmdb_id) if self.tmdb_id else None


@dataclass(frozen=True)
class TmdbPersonInfo:
    tmdb_id: int | None
    biography: str | None
    profile_url: str | None
    birthday: str | None
    deathday: str | None
    place_of_birth: str | None
    department: str | None
    known_for: list[str]
    fetched_at: str | None
    as_of: str

    @property
    def url(self) -> str | None:
        return TMDB_PERSON_URL.format(self.tmdb_id) if self.tmdb_id else None


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


class TmdbRepository:
    """Reads and writes the TMDB cache; every write is one transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.catalog = CatalogRepository(store)

    # -- reads ---------------------------------------------------------------------

    async def title_info(self, title_id: int) -> TmdbTitleInfo | None:
        row = await self.store.fetchone(
            "SELECT tmdb_id, overview, tagline, poster_url, runtime, genres, vote_average,"
            " vote_count, trailer_url, providers, fetched_at, as_of FROM tmdb_titles"
            " WHERE title_id = ?",
            (title_id,),
        )
        if row is None:
            return None
        providers = json.loads(row[9]) if row[9] else {}
        return TmdbTitleInfo(*row[:9], providers, row[10], row[11])

    async def person_info(self, person_id: int) -> TmdbPersonInfo | None:
        row = await self.store.fetchone(
            "SELECT tmdb_id, biography, profile_url, birthday, deathday, place_of_birth,"
            " department, known_for, fetched_at, as_of FROM tmdb_people WHERE person_id = ?",
            (person_id,),
        )
        if row is None:
            return None
        return TmdbPersonInfo(*row[:7], json.loads(row[7] or "[]"), row[8], row[9])

    async def title_for_tmdb(self, tmdb_id: int) -> int | None:
        return await self.store.fetchval(
            "SELECT title_id FROM tmdb_titles WHERE tmdb_id = ?", (tmdb_id,)
        )

    async def person_for_tmdb(self, tmdb_id: int) -> int | None:
        return await self.store.fetchval(
            "SELECT person_id FROM tmdb_people WHERE tmdb_id = ?", (tmdb_id,)
        )

    async def linked_titles(self, title_ids: list[int]) -> dict[int, int]:
        """title id -> TMDB id, for the given titles that are linked."""
        if not title_ids:
            return {}
        marks = ",".join("?" * len(title_ids))
        rows = await self.store.fetchall(
            f"SELECT title_id, tmdb_id FROM tmdb_titles WHERE tmdb_id IS NOT NULL"
            f" AND title_id IN ({marks})",
            title_ids,
        )
        return {r[0]: r[1] for r in rows}

    # -- merging ---------------------------------------------------------------------

    async def _match_title(self, summary: MovieSummary, imdb_id: str | None,
                           asked: int | None) -> int | None:  # fmt: skip
        found = await self.title_for_tmdb(summary.tmdb_id)
        if found is None and imdb_id:
            found = await self.store.fetchval("SELECT id FROM titles WHERE imdb_id = ?", (imdb_id,))
        if found is None and asked is not None:
            found = asked
        if found is None:
            keys = {normalize_key(summary.title), normalize_key(summary.original_title or "")}
            keys.discard("")
            marks = ",".join("?" * len(keys))
            rows = await self.store.fetchall(
                f"SELECT t.id, t.year FROM titles t LEFT JOIN tmdb_titles m ON m.title_id = t.id"
                f" WHERE t.norm_title IN ({marks}) AND m.tmdb_id IS NULL ORDER BY t.id",
                list(keys),
            )
            for title_id, year in rows:
                if year is None or summary.year is None or abs(year - summary.year) <= 1:
                    found = title_id
                    break
        return found

    async def _ensure_title(
        self, summary: MovieSummary, imdb_id: str | None, asked: int | None, prov: Provenance
    ) -> int:
        """The catalog row for a TMDB film (made when none matches); inside a transaction."""
        title_id = await self._match_title(summary, imdb_id, asked)
        if title_id is None:
            title_id = int(await self.store.insert(
                "INSERT INTO titles(title, original_title, norm_title, year, source, as_of)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (summary.title, summary.original_title, normalize_key(summary.title),
                 summary.year, prov.source, prov.as_of),
            ) or 0)  # fmt: skip
        elif summary.year is not None:
            await self.store.execute(
                "UPDATE titles SET year = ? WHERE id = ? AND year IS NULL", (summary.year, title_id)
            )
        if imdb_id:  # the IMDb id TMDB gives, unless another row already has it
            await self.store.execute(
                "UPDATE titles SET imdb_id = ? WHERE id = ? AND imdb_id IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM titles WHERE imdb_id = ?)",
                (imdb_id, title_id, imdb_id),
            )
        original = summary.original_title
        if original and normalize_key(original) != normalize_key(summary.title):
            await self.catalog.add_alias("title", title_id, original, prov)
        return title_id

    async def save_movie(
        self, record: MovieRecord, *, now: dt.datetime, image_base: str, asked: int | None = None
    ) -> int:
        """Store a full TMDB film; its previous TMDB releases and credits are replaced."""
        prov = Provenance(SOURCE, now.date().isoformat())
        summary = record.summary
        async with self.store.transaction() as conn:
            title_id = await self._ensure_title(summary, record.imdb_id, asked, prov)
            await conn.execute(
                "UPDATE titles SET runtime_minutes = coalesce(runtime_minutes, ?),"
                " genres = coalesce(genres, ?) WHERE id = ?",
                (record.runtime, ",".join(record.genres) or None, title_id),
            )
            await conn.execute(
                "DELETE FROM tmdb_titles WHERE tmdb_id = ? AND title_id <> ?",
                (summary.tmdb_id, title_id),
            )
            await conn.execute(
                "INSERT INTO tmdb_titles(title_id, tmdb_id, overview, tagline, poster_url, runtime,"
                " genres, vote_average, vote_count, trailer_url, providers, fetched_at, as_of)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(title_id) DO UPDATE SET"
                " tmdb_id = excluded.tmdb_id, overview = excluded.overview,"
                " tagline = excluded.tagline, poster_url = excluded.poster_url,"
                " runtime = excluded.runtime, genres = excluded.genres,"
                " vote_average = excluded.vote_average, vote_count = excluded.vote_count,"
                " trailer_url = excluded.trailer_url, providers = excluded.providers,"
                " fetched_at = excluded.fetched_at, as_of = excluded.as_of",
                (
                    title_id, summary.tmdb_id, summary.overview, record.tagline,
                    image_base + "w500" + summary.poster_path if summary.poster_path else None,
                    record.runtime, ", ".join(record.genres) or None, record.vote_average,
                    record.vote_count, record.trailer_url, json.dumps(record.providers),
                    _iso(now), prov.as_of,
                ),
            )  # fmt: skip
            await conn.execute(
                "DELETE FROM releases WHERE title_id = ? AND source = ?", (title_id, SOURCE)
            )
            await conn.executemany(
                "INSERT INTO releases(title_id, region, date, precision, kind, note,"
                " certification, source, as_of) VALUES (?, ?, ?, 'day', ?, ?, ?, ?, ?)",
                [
                    (title_id, r.region, r.date, r.kind, r.note, r.certification, SOURCE,
                     prov.as_of)
                    for r in record.releases
                ],
            )  # fmt: skip
            await conn.execute(
                "DELETE FROM credits WHERE title_id = ? AND source = ?", (title_id, SOURCE)
            )
            for credit in record.credits:
                person_id = await self._ensure_person(credit, title_id, prov)
                await self.catalog.add_credit(
                    title_id, person_id, credit.role, prov,
                    character=credit.character, billing=credit.order,
                )  # fmt: skip
            for company in record.companies[:5]:
                await self.catalog.add_company(title_id, company, prov)
        return title_id

    async def save_listed(self, summary: MovieSummary, region: str, *, now: dt.datetime,
                          image_base: str) -> int:  # fmt: skip
        """A film from TMDB's upcoming list: its row, link and the region's date."""
        prov = Provenance(SOURCE, now.date().isoformat())
        async with self.store.transaction() as conn:
            title_id = await self._ensure_title(summary, None, None, prov)
            poster = image_base + "w500" + summary.poster_path if summary.poster_path else None
            await conn.execute(
                "INSERT INTO tmdb_titles(title_id, tmdb_id, overview, poster_url, as_of)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(title_id) DO UPDATE SET"
                " tmdb_id = excluded.tmdb_id,"
                " overview = coalesce(tmdb_titles.overview, excluded.overview),"
                " poster_url = coalesce(tmdb_titles.poster_url, excluded.poster_url)",
                (title_id, summary.tmdb_id, summary.overview, poster, prov.as_of),
            )
            if summary.release_date:
                await self.catalog.add_release(
                    title_id, date=summary.release_date, precision="day", kind="theatrical",
                    region=region, prov=prov,
                )  # fmt: skip
        return title_id

    async def mark_unknown(self, title_id: int, *, now: dt.datetime) -> None:
        """TMDB has no such film: remember that for the cache age, so it is not asked again."""
        await self.store.execute(
            "INSERT INTO tmdb_titles(title_id, tmdb_id, fetched_at, as_of) VALUES (?, NULL, ?, ?)"
            " ON CONFLICT(title_id) DO UPDATE SET fetched_at = excluded.fetched_at",
            (title_id, _iso(now), now.date().isoformat()),
        )

    async def _ensure_person(self, credit: CreditRecord, title_id: int, prov: Provenance) -> int:
        """The person a TMDB credit names: linked by TMDB id, else the same name already
        credited on this film, else the only person of that name, else a new row."""
        person_id = await self.person_for_tmdb(credit.tmdb_id)
        key = normalize_key(credit.name)
        if person_id is None and key:  # a name with no letters matches nobody by name
            person_id = await self.store.fetchval(
                "SELECT p.id FROM people p JOIN credits c ON c.person_id = p.id"
                " LEFT JOIN tmdb_people m ON m.person_id = p.id"
                " WHERE c.title_id = ? AND p.norm_name = ? AND m.tmdb_id IS NULL LIMIT 1",
                (title_id, key),
            )
        if person_id is None and key:
            rows = await self.store.fetchall(
                "SELECT p.id FROM people p LEFT JOIN tmdb_people m ON m.person_id = p.id"
                " WHERE p.norm_name = ? AND m.tmdb_id IS NULL LIMIT 2",
                (key,),
            )
            person_id = rows[0][0] if len(rows) == 1 else None
        if person_id is None:
            person_id = int(await self.store.insert(
                "INSERT INTO people(name, norm_name, source, as_of) VALUES (?, ?, ?, ?)",
                (credit.name, key, prov.source, prov.as_of),
            ) or 0)  # fmt: skip
        await self.store.execute(
            "INSERT INTO tmdb_people(person_id, tmdb_id, as_of) VALUES (?, ?, ?)"
            " ON CONFLICT(person_id) DO UPDATE SET tmdb_id = excluded.tmdb_id",
            (person_id, credit.tmdb_id, prov.as_of),
        )
        return person_id

    async def save_person(self, record: PersonRecord, *, now: dt.datetime, image_base: str,
                          asked: int | None = None) -> int:  # fmt: skip
        prov = Provenance(SOURCE, now.date().isoformat())
        async with self.store.transaction() as conn:
            person_id = await self.person_for_tmdb(record.tmdb_id)
            if person_id is None and record.imdb_id:
                person_id = await self.store.fetchval(
                    "SELECT id FROM people WHERE imdb_id = ?", (record.imdb_id,)
                )
            if person_id is None:
                person_id = asked
            if person_id is None:
                credit = CreditRecord(record.tmdb_id, record.name, "actor")
                person_id = await self._ensure_person(credit, 0, prov)
            birth = int(record.birthday[:4]) if record.birthday else None
            death = int(record.deathday[:4]) if record.deathday else None
            await conn.execute(
                "UPDATE people SET birth_year = coalesce(birth_year, ?),"
                " death_year = coalesce(death_year, ?) WHERE id = ?",
                (birth, death, person_id),
            )
            if record.imdb_id:
                await conn.execute(
                    "UPDATE people SET imdb_id = ? WHERE id = ? AND imdb_id IS NULL"
                    " AND NOT EXISTS (SELECT 1 FROM people WHERE imdb_id = ?)",
                    (record.imdb_id, person_id, record.imdb_id),
                )
            await conn.execute(
                "DELETE FROM tmdb_people WHERE tmdb_id = ? AND person_id <> ?",
                (record.tmdb_id, person_id),
            )
            profile = image_base + "w185" + record.profile_path if record.profile_path else None
            await conn.execute(
                "INSERT INTO tmdb_people(person_id, tmdb_id, biography, profile_url, birthday,"
                " deathday, place_of_birth, department, known_for, fetched_at, as_of)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(person_id) DO UPDATE SET"
                " tmdb_id = excluded.tmdb_id, biography = excluded.biography,"
                " profile_url = excluded.profile_url, birthday = excluded.birthday,"
                " deathday = excluded.deathday, place_of_birth = excluded.place_of_birth,"
                " department = excluded.department, known_for = excluded.known_for,"
                " fetched_at = excluded.fetched_at, as_of = excluded.as_of",
                (
                    person_id, record.tmdb_id, record.biography, profile, record.birthday,
                    record.deathday, record.place_of_birth, record.department,
                    json.dumps(record.known_for), _iso(now), prov.as_of,
                ),
            )  # fmt: skip
        return person_id

    async def mark_person_unknown(self, person_id: int, *, now: dt.datetime) -> None:
        await self.store.execute(
            "INSERT INTO tmdb_people(person_id, tmdb_id, fetched_at, as_of) VALUES (?, NULL, ?, ?)"
            " ON CONFLICT(person_id) DO UPDATE SET fetched_at = excluded.fetched_at",
            (person_id, _iso(now), now.date().isoformat()),
        )
