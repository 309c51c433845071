"""Which guilds this process serves when the bot runs as several shards (one rule)."""

from __future__ import annotations

from typing import Any


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord sends a guild's events to (its documented formula)."""
    return (guild_id >> 22) % shard_count


def owns_guild(client: Any, guild_id: int) -> bool:
    """Whether this process runs the guild's background work: scheduled posts, feed
    polling, reminders, closing games a previous process left running.

    A sharded client lists its `shard_ids`; a plain client connected as one shard of
    several has a `shard_id`; an unsharded client owns every guild. A client that
    says which servers it may serve at all (`serves`: the sandbox's bot and a real one
    share a database) owns none of the others.
    """
    serves = getattr(client, "serves", None)
    if serves is not None and not serves(guild_id):
        return False
    count = getattr(client, "shard_count", None) or 1
    ids = getattr(client, "shard_ids", None)
    if ids is None and getattr(client, "shard_id", None) is not None:
        ids = [client.shard_id]
    if count <= 1 or not ids:
        return True
    return shard_of(guild_id, count) in ids
