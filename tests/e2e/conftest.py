"""The end-to-end fixture: the real bot, connected to the local Discord emulator.

Usage in a test (any cog's e2e tests can do the same)::

    async def test_cast(sandbox):
        reply = await sandbox.slash("movie cast", title="dead reckoning")
        assert "Tom Cruise" in reply.text

The fixture fails the test at teardown if the bot sent anything Discord would refuse
(the reason is in the error), unless the test took those with ``take_violations()``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.sandbox.harness import Sandbox
from bot.settings import Settings


@pytest.fixture
async def sandbox(settings: Settings) -> AsyncIterator[Sandbox]:
    """Emulator + default server + a started MovieBot on a fresh SQLite file."""
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
