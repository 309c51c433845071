"""`marquee db copy --to postgresql://...`: a SQLite store moved into PostgreSQL, resumable,
checked by row counts (needs MARQUEE_TEST_PG; skipped without it)."""

from __future__ import annotations

import datetime as dt

from bot.catalog.search import search
from bot.db.copy import DERIVED, copy_order, copy_store
from bot.db.store import TableInfo
from bot.news.feed_repo import FeedRepository
from bot.news.ingest import seed_from_dir
from bot.news.posting import PostLog
from bot.news.reading import search as news_search
from bot.news.settings_repo import NewsSettingsRepository
from bot.settings import PROJECT_ROOT
from bot.trivia.library import install_bundled_packs

NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


async def _filled(store) -> None:
    """Catalog and articles from the seed, a bundled trivia pack, settings, a feed, a
    post batch and trivia scores: one row or more in every kind of table."""
    await seed_from_dir(store, PROJECT_ROOT / "data")
    await install_bundled_packs(store, PROJECT_ROOT / "data")
    await NewsSettingsRepository(store).set_channel(11, 22)
    await FeedRepository(store).insert(
        11, "https://example.org/feed.xml", 22, NOW, title="Example", etag=None,
        last_modified=None,
    )  # fmt: skip
    article = await store.fetchval("SELECT id FROM articles LIMIT 1")
    await PostLog(store).reserve(11, 22, "manual", [article], NOW)
    await store.execute(
        'INSERT INTO trivia_scores(guild, "user", points, games) VALUES (11, 33, 7, 1)'
    )


async def test_copy_moves_every_table_and_counts_match(sqlite_store, pg_store):
    await _filled(sqlite_store)
    report = await copy_store(sqlite_store, pg_store)
    assert report.problems == []
    source = await sqlite_store.table_counts()
    target = await pg_store.table_counts()
    for table in report.copied:
        if table != "meta":
            assert target[table] == source[table], table
    for table in ("titles", "people", "credits", "articles", "trivia_questions", "posts",
                  "post_batches", "feeds", "guild_settings", "trivia_scores"):  # fmt: skip
        assert target[table] > 0, table
    # The search queue's triggers were off for the copy (its rebuild indexes everything)
    # and are on again afterwards.
    assert await pg_store.fetchval("SELECT count(*) FROM search_dirty") == 0
    assert (
        await pg_store.fetchval(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'"
        )
        == 0
    )
    # New rows number on after the copied ids (no clash with a copied id).
    new = await pg_store.insert(
        "INSERT INTO titles(title, norm_title, source, as_of) VALUES ('New', 'new', 'manual',"
        " '2024-01-01')"
    )
    assert new > await sqlite_store.fetchval("SELECT max(id) FROM titles")
    assert await pg_store.fetchval("SELECT count(*) FROM search_dirty") > 0  # queued again
    # Search works in the target once its derived index is rebuilt.
    from bot.catalog.search import rebuild_search_index

    await rebuild_search_index(pg_store)
    hits = await search(pg_store, "dead reckoning")
    assert hits and "Dead Reckoning" in hits[0].matched
    assert await news_search(pg_store, "reckoning")


async def test_an_interrupted_copy_resumes_without_doubling(sqlite_store, pg_store):
    await _filled(sqlite_store)
    await copy_store(sqlite_store, pg_store)
    # As if the first run had stopped part way: half of some tables never arrived.
    await pg_store.execute("DELETE FROM credits WHERE id > (SELECT min(id) FROM credits)")
    await pg_store.execute(
        "DELETE FROM trivia_questions WHERE id > (SELECT min(id) FROM trivia_questions)"
    )
    report = await copy_store(sqlite_store, pg_store)
    assert report.problems == []
    source = await sqlite_store.table_counts()
    target = await pg_store.table_counts()
    for table in ("credits", "trivia_questions", "titles", "posts", "trivia_scores"):
        assert target[table] == source[table], table


async def test_a_count_mismatch_is_reported_one_line_per_table(sqlite_store, pg_store):
    await _filled(sqlite_store)
    await pg_store.execute(
        "INSERT INTO guild_settings(guild, news_channel) VALUES (1, 1)"
    )  # a row the source does not have
    report = await copy_store(sqlite_store, pg_store)
    assert report.problems == ["guild_settings: 1 rows in the source, 2 in the target"]


def test_parents_are_copied_before_the_tables_that_reference_them():
    tables = [
        TableInfo("credits", ("id",), ("id",), frozenset({"titles", "people"})),
        TableInfo("people", ("id",), ("id",), frozenset()),
        TableInfo("titles", ("id",), ("id",), frozenset({"titles"})),
    ]
    order = [t.name for t in copy_order(tables)]
    assert order.index("credits") > order.index("titles")
    assert order.index("credits") > order.index("people")
    assert "search_names" in DERIVED


def test_cli_copy_to_something_not_postgres_and_unreachable_postgres_are_one_line(tmp_path):
    from tests.test_imdb_import import dataset
    from tests.test_ingest import run_cli

    db = tmp_path / "cli.sqlite3"
    wrong = run_cli("db", "copy", "--to", str(tmp_path / "other.sqlite3"), db=db)
    assert wrong.returncode != 0
    assert wrong.stderr.strip().count("\n") == 0 and "postgresql://" in wrong.stderr
    data = dataset(tmp_path)
    imdb = run_cli("import-imdb", str(data), db="postgresql://u:secret@127.0.0.1:1/x")
    assert imdb.returncode != 0 and imdb.stderr.strip().count("\n") == 0
    assert "127.0.0.1" in imdb.stderr and "secret" not in imdb.stderr


async def test_cli_copy_into_postgres(sqlite_store, pg_store):
    """The command as an operator runs it: the seed store copied, exit 0, counts said."""
    import asyncio

    from tests.test_ingest import run_cli

    path = sqlite_store.path
    await _filled(sqlite_store)
    await sqlite_store.close()
    url = pg_store.path
    done = await asyncio.to_thread(run_cli, "db", "copy", "--to", url, db=path)
    assert done.returncode == 0, done.stderr
    assert "rows in" in done.stdout and "titles:" in done.stdout
    assert await pg_store.fetchval("SELECT count(*) FROM search_names") > 0
