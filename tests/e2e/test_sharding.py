"""SHARD_COUNT / SHARD_IDS run the bot over several gateway shards that split the guilds."""

from __future__ import annotations

import asyncio
import dataclasses

from bot.app import MovieBot, ShardedMovieBot, bot_class
from bot.sandbox.harness import Sandbox
from bot.settings import Settings


def test_plain_settings_give_the_plain_bot(settings: Settings) -> None:
    assert bot_class(settings) is MovieBot
    sharded = dataclasses.replace(settings, shard_count=2, shard_ids=(0, 1))
    assert bot_class(sharded) is ShardedMovieBot


async def test_two_shards_in_one_process_see_every_guild(settings: Settings) -> None:
    sharded = dataclasses.replace(settings, shard_count=2, shard_ids=(0, 1))
    sb = Sandbox()
    await sb.start()
    # Guild ids are snowflakes, so the shard a guild belongs to depends on the millisecond
    # it was made in: add servers until both shards have some.
    extra = []
    while len({(g.id >> 22) % 2 for g in [sb.guild, *extra]}) < 2 or len(extra) < 5:
        assert len(extra) < 200, "every new server landed on the same shard"
        extra.append(await sb.add_guild(f"Film Club {len(extra)}"))
        await asyncio.sleep(0.001)
    try:
        await sb.start_bot(
            sharded,
            factory=lambda s, store, **kw: bot_class(s)(settings=s, store=store, **kw),
            # room for one retry: a shard whose connect fails (a rare aiohttp race under
            # load) tries again after discord.py's 5 s pause
            within=30,
        )
        bot = sb.bot
        assert isinstance(bot, ShardedMovieBot)
        assert sorted(bot.shards) == [0, 1]
        wanted = {sb.guild.id, *(g.id for g in extra)}
        assert {g.id for g in bot.guilds} == wanted
        # each guild arrived on the shard Discord's formula assigns it to
        for guild in bot.guilds:
            assert guild.shard_id == (guild.id >> 22) % 2
        reply = await sb.slash("help")
        assert "/about" in reply.text
    finally:
        await sb.stop()
    sb.assert_no_violations()
