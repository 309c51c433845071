"""The end-to-end fixture: the real bot, connected to the local Discord emulator.

Usage in a test (any cog's e2e tests can do the same)::

    async def test_cast(sandbox):
        reply = await sandbox.slash("movie cast", title="dead reckoning")
        assert "Tom Cruise" in reply.text

The fixture fails the test at teardown if the bot sent anything Discord would refuse
(the reason is in the error), unless the test took those with ``take_violations()``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox.harness import Sandbox
from bot.settings import Settings, load_settings
from tests.conftest import BACKENDS, pg_database, sqlite_copy


@pytest.fixture(params=BACKENDS)
async def settings(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Settings]:
    """Settings over a fresh store: a SQLite file, and a PostgreSQL database too when
    MARQUEE_TEST_PG is set (every end-to-end test runs on both). The store is already
    migrated and seeded, as the bot's first start would leave it (copied from a template
    made once per run)."""
    base = load_settings({"MARQUEE_DB": str(tmp_path / "marquee.sqlite3")}, env_file=None)
    if request.param == "postgresql":
        async with pg_database(request, seeded=True) as url:
            yield dataclasses.replace(base, db_url=url)
    else:
        sqlite_copy(request, tmp_path / "marquee.sqlite3", seeded=True)
        yield base


@pytest.fixture
async def sandbox(settings: Settings) -> AsyncIterator[Sandbox]:
    """Emulator + default server + a started MovieBot on the settings' fresh store."""
    sb = Sandbox()
    await sb.start()
    try:
        await sb.start_bot(settings)
        yield sb
    finally:
        await sb.stop()
    sb.assert_no_violations()


@pytest.fixture
def discord_env(sandbox: Sandbox) -> Sandbox:
    """Another name for ``sandbox``."""
    return sandbox
