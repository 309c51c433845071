"""/movie info|cast|releases, /person info, /upcoming: thin glue over bot.catalog.lookups."""

from __future__ import annotations

import datetime as dt
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog import lookups
from bot.catalog.search import ensure_search_index_current
from bot.db.store import Store
from bot.errors import UserFacingError
from bot.ui import lookup_embeds
from bot.ui.autocomplete import (
    person_autocomplete,
    resolve_person,
    resolve_title,
    title_autocomplete,
)
from bot.ui.paginator import Paginator
from bot.ui.replies import respond

_REGION = re.compile(r"^[A-Za-z]{2}$")


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _region(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _REGION.match(value):
        raise UserFacingError("Region is a two-letter country code, like US, GB or FR.")
    return value.upper()


class Lookup(commands.Cog):
    """Film and people lookups from the store."""

    movie = app_commands.Group(name="movie", description="Films: details, cast, release dates")
    person = app_commands.Group(name="person", description="People in the film catalog")

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # Keys stored under older spelling rules would no longer match what people type.
        await ensure_search_index_current(self.store)

    @property
    def store(self) -> Store:
        return self.bot.store  # type: ignore[attr-defined]

    async def _details(self, title: str) -> lookups.TitleDetails:
        film = await resolve_title(self.store, title)
        details = await lookups.title_details(self.store, film.id)
        if details is None:
            raise UserFacingError("That film was just removed from the store.")
        return details

    @movie.command(name="info", description="Year, studio, director, cast and release dates")
    @app_commands.describe(title="The film (pick a suggestion or type its name)")
    @app_commands.autocomplete(title=title_autocomplete)
    async def movie_info(self, interaction: discord.Interaction, title: str) -> None:
        details = await self._details(title)
        await respond(interaction, embed=lookup_embeds.title_info_embed(details, _today()))

    @movie.command(name="cast", description="The whole cast in billing order")
    @app_commands.describe(title="The film (pick a suggestion or type its name)")
    @app_commands.autocomplete(title=title_autocomplete)
    async def movie_cast(self, interaction: discord.Interaction, title: str) -> None:
        details = await self._details(title)
        pages = lookup_embeds.cast_pages(details)
        await Paginator(pages, owner_id=interaction.user.id).send(interaction)

    @movie.command(name="releases", description="Release dates per region and kind")
    @app_commands.describe(
        title="The film (pick a suggestion or type its name)",
        region="Two-letter country code, e.g. US (default: every region)",
    )
    @app_commands.autocomplete(title=title_autocomplete)
    async def movie_releases(
        self, interaction: discord.Interaction, title: str, region: str | None = None
    ) -> None:
        where = _region(region)
        details = await self._details(title)
        await respond(interaction, embed=lookup_embeds.releases_embed(details, where))

    @person.command(name="info", description="Who they are and their films in the store")
    @app_commands.describe(name="The person (pick a suggestion or type a name)")
    @app_commands.autocomplete(name=person_autocomplete)
    async def person_info(self, interaction: discord.Interaction, name: str) -> None:
        found = await resolve_person(self.store, name)
        details = await lookups.person_details(self.store, found.id)
        if details is None:
            raise UserFacingError("That person was just removed from the store.")
        pages = lookup_embeds.person_pages(details)
        await Paginator(pages, owner_id=interaction.user.id).send(interaction)

    @app_commands.command(name="upcoming", description="Releases coming soon, soonest first")
    @app_commands.describe(
        region="Two-letter country code, e.g. US (default: every region)",
        days="How many days ahead to look (default 30)",
    )
    async def upcoming(
        self,
        interaction: discord.Interaction,
        region: str | None = None,
        days: app_commands.Range[int, 1, 366] = 30,
    ) -> None:
        where = _region(region)
        items = await lookups.upcoming(self.store, today=_today(), days=days, region=where)
        pages = lookup_embeds.upcoming_pages(items, region=where, days=days)
        await Paginator(pages, owner_id=interaction.user.id).send(interaction)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Lookup(bot))
