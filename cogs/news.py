"""/news: read summaries, search, and (for admins) scheduled posts and feeds."""

from __future__ import annotations

import logging
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.news import reading
from bot.news.feed_repo import FeedRepository
from bot.news.repository import NewsRepository
from bot.news.schedule import make_schedule, zone_names
from bot.news.settings_repo import NewsSettingsRepository
from bot.permissions import server_manager_only
from bot.ui import limits
from bot.ui.autocomplete import matching_choices
from bot.ui.news_embeds import (
    article_embed,
    feed_added_text,
    feeds_embed,
    list_embed,
    status_embed,
)
from bot.ui.replies import respond
from cogs._delivery import Courier, now

log = logging.getLogger(__name__)

DAYS = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class News(commands.GroupCog, group_name="news", group_description="Movie news summaries"):
    feeds = app_commands.Group(name="feeds", description="RSS/Atom feeds for this server")

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.store = bot.store
        self.settings = NewsSettingsRepository(bot.store)
        self.feed_repo = FeedRepository(bot.store)
        self.courier = Courier(bot)
        self.posts = self.courier.posts
        super().__init__()

    # -- reading ----------------------------------------------------------------

    @app_commands.command(name="latest", description="The latest movie news, summarised")
    @app_commands.describe(count="How many articles (1-10)")
    async def latest(
        self, interaction: discord.Interaction, count: app_commands.Range[int, 1, 10] = 5
    ) -> None:
        articles = await NewsRepository(self.store).latest(count)
        if not articles:
            raise UserFacingError("No news yet. Admins can add feeds with /news feeds add.")
        views = await reading.views(self.store, articles)
        await respond(interaction, embed=list_embed("Latest movie news", views))

    @app_commands.command(name="read", description="Read one article's summary")
    @app_commands.describe(article="Start typing a headline")
    async def read(self, interaction: discord.Interaction, article: str) -> None:
        found = await NewsRepository(self.store).get(article.strip()[:64])
        if found is None:
            hits = await reading.search(self.store, article, 1)
            found = hits[0] if hits else None
        if found is None:
            raise UserFacingError(f"No article matches {limits.clip(article, 60)!r}.")
        await respond(interaction, embed=article_embed(await reading.view(self.store, found)))

    @read.autocomplete("article")
    async def _article_choices(self, interaction: discord.Interaction, current: str):
        pairs = await reading.choices(self.store, current[:200])  # already matched
        return matching_choices(pairs, "", name=lambda p: p[0], value=lambda p: p[1])

    @app_commands.command(name="search", description="Search the news by words")
    @app_commands.describe(query="Words to look for (titles, people, anything)")
    async def search(
        self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 200]
    ) -> None:
        found = await reading.search(self.store, query, 5)
        if not found:
            raise UserFacingError(f"No articles match {limits.clip(query, 60)!r}.")
        views = await reading.views(self.store, found)
        title = f"News matching {limits.clip(query, 60)!r}"
        await respond(interaction, embed=list_embed(title, views))

    # -- admin ------------------------------------------------------------------

    @app_commands.command(name="setup", description="Choose the channel for news posts (admin)")
    @app_commands.describe(channel="Where scheduled news is posted")
    @server_manager_only
    async def setup(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        await self.settings.set_channel(interaction.guild_id, channel.id)
        news = await self.settings.get(interaction.guild_id)
        hint = "" if news.schedule else " Now set a schedule with /news schedule."
        me = interaction.guild.me if interaction.guild else None
        if me is not None:
            perms = channel.permissions_for(me)
            if not (perms.send_messages and perms.embed_links):
                hint += (
                    "\n⚠ I can't send messages with embeds there yet; please fix my permissions."
                )
        await respond(interaction, f"News will be posted in {channel.mention}.{hint}",
                      ephemeral=True)  # fmt: skip

    @app_commands.command(name="schedule", description="When to post news here (admin)")
    @app_commands.describe(
        every="daily, every N hours, weekly, or off",
        time="Local time HH:MM (daily and weekly)",
        timezone="IANA time zone, e.g. Europe/Paris (default: the bot's)",
        hours="For 'hours': post every N hours (1-168)",
        day="For 'weekly': the day",
    )
    @server_manager_only
    async def schedule(
        self,
        interaction: discord.Interaction,
        every: Literal["daily", "hours", "weekly", "off"],
        time: app_commands.Range[str, 1, 8] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        hours: app_commands.Range[int, 1, 168] | None = None,
        day: DAYS | None = None,
    ) -> None:
        guild = interaction.guild_id
        if every == "off":
            await self.settings.set_schedule(guild, None, now(self.bot))
            await respond(interaction, "Scheduled news is off.", ephemeral=True)
            return
        tz = timezone or await self.settings.timezone_of(guild, self.bot.settings.timezone)
        if every in ("daily", "weekly") and not time:
            raise UserFacingError("Give a time, e.g. time:09:00.")
        if every == "weekly" and not day:
            raise UserFacingError("Give a day for a weekly schedule, e.g. day:mon.")
        kind = "hourly" if every == "hours" else every
        sched = make_schedule(kind, tz, at=time, weekday=day, hours=hours)
        next_at = await self.settings.set_schedule(guild, sched, now(self.bot))
        news = await self.settings.get(guild)
        warn = "" if news.channel else "\n⚠ No news channel yet: run /news setup."
        when = f"<t:{int(next_at.timestamp())}:f>" if next_at else "—"
        await respond(interaction, f"News {sched.describe()}. Next post: {when}.{warn}",
                      ephemeral=True)  # fmt: skip

    @schedule.autocomplete("timezone")
    async def _zones(self, interaction: discord.Interaction, current: str):
        return [app_commands.Choice(name=z, value=z) for z in zone_names(current[:64])]

    @app_commands.command(name="status", description="News settings and last errors (admin)")
    @server_manager_only
    async def status(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild_id
        embed = status_embed(
            await self.settings.get(guild),
            last_post=await self.posts.last_post(guild),
            feeds=await self.feed_repo.list(guild),
        )
        await respond(interaction, embed=embed, ephemeral=True)

    @app_commands.command(name="post-now", description="Post the news not yet posted (admin)")
    @server_manager_only
    async def post_now(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild_id
        news = await self.settings.get(guild)
        if news.channel is None:
            raise UserFacingError("Set a news channel first with /news setup.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        moment = now(self.bot)
        batch = await self.posts.reserve(
            guild, news.channel, "manual", await self.posts.unposted(guild, moment), moment
        )
        if batch is None:
            await respond(interaction, "Nothing new to post.", ephemeral=True)
            return
        outcome = await self.courier.deliver_batch(batch)
        if outcome == "sent":
            text = f"Posted in <#{news.channel}>."
        else:
            error = (await self.settings.get(guild)).last_error or "unknown error"
            text = f"Could not post in <#{news.channel}>: {error}"
        await respond(interaction, text, ephemeral=True)

    # -- feeds ------------------------------------------------------------------

    @feeds.command(name="add", description="Follow an RSS/Atom feed (admin)")
    @app_commands.describe(
        url="The feed's address (http or https)",
        channel="Post its items here at once (default: in scheduled news)",
    )
    @server_manager_only
    async def feeds_add(
        self,
        interaction: discord.Interaction,
        url: app_commands.Range[str, 1, 500],
        channel: discord.TextChannel | None = None,
    ) -> None:  # fmt: skip
        scheduler = self.bot.get_cog("Scheduler")
        if scheduler is None:
            raise UserFacingError("Feeds are not running right now; try again in a minute.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        result, outcome = await scheduler.add_feed(
            interaction.guild_id, url, channel.id if channel else None, now(self.bot)
        )
        await respond(interaction, feed_added_text(result.feed, outcome), ephemeral=True)

    @feeds.command(name="remove", description="Stop following a feed (admin)")
    @app_commands.describe(feed="The feed's number or address (see /news feeds list)")
    @server_manager_only
    async def feeds_remove(
        self, interaction: discord.Interaction, feed: app_commands.Range[str, 1, 500]
    ) -> None:
        if not await self.feed_repo.remove(interaction.guild_id, feed):
            raise UserFacingError("No such feed here; see /news feeds list.")
        await respond(interaction, "Feed removed.", ephemeral=True)

    @feeds_remove.autocomplete("feed")
    async def _feed_choices(self, interaction: discord.Interaction, current: str):
        return matching_choices(
            await self.feed_repo.list(interaction.guild_id or 0),
            current,
            name=lambda f: f"{f.number} · {f.title or f.url}",
            value=lambda f: str(f.number),
            text=lambda f: f"{f.title or ''} {f.url}",
        )

    @feeds.command(name="list", description="Feeds this server follows (admin)")
    @server_manager_only
    async def feeds_list(self, interaction: discord.Interaction) -> None:
        feeds = await self.feed_repo.list(interaction.guild_id)
        await respond(interaction, embed=feeds_embed(feeds), ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(News(bot))
