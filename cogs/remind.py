"""/remind release: a post in this channel when a stored release date arrives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.regions import region_or_default
from bot.errors import UserFacingError
from bot.news.reminders import ReminderRepository
from bot.permissions import creator_or_manager
from bot.ui import limits
from bot.ui.autocomplete import (
    matching_choices,
    region_autocomplete,
    resolve_title_live,
    title_autocomplete,
)
from bot.ui.reminder_views import NotifyButton, notify_view
from bot.ui.replies import defer_once, respond
from bot.wording import plural
from cogs._delivery import now


@app_commands.guild_only()
class Remind(commands.GroupCog, group_name="remind", group_description="Release reminders"):
    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.repo = ReminderRepository(bot.store)
        super().__init__()

    async def cog_load(self) -> None:
        # Persistent: buttons on messages sent before a restart keep working.
        self.bot.add_dynamic_items(NotifyButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(NotifyButton)

    @app_commands.command(name="release", description="Post here when a film comes out")
    @app_commands.describe(
        title="The film (start typing)",
        region="Country code or name, e.g. US or France (default: the server's region, else any)",
        days_before="Also post this many days before (0-60)",
    )
    @app_commands.autocomplete(title=title_autocomplete, region=region_autocomplete)
    async def release(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, 200],
        region: app_commands.Range[str, 1, 100] | None = None,
        days_before: app_commands.Range[int, 0, 60] = 0,
    ) -> None:
        region_code = await region_or_default(self.bot.store, interaction.guild_id, region) or ""
        tmdb = getattr(self.bot, "tmdb", None)
        tmdb = tmdb if tmdb is not None and tmdb.usable else None
        ready = defer_once(interaction)
        film, _ = await resolve_title_live(self.bot.store, title, tmdb=tmdb, ready=ready)
        if tmdb is not None:  # follow TMDB's dates from the start
            await tmdb.refresh_title(film.id, ready)
        title_id, name = film.id, film.title
        reminder, _created = await self.repo.create(
            guild=interaction.guild_id,
            channel=interaction.channel_id,
            title_id=title_id,
            region=region_code,
            days_before=days_before,
            user=interaction.user.id,
            now=now(self.bot),
        )
        release = await self.repo.release_for(title_id, reminder.region)
        name = limits.escape(name)
        if release is None:
            when = "no exact release date is known yet; I'll follow it when one is stored"
        else:
            noon = dt.datetime.combine(release.date, dt.time(12), dt.UTC)
            where = f" in {release.region}" if release.region else ""
            when = f"{release.kind} release{where} <t:{int(noon.timestamp())}:D>"
        before = f" and {plural(days_before, 'day')} before" if days_before else ""
        text = (
            f"🔔 Reminder set for **{name}** ({when}). I'll post in this channel on the "
            f"day{before}. Press the button to be mentioned too."
        )
        await respond(interaction, text, view=notify_view(reminder.id))

    @app_commands.command(name="list", description="Release reminders in this server")
    async def list_(self, interaction: discord.Interaction) -> None:
        lines = []
        for reminder in (await self.repo.for_guild(interaction.guild_id))[:25]:
            release = await self.repo.release_for(reminder.title_id, reminder.region)
            when = release.date.isoformat() if release else "date not known yet"
            days = reminder.days_before
            before = f", also {plural(days, 'day')} before" if days else ""
            lines.append(
                f"`{reminder.id}` **{limits.escape(reminder.title)}** "
                f"{reminder.region or 'any region'}: {when}{before} in <#{reminder.channel}>"
            )
        text = "\n".join(lines) or "No release reminders yet. Add one with /remind release."
        await respond(interaction, limits.clip(text, limits.CONTENT), ephemeral=True)

    @app_commands.command(name="cancel", description="Cancel a release reminder")
    @app_commands.describe(reminder="The reminder (see /remind list)")
    async def cancel(self, interaction: discord.Interaction, reminder: str) -> None:
        found = await self.repo.get(int(reminder)) if reminder.strip().isdigit() else None
        if found is None or found.guild != interaction.guild_id:
            raise UserFacingError("No such reminder here; see /remind list.")
        if not creator_or_manager(interaction, found.created_by):
            raise UserFacingError("Only its creator or a server manager can cancel it.")
        await self.repo.cancel(interaction.guild_id, found.id)
        title = limits.escape(found.title)
        await respond(interaction, f"Reminder for **{title}** cancelled.", ephemeral=True)

    @cancel.autocomplete("reminder")
    async def _reminders(self, interaction: discord.Interaction, current: str):
        return matching_choices(
            await self.repo.for_guild(interaction.guild_id or 0),
            current,
            name=lambda r: f"{r.title} ({r.region or 'any'})",
            value=lambda r: str(r.id),
            text=lambda r: r.title,
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Remind(bot))
