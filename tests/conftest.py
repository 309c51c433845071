"""Fixtures shared by all tests: a real SQLite file per test and matching settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

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


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
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
