"""What the processes of a cluster share through PostgreSQL: slot queues and liveness.

Two coordinators on one database stand for two processes (each has its own connection,
as each process does)."""

from __future__ import annotations

from bot.db.coordination import PostgresCoordinator, open_coordinator
from bot.db.store import Store


async def test_two_processes_take_slots_from_one_queue(pg_url):
    async with await Store.open(pg_url) as store:
        first = await open_coordinator(store)
        second = await open_coordinator(store)
        assert isinstance(first, PostgresCoordinator)
        try:
            delays = []
            for coordinator in (first, second, first, second):
                delays.append(await coordinator.slot_delay("send:1", 0.5))
            # one queue for both: each slot 0.5 s after the one before, whoever took it
            # (the database's clock; the rounding absorbs the milliseconds between calls)
            assert [round(d * 2) for d in delays] == [0, 1, 2, 3]
            assert await second.slot_delay("identify:1:0", 5.5) == 0  # another queue
        finally:
            await first.close()
            await second.close()


async def test_a_process_is_alive_until_its_connection_ends(pg_url):
    async with await Store.open(pg_url) as store:
        watcher = await open_coordinator(store)
        other = await open_coordinator(store)
        try:
            both = {watcher.token, other.token}
            assert await watcher.alive(both | {12345}) == both
            await other.close()  # as a kill -9 would: the server drops its session
            assert await watcher.alive(both) == {watcher.token}
        finally:
            await watcher.close()
