"""Fixtures shared by all tests: a real SQLite file per test and matching settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db.store import Store
from bot.settings import PROJECT_ROOT, Settings, load_settings

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
