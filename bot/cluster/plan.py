"""How many shards, and which of them each process of a cluster runs."""

from __future__ import annotations

import aiohttp

from bot.discord_api import DISCORD_API_BASE
from bot.errors import UserFacingError
from bot.wording import plural


def split_shards(shard_count: int, processes: int) -> list[tuple[int, ...]]:
    """Contiguous, near-equal runs of shard ids, one per process (Discord's own advice
    for large bots: a process holds neighbouring shards)."""
    if processes < 1:
        raise UserFacingError("--processes must be at least 1")
    if processes > shard_count:
        raise UserFacingError(
            f"{plural(processes, 'process')} for {plural(shard_count, 'shard')}: "
            "each process needs at least one shard (raise SHARD_COUNT or lower --processes)"
        )
    base, extra = divmod(shard_count, processes)
    groups: list[tuple[int, ...]] = []
    start = 0
    for i in range(processes):
        size = base + (1 if i < extra else 0)
        groups.append(tuple(range(start, start + size)))
        start += size
    return groups


async def recommended_shards(api_base: str | None, token: str) -> int:
    """The shard count Discord recommends for this bot (`GET /gateway/bot`'s `shards`)."""
    base = (api_base or DISCORD_API_BASE).rstrip("/")
    timeout = aiohttp.ClientTimeout(total=15)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(base + "/gateway/bot", headers={"Authorization": f"Bot {token}"}) as resp,
        ):
            if resp.status == 401:
                raise UserFacingError("DISCORD_TOKEN was refused by Discord")
            resp.raise_for_status()
            shards = (await resp.json())["shards"]
    except (aiohttp.ClientError, TimeoutError, KeyError, ValueError) as exc:
        reason = str(exc) or type(exc).__name__
        raise UserFacingError(
            f"could not ask {base}/gateway/bot for the shard count ({reason}); "
            "set SHARD_COUNT instead"
        ) from None
    if not isinstance(shards, int) or shards < 1:
        raise UserFacingError(f"{base}/gateway/bot recommended {shards!r} shards; set SHARD_COUNT")
    return shards
