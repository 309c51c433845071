"""/news through the emulator: reading, admin setup, scheduled posts, restarts, failures."""

from __future__ import annotations

import asyncio
import datetime as dt
import types

from bot.news.posting import PostLog
from bot.sandbox.harness import Perm, Sandbox
from tests.e2e.newskit import (
    Clock,
    add_article,
    attach,
    configure,
    news_posts,
    real_now,
    restart,
)

BODY = (
    "Lena Ortiz has joined the cast of Harbor Lights, the studio said on Monday. "
    "The drama opens in theaters on March 5, 2027. Ortiz plays a lighthouse keeper."
)


async def test_reading_commands_show_summary_source_and_mentions(sandbox: Sandbox):
    latest = await sandbox.slash("news latest", count=3)
    assert not latest.ephemeral and latest.embed
    assert "Marquee news" in latest.embed["footer"]["text"]
    choices = await sandbox.autocomplete("news read", "article", "")
    assert choices, "autocomplete must be useful on an empty box"
    read = await sandbox.slash("news read", article=choices[0]["value"])
    fields = {f["name"]: f["value"] for f in read.embed["fields"]}
    assert read.embed["description"] and "Published" in fields
    assert "Films" in fields or "People" in fields  # the seed article names films and people
    for query in ['"unbalanced', "NEAR(a b", "*", "-(", "AND OR NOT"]:
        reply = await sandbox.slash("news search", query=query)
        assert reply.embed or reply.ephemeral  # results, or a short "no match"


async def test_admin_setup_and_schedule_member_refused(sandbox: Sandbox):
    refused = await sandbox.slash("news setup", user=sandbox.member,
                                  options={"channel": sandbox.news})  # fmt: skip
    assert refused.ephemeral and "Manage Server" in refused.content
    for command in ("news status", "news post-now", "news feeds list"):
        reply = await sandbox.slash(command, user=sandbox.member)
        assert reply.ephemeral and "Manage Server" in reply.content
    ok = await sandbox.slash("news setup", user=sandbox.admin, options={"channel": sandbox.news})
    assert ok.ephemeral and f"<#{sandbox.news.id}>" in ok.content
    bad_tz = await sandbox.slash("news schedule", user=sandbox.admin, every="daily",
                                 time="09:00", timezone="Mars/Olympus")  # fmt: skip
    assert bad_tz.ephemeral and "time zone" in bad_tz.content
    bad_time = await sandbox.slash("news schedule", user=sandbox.admin, every="daily",
                                   time="25:99")  # fmt: skip
    assert bad_time.ephemeral and "not a time" in bad_time.content
    weekly = await sandbox.slash("news schedule", user=sandbox.admin, every="weekly",
                                 time="18:00", day="fri", timezone="Europe/Paris")  # fmt: skip
    assert "weekly on Friday at 18:00 (Europe/Paris)" in weekly.content
    zones = await sandbox.autocomplete("news schedule", "timezone", "paris", every="daily")
    assert [z["value"] for z in zones] == ["Europe/Paris"]
    status = await sandbox.slash("news status", user=sandbox.admin)
    fields = {f["name"]: f["value"] for f in status.embed["fields"]}
    assert fields["Channel"] == f"<#{sandbox.news.id}>"
    assert "Friday" in fields["Schedule"] and fields["Next post"].startswith("<t:")


async def test_post_at_scheduled_time_once_across_restart(sandbox: Sandbox, settings):
    start = real_now()
    clock = Clock(start)
    scheduler = attach(sandbox, clock)
    due = start + dt.timedelta(hours=1)
    await configure(sandbox, sandbox.news, due)
    await scheduler.tick()
    assert await news_posts(sandbox, sandbox.news) == []  # not yet
    clock.set(due + dt.timedelta(seconds=20))
    report = await scheduler.tick()
    assert report["post_sent"] == 1
    (first,) = await news_posts(sandbox, sandbox.news)
    assert first.embed["title"]
    await scheduler.tick()
    assert len(await news_posts(sandbox, sandbox.news)) == 1

    scheduler = await restart(sandbox, settings, clock)  # between two ticks
    await scheduler.tick()
    assert len(await news_posts(sandbox, sandbox.news)) == 1
    # next day: only the article that arrived since is posted
    await add_article(sandbox, "Harbor Lights adds a star", BODY, clock.now.date())
    clock.set(due + dt.timedelta(days=1, seconds=5))
    await scheduler.tick()
    posts = await news_posts(sandbox, sandbox.news)
    assert len(posts) == 2
    assert posts[-1].embed["title"] == "Harbor Lights adds a star"
    status = await sandbox.slash("news status", user=sandbox.admin)
    fields = {f["name"]: f["value"] for f in status.embed["fields"]}
    assert f"<#{sandbox.news.id}>" in fields["Last post"] and fields["Last error"] == "none"


async def test_crash_between_send_and_record_does_not_double_post(sandbox: Sandbox, settings):
    clock = Clock(real_now())
    scheduler = attach(sandbox, clock)
    await configure(sandbox, sandbox.news, clock.now + dt.timedelta(minutes=30))
    clock.advance(minutes=31)
    await scheduler.tick()
    (sent,) = await news_posts(sandbox, sandbox.news)
    # the state a crash right after the send leaves on disk: reserved, not recorded
    await sandbox.store.execute(
        "UPDATE post_batches SET state = 'pending', message_id = NULL, sent_at = NULL"
    )
    await sandbox.store.execute("UPDATE posts SET message_id = NULL")
    scheduler = await restart(sandbox, settings, clock)
    report = await scheduler.tick()
    assert report["post_found"] == 1
    assert [m.id for m in await news_posts(sandbox, sandbox.news)] == [sent.id]
    assert await PostLog(sandbox.store).pending() == []
    assert await sandbox.store.fetchval("SELECT message_id FROM post_batches") == sent.id


async def test_crash_before_send_posts_once_after_restart(sandbox: Sandbox, settings):
    clock = Clock(real_now())
    attach(sandbox, clock)
    await sandbox.slash("news setup", user=sandbox.admin, options={"channel": sandbox.news})
    log = PostLog(sandbox.store)
    guild = sandbox.guild.id
    ids = await log.unposted(guild, clock.now)
    batch = await log.reserve(guild, sandbox.news.id, "manual", ids, clock.now)
    assert batch is not None  # reserved, then the process died before sending
    scheduler = await restart(sandbox, settings, clock)
    report = await scheduler.tick()
    assert report["post_sent"] == 1
    await scheduler.tick()
    assert len(await news_posts(sandbox, sandbox.news)) == 1


async def test_downtime_gives_one_catch_up_post(sandbox: Sandbox, settings):
    clock = Clock(real_now())
    scheduler = attach(sandbox, clock)
    await configure(sandbox, sandbox.news, clock.now + dt.timedelta(minutes=5))
    await add_article(sandbox, "Second story of the week", BODY + " More.", clock.now.date())
    clock.advance(days=3)  # three scheduled times missed
    report = await scheduler.tick()
    assert report["post_sent"] == 1
    await scheduler.tick()
    posts = await news_posts(sandbox, sandbox.news)
    assert len(posts) == 1 and len(posts[0].embed["fields"]) >= 2  # a digest
    status = await sandbox.slash("news status", user=sandbox.admin)
    next_field = {f["name"]: f["value"] for f in status.embed["fields"]}["Next post"]
    assert int(next_field[3:-3]) > clock.now.timestamp()


async def test_missing_channel_and_permission_reported_others_served(sandbox: Sandbox):
    clock = Clock(real_now())
    scheduler = attach(sandbox, clock)
    when = clock.now + dt.timedelta(minutes=10)
    # server 1: #news loses Send Messages for the bot
    await configure(sandbox, sandbox.news, when)
    await sandbox.deny(sandbox.news, Perm.SEND_MESSAGES)
    # server 2: its news channel is deleted; server 3 is healthy
    servers = []
    for name in ("Gone", "Healthy"):
        guild = await sandbox.add_guild(name, channels=("news",))
        owner = guild.members[guild.owner_id]
        channel = next(c for c in sandbox.world.channels.values() if c.guild_id == guild.id)
        await sandbox.slash("news setup", user=owner, channel=channel,
                            options={"channel": channel})  # fmt: skip
        await sandbox.slash("news schedule", user=owner, channel=channel, every="daily",
                            time=when.strftime("%H:%M"), timezone="UTC")  # fmt: skip
        servers.append((guild, owner, channel))
    await sandbox.delete_channel(servers[0][2])
    clock.set(when + dt.timedelta(seconds=30))
    report = await scheduler.tick()
    assert report["post_sent"] == 1 and report["post_failed"] == 2
    assert len(await news_posts(sandbox, servers[1][2])) == 1
    status = await sandbox.slash("news status", user=sandbox.admin)
    error = {f["name"]: f["value"] for f in status.embed["fields"]}["Last error"]
    assert "missing permission" in error and "403" in error
    gone_guild, gone_owner, _ = servers[0]
    other = await sandbox.add_channel("general", guild=gone_guild)
    status = await sandbox.slash("news status", user=gone_owner, channel=other)
    error = {f["name"]: f["value"] for f in status.embed["fields"]}["Last error"]
    assert "no longer exists" in error and "404" in error
    # once fixed, the articles held back are posted
    sandbox.news.overwrites.clear()
    await sandbox.emulator.channel_updated(sandbox.news)
    now_reply = await sandbox.slash("news post-now", user=sandbox.admin)
    assert "Posted" in now_reply.text
    assert len(await news_posts(sandbox, sandbox.news)) == 1


async def test_the_ticker_runs_on_its_own_and_stops_on_unload(sandbox: Sandbox):
    scheduler = sandbox.bot.get_cog("Scheduler")
    assert scheduler.ticker.is_running()
    for _ in range(500):  # the loop's first iteration runs once the bot is ready
        if scheduler.ticks_run >= 1:
            break
        await asyncio.sleep(0.01)
    assert scheduler.ticks_run >= 1  # the first tick ran by itself after ready
    session = scheduler.session
    await sandbox.bot.unload_extension("cogs.scheduler")
    assert not scheduler.ticker.is_running() and session.closed


def test_a_process_runs_only_its_own_shards_work():
    from bot.app import MovieBot
    from cogs.scheduler import Scheduler

    class FakeBot:  # only the attributes a sharded client has
        serves = MovieBot.serves  # a real server's id, and not the sandbox's bot

        def __init__(self, **attrs):
            self.store = None
            self.settings = types.SimpleNamespace(sandbox=False)
            self.__dict__.update(attrs)

    guild = 1574538977430470658
    shard = (guild >> 22) % 4
    for attrs, expected in (
        ({"shard_count": None}, True),
        ({"shard_count": 4, "shard_ids": [shard]}, True),
        ({"shard_count": 4, "shard_ids": [(shard + 1) % 4]}, False),
        ({"shard_count": 4, "shard_id": shard}, True),
        ({"shard_count": 4, "shard_id": (shard + 2) % 4}, False),
    ):
        bot = FakeBot(**attrs)
        assert Scheduler(bot).owns(guild) is expected


async def test_crash_recovery_without_history_permission_does_not_repeat(
    sandbox: Sandbox, settings
):
    clock = Clock(real_now())
    scheduler = attach(sandbox, clock)
    await sandbox.slash("news setup", user=sandbox.admin, options={"channel": sandbox.news})
    assert "Posted" in (await sandbox.slash("news post-now", user=sandbox.admin)).text
    await sandbox.store.execute("UPDATE post_batches SET state = 'pending', message_id = NULL")
    await sandbox.deny(sandbox.news, Perm.READ_MESSAGE_HISTORY)
    scheduler = await restart(sandbox, settings, clock)
    report = await scheduler.tick()
    assert report["post_found"] == 1
    assert len(await news_posts(sandbox, sandbox.news)) == 1


async def test_setup_warns_when_the_bot_cannot_post_there(sandbox: Sandbox):
    await sandbox.deny(sandbox.trivia, Perm.SEND_MESSAGES)
    reply = await sandbox.slash(
        "news setup", user=sandbox.admin, options={"channel": sandbox.trivia}
    )
    assert "can't send messages" in reply.content
