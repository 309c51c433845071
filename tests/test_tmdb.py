"""TMDB below Discord: regions, parsing odd JSON, the client's errors, the cache and merge,
against a real SQLite file and the local fake TMDB on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.catalog import lookups
from bot.catalog.models import Provenance
from bot.catalog.regions import parse_region, region_name
from bot.catalog.repository import CatalogRepository
from bot.catalog.tmdb import parse
from bot.catalog.tmdb.client import (
    TmdbAuthError,
    TmdbClient,
    TmdbNotFound,
    TmdbUnavailable,
    auth_for,
    endpoint_of,
)
from bot.catalog.tmdb.service import UNREACHABLE, TmdbService, resolve_live, search_value
from bot.db.store import Store
from bot.errors import UserFacingError
from bot.sandbox.tmdb_fake import FakeTmdb


@pytest.mark.parametrize(
    ("typed", "code"),
    [("us", "US"), (" FR ", "FR"), ("France", "FR"), ("united states", "US"), ("deu", "DEU"),
     ("United Kingdom", "GB"), ("uk", "GB"), ("côte d'ivoire", "CI"), ("", None), (None, None)],
)  # fmt: skip
def test_regions_by_code_or_name(typed, code):
    expected = {"DEU": "DE"}.get(code, code)
    assert parse_region(typed) == expected


@pytest.mark.parametrize("typed", ["XX", "ZZ", "1!", "Atlantis", "x" * 200, "**bold** @everyone"])
def test_regions_not_in_iso_3166_are_refused(typed):
    with pytest.raises(UserFacingError) as err:
        parse_region(typed)
    text = str(err.value)
    assert "not a country" in text and "*" not in text and "@" not in text


def test_region_names():
    assert region_name("FR") == "France"
    assert region_name("KR") == "South Korea"  # the common name, not "Korea, Republic of"


def test_auth_v3_key_as_query_v4_token_as_bearer():
    assert auth_for("0123456789abcdef0123456789abcdef") == (
        {}, {"api_key": "0123456789abcdef0123456789abcdef"}
    )  # fmt: skip
    headers, query = auth_for("eyJhbGciOi.payload.sig")
    assert headers == {"Authorization": "Bearer eyJhbGciOi.payload.sig"} and query == {}


def test_endpoint_names_hide_ids():
    assert endpoint_of("/movie/550/watch/providers") == "movie/{id}/watch/providers"
    assert endpoint_of("/find/tt0137523") == "find/{id}"
    assert endpoint_of("/movie/upcoming") == "movie/upcoming"


@pytest.mark.parametrize(
    "data",
    [{}, {"id": "x", "title": 3}, {"id": 5}, {"id": 5, "title": ""}, {"results": "no"}],
)
def test_parse_refuses_what_is_not_a_film(data):
    assert parse.movie_record(data) is None
    assert parse.movie_summaries(data) == []


def test_parse_keeps_what_is_usable_in_odd_json():
    record = parse.movie_record({
        "id": 7, "title": "Odd", "release_date": "not a date", "runtime": "120",
        "poster_path": "/../x y.jpg",
        "genres": [{"name": "Drama"}, "junk", {"name": None}],
        "credits": {"cast": [{"id": 1, "name": "A", "order": 0}, {"name": "no id"}, None],
                    "crew": [{"id": 2, "name": "B", "job": "Director"},
                             {"id": 2, "name": "B", "job": "Director"},
                             {"id": 3, "name": "C", "job": "Gaffer"}]},
        "release_dates": {"results": [
            {"iso_3166_1": "FR", "release_dates": [
                {"type": 3, "release_date": "2024-05-22T00:00:00.000Z", "certification": ""},
                {"type": 3, "release_date": "2024-01-02T00:00:00.000Z", "note": "early"},
                {"type": 9, "release_date": "2024-01-02T00:00:00.000Z"},
                {"type": 4, "release_date": "soon"}]},
            {"iso_3166_1": None, "release_dates": []}]},
        "videos": {"results": [{"site": "Vimeo", "type": "Trailer", "key": "v"},
                               {"site": "YouTube", "type": "Trailer", "key": "yt1"}]},
        "watch/providers": {"results": {"FR": {"link": 3, "flatrate": [
            {"provider_name": "B", "display_priority": 2},
            {"provider_name": "A", "display_priority": 1}, {"provider_name": None}]},
            "??": "junk"}},
    })  # fmt: skip
    assert record is not None
    assert record.summary.release_date is None and record.runtime is None
    assert record.summary.poster_path is None  # not a path TMDB would send
    assert record.genres == ["Drama"]
    assert [(c.name, c.role, c.order) for c in record.credits] == [
        ("A", "actor", 1),
        ("B", "director", None),
    ]
    assert [(r.region, r.date, r.kind, r.note) for r in record.releases] == [
        ("FR", "2024-01-02", "theatrical", "early")
    ]
    assert record.trailer_url == "https://www.youtube.com/watch?v=yt1"
    assert record.providers == {"FR": {"link": None, "flatrate": ["A", "B"]}}


@pytest.fixture
def fake(tmdb_fake: FakeTmdb) -> FakeTmdb:
    return tmdb_fake


@pytest.fixture
async def client(fake: FakeTmdb) -> AsyncIterator[TmdbClient]:
    opened = TmdbClient(fake.api_key, fake.base, timeout=1.0, backoff=0.01)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.mark.parametrize(
    ("fault", "error", "text"),
    [
        ("unauthorized", TmdbAuthError, "refused the API key"),
        ("not_found", TmdbNotFound, "no such entry"),
        ("malformed", TmdbUnavailable, "could not read"),
        ("timeout", TmdbUnavailable, "did not answer in time"),
    ],
)
async def test_client_errors_are_sentences_without_the_key(
    client, fake, fault, error, text, caplog
):
    caplog.set_level(logging.DEBUG)
    fake.fail("movie/{id}", fault, hang=3.0)
    with pytest.raises(error) as raised:
        await client.get("/movie/900101")
    assert text in str(raised.value)
    assert fake.api_key not in str(raised.value)
    assert all(fake.api_key not in r.getMessage() for r in caplog.records)


async def test_client_retries_429_and_5xx_then_gives_up(client, fake):
    fake.fail("movie/{id}", "rate_limit", times=1, retry_after=0.05)
    fake.fail("search/movie", "server_error", times=2)
    assert (await client.get("/movie/900101"))["id"] == 900101
    assert (await client.get("/search/movie", {"query": "ferry"}))["total_results"] == 1
    assert fake.counts["movie/{id}"] == 2 and fake.counts["search/movie"] == 3
    fake.fail("configuration", "server_error", times=10)
    with pytest.raises(TmdbUnavailable, match="HTTP 500"):
        await client.get("/configuration")
    assert fake.counts["configuration"] == 4


async def test_a_long_retry_after_is_not_waited_for(client, fake):
    fake.fail("movie/{id}", "rate_limit", retry_after=600)
    with pytest.raises(TmdbUnavailable, match="HTTP 429"):
        await client.get("/movie/900101")
    assert fake.counts["movie/{id}"] == 1


async def test_nothing_listening_is_unreachable(fake):
    await fake.stop()
    dead = TmdbClient(fake.api_key, fake.base, timeout=1.0)
    try:
        with pytest.raises(TmdbUnavailable, match="could not be reached"):
            await dead.get("/configuration")
    finally:
        await dead.close()


async def test_cache_age_and_merge_by_imdb_id(store: Store, client, fake):
    now = [dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)]
    service = TmdbService(store, client, cache_days=7, clock=lambda: now[0])
    imdb = Provenance("imdb", "2025-01-01")
    async with store.transaction() as conn:
        film = await CatalogRepository(store).ensure_title("The Varna Sleeper", imdb, year=2019)
        await conn.execute("UPDATE titles SET imdb_id = 'tt9003033' WHERE id = ?", (film,))
    assert await service.refresh_title(film) is None
    assert fake.counts["find/{id}"] == 1 and fake.counts["movie/{id}"] == 1
    details = await lookups.title_details(store, film)
    assert details.tmdb.overview.startswith("A sleeper-car conductor")
    assert {r.region for r in details.releases} == {"BG", "FR", "US"}
    assert details.title.title == "The Varna Sleeper" and details.title.source == "imdb"
    aliases = await CatalogRepository(store).aliases_for("title", film)
    assert "Нощен влак за Варна" in aliases  # TMDB's original title, searchable
    now[0] += dt.timedelta(days=6)
    await service.refresh_title(film)
    assert fake.counts["movie/{id}"] == 1  # still fresh
    now[0] += dt.timedelta(days=2)
    await service.refresh_title(film)
    assert fake.counts["movie/{id}"] == 2 and fake.counts["find/{id}"] == 1  # linked now
    assert await store.fetchval("SELECT count(*) FROM releases WHERE source = 'tmdb'") == 3


async def test_a_film_tmdb_does_not_know_is_not_asked_again(store: Store, client, fake):
    service = TmdbService(store, client)
    prov = Provenance("article:x", "2024-01-01")
    async with store.transaction():
        film = await CatalogRepository(store).ensure_title("A Film Nobody Filmed", prov)
    assert await service.refresh_title(film) is None
    assert await service.refresh_title(film) is None
    assert fake.counts["search/movie"] == 1


async def test_resolve_live_falls_back_to_tmdb_and_says_why_not(store: Store, client, fake):
    service = TmdbService(store, client)
    title_id, note = await resolve_live(store, service, "title", "glass orchard")
    assert note is None
    assert (await CatalogRepository(store).get_title(title_id)).title == "The Glass Orchard"
    assert await resolve_live(store, service, "title", "the glass orchard") == (title_id, None)
    fake.fail("search/movie", "server_error", times=10)
    client.backoff = 0.0
    with pytest.raises(lookups.NoMatch) as miss:
        await resolve_live(store, service, "title", search_value("the lantern ferry"))
    assert str(miss.value) == f"No film matches 'the lantern ferry'. {UNREACHABLE}"
    with pytest.raises(lookups.NoMatch, match="TMDB is not set up"):
        await resolve_live(store, None, "title", search_value("anything"))


async def test_changes_pick_what_to_refetch(store: Store, client, fake):
    service = TmdbService(store, client)
    ferry, _ = await service.search_title("lantern ferry")
    orchard, _ = await service.search_title("glass orchard")
    fetched = fake.counts["movie/{id}"]
    fake.changed.add(900202)
    today = dt.datetime.now(dt.UTC).date()
    assert await service.refresh_changed([ferry, orchard], today - dt.timedelta(days=1)) == 1
    assert fake.counts["movie/{id}"] == fetched + 1 and fake.counts["movie/changes"] == 1
    assert await service.refresh_changed([ferry], None) == 1  # no date: everything


async def test_a_long_changes_list_is_read_only_when_cheaper(store: Store, client, fake):
    service = TmdbService(store, client)
    ids = [(await service.search_title(q))[0] for q in ("lantern", "orchard", "varna")]
    fake.changed |= {900101, 900202, 900303, 1, 2}
    fake.changes_page_size = 2  # 3 pages
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    fetched = fake.counts["movie/{id}"]
    assert await service.refresh_changed(ids, yesterday) == 3  # read all 3 pages
    assert fake.counts["movie/changes"] == 3 and fake.counts["movie/{id}"] == fetched + 3
    fake.changes_page_size = 1  # 5 pages: more than the 2 films, so re-fetch them instead
    assert await service.refresh_changed(ids[:2], yesterday) == 2
    assert fake.counts["movie/changes"] == 4 and fake.counts["movie/{id}"] == fetched + 5


async def test_timeout_setting_is_per_request(client, fake):
    client.timeout = aiohttp.ClientTimeout(total=0.3)
    fake.fail("configuration", "timeout", hang=2.0)
    with pytest.raises(TmdbUnavailable):
        await client.check()


async def test_migration_7_keeps_old_releases_and_takes_tmdbs_kinds(tmp_path):
    store = await Store.open(tmp_path / "old.db", migrate=False)
    await store.migrate(up_to=5)
    prov = Provenance("article:1", "2024-01-01")
    async with store.transaction():
        film = await CatalogRepository(store).ensure_title("Old Film", prov)
        # as the release before migration 7 wrote it (today's add_release writes newer columns)
        await store.execute(
            "INSERT INTO releases(title_id, region, date, precision, kind, source, as_of)"
            " VALUES (?, 'IT', '2024-02-03', 'day', 'premiere', ?, ?)",
            (film, prov.source, prov.as_of),
        )
    await store.close()
    store = await Store.open(tmp_path / "old.db")
    try:
        releases = await CatalogRepository(store).releases_for_title(film)
        assert [(r.region, r.date, r.kind, r.certification) for r in releases] == [
            ("IT", "2024-02-03", "premiere", None)
        ]
        async with store.transaction():
            for kind in ("limited", "physical", "tv"):
                await CatalogRepository(store).add_release(
                    film, date="2024-03-01", precision="day", kind=kind, region="IT", prov=prov
                )
        assert len(await CatalogRepository(store).releases_for_title(film)) == 4
    finally:
        await store.close()


async def test_a_duplicate_row_is_not_refetched_on_every_lookup(store: Store, client, fake):
    """An article's film and IMDb's row for it: TMDB's data joins the IMDb row (its
    external id), and the article's row stops asking."""
    service = TmdbService(store, client)
    repo = CatalogRepository(store)
    async with store.transaction() as conn:
        imdb_row = await repo.ensure_title(
            "Varna Sleeper Imported", Provenance("imdb", "2025-01-01")
        )
        await conn.execute("UPDATE titles SET imdb_id = 'tt9003033' WHERE id = ?", (imdb_row,))
        article_row = await repo.ensure_title(
            "The Varna Sleeper", Provenance("article:1", "2024-01-01")
        )
    assert await service.refresh_title(article_row) is None
    assert (await service.repo.title_info(imdb_row)).tmdb_id == 900303
    asked = fake.total()
    assert await service.refresh_title(article_row) is None
    assert fake.total() == asked


async def test_the_daily_refresh_stops_at_the_first_failure(store: Store, client, fake):
    service = TmdbService(store, client)
    ids = [(await service.search_title(q))[0] for q in ("lantern ferry", "glass orchard")]
    ids.append((await service.search_title("varna sleeper"))[0])
    fake.fail(None, "timeout", times=10, hang=3.0)
    client.timeout = aiohttp.ClientTimeout(total=0.3)
    asked = fake.total()
    assert await service.refresh_changed(ids, None) == 0
    assert fake.total() == asked + 1  # one timeout, not one per film


def test_logs_never_show_the_token_or_the_tmdb_key():
    from bot.runtime import RedactToken

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "a %s b %s", ("tok.en", "k3y"), None)
    RedactToken("tok.en", "k3y").filter(record)
    assert record.getMessage() == "a [token] b [token]"
