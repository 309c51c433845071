"""Ids for the sandbox's servers, channels, roles and users: a range Discord never gives out.

The sandbox shares the bot's database, so the catalog, articles and trivia packs that
`marquee ingest`, `import-imdb` and `trivia import` added show in `make run`. What
belongs to a server (settings, schedule, feeds, posts, reminders, scores, games) is
keyed by the server's id, so the sandbox's servers must have ids no real server can
have, and the sandbox's bot must act on no other rows, nor the real bot on these:

- A Discord id (a snowflake) carries the millisecond it was made in its top bits,
  counted from Discord's epoch, 2015-01-01 00:00 UTC. Discord gave out its first ids
  in spring 2015 and only ever gives out ids for the moment of creation, so no real
  server, channel or user has an id made in the first day of 2015. The sandbox's
  ids are exactly those: number n is ``n << 22`` (millisecond n of that day).
- They are handed out in the order the sandbox builds its world, so the same server,
  channels and users get the same ids at every start: the news channel, schedule,
  feeds, reminders and leaderboard stored for them come back after a restart.
- n counts milliseconds, so ``(id >> 22) % shard_count`` spreads sandbox servers
  over shards as real ids spread, and sharding can be tried in the sandbox.

A separate settings database attached beside the main one was the alternative; it
would split foreign keys (posts and reminders point at articles and titles) across
files, which SQLite does not enforce, and need every query to name its database.
"""

from __future__ import annotations

import itertools
import random
import time

DAY_MS = 86_400_000
DISCORD_EPOCH_MS = 1420070400000  # 2015-01-01 00:00 UTC, where snowflake time starts
# Ids below this are the sandbox's: made (as their timestamp says) on 2015-01-01.
SANDBOX_ID_LIMIT = DAY_MS << 22


def is_sandbox_id(snowflake: int) -> bool:
    """True for ids of the sandbox's servers, channels, roles and users."""
    return 0 < snowflake < SANDBOX_ID_LIMIT


class SandboxIds:
    """Hands out 1 << 22, 2 << 22, ... : the same ids in the same order at every start."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def next(self) -> int:
        n = next(self._counter)
        if n >= DAY_MS:
            raise RuntimeError("the sandbox ran out of reserved ids")
        return n << 22


class DiscordIds:
    """Ids as Discord gives them out (made now, some milliseconds apart), for an emulator
    serving bots that are not the sandbox's (e.g. `marquee run` processes of a cluster
    under test), whose servers must not have sandbox ids. The gaps are random (from a
    fixed seed), so servers spread over shards as real ones do."""

    def __init__(self) -> None:
        self._ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        self._gaps = random.Random(0)

    def next(self) -> int:
        self._ms += self._gaps.randint(1, 16)
        return self._ms << 22
