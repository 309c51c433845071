import asyncio
import sqlite3

import pytest

from bot.db.sqlite import _split_sql
from bot.db.store import IntegrityError, Store, load_migrations
from bot.errors import SchemaTooNewError, UserFacingError


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
    with pytest.raises(IntegrityError):
        async with store.transaction() as conn:
            await conn.execute(
                "INSERT INTO credits(title_id, person_id, role, source, as_of)"
                " VALUES (42, 43, 'actor', 'manual', '2024-01-01')"
            )


async def test_backup_is_a_consistent_copy(sqlite_store, tmp_path):
    """SQLite only: `db backup` copies the SQLite file (PostgreSQL has pg_dump)."""
    store = sqlite_store
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


async def test_cancelled_while_waiting_for_begin_leaves_the_store_usable(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = await Store.open(path)
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock

    async def write():
        async with store.transaction() as conn:
            await conn.execute("INSERT INTO meta(key, value) VALUES ('a', '1')")

    try:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(write(), 0.3)
        blocker.execute("ROLLBACK")
        await asyncio.sleep(0.1)
        await store.set_meta("b", "2")
        assert not store.in_transaction
    finally:
        blocker.close()
        await store.close()
    reopened = await Store.open(path)
    try:
        assert await reopened.get_meta("b") == "2"
        assert await reopened.get_meta("a") is None
    finally:
        await reopened.close()


async def test_other_tasks_never_read_uncommitted_writes(store):
    inside = asyncio.Event()
    release = asyncio.Event()

    async def writer():
        async with store.transaction() as conn:
            await conn.execute("INSERT INTO meta(key, value) VALUES ('k', 'draft')")
            assert await store.get_meta("k") == "draft"  # the owner reads its own write
            inside.set()
            await release.wait()
            raise RuntimeError("abandon")

    task = asyncio.create_task(writer())
    await inside.wait()
    assert await store.get_meta("k") is None  # not visible to anyone else
    release.set()
    with pytest.raises(RuntimeError):
        await task
    assert await store.get_meta("k") is None


async def test_nested_writes_join_the_outer_transaction(store):
    async with store.transaction():
        await store.set_meta("x", "1")  # would deadlock on a non-reentrant lock
        await store.execute("INSERT INTO meta(key, value) VALUES ('y', '2')")
    assert await store.get_meta("x") == "1" and await store.get_meta("y") == "2"


async def test_two_processes_migrating_a_new_file_at_once(tmp_path):
    path = tmp_path / "race.sqlite3"
    a = await Store.open(path, migrate=False)
    b = await Store.open(path, migrate=False)
    try:
        first, second = await asyncio.gather(a.migrate(), b.migrate())
        assert sorted(first + second) == [m.version for m in load_migrations()]
    finally:
        await a.close()
        await b.close()


async def test_backup_refuses_bad_targets_and_keeps_the_old_copy(sqlite_store, tmp_path):
    """SQLite only, as above."""
    store = sqlite_store
    with pytest.raises(UserFacingError, match="must be a file path"):
        await store.backup(tmp_path)
    with pytest.raises(UserFacingError, match="live database"):
        await store.backup(store.path)
    with pytest.raises(UserFacingError, match="does not exist"):
        await store.backup(tmp_path / "missing" / "b.sqlite3")
    target = tmp_path / "b.sqlite3"
    await store.set_meta("v", "1")
    await store.backup(target)
    await store.set_meta("v", "2")
    await store.backup(target)
    check = sqlite3.connect(target)
    assert check.execute("SELECT value FROM meta WHERE key = 'v'").fetchone()[0] == "2"
    check.close()
    assert not list(tmp_path.glob(".*.partial"))


async def test_not_a_database_and_foreign_database_are_refused(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("this is not SQLite " * 100)
    with pytest.raises(UserFacingError, match="not a usable SQLite database"):
        await Store.open(text)
    assert text.read_text().startswith("this is not SQLite")
    foreign = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE articles(x)")
    conn.close()
    with pytest.raises(UserFacingError, match="another program"):
        await Store.open(foreign)


async def test_a_task_reads_its_committed_write_while_others_read(store):
    """Interleaved reads must not pin an old snapshot: read-your-writes across tasks."""
    for n in range(200):
        await store.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (f"seed{n}", "x"))
    stop = asyncio.Event()

    async def busy_reader():
        while not stop.is_set():
            await store.fetchall("SELECT key FROM meta")

    readers = [asyncio.create_task(busy_reader()) for _ in range(3)]
    try:
        for n in range(50):
            await store.set_meta(f"k{n}", str(n))
            assert await store.get_meta(f"k{n}") == str(n)
    finally:
        stop.set()
        await asyncio.gather(*readers)
