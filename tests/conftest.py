"""Fixtures shared by all tests: a real SQLite file per test and matching settings."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from bot.db.store import Store
from bot.sandbox.tmdb_fake import FakeTmdb
from bot.settings import PROJECT_ROOT, Settings, load_settings

# CI replays the same examples every run (a red CI blocks everything); local runs explore.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

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
