"""Fixtures shared by all tests: a real store per test (a SQLite file, and a fresh
PostgreSQL database too when MARQUEE_TEST_PG is set) and matching settings."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import warnings
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis.database import DirectoryBasedExampleDatabase

from bot.db.store import Store
from bot.sandbox.tmdb_fake import FakeTmdb
from bot.settings import PROJECT_ROOT, Settings, load_settings

# One hypothesis profile everywhere, so CI and a developer's `make test` try the same
# kind of inputs (Hypothesis on its own loads a derandomized "ci" profile when it sees
# CI=1, which once kept CI green while every local run failed). Examples are random,
# a fixed number per test; a failure found is saved in .hypothesis/ (next to this
# clone's code) and replayed first on the next run until fixed, and its blob is
# printed so CI's failure can be replayed anywhere; then it becomes an @example.
# No deadline and no too-slow check: timings on a shared machine prove nothing.
hypothesis_settings.register_profile(
    "marquee",
    derandomize=False,
    max_examples=100,
    database=DirectoryBasedExampleDatabase(PROJECT_ROOT / ".hypothesis" / "examples"),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile("marquee")

SEED_DIR = PROJECT_ROOT / "data"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"MARQUEE_DB": str(tmp_path / "marquee.sqlite3")}, env_file=None)


# PostgreSQL: MARQUEE_TEST_PG is the URL of a role allowed to create databases (CI sets
# it; see README "Tests"). Each test gets its own database, copied from a template
# migrated once per run, so tests stay independent and fast.
TEST_PG = os.environ.get("MARQUEE_TEST_PG", "").strip() or None
BACKENDS = ["sqlite", "postgresql"] if TEST_PG else ["sqlite"]
HOW_TO_RUN_PG = (
    "PostgreSQL half not run: set MARQUEE_TEST_PG=postgresql://USER:PASSWORD@HOST/DB "
    "(a role that may CREATE DATABASE) to run the store tests on PostgreSQL too"
)
_counter = itertools.count()


def pytest_report_header(config: pytest.Config) -> str:
    if TEST_PG:
        return "store backends: sqlite, postgresql (MARQUEE_TEST_PG)"
    return HOW_TO_RUN_PG


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TEST_PG:
        terminalreporter.write_line(HOW_TO_RUN_PG)


def _pg_url(database: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    assert TEST_PG is not None
    parts = urlsplit(TEST_PG)
    return urlunsplit(parts._replace(path="/" + database))


async def _pg_admin(*statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(TEST_PG)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


async def _drop_database(name: str) -> None:
    """Drop a test database. FORCE ends its sessions, but not a superuser's (an autovacuum
    worker that has just started on the new database): then wait and try again, and in
    the end leave the throwaway database rather than fail a test that passed."""
    import asyncpg

    for _ in range(20):
        try:
            await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (asyncpg.InsufficientPrivilegeError, asyncpg.ObjectInUseError):
            await asyncio.sleep(0.25)
    warnings.warn(f"test database {name} left behind: still in use", stacklevel=1)


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """SQLite files made once per run and copied for each test: migrated, and migrated
    then seeded (ingesting the seed article runs spaCy, most of a bot's start-up)."""
    folder = tmp_path_factory.mktemp("templates")
    paths = {False: folder / "migrated.sqlite3", True: folder / "seeded.sqlite3"}

    async def create() -> None:
        from bot.news.ingest import seed_from_dir  # spaCy: only when a test needs a store

        for seeded, path in paths.items():
            store = await Store.open(path)
            try:
                if seeded:
                    await seed_from_dir(store, SEED_DIR)
            finally:
                await store.close()
            # closed cleanly: everything is in the main file, which is all a copy takes
            assert not path.with_name(path.name + "-wal").exists()

    _in_own_loop(create)
    return paths


def sqlite_copy(request: pytest.FixtureRequest, path: Path, *, seeded: bool = False) -> Path:
    """Put a migrated (or migrated and seeded) SQLite store at ``path``, as opening and
    seeding a new file there would, only faster."""
    shutil.copyfile(request.getfixturevalue("sqlite_templates")[seeded], path)
    return path


@pytest.fixture(scope="session")
def pg_template(pg_admin_thread: ThreadPoolExecutor) -> Iterator[str]:
    """A database migrated once per run, copied for every PostgreSQL test."""
    name = f"marquee_test_template_{os.getpid()}"

    async def create() -> None:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        store = await Store.open(_pg_url(name))
        await store.close()

    yield from _session_database(pg_admin_thread, name, create)


@pytest.fixture(scope="session")
def pg_seeded_template(pg_admin_thread: ThreadPoolExecutor, pg_template: str) -> Iterator[str]:
    """The migrated template plus the seed article, for tests that start the bot."""
    name = f"marquee_test_seeded_{os.getpid()}"

    async def create() -> None:
        from bot.news.ingest import seed_from_dir

        await _pg_admin(
            f'DROP DATABASE IF EXISTS "{name}"',
            f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"',
        )
        store = await Store.open(_pg_url(name))
        try:
            await seed_from_dir(store, SEED_DIR)
        finally:
            await store.close()

    yield from _session_database(pg_admin_thread, name, create)


def _session_database(
    thread: ThreadPoolExecutor, name: str, create: Callable[[], Coroutine[Any, Any, None]]
) -> Iterator[str]:
    """A template database for the whole run: made by `create` on the admin thread,
    dropped there at the end."""
    thread.submit(asyncio.run, create()).result()
    try:
        yield name
    finally:
        thread.submit(asyncio.run, _drop_database(name)).result()


@pytest.fixture(scope="session")
def pg_admin_thread() -> Iterator[ThreadPoolExecutor]:
    """One thread for every CREATE and DROP DATABASE of a run: in order, so a template is
    never copied while another copy of it is being made, and beside the tests."""
    with ThreadPoolExecutor(1, thread_name_prefix="pg-admin") as thread:
        yield thread


class _DatabaseCopies:
    """Copies of one template made ahead of need on the admin thread (a copy takes the
    server about half a second, which it spends while the previous test runs), and
    dropped there after use without holding up the next test."""

    AHEAD = 2

    def __init__(self, thread: ThreadPoolExecutor, template: str) -> None:
        self.thread = thread
        self.template = template
        self.ready: deque[Future[str]] = deque()

    def _create(self) -> str:
        name = f"marquee_test_{os.getpid()}_{next(_counter)}"
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return name

    async def take(self) -> str:
        while len(self.ready) <= self.AHEAD:
            self.ready.append(self.thread.submit(self._create))
        return await asyncio.wrap_future(self.ready.popleft())

    def drop(self, name: str) -> None:
        self.thread.submit(asyncio.run, _drop_database(name))

    def close(self) -> None:
        while self.ready:
            future = self.ready.popleft()
            if not future.cancel() and future.exception() is None:
                self.drop(future.result())


@pytest.fixture(scope="session")
def pg_copies(pg_admin_thread: ThreadPoolExecutor, pg_template: str) -> Iterator[_DatabaseCopies]:
    copies = _DatabaseCopies(pg_admin_thread, pg_template)
    yield copies
    copies.close()


@pytest.fixture(scope="session")
def pg_seeded_copies(
    pg_admin_thread: ThreadPoolExecutor, pg_seeded_template: str
) -> Iterator[_DatabaseCopies]:
    copies = _DatabaseCopies(pg_admin_thread, pg_seeded_template)
    yield copies
    copies.close()


def _in_own_loop(make: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a coroutine to the end on a fresh loop in a thread (callable from inside a
    running loop, as session fixtures set up by async tests are)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(make())).result()


@asynccontextmanager
async def test_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest):
    """A fresh, migrated store of `backend` for one test, removed afterwards."""
    if backend == "sqlite":
        store = await Store.open(sqlite_copy(request, tmp_path / f"store{next(_counter)}.sqlite3"))
        try:
            yield store
        finally:
            await store.close()
        return
    async with pg_database(request) as url:
        store = await Store.open(url)
        try:
            yield store
        finally:
            await store.close()


@asynccontextmanager
async def pg_database(
    request: pytest.FixtureRequest, *, seeded: bool = False
) -> AsyncIterator[str]:
    """The URL of a fresh, migrated (and with ``seeded``, seeded) PostgreSQL database,
    dropped afterwards."""
    copies = request.getfixturevalue("pg_seeded_copies" if seeded else "pg_copies")
    name = await copies.take()
    try:
        yield _pg_url(name)
    finally:
        copies.drop(name)


@pytest.fixture
async def pg_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A fresh PostgreSQL database for tests of several stores or processes at once
    (a cluster); skipped without MARQUEE_TEST_PG."""
    if not TEST_PG:
        pytest.skip(HOW_TO_RUN_PG)
    async with pg_database(request) as url:
        yield url


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """A store on each backend under test (SQLite; PostgreSQL with MARQUEE_TEST_PG)."""
    async with test_store(request.param, tmp_path, request) as opened:
        yield opened


@pytest.fixture
async def pg_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """A fresh PostgreSQL store; the test is skipped without MARQUEE_TEST_PG."""
    if not TEST_PG:
        pytest.skip(HOW_TO_RUN_PG)
    async with test_store("postgresql", tmp_path, request) as opened:
        yield opened


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    """For tests about SQLite files themselves (backup, WAL, locks): SQLite only."""
    opened = await Store.open(tmp_path / "store.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def tmdb_fake() -> AsyncIterator[FakeTmdb]:
    """The local fake TMDB on 127.0.0.1 (hand-written fixtures, request counters, faults)."""
    server = await FakeTmdb().start()
    try:
        yield server
    finally:
        await server.stop()
