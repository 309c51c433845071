"""Helpers for the news e2e tests: a driven clock, bot restarts, articles, ticks."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from typing import Any

from bot.news.article import ArticleText
from bot.news.ingest import ingest_article
from bot.sandbox.harness import Sandbox
from bot.settings import Settings


class Clock:
    """The time the bot sees; tests move it instead of sleeping."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now

    def set(self, moment: dt.datetime) -> dt.datetime:
        self.now = moment
        return moment


def real_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def attach(sandbox: Sandbox, clock: Clock) -> Any:
    """Give the running bot the test clock; returns the Scheduler cog.

    The cog's 30 s loop is stopped so that only the test's own `tick()` calls run:
    a loop iteration landing between two test steps would make outcomes racy.
    """
    sandbox.bot.clock = clock
    scheduler = sandbox.bot.get_cog("Scheduler")
    assert scheduler is not None, "cogs/scheduler.py did not load"
    scheduler.ticker.cancel()
    scheduler.feed_time_limit = 1.0
    return scheduler


async def restart(sandbox: Sandbox, settings: Settings, clock: Clock) -> Any:
    """Stop the bot and start a new MovieBot on the same SQLite file."""
    await sandbox.bot.close()
    if sandbox._bot_task is not None:
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(sandbox._bot_task, 5)
    if sandbox.store is not None:
        await sandbox.store.close()
    await sandbox.start_bot(settings)
    return attach(sandbox, clock)


async def add_article(sandbox: Sandbox, headline: str, body: str, day: dt.date) -> str:
    result = await ingest_article(
        sandbox.store,
        ArticleText(published=day, body=body, headline=headline),
        source="Test Wire",
        url=f"https://wire.example/{abs(hash(headline))}",
        headline=headline,
    )
    return result.article_id


async def news_posts(sandbox: Sandbox, channel) -> list:
    """Messages the bot posted in `channel` that carry a news footer."""
    msgs = await sandbox.messages(channel)
    return [m for m in msgs if m.embed and "Marquee news" in (m.embed.get("footer") or {}).get(
        "text", "")]  # fmt: skip


async def configure(sandbox: Sandbox, channel, when: dt.datetime, guild_user=None) -> None:
    """/news setup + a daily schedule at `when` (UTC), as the admin."""
    user = guild_user or sandbox.admin
    await sandbox.slash("news setup", user=user, options={"channel": channel})
    reply = await sandbox.slash("news schedule", user=user, every="daily",
                                time=when.strftime("%H:%M"), timezone="UTC")  # fmt: skip
    assert reply.ephemeral and "Next post" in reply.content, reply.content
