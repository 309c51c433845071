"""What only the PostgreSQL backend does: placeholders, migrations under a lock, URLs in
settings and messages. Tests needing a server skip without MARQUEE_TEST_PG."""

from __future__ import annotations

import asyncio

import pytest

from bot.db.postgres import to_dollar_params
from bot.db.store import IntegrityError, Store, WordQuery, describe_target, load_migrations
from bot.errors import UserFacingError
from bot.settings import load_settings
from tests.conftest import TEST_PG, _drop_database, _pg_admin, _pg_url


def test_placeholders_outside_quotes_become_numbered():
    sql = "SELECT '?', \"a?\" FROM t WHERE x = ? AND y IN (?, ?) AND z = 'it''s ?'"
    assert to_dollar_params(sql) == (
        "SELECT '?', \"a?\" FROM t WHERE x = $1 AND y IN ($2, $3) AND z = 'it''s ?'"
    )


def test_word_queries_read_the_same_on_both_backends():
    query = WordQuery.any_of([[("dead",), ("reck*", "wreck")], [("mission",)]])
    assert query.fts5() == '("dead" AND ("reck"* OR "wreck")) OR ("mission")'
    assert query.tsquery() == "(('dead') & ('reck':* | 'wreck')) | (('mission'))"
    assert WordQuery.all_of([["x" * 600]]).without_terms_over(500) is None


def test_postgres_url_in_settings_and_never_its_password():
    settings = load_settings(
        {"MARQUEE_DB": "postgresql://bot:s3cret@db.example:5432/marquee"}, env_file=None
    )
    assert settings.database == "postgresql://bot:s3cret@db.example:5432/marquee"
    assert "s3cret" not in repr(settings)
    assert describe_target(settings.database) == "postgresql://bot:***@db.example:5432/marquee"
    sqlite = load_settings({"MARQUEE_DB": "sqlite:var/x.sqlite3"}, env_file=None)
    assert sqlite.db_url is None and str(sqlite.database) == "var/x.sqlite3"


async def test_unreachable_server_is_one_line_without_the_password():
    with pytest.raises(UserFacingError) as caught:
        await Store.open("postgresql://bot:s3cret@127.0.0.1:1/marquee")
    assert "s3cret" not in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.skipif(not TEST_PG, reason="needs MARQUEE_TEST_PG")
async def test_two_processes_migrating_a_new_database_at_once():
    name = "marquee_test_migrate_race"
    await _drop_database(name)
    await _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        stores = await asyncio.gather(Store.open(_pg_url(name)), Store.open(_pg_url(name)))
        latest = max(m.version for m in load_migrations("postgresql"))
        for store in stores:
            assert await store.schema_version() == latest
            assert await store.migrate() == []
        for store in stores:
            await store.close()
    finally:
        await _drop_database(name)


async def test_unique_violation_is_the_stores_integrity_error(store):
    await store.execute(
        "INSERT INTO trivia_packs(name, source, imported_at) VALUES ('p', 'manual', 'now')"
    )
    with pytest.raises(IntegrityError):
        await store.execute(
            "INSERT INTO trivia_packs(name, source, imported_at) VALUES ('p', 'manual', 'now')"
        )
    assert (
        await store.insert(
            "INSERT INTO trivia_packs(name, source, imported_at) VALUES ('p', 'manual', 'now')"
            " ON CONFLICT DO NOTHING"
        )
        is None
    )
