"""SQL for films, people, credits, companies, releases and aliases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.catalog.models import Company, Credit, Person, Provenance, Release, Title
from bot.catalog.normalize import normalize_key
from bot.db.store import Store

_TITLE_COLS = (
    "id, title, kind, year, imdb_id, runtime_minutes, genres, rating, votes, status, source, as_of"
)
_PERSON_COLS = "id, name, imdb_id, birth_year, death_year, professions, source, as_of"
_TITLE_COLS_T = ", ".join(f"t.{column.strip()}" for column in _TITLE_COLS.split(","))
# One credit per person, title and role, merged across sources (see credits_for_title).
_MERGED_CREDIT = (
    "c.title_id, c.person_id, p.name, c.role,"
    " max(CASE WHEN c.source = 'imdb' THEN c.character END),"
    " coalesce(min(CASE WHEN c.source = 'imdb' THEN c.billing END), min(c.billing)),"
    " max(c.known_for), max(c.status), max(c.character), max(c.source), max(c.as_of)"
)


def _merged_credit(r: Sequence[Any]) -> Credit:
    return Credit(r[0], r[1], r[2], r[3], r[4] or r[8], r[5], r[6], r[7], r[9], r[10])


class CatalogRepository:
    """Reads and writes the catalog tables. Writes run inside the caller's transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- resolving names to rows ----------------------------------------------

    async def find_title_id(self, title: str) -> int | None:
        """Exact match on the normalised title or an alias; the best-known entry wins.

        Best-known: a match on the title itself before one on an alias, then the most
        IMDb votes (two films called "Dune": news is about the one people know), then
        the oldest row.
        """
        key = normalize_key(title)
        if not key:
            return None
        return await self.store.fetchval(
            "SELECT id FROM ("
            " SELECT t.id, 0 AS alias, t.votes FROM titles t WHERE t.norm_title = ?"
            " UNION ALL SELECT t.id, 1, t.votes FROM aliases a JOIN titles t ON t.id = a.entity_id"
            "  WHERE a.entity = 'title' AND a.norm = ?"
            ") AS found ORDER BY alias, coalesce(votes, -1) DESC, id LIMIT 1",
            (key, key),
        )

    async def find_person_id(self, name: str) -> int | None:
        key = normalize_key(name)
        if not key:
            return None
        return await self.store.fetchval(
            "SELECT id FROM ("
            " SELECT p.id FROM people p WHERE p.norm_name = ?"
            " UNION SELECT a.entity_id FROM aliases a WHERE a.entity = 'person' AND a.norm = ?"
            ") AS found ORDER BY id LIMIT 1",
            (key, key),
        )

    async def known_names(self, candidates: Iterable[str]) -> tuple[set[str], set[str]]:
        """Which candidate spans are catalogued people and which are titles."""
        by_key: dict[str, list[str]] = {}
        for cand in candidates:
            key = normalize_key(cand)
            if key:
                by_key.setdefault(key, []).append(cand)
        people: set[str] = set()
        titles: set[str] = set()
        keys = list(by_key)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in await self.store.fetchall(
                f"SELECT norm_name FROM people WHERE norm_name IN ({marks}) "
                f"UNION SELECT norm FROM aliases WHERE entity = 'person' AND norm IN ({marks})",
                (*chunk, *chunk),
            ):
                people.update(by_key[row[0]])
            for row in await self.store.fetchall(
                f"SELECT norm_title FROM titles WHERE norm_title IN ({marks}) "
                f"UNION SELECT norm FROM aliases WHERE entity = 'title' AND norm IN ({marks})",
                (*chunk, *chunk),
            ):
                titles.update(by_key[row[0]])
        return people, titles

    # -- writes (call inside `async with store.transaction()`) -----------------

    async def ensure_title(self, title: str, prov: Provenance, *, year: int | None = None) -> int:
        existing = await self.find_title_id(title)
        if existing is not None:
            return existing
        new_id = await self.store.insert(
            "INSERT INTO titles(title, norm_title, year, source, as_of) VALUES (?, ?, ?, ?, ?)",
            (title, normalize_key(title), year, prov.source, prov.as_of),
        )
        return int(new_id or 0)

    async def ensure_person(self, name: str, prov: Provenance) -> int:
        existing = await self.find_person_id(name)
        if existing is not None:
            return existing
        new_id = await self.store.insert(
            "INSERT INTO people(name, norm_name, source, as_of) VALUES (?, ?, ?, ?)",
            (name, normalize_key(name), prov.source, prov.as_of),
        )
        return int(new_id or 0)

    async def add_alias(
        self, entity: str, entity_id: int, alias: str, prov: Provenance, region: str | None = None
    ) -> None:
        key = normalize_key(alias)
        if not key:
            return
        await self.store.execute(
            "INSERT INTO aliases(entity, entity_id, alias, norm, region, source, as_of) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (entity, entity_id, alias, key, region, prov.source, prov.as_of),
        )

    async def add_credit(
        self,
        title_id: int,
        person_id: int,
        role: str,
        prov: Provenance,
        *,
        character: str | None = None,
        billing: int | None = None,
        known_for: str | None = None,
        status: str | None = None,
        evidence: str | None = None,
    ) -> None:
        await self.store.execute(
            "INSERT INTO credits(title_id, person_id, role, character, billing, known_for, status,"
            " source, as_of, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(title_id, person_id, role, source) DO UPDATE SET "
            " character = coalesce(excluded.character, credits.character),"
            " billing = coalesce(excluded.billing, credits.billing),"
            " known_for = coalesce(excluded.known_for, credits.known_for),"
            " status = coalesce(excluded.status, credits.status), as_of = excluded.as_of,"
            " evidence = coalesce(credits.evidence, excluded.evidence)",
            (
                title_id,
                person_id,
                role,
                character,
                billing,
                known_for,
                status,
                prov.source,
                prov.as_of,
                evidence,
            ),
        )

    async def add_company(
        self,
        title_id: int,
        name: str,
        prov: Provenance,
        role: str = "studio",
        evidence: str | None = None,
    ) -> None:
        key = normalize_key(name)
        if not key:
            return
        await self.store.execute(
            "INSERT INTO companies(name, norm_name, source, as_of) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (name, key, prov.source, prov.as_of),
        )
        company_id = await self.store.fetchval(
            "SELECT id FROM companies WHERE norm_name = ?", (key,)
        )
        await self.store.execute(
            "INSERT INTO title_companies(title_id, company_id, role, source, as_of,"
            " evidence) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (title_id, company_id, role, prov.source, prov.as_of, evidence),
        )

    async def add_release(
        self,
        title_id: int,
        *,
        date: str,
        precision: str,
        kind: str,
        region: str | None,
        prov: Provenance,
        note: str | None = None,
        evidence: str | None = None,
        superseded: bool = False,
    ) -> None:
        """Record a release date; a later statement from the same source replaces it, and
        a superseded date (one the film moved from) is kept as history beside it."""
        if superseded:
            await self.store.execute(
                "INSERT INTO releases(title_id, region, date, precision, kind, note,"
                " source, as_of, superseded, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"
                " ON CONFLICT DO NOTHING",
                (title_id, region or "", date, precision, kind, note, prov.source, prov.as_of,
                 evidence),
            )  # fmt: skip
            return
        await self.store.execute(
            "INSERT INTO releases(title_id, region, date, precision, kind, note, source, as_of,"
            " evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(title_id, region, kind, source) WHERE superseded = 0 DO UPDATE SET"
            " date = excluded.date, precision = excluded.precision, note = excluded.note,"
            " as_of = excluded.as_of, evidence = excluded.evidence",
            (title_id, region or "", date, precision, kind, note, prov.source, prov.as_of,
             evidence),
        )  # fmt: skip

    async def add_fact(self, title_id: int, fact: str, prov: Provenance) -> None:
        await self.store.execute(
            "INSERT INTO title_facts(title_id, fact, source, as_of) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (title_id, fact, prov.source, prov.as_of),
        )

    # -- reads ----------------------------------------------------------------

    async def get_title(self, title_id: int) -> Title | None:
        row = await self.store.fetchone(
            f"SELECT {_TITLE_COLS} FROM titles WHERE id = ?", (title_id,)
        )
        return Title(*row) if row else None

    async def get_person(self, person_id: int) -> Person | None:
        row = await self.store.fetchone(
            f"SELECT {_PERSON_COLS} FROM people WHERE id = ?", (person_id,)
        )
        return Person(*row) if row else None

    async def credits_for_title(self, title_id: int, role: str | None = None) -> list[Credit]:
        """One row per person and role, merged across sources, in billing order.

        Billing and character prefer the catalog (imdb); known-for and returning/new come
        from whichever source states them; provenance is the most recent statement.
        """
        rows = await self.store.fetchall(
            f"SELECT {_MERGED_CREDIT} FROM credits c JOIN people p ON p.id = c.person_id "
            "WHERE c.title_id = ? AND (CAST(? AS TEXT) IS NULL OR c.role = ?) "
            "GROUP BY c.title_id, c.person_id, p.id, c.role "
            "ORDER BY coalesce(min(CASE WHEN c.source = 'imdb' THEN c.billing END),"
            " min(c.billing), 1e9), p.name",
            (title_id, role, role),
        )
        return [_merged_credit(r) for r in rows]

    async def credits_for_person(self, person_id: int) -> list[tuple[Title, Credit]]:
        """Every film of a person with their merged credit, newest first (one query)."""
        width = len(_TITLE_COLS.split(","))
        rows = await self.store.fetchall(
            f"SELECT {_TITLE_COLS_T}, {_MERGED_CREDIT} FROM credits c"
            " JOIN people p ON p.id = c.person_id JOIN titles t ON t.id = c.title_id"
            " WHERE c.person_id = ? GROUP BY c.title_id, t.id, c.person_id, p.id, c.role",
            (person_id,),
        )
        result = [(Title(*r[:width]), _merged_credit(r[width:])) for r in rows]
        result.sort(key=lambda tc: (-(tc[0].year or 0), tc[0].title))
        return result

    async def companies_for_title(self, title_id: int) -> list[Company]:
        rows = await self.store.fetchall(
            "SELECT c.id, c.name, tc.role, tc.source, tc.as_of FROM title_companies tc "
            "JOIN companies c ON c.id = tc.company_id WHERE tc.title_id = ? ORDER BY c.name",
            (title_id,),
        )
        return [Company(*r) for r in rows]

    async def releases_for_title(self, title_id: int, *, superseded: bool = False) -> list[Release]:
        """Current release dates, or (superseded=True) the dates it moved away from."""
        rows = await self.store.fetchall(
            "SELECT title_id, region, date, precision, kind, note, source, as_of, certification,"
            " superseded, evidence FROM releases WHERE title_id = ? AND superseded = ? "
            "ORDER BY date, region, kind",
            (title_id, int(superseded)),
        )
        return [Release(*r[:9], superseded=bool(r[9]), evidence=r[10]) for r in rows]

    async def facts_for_title(self, title_id: int) -> list[tuple[str, Provenance]]:
        rows = await self.store.fetchall(
            "SELECT fact, source, as_of FROM title_facts WHERE title_id = ? ORDER BY as_of, id",
            (title_id,),
        )
        return [(r[0], Provenance(r[1], r[2])) for r in rows]

    async def aliases_for(self, entity: str, entity_id: int) -> list[str]:
        rows = await self.store.fetchall(
            "SELECT alias FROM aliases WHERE entity = ? AND entity_id = ? ORDER BY id",
            (entity, entity_id),
        )
        return [r[0] for r in rows]
