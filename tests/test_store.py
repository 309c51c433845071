import sqlite3

import pytest

from bot.db.store import Store, _split_sql, load_migrations
from bot.errors import SchemaTooNewError


async def test_open_applies_all_migrations_with_pragmas(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = await Store.open(path)
    try:
        latest = max(m.version for m in load_migrations())
        assert await store.schema_version() == latest
        assert (await store.fetchval("PRAGMA journal_mode")).lower() == "wal"
        assert await store.fetchval("PRAGMA foreign_keys") == 1
        assert await store.fetchval("PRAGMA busy_timeout") == 5000
        counts = await store.table_counts()
        for table in ("titles", "people", "credits", "releases", "articles", "posts", "feeds"):
            assert counts[table] == 0
    finally:
        await store.close()


async def test_reopen_is_idempotent(tmp_path):
    path = tmp_path / "s.sqlite3"
    async with await Store.open(path) as store:
        await store.set_meta("k", "v")
    async with await Store.open(path) as store:
        assert await store.migrate() == []
        assert await store.get_meta("k") == "v"


async def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "s.sqlite3"
    async with await Store.open(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="newer than this Marquee"):
        await Store.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 999
    conn.close()


async def test_transaction_rolls_back_on_error(store):
    with pytest.raises(RuntimeError):
        async with store.transaction() as conn:
            await conn.execute(
                "INSERT INTO titles(title, norm_title, source, as_of) VALUES ('A', 'a', 'manual',"
                " '2024-01-01')"
            )
            raise RuntimeError("boom")
    assert await store.fetchval("SELECT count(*) FROM titles") == 0


async def test_foreign_keys_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        async with store.transaction() as conn:
            await conn.execute(
                "INSERT INTO credits(title_id, person_id, role, source, as_of)"
                " VALUES (42, 43, 'actor', 'manual', '2024-01-01')"
            )


async def test_backup_is_a_consistent_copy(store, tmp_path):
    await store.set_meta("answer", "42")
    target = tmp_path / "backup.sqlite3"
    await store.backup(target)
    copy = await Store.open(target)
    try:
        assert await copy.get_meta("answer") == "42"
    finally:
        await copy.close()


def test_split_sql_keeps_trigger_bodies():
    script = """
    -- comment
    CREATE TABLE a(x);
    CREATE TRIGGER t AFTER INSERT ON a BEGIN
        INSERT INTO a VALUES (1);
        INSERT INTO a VALUES (2);
    END;
    CREATE TABLE b(y);
    """
    parts = _split_sql(script)
    assert len(parts) == 3
    assert parts[1].startswith("CREATE TRIGGER") and parts[1].rstrip().endswith("END;")
