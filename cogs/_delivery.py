"""Sending reserved posts and reminders to Discord, and recognising them after a crash.

Shared by the scheduler and the news/remind cogs. A channel that is gone (404) or a
missing permission (403) is a permanent failure for that one item: it is recorded for
/news status and the log, and the caller moves on to the next server.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import weakref
from collections.abc import Iterator
from typing import Any

import discord

from bot.news import reading
from bot.news.posting import Batch, PostLog
from bot.news.reminders import Firing, ReminderRepository
from bot.ui.news_embeds import digest_embed, marker_text, mentioned_ids, reminder_content
from bot.ui.reminder_views import notify_view
from bot.ui.replies import NO_PINGS

log = logging.getLogger(__name__)

HISTORY_SCAN = 50
# Background sends stay under Discord's global 50 requests/s with a fifth to spare: room
# for replies to commands and for what a process does unpaced as it (re)starts (log in,
# ask for the gateway) while the others of its cluster send; discord.py still retries
# any 429 that gets through.
BACKGROUND_REQUESTS_PER_SECOND = 40
# A send whose turn came while its process was busy longer than this takes a new turn.
LATE_SEND_SECONDS = 0.05


class Pacer:
    """Background sends at most `per_second` a second for the whole bot: every process
    of a cluster takes its turn from one queue of send slots (bot/db/coordination.py)."""

    def __init__(self, bot: Any, per_second: int) -> None:
        self.bot = bot
        self.per_second = per_second

    async def wait(self) -> None:
        me = self.bot.user.id if self.bot.user else 0
        await self.bot.coordinator.wait_slot(
            f"send:{me}", 1.0 / self.per_second, late_after=LATE_SEND_SECONDS
        )


def now(bot: Any) -> dt.datetime:
    """The bot's clock: real time, unless a test has set `bot.clock`."""
    clock = getattr(bot, "clock", None)
    return clock() if clock else dt.datetime.now(dt.UTC)


def describe_http_error(exc: Exception, channel_id: int) -> tuple[str, bool]:
    """(message for admins, permanent?) for a failed send."""
    if isinstance(exc, NotPostable):
        return str(exc), True
    assert isinstance(exc, discord.HTTPException)
    if isinstance(exc, discord.NotFound):
        return f"channel {channel_id} no longer exists (404, code {exc.code})", True
    if isinstance(exc, discord.Forbidden):
        return f"missing permission to post in <#{channel_id}> (403, code {exc.code})", True
    return f"Discord error {exc.status} (code {exc.code}); will retry", False


class NotPostable(Exception):
    """A configured channel the bot can never post in (e.g. a voice or category channel)."""


_PACERS: weakref.WeakKeyDictionary[Any, Pacer] = weakref.WeakKeyDictionary()


def shared_pacer(bot: Any) -> Pacer:
    """One pacer per bot, whichever cog is sending."""
    if bot not in _PACERS:
        _PACERS[bot] = Pacer(bot, BACKGROUND_REQUESTS_PER_SECOND)
    return _PACERS[bot]


_SENDING: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def claim_owner(bot: Any) -> int | None:
    """This process's token on what it claims: pending posts and reminders, feed polls,
    the trivia games it runs."""
    coordinator = getattr(bot, "coordinator", None)
    return coordinator.token if coordinator is not None else None


async def alive_owners(bot: Any, owners: set[int]) -> set[int]:
    """The claim owners among `owners` whose process still runs."""
    coordinator = getattr(bot, "coordinator", None)
    if coordinator is None or not owners:
        return set()
    return await coordinator.alive(owners)


class Courier:
    def __init__(self, bot: Any, pacer: Pacer | None = None) -> None:
        self.bot = bot
        self.pacer = pacer or shared_pacer(bot)
        self.posts = PostLog(bot.store, owner=claim_owner(bot))
        self.reminders = ReminderRepository(bot.store, owner=claim_owner(bot))
        # markers of the posts and reminders this bot is sending right now, whichever cog
        self.sending = _SENDING.setdefault(bot, set())

    @contextlib.contextmanager
    def _send(self, marker: str) -> Iterator[None]:
        self.sending.add(marker)
        try:
            yield
        finally:
            self.sending.discard(marker)

    async def channel(self, channel_id: int) -> discord.abc.Messageable:
        found = self.bot.get_channel(channel_id)
        if found is None:
            await self.pacer.wait()
            found = await self.bot.fetch_channel(channel_id)
        if not isinstance(found, discord.abc.Messageable):
            raise NotPostable(f"channel {channel_id} is not a text channel")
        return found

    async def find_marker(self, channel: discord.abc.Messageable, marker: str) -> int | None:
        """The id of our recent message carrying `marker`, if the send did happen."""
        tag = marker_text(marker)
        me = self.bot.user.id if self.bot.user else None
        await self.pacer.wait()
        async for message in channel.history(limit=HISTORY_SCAN):
            if message.author.id != me:
                continue
            if tag in message.content or any(
                e.footer and e.footer.text and tag in e.footer.text for e in message.embeds
            ):
                return message.id
        return None

    async def reconcile(
        self, channel: discord.abc.Messageable, marker: str, attempts: int
    ) -> int | None:
        """After a restart: the message id if the post went out, None to send it now.

        Without Read Message History the answer is unknown. A post interrupted by a
        crash (no failed attempt recorded) is then taken as sent (id 0): a gap is
        reported in the log, where a repeat would be visible to every member.
        """
        try:
            return await self.find_marker(channel, marker)
        except discord.Forbidden:
            if attempts == 0:
                log.warning("cannot read history to check post %s; assuming it was sent", marker)
                return 0
            return None

    async def deliver_batch(self, batch: Batch, *, reconcile: bool = False) -> str:
        """Send one reserved post; 'sent', 'found' (already sent), 'failed' or 'retry'."""
        with self._send(batch.marker):
            return await self._deliver_batch(batch, reconcile=reconcile)

    async def _deliver_batch(self, batch: Batch, *, reconcile: bool) -> str:
        try:
            channel = await self.channel(batch.channel)
            if reconcile:
                found = await self.reconcile(channel, batch.marker, batch.attempts)
                if found is not None:
                    await self.posts.mark_sent(batch, found, now(self.bot))
                    log.info("post %s to server %s was sent before a restart", batch.marker,
                             batch.guild)  # fmt: skip
                    return "found"
            views = await reading.views(self.bot.store, await self.posts.articles(batch))
            if not views:
                await self.posts.mark_failed(batch, "articles were deleted", now(self.bot),
                                             permanent=True)  # fmt: skip
                return "failed"
            await self.pacer.wait()
            message = await channel.send(
                embed=digest_embed(views, marker=batch.marker), allowed_mentions=NO_PINGS
            )
        except (discord.HTTPException, NotPostable) as exc:
            error, permanent = describe_http_error(exc, batch.channel)
            log.warning("news post to server %s failed: %s", batch.guild, error)
            gave_up = await self.posts.mark_failed(batch, error, now(self.bot), permanent=permanent)
            return "failed" if gave_up else "retry"
        await self.posts.mark_sent(batch, message.id, now(self.bot))
        return "sent"

    async def deliver_firing(self, firing: Firing, *, reconcile: bool = False) -> str:
        with self._send(firing.marker):
            return await self._deliver_firing(firing, reconcile=reconcile)

    async def _deliver_firing(self, firing: Firing, *, reconcile: bool) -> str:
        reminder = firing.reminder
        try:
            channel = await self.channel(reminder.channel)
            if reconcile:
                found = await self.reconcile(channel, firing.marker, 0)
                if found is not None:
                    await self.reminders.mark_sent(firing, found)
                    return "found"
            content = reminder_content(firing, await self.reminders.subscribers(reminder.id))
            users = [discord.Object(u) for u in mentioned_ids(content)]
            kwargs: dict[str, Any] = {}
            if firing.days_left > 0:
                kwargs["view"] = notify_view(reminder.id)
            await self.pacer.wait()
            message = await channel.send(
                content,
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, roles=False, users=users, replied_user=False
                ),
                **kwargs,
            )
        except (discord.HTTPException, NotPostable) as exc:
            error, permanent = describe_http_error(exc, reminder.channel)
            log.warning("reminder %s in server %s failed: %s", reminder.id, reminder.guild, error)
            if permanent:
                await self.reminders.mark_failed(firing, error)
                return "failed"
            return "retry"
        await self.reminders.mark_sent(firing, message.id)
        return "sent"
