"""One rule decides which guilds' background work a process does, for every cog."""

from __future__ import annotations

import discord

from bot.sharding import owns_guild, shard_of

ON_SHARD_0 = 4 << 22  # (id >> 22) % 2 == 0
ON_SHARD_1 = 5 << 22


def test_the_shard_formula_is_discords():
    assert shard_of(ON_SHARD_0, 2) == 0 and shard_of(ON_SHARD_1, 2) == 1


async def test_a_single_shard_process_of_a_cluster_owns_only_its_shards_guilds():
    # One process per shard: a plain client connected as shard 1 of 2.
    client = discord.Client(intents=discord.Intents.none(), shard_id=1, shard_count=2)
    assert owns_guild(client, ON_SHARD_1)
    assert not owns_guild(client, ON_SHARD_0)  # the other process closes and posts those


async def test_a_sharded_client_owns_the_guilds_of_its_shard_ids():
    client = discord.AutoShardedClient(intents=discord.Intents.none(), shard_ids=[0], shard_count=2)
    assert owns_guild(client, ON_SHARD_0) and not owns_guild(client, ON_SHARD_1)


async def test_an_unsharded_client_owns_every_guild():
    client = discord.Client(intents=discord.Intents.none())
    assert owns_guild(client, ON_SHARD_0) and owns_guild(client, ON_SHARD_1)
