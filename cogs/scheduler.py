"""The one scheduler: a single ticker that drains due work from the store.

Each tick: reconcile posts and reminders left pending (a crash or a retryable error),
then scheduled news posts, feed polls and release reminders that are due. Every item
is isolated, so one server's missing channel or permission never stops the loop. The
time comes from `bot.clock` when a test sets it, so tests drive time without sleeping.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import aiohttp
from discord.ext import commands, tasks

from bot.errors import UserFacingError
from bot.news.claims import take_over
from bot.news.feed_repo import FeedRepository, PollResult, poll_claimed, subscribe
from bot.news.page_text import PageReader
from bot.news.posting import DIGEST_MAX
from bot.news.schedule import zone
from bot.news.settings_repo import NewsSettingsRepository
from bot.news.web import open_session
from bot.sharding import owns_guild
from cogs._delivery import Courier, alive_owners, claim_owner, now

log = logging.getLogger(__name__)

TICK_SECONDS = 30.0
SEND_CONCURRENCY = 25
POLL_CONCURRENCY = 8
TMDB_REFRESHED = "tmdb:reminders_refreshed"  # the day films with reminders last followed TMDB


class Scheduler(commands.Cog):
    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.courier = Courier(bot)
        self.posts = self.courier.posts
        self.settings = NewsSettingsRepository(bot.store)
        self.feeds = FeedRepository(bot.store)
        self.reminders = self.courier.reminders
        self.feed_time_limit = 15.0
        self.allow_private_feeds = False  # MARQUEE_FEEDS_ALLOW_PRIVATE, read on load
        self.session: aiohttp.ClientSession | None = None
        self._lock = asyncio.Lock()
        self.ticks_run = 0

    async def cog_load(self) -> None:
        self.allow_private_feeds = self.bot.settings.feeds_allow_private
        self.session = open_session(allow_private=self.allow_private_feeds)
        self.ticker.start()

    async def cog_unload(self) -> None:
        self.ticker.cancel()
        if self.session is not None:
            await self.session.close()

    @tasks.loop(seconds=TICK_SECONDS)
    async def ticker(self) -> None:
        try:
            await self.tick()
        except Exception:  # the loop must outlive any single bad tick
            log.exception("scheduler tick failed")

    @ticker.before_loop
    async def _wait_ready(self) -> None:
        await self.bot.wait_until_ready()

    def owns(self, guild_id: int) -> bool:
        """Whether this process runs the guild's scheduled work (its shard is ours)."""
        return owns_guild(self.bot, guild_id)

    async def tick(self) -> Counter[str]:
        """Run everything due now; returns counts by outcome (for tests and logs)."""
        async with self._lock:
            report: Counter[str] = Counter()
            await self._leftovers(report)
            await self._scheduled(report)
            await self._poll_feeds(report)
            await self._refresh_tmdb(report)
            await self._fire_reminders(report)
            self.ticks_run += 1
            if report:
                log.info("scheduler tick: %s", dict(report))
            return report

    async def _each(
        self, items: Iterable[Any], work: Callable[[Any], Awaitable[str]], report, limit: int
    ) -> None:
        """Run `work` on every item concurrently (bounded); one failure is one count."""
        gate = asyncio.Semaphore(limit)

        async def one(item: Any) -> None:
            async with gate:
                try:
                    report[await work(item)] += 1
                except Exception:
                    log.exception("scheduled item %r failed", item)
                    report["error"] += 1

        await asyncio.gather(*(one(i) for i in items))

    async def _leftovers(self, report: Counter[str]) -> None:
        async def batch(b) -> str:
            return "post_" + await self.courier.deliver_batch(b, reconcile=True)

        async def firing(f) -> str:
            return "reminder_" + await self.courier.deliver_firing(f, reconcile=True)

        batches = [b for b in await self.posts.pending() if self.owns(b.guild)]
        firings = [
            f for f in await self.reminders.pending(now(self.bot)) if self.owns(f.reminder.guild)
        ]
        # another process of the cluster may hold some (or be given the same shard)
        holders = {i.claimed_by for i in [*batches, *firings] if i.claimed_by is not None}
        alive = await alive_owners(self.bot, holders)
        busy = self.courier.sending
        batches = await take_over(self.bot.store, "post_batches", batches,
                                  self.posts.owner, alive, busy)  # fmt: skip
        firings = await take_over(self.bot.store, "reminder_fires", firings,
                                  self.reminders.owner, alive, busy)  # fmt: skip
        await self._each(batches, batch, report, SEND_CONCURRENCY)
        await self._each(firings, firing, report, 4)

    async def _scheduled(self, report: Counter[str]) -> None:
        moment = now(self.bot)

        async def run(guild) -> str:
            if guild.schedule is None:
                return "skipped"
            if guild.channel is None:
                await self.posts.skip_run(guild.guild, guild.schedule, moment)
                await self.settings.record_error(
                    guild.guild, "no news channel set (use /news setup)", moment
                )
                return "no_channel"
            ids = await self.posts.unposted(guild.guild, moment)
            batch = await self.posts.reserve(
                guild.guild, guild.channel, "scheduled", ids, moment, advance=guild.schedule
            )
            if batch is None:
                return "nothing_new"
            return "post_" + await self.courier.deliver_batch(batch)

        due = [g for g in await self.settings.due(moment) if self.owns(g.guild)]
        await self._each(due, run, report, SEND_CONCURRENCY)

    async def _poll_feeds(self, report: Counter[str]) -> None:
        moment = now(self.bot)
        assert self.session is not None

        async def run(feed) -> str:
            return await self.poll_feed(feed, moment)

        due = [f for f in await self.feeds.due(moment) if self.owns(f.guild)]
        await self._each(due, run, report, POLL_CONCURRENCY)

    def _pages(self) -> PageReader:
        """Reads the pages behind teaser-only items, under the same limits as feeds."""
        assert self.session is not None
        return PageReader(self.session, allow_private=self.allow_private_feeds,
                          time_limit=self.feed_time_limit)  # fmt: skip

    async def poll_feed(self, feed, moment) -> str:
        """Poll one feed; new items go straight to the feed's channel when it has one,
        else into the server's next scheduled post."""
        assert self.session is not None
        # claimed: one fetch per interval, whichever processes serve the feed's server
        result = await poll_claimed(self.feeds, self.session, feed, moment,
                                    owner=claim_owner(self.bot),
                                    time_limit=self.feed_time_limit,
                                    allow_private=self.allow_private_feeds,
                                    pages=self._pages())  # fmt: skip
        if result is None:
            return "feed_polled_elsewhere"
        return await self._deliver_feed(result, moment)

    async def add_feed(
        self, guild: int, url: str, channel: int | None, moment
    ) -> tuple[PollResult, str]:
        """Check a feed by fetching it, store it, deliver its items like a poll's; raises
        UserFacingError (nothing stored) for what cannot be a feed."""
        assert self.session is not None
        result = await subscribe(self.feeds, self.session, guild, url, channel, moment,
                                 time_limit=self.feed_time_limit,
                                 allow_private=self.allow_private_feeds,
                                 pages=self._pages())  # fmt: skip
        return result, await self._deliver_feed(result, moment)

    async def _deliver_feed(self, result: PollResult, moment) -> str:
        feed = result.feed
        if result.status == "error" or not result.new_articles:
            return "feed_" + result.status
        if feed.channel is None:
            return "feed_new_for_digest"
        batch = await self.posts.reserve(
            feed.guild, feed.channel, "feed", result.new_articles[:DIGEST_MAX], moment
        )
        if batch is None:
            return "feed_nothing_new"
        return "feed_post_" + await self.courier.deliver_batch(batch)

    async def _refresh_tmdb(self, report: Counter[str]) -> None:
        """Once a day: films with reminders follow TMDB (changed ones re-fetched), and a
        moved date is noted so the reminder's post says so."""
        tmdb = getattr(self.bot, "tmdb", None)
        if tmdb is None or not tmdb.usable:
            return
        today = now(self.bot).date()
        last = await self.bot.store.get_meta(TMDB_REFRESHED)
        if last == today.isoformat():
            return
        reminders = [r for r in await self.reminders.active() if self.owns(r.guild)]
        if not reminders:
            return  # nothing to follow: no write either
        since = dt.date.fromisoformat(last) if last else None
        ids = sorted({r.title_id for r in reminders})
        report["tmdb_refreshed"] += await tmdb.refresh_changed(ids, since)
        report["reminder_moved"] += len(await self.reminders.note_dates([r.id for r in reminders]))
        await self.bot.store.set_meta(TMDB_REFRESHED, today.isoformat())

    async def _fire_reminders(self, report: Counter[str]) -> None:
        default_tz = self.bot.settings.timezone

        async def tz_of(guild: int) -> str:
            name = await self.settings.timezone_of(guild, default_tz)
            try:
                zone(name)  # a zone removed from tzdata must not stop every reminder
            except UserFacingError:
                log.warning("server %s has unknown time zone %r; using %s", guild, name, default_tz)
                return default_tz
            return name

        async def run(firing) -> str:
            return "reminder_" + await self.courier.deliver_firing(firing)

        firings = await self.reminders.due(now(self.bot), tz_of, owns=self.owns)
        await self._each(firings, run, report, 4)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Scheduler(bot))
