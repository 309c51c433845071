"""TMDB as a live source behind the store: when to ask, what to ask, what to say if it fails.

The store answers first. TMDB is asked only when the store has nothing cached for a film
or person, or what it has is older than the cache age, or nothing in the store matches
what was typed. Callers pass `ready`, awaited once just before the first request (a cog
defers its interaction there, so Discord's 3-second deadline never waits on TMDB).
Failures never raise to the caller: the answer comes from the store, with a `note`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from bot.catalog.normalize import normalize_key
from bot.catalog.tmdb import parse
from bot.catalog.tmdb.client import (
    TmdbAuthError,
    TmdbClient,
    TmdbError,
    TmdbNotFound,
    TmdbUnavailable,
)
from bot.catalog.tmdb.repository import TmdbRepository
from bot.db.store import Store

log = logging.getLogger(__name__)

Ready = Callable[[], Awaitable[None]] | None
MOVIE_PARTS = "credits,release_dates,videos,watch/providers,external_ids"
PERSON_PARTS = "movie_credits,external_ids"
UNREACHABLE = "TMDB could not be reached, so this is what the store knows."
REFUSED = "TMDB refused the API key, so this is what the store knows."
SEARCH_PREFIX = "tmdb-search:"  # an autocomplete value: "look this up on TMDB"
CHANGES_DAYS = 14  # TMDB's changes endpoint covers at most 14 days


def search_value(text: str) -> str:
    return SEARCH_PREFIX + " ".join(text.split())


def parse_search_value(value: str) -> str | None:
    return value[len(SEARCH_PREFIX) :].strip() or None if value.startswith(SEARCH_PREFIX) else None


class TmdbService:
    """One per bot: the shared client, the cache rules and the key's state."""

    def __init__(self, store: Store, client: TmdbClient, *, cache_days: int = 7,
                 clock: Callable[[], dt.datetime] | None = None) -> None:  # fmt: skip
        self.store = store
        self.client = client
        self.repo = TmdbRepository(store)
        self.max_age = dt.timedelta(days=cache_days)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.refused = False  # the key was rejected: stop asking until restart
        self.last_error: str | None = None

    @property
    def usable(self) -> bool:
        return not self.refused

    def status(self) -> str:
        """One line for /about and the start-up log."""
        if self.refused:
            return "the API key was refused (check TMDB_API_KEY); answering from the store"
        if self.last_error:
            return (
                f"not reachable lately ({self.last_error}); answers come from the store "
                "and TMDB is tried again on each lookup"
            )
        return "working"

    async def check(self) -> str:
        """Try the key once at start-up; the status line."""
        try:
            await self.client.check()
            self.last_error = None
        except TmdbError as exc:
            self._failed(exc)
        return self.status()

    def _failed(self, exc: TmdbError) -> str:
        if isinstance(exc, TmdbAuthError):
            if not self.refused:
                log.warning("TMDB_API_KEY was refused by TMDB; answering from the store only")
            self.refused = True
            return REFUSED
        self.last_error = str(exc)
        return UNREACHABLE

    def _fresh(self, fetched_at: str | None) -> bool:
        if not fetched_at:
            return False
        return self.clock() - dt.datetime.fromisoformat(fetched_at) < self.max_age

    async def _get(self, ready: Ready, path: str, **params: str | int | None) -> dict:
        if ready is not None:
            await ready()
        data = await self.client.get(path, params)
        self.last_error = None
        return data

    # -- films ---------------------------------------------------------------------

    async def fetch_movie(self, tmdb_id: int, ready: Ready = None, asked: int | None = None) -> int:
        data = await self._get(ready, f"/movie/{tmdb_id}", append_to_response=MOVIE_PARTS)
        record = parse.movie_record(data)
        if record is None:
            raise TmdbUnavailable("TMDB sent a film without an id or title")
        return await self.repo.save_movie(
            record, now=self.clock(), image_base=self.client.image_base, asked=asked
        )

    async def refresh_title(
        self, title_id: int, ready: Ready = None, *, force: bool = False
    ) -> str | None:
        """Bring a catalog film's TMDB data up to date if it is missing or old.

        Returns a note for the reader when TMDB could not help, else None.
        """
        return await self._refresh("title", title_id, ready, force)

    async def refresh_person(self, person_id: int, ready: Ready = None) -> str | None:
        """The same for a person."""
        return await self._refresh("person", person_id, ready, False)

    async def _refresh(self, entity: str, entity_id: int, ready: Ready, force: bool) -> str | None:
        """Find the TMDB id (linked, else by IMDb id or an exact search), fetch, store;
        "TMDB has no such entry" is cached too, so it is not asked again for a while."""
        if not self.usable:
            return REFUSED
        film = entity == "title"
        info = await (self.repo.title_info if film else self.repo.person_info)(entity_id)
        if info is not None and not force and self._fresh(info.fetched_at):
            return None
        find = self._find_movie if film else self._find_person
        fetch = self.fetch_movie if film else self.fetch_person
        unknown = self.repo.mark_unknown if film else self.repo.mark_person_unknown
        try:
            tmdb_id = info.tmdb_id if info is not None else None
            if tmdb_id is None:
                tmdb_id = await find(entity_id, ready)
            if tmdb_id is None:
                await unknown(entity_id, now=self.clock())
                return None
            if await fetch(tmdb_id, ready, asked=entity_id) != entity_id:
                # TMDB's entry is already another row's (a duplicate in the catalog):
                # that row has the data; this one must not ask again on every lookup.
                await unknown(entity_id, now=self.clock())
        except TmdbNotFound:
            await unknown(entity_id, now=self.clock())
        except TmdbError as exc:
            return self._failed(exc)
        return None

    async def _find_movie(self, title_id: int, ready: Ready) -> int | None:
        """TMDB's id for a catalog film: by its IMDb id, else a search on title and year
        accepting only the same normalised title."""
        row = await self.store.fetchone(
            "SELECT title, original_title, year, imdb_id FROM titles WHERE id = ?", (title_id,)
        )
        if row is None:
            return None
        title, original, year, imdb_id = row
        if imdb_id:
            found = await self._get(ready, f"/find/{imdb_id}", external_source="imdb_id")
            hits = parse.movie_summaries(found, "movie_results")
            return hits[0].tmdb_id if hits else None
        wanted = {normalize_key(title), normalize_key(original or "")} - {""}
        data = await self._get(ready, "/search/movie", query=title, include_adult="false")
        for hit in parse.movie_summaries(data):
            names = {normalize_key(hit.title), normalize_key(hit.original_title or "")}
            year_ok = year is None or hit.year is None or abs(year - hit.year) <= 1
            if names & wanted and year_ok:
                return hit.tmdb_id
        return None

    async def search_title(self, query: str, ready: Ready = None) -> tuple[int | None, str | None]:
        """(catalog id, note): TMDB's best match for typed text, fetched into the store."""
        return await self._search("title", query, ready)

    async def search_person(self, query: str, ready: Ready = None) -> tuple[int | None, str | None]:
        return await self._search("person", query, ready)

    async def _search(self, entity: str, query: str, ready: Ready) -> tuple[int | None, str | None]:
        if not self.usable:
            return None, REFUSED
        film = entity == "title"
        try:
            if film:
                data = await self._get(ready, "/search/movie", query=query, include_adult="false")
                hits = [h.tmdb_id for h in parse.movie_summaries(data)]
            else:
                data = await self._get(ready, "/search/person", query=query)
                hits = [tmdb_id for tmdb_id, _ in parse.person_hits(data)]
            if not hits:
                return None, None
            known = await (self.repo.title_for_tmdb if film else self.repo.person_for_tmdb)(hits[0])
            if known is not None:
                return known, await self._refresh(entity, known, ready, False)
            return await (self.fetch_movie if film else self.fetch_person)(hits[0], ready), None
        except TmdbNotFound:
            return None, None
        except TmdbError as exc:
            return None, self._failed(exc)

    async def upcoming(self, region: str, ready: Ready = None) -> str | None:
        """TMDB's upcoming list for `region` into the store, at most once a day."""
        if not self.usable:
            return REFUSED
        key = f"tmdb:upcoming:{region}"
        today = self.clock().date().isoformat()
        if await self.store.get_meta(key) == today:
            return None
        try:
            data = await self._get(ready, "/movie/upcoming", region=region, page=1)
        except TmdbError as exc:
            return self._failed(exc)
        for summary in parse.movie_summaries(data):
            await self.repo.save_listed(
                summary, region, now=self.clock(), image_base=self.client.image_base
            )
        await self.store.set_meta(key, today)
        return None

    async def refresh_changed(self, title_ids: list[int], since: dt.date | None) -> int:
        """Re-fetch the given films TMDB changed since `since` (all of them without a
        date, or when the changes list cannot be read); how many were fetched.

        TMDB lists every film changed on the site, a hundred a page: when reading the
        list would take more requests than re-fetching the films, they are re-fetched.
        """
        if not self.usable or not title_ids:
            return 0
        linked = await self.repo.linked_titles(title_ids)
        todo = list(title_ids)
        today = self.clock().date()
        if since is not None and (today - since).days <= CHANGES_DAYS and linked:
            try:
                changed = await self._changed_since(since, today, budget=len(linked))
            except TmdbError as exc:
                self._failed(exc)
                changed = None
            if changed is not None:
                todo = [t for t in title_ids if t not in linked or linked[t] in changed]
        fetched = 0
        for title_id in todo:
            if await self.refresh_title(title_id, force=True) is not None:
                break  # TMDB is down or refused the key: stop, rather than wait on each film
            fetched += 1
        return fetched

    async def _changed_since(self, since: dt.date, today: dt.date, budget: int) -> set[int] | None:
        """The ids on TMDB's changes list, or None when it has more pages than `budget`."""
        params = {"start_date": since.isoformat(), "end_date": today.isoformat(), "page": 1}
        data = await self.client.get("/movie/changes", params)
        pages = data.get("total_pages")
        pages = pages if isinstance(pages, int) and pages > 0 else 1
        if pages > budget:
            return None
        changed = parse.changed_ids(data)
        for page in range(2, pages + 1):
            data = await self.client.get("/movie/changes", {**params, "page": page})
            changed |= parse.changed_ids(data)
        return changed

    # -- people --------------------------------------------------------------------

    async def fetch_person(self, tmdb_id: int, ready: Ready = None, asked: int | None = None
                           ) -> int:  # fmt: skip
        data = await self._get(ready, f"/person/{tmdb_id}", append_to_response=PERSON_PARTS)
        record = parse.person_record(data)
        if record is None:
            raise TmdbUnavailable("TMDB sent a person without an id or name")
        return await self.repo.save_person(
            record, now=self.clock(), image_base=self.client.image_base, asked=asked
        )

    async def _find_person(self, person_id: int, ready: Ready) -> int | None:
        row = await self.store.fetchone(
            "SELECT name, imdb_id FROM people WHERE id = ?", (person_id,)
        )
        if row is None:
            return None
        name, imdb_id = row
        if imdb_id:
            hits = parse.person_hits(
                await self._get(ready, f"/find/{imdb_id}", external_source="imdb_id")
            )
            return hits[0][0] if hits else None
        hits = parse.person_hits(await self._get(ready, "/search/person", query=name))
        same = [tmdb_id for tmdb_id, hit in hits if normalize_key(hit) == normalize_key(name)]
        return same[0] if len(same) == 1 else None  # two namesakes: do not guess

    async def close(self) -> None:
        await self.client.close()


async def resolve_live(
    store: Store, tmdb: TmdbService | None, entity: str, text: str, ready: Ready = None
) -> tuple[int, str | None]:
    """(id, note) for what was picked or typed: the store first, then a TMDB search when
    nothing local fits (or a "Search TMDB for ..." choice was picked).

    Raises lookups.NoMatch (with TMDB's note, if it could not help) when neither knows it.
    """
    from bot.catalog import lookups

    query = parse_search_value(text.strip())
    miss: lookups.NoMatch | None = None
    if query is None:
        try:
            return await lookups.resolve(store, entity, text), None
        except lookups.NoMatch as exc:
            if tmdb is None or not tmdb.usable:
                raise
            miss, query = exc, text
    noun = "film" if entity == "title" else "person"
    if tmdb is None:
        raise lookups.NoMatch(noun, query, [], "TMDB is not set up here (TMDB_API_KEY).")
    search = tmdb.search_title if entity == "title" else tmdb.search_person
    found, note = await search(query, ready)
    if found is None:
        raise (miss or lookups.NoMatch(noun, query, [])).with_note(note)
    return found, note
