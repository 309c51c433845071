"""What the lookup commands show, gathered from the catalog as plain records.

`resolve` turns an autocomplete value ("title:42") or free text into one entity, or raises
a UserFacingError that names up to five close suggestions. The `*_details` functions
collect everything /movie and /person display; `upcoming` and `suggestions_for_empty_box`
serve /upcoming and the autocomplete's empty box.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bot.catalog.models import Company, Credit, Person, Provenance, Release, Title
from bot.catalog.repository import CatalogRepository
from bot.catalog.search import FUZZY, SearchHit, refresh_search_index, search
from bot.catalog.tmdb.repository import TmdbPersonInfo, TmdbRepository, TmdbTitleInfo
from bot.db.store import Store
from bot.errors import UserFacingError

_VALUE_PREFIX = {"title": "title:", "person": "person:"}
_NOUN = {"title": "film", "person": "person"}
SUGGESTIONS = 5
QUOTE_CHARS = 60  # how much of an unmatched query is echoed back


def choice_value(entity: str, entity_id: int) -> str:
    """The stable autocomplete value for an entity (what `resolve` accepts back)."""
    return f"{_VALUE_PREFIX[entity]}{entity_id}"


def parse_choice_value(entity: str, value: str) -> int | None:
    prefix = _VALUE_PREFIX[entity]
    if value.startswith(prefix) and value[len(prefix) :].isdigit():
        return int(value[len(prefix) :])
    return None


async def resolve(store: Store, entity: str, value_or_text: str) -> int:
    """The id the user meant: a picked autocomplete value, or the best match of typed text.

    Raises UserFacingError "No film matches 'xyz'" (with suggestions) when nothing fits.
    """
    if not value_or_text.strip():
        what = "a film title" if entity == "title" else "a person's name"
        raise UserFacingError(f"Type {what} or pick one from the list.")
    picked = parse_choice_value(entity, value_or_text.strip())
    table = "titles" if entity == "title" else "people"
    if picked is not None and await store.fetchall(
        f"SELECT 1 FROM {table} WHERE id = ?", (picked,)
    ):
        return picked
    hits = await search(store, value_or_text, entity=entity, limit=1)
    if hits and hits[0].tier <= FUZZY:
        return hits[0].entity_id
    hits = await search(store, value_or_text, entity=entity, limit=SUGGESTIONS)
    names = await names_for(store, entity, [h.entity_id for h in hits])
    raise NoMatch(
        _NOUN[entity], value_or_text, [names[h.entity_id] for h in hits if h.entity_id in names]
    )


class NoMatch(UserFacingError):
    """Nothing fits the typed text. Keeps the parts, so a UI can escape them."""

    def __init__(
        self, noun: str, query: str, suggestions: list[tuple[str, str | None]],
        note: str | None = None,
    ) -> None:  # fmt: skip
        self.noun = noun
        self.note = note  # e.g. why TMDB was not asked as well
        self.query = " ".join(query.split())
        if len(self.query) > QUOTE_CHARS:
            self.query = self.query[: QUOTE_CHARS - 1] + "…"
        self.suggestions = suggestions
        super().__init__(self.render(lambda text: text))

    def render(self, escape: Callable[[str], str]) -> str:
        message = f"No {self.noun} matches '{escape(self.query)}'."
        if self.suggestions:
            named = (label(escape(name), note) for name, note in self.suggestions)
            message += " Did you mean: " + "; ".join(named) + "?"
        if self.note:
            message += " " + self.note
        return message

    def with_note(self, note: str | None) -> NoMatch:
        return NoMatch(self.noun, self.query, self.suggestions, note)


async def names_for(store: Store, entity: str, ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """(name, note) per id: a film's year, or a person's birth year to tell namesakes apart."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    if entity == "title":
        sql = f"SELECT id, title, year FROM titles WHERE id IN ({marks})"
        return {r[0]: (r[1], str(r[2]) if r[2] else None) for r in await store.fetchall(sql, ids)}
    sql = f"SELECT id, name, birth_year FROM people WHERE id IN ({marks})"
    return {r[0]: (r[1], f"b. {r[2]}" if r[2] else None) for r in await store.fetchall(sql, ids)}


def label(name: str, note: int | str | None) -> str:
    """Title (2023), Name (b. 1962), or the bare name."""
    return f"{name} ({note})" if note else name


async def labels_for(store: Store, entity: str, ids: list[int]) -> dict[int, str]:
    """Display names: "Title (2023)", "Name (b. 1962)"."""
    return {i: label(*ny) for i, ny in (await names_for(store, entity, ids)).items()}


async def search_labels(
    store: Store, entity: str, text: str, limit: int
) -> list[tuple[int, str, SearchHit | None]]:
    """(id, label, hit) for autocomplete: search results, or the empty-box suggestions."""
    if not text.strip():
        ids = await suggestions_for_empty_box(store, entity, limit)
        labels = await labels_for(store, entity, ids)
        return [(i, labels[i], None) for i in ids if i in labels]
    hits = await search(store, text, entity=entity, limit=limit)
    labels = await labels_for(store, entity, [h.entity_id for h in hits])
    return [(h.entity_id, labels[h.entity_id], h) for h in hits if h.entity_id in labels]


async def suggestions_for_empty_box(
    store: Store, entity: str, limit: int, today: dt.date | None = None
) -> list[int]:
    """Recently in the news, then (films) soonest upcoming, then best known."""
    if await store.fetchall("SELECT 1 FROM search_dirty LIMIT 1"):
        await refresh_search_index(store)
    ids: list[int] = []
    rows = await store.fetchall(
        "SELECT m.entity_id FROM article_mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.entity = ? GROUP BY m.entity_id ORDER BY max(a.published) DESC, m.entity_id "
        "LIMIT ?",
        (entity, limit),
    )
    ids.extend(r[0] for r in rows)
    if entity == "title" and len(ids) < limit:
        rows = await store.fetchall(
            "SELECT title_id FROM releases WHERE date >= ? AND superseded = 0 GROUP BY title_id "
            "ORDER BY min(date) LIMIT ?",
            ((today or dt.date.today()).isoformat(), limit),
        )
        ids.extend(r[0] for r in rows if r[0] not in ids)
    if len(ids) < limit:
        rows = await store.fetchall(
            "SELECT entity_id FROM search_names WHERE entity = ? ORDER BY id LIMIT ?",
            (entity, limit * 2),
        )
        ids.extend(r[0] for r in rows if r[0] not in ids)
    return list(dict.fromkeys(ids))[:limit]


# -- details -------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleDetails:
    title: Title
    studios: list[Company]
    directors: list[Credit]
    cast: list[Credit]  # actors, billing order
    releases: list[Release]  # the latest statement per region and kind, by date
    facts: list[tuple[str, Provenance]]
    sources: list[Provenance]  # each source once, with its latest date, newest first
    tmdb: TmdbTitleInfo | None = None  # what only TMDB knows (plot, poster, providers)

    @property
    def latest(self) -> Provenance:
        return self.sources[0] if self.sources else Provenance(self.title.source, self.title.as_of)


@dataclass(frozen=True)
class PersonDetails:
    person: Person
    credits: list[tuple[Title, Credit]]  # newest films first
    known_for: list[str]
    aliases: list[str]
    sources: list[Provenance]
    tmdb: TmdbPersonInfo | None = None


def current_releases(releases: list[Release]) -> list[Release]:
    """Per region and kind, the most recent statement (a day beats a month on ties)."""
    precision_rank = {"day": 0, "month": 1, "season": 2, "year": 3}
    best: dict[tuple[str, str], Release] = {}
    for rel in releases:
        key = (rel.region, rel.kind)
        have = best.get(key)
        if have is None or (rel.as_of, -precision_rank[rel.precision]) > (
            have.as_of,
            -precision_rank[have.precision],
        ):
            best[key] = rel
    return sorted(best.values(), key=lambda r: (r.date, r.region, r.kind))


def _sources(provs: list[Provenance]) -> list[Provenance]:
    latest: dict[str, str] = {}
    for prov in provs:
        if prov.as_of > latest.get(prov.source, ""):
            latest[prov.source] = prov.as_of
    return [
        Provenance(s, d)
        for s, d in sorted(latest.items(), key=lambda sd: (sd[1], sd[0]), reverse=True)
    ]


async def title_details(store: Store, title_id: int) -> TitleDetails | None:
    repo = CatalogRepository(store)
    title = await repo.get_title(title_id)
    if title is None:
        return None
    credits = await repo.credits_for_title(title_id)
    studios = await repo.companies_for_title(title_id)
    releases = await repo.releases_for_title(title_id)
    facts = await repo.facts_for_title(title_id)
    provs = [Provenance(title.source, title.as_of)]
    provs += [Provenance(c.source, c.as_of) for c in credits]
    provs += [Provenance(c.source, c.as_of) for c in studios]
    provs += [Provenance(r.source, r.as_of) for r in releases]
    provs += [p for _, p in facts]
    tmdb = await TmdbRepository(store).title_info(title_id)
    if tmdb is not None and tmdb.tmdb_id is not None:
        provs.append(Provenance("tmdb", tmdb.as_of))
    return TitleDetails(
        title=title,
        studios=studios,
        directors=[c for c in credits if c.role == "director"],
        cast=[c for c in credits if c.role == "actor"],
        releases=current_releases(releases),
        facts=facts,
        sources=_sources(provs),
        tmdb=tmdb,
    )


async def person_details(store: Store, person_id: int) -> PersonDetails | None:
    repo = CatalogRepository(store)
    person = await repo.get_person(person_id)
    if person is None:
        return None
    credits = await repo.credits_for_person(person_id)
    known_for = list(dict.fromkeys(c.known_for for _, c in credits if c.known_for))
    if not known_for:  # the store's best-known films with them
        ranked = sorted(credits, key=lambda tc: (-(tc[0].votes or 0), -(tc[0].year or 0)))
        known_for = list(dict.fromkeys(t.title for t, _ in ranked))[:4]
    provs = [Provenance(person.source, person.as_of)]
    provs += [Provenance(c.source, c.as_of) for _, c in credits]
    aliases = [a for a in await repo.aliases_for("person", person_id) if a != person.name]
    tmdb = await TmdbRepository(store).person_info(person_id)
    if tmdb is not None and tmdb.tmdb_id is not None:
        provs.append(Provenance("tmdb", tmdb.as_of))
        if tmdb.known_for:
            known_for = tmdb.known_for
    return PersonDetails(person, credits, known_for, aliases, _sources(provs), tmdb)


@dataclass(frozen=True)
class UpcomingRelease:
    title_id: int
    title: str
    year: int | None
    release: Release


async def upcoming(
    store: Store, *, today: dt.date, days: int, region: str | None = None, limit: int = 50
) -> list[UpcomingRelease]:
    """Releases inside [today, today + days], soonest first; a month/year counts until it ends.

    With a region, releases whose source names no region are included too.
    """
    end = (today + dt.timedelta(days=days)).isoformat()
    rows = await store.fetchall(
        "SELECT r.title_id, t.title, t.year, r.region, r.date, r.precision, r.kind, r.note,"
        " r.source, r.as_of, r.certification FROM releases r JOIN titles t ON t.id = r.title_id "
        # The last possible day of an imprecise date, as text that sorts after every day
        # of its month or year ('2024-05-99', '2024-99-99').
        "WHERE r.superseded = 0 AND r.date <= ? AND (CASE r.precision"
        "  WHEN 'day' THEN r.date WHEN 'month' THEN substr(r.date, 1, 7) || '-99'"
        "  ELSE substr(r.date, 1, 4) || '-99-99' END) >= ? "
        "AND (CAST(? AS TEXT) IS NULL OR r.region IN (?, '')) ORDER BY r.date, t.title LIMIT ?",
        (end, today.isoformat(), region, region, limit * 4),
    )
    releases = [(r[0], r[1], r[2], Release(r[0], *r[3:11])) for r in rows]
    by_title: dict[int, list[Release]] = {}
    for title_id, _, _, rel in releases:
        by_title.setdefault(title_id, []).append(rel)
    current = {id(r) for rels in by_title.values() for r in current_releases(rels)}
    result = [
        UpcomingRelease(tid, name, year, rel)
        for tid, name, year, rel in releases
        if id(rel) in current
    ]
    return result[:limit]
