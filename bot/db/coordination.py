"""What the processes of one bot share beyond their data: slots and who is alive.

Two primitives, one implementation per backend:

- `wait_slot(key, interval)`: a queue of time slots `interval` seconds apart, shared by
  every process of the bot. Each caller is given the next free slot in one atomic
  step (a virtual-scheduling rate limiter: `next = max(next, now) + interval`) and
  sleeps until it. The background send budget (50 requests/s per bot, all processes
  together) and Discord's IDENTIFY spacing (one per 5 s per rate-limit key) are both
  such queues. No process polls and none can jump the queue.
- `alive(owners)`: which claim owners (process tokens) still run, so work claimed by
  a process that died (kill -9, a lost machine) is taken over at once, while work a
  live process holds is never touched.

SQLite serves one process, so its coordinator keeps both in memory. On PostgreSQL the
slots live in one row per key (`cluster_slots`), advanced by a single UPSERT against
the database's own clock (machines' clocks may differ), and every process holds a
session advisory lock on its token on a connection of its own for its whole life: the
server drops the lock the moment the process dies, and `pg_locks` lists the living.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

# The first key of the two-key advisory locks that mark a live process (the second is
# the process's token); chosen to stay clear of other programs sharing the database.
OWNER_LOCK_SPACE = 0x4D51  # "MQ"


def new_token() -> int:
    """A process's claim token: random, positive, 31 bits (an advisory lock key)."""
    return secrets.randbelow(2**31 - 1) + 1


class Coordinator(ABC):
    """Opened once per process with `open_coordinator(store)`; closed with the store."""

    token: int

    @abstractmethod
    async def slot_delay(self, key: str, interval: float) -> float:
        """Take the next slot of `key`'s queue; seconds until it comes (0 if now)."""

    async def wait_slot(
        self, key: str, interval: float, *, late_after: float | None = None
    ) -> None:
        """Sleep until this caller's slot. With `late_after`, a caller that wakes more
        than that many seconds after its slot (its process was busy) queues again
        rather than go now: its turn is over, and going late would crowd the slots of
        those behind it into the same second."""
        loop = asyncio.get_running_loop()
        while True:
            delay = await self.slot_delay(key, interval)
            slot = loop.time() + delay
            if delay > 0:
                await asyncio.sleep(delay)
            if late_after is None or loop.time() - slot <= late_after:
                return

    @abstractmethod
    async def alive(self, owners: Iterable[int]) -> set[int]:
        """The owners (tokens) among `owners` whose process still runs."""

    async def close(self) -> None:
        return None


class LocalCoordinator(Coordinator):
    """One process: slots in memory, only this process alive."""

    def __init__(self) -> None:
        self.token = new_token()
        self._next: dict[str, float] = {}

    async def slot_delay(self, key: str, interval: float) -> float:
        now = time.monotonic()
        slot = max(self._next.get(key, now), now)
        self._next[key] = slot + interval
        return slot - now

    async def alive(self, owners: Iterable[int]) -> set[int]:
        return {o for o in owners if o == self.token}


class PostgresCoordinator(Coordinator):
    """Slots in `cluster_slots` rows; liveness by advisory locks on a dedicated connection."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()  # one asyncpg connection runs one query at a time
        self.token = new_token()

    @classmethod
    async def connect(cls, url: str) -> PostgresCoordinator:
        import asyncpg

        self = cls(await asyncpg.connect(url))
        await self._conn.execute("SELECT pg_advisory_lock($1, $2)", OWNER_LOCK_SPACE, self.token)
        return self

    async def slot_delay(self, key: str, interval: float) -> float:
        async with self._lock:
            delay = await self._conn.fetchval(
                "INSERT INTO cluster_slots AS s (key, next_at) "
                "VALUES ($1, extract(epoch FROM clock_timestamp()) + $2) "
                "ON CONFLICT (key) DO UPDATE SET next_at = "
                "  greatest(s.next_at, extract(epoch FROM clock_timestamp())) + $2 "
                "RETURNING s.next_at - $2 - extract(epoch FROM clock_timestamp())",
                key,
                interval,
            )
        return max(0.0, float(delay))

    async def alive(self, owners: Iterable[int]) -> set[int]:
        wanted = {int(o) for o in owners}
        if not wanted:
            return set()
        async with self._lock:
            rows = await self._conn.fetch(
                "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND objsubid = 2 AND classid = $1::bigint::oid "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                OWNER_LOCK_SPACE,
            )
        return wanted & {int(r[0]) for r in rows}

    async def close(self) -> None:
        await self._conn.close()  # the server drops the owner lock with the session


async def open_coordinator(store: Any) -> Coordinator:
    """The coordinator for `store`'s backend."""
    if getattr(store, "dialect", "sqlite") == "postgresql":
        return await PostgresCoordinator.connect(str(store.path))
    return LocalCoordinator()
