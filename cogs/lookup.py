"""/movie info|cast|releases|where, /person info, /upcoming: thin glue over the catalog.

With TMDB set up (bot.tmdb), a lookup first brings the film or person up to date from
TMDB when the store's copy is missing or old; the interaction is deferred just before
TMDB is asked, and a failure is one line above an answer from the store.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog import lookups
from bot.catalog.regions import region_name, region_or_default
from bot.catalog.search import ensure_search_index_current
from bot.catalog.tmdb.service import TmdbService
from bot.db.store import Store
from bot.errors import UserFacingError
from bot.ui import lookup_embeds
from bot.ui.autocomplete import (
    person_autocomplete,
    region_autocomplete,
    resolve_person_live,
    resolve_title_live,
    title_autocomplete,
)
from bot.ui.paginator import Paginator
from bot.ui.replies import defer_once, respond

FALLBACK_REGION = "US"  # /movie where and /upcoming's TMDB list when no region is known
REGION_HELP = "Country code or name, e.g. US or France (default: this server's region)"


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _note(text: str | None) -> str | None:
    return f"⚠️ {text}" if text else None


class Lookup(commands.Cog):
    """Film and people lookups from the store, kept fresh from TMDB when it is set up."""

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

    @property
    def tmdb(self) -> TmdbService | None:
        tmdb: Any = getattr(self.bot, "tmdb", None)
        return tmdb if tmdb is not None and tmdb.usable else None

    async def _details(
        self, interaction: discord.Interaction, title: str
    ) -> tuple[lookups.TitleDetails, str | None]:
        """The film's details, refreshed from TMDB when needed, and a note if TMDB failed."""
        ready = defer_once(interaction)
        film, note = await resolve_title_live(self.store, title, tmdb=self.tmdb, ready=ready)
        if self.tmdb is not None and note is None:
            note = await self.tmdb.refresh_title(film.id, ready)
        details = await lookups.title_details(self.store, film.id)
        if details is None:
            raise UserFacingError("That film was just removed from the store.")
        return details, note

    async def _region(self, interaction: discord.Interaction, typed: str | None) -> str | None:
        return await region_or_default(self.store, interaction.guild_id, typed)

    @movie.command(name="info", description="Plot, poster, runtime, rating, cast and release dates")
    @app_commands.describe(
        title="The film (pick a suggestion or type its name)", region=REGION_HELP
    )
    @app_commands.autocomplete(title=title_autocomplete, region=region_autocomplete)
    async def movie_info(
        self, interaction: discord.Interaction, title: str, region: str | None = None
    ) -> None:
        where = await self._region(interaction, region)
        details, note = await self._details(interaction, title)
        embed = lookup_embeds.title_info_embed(details, _today(), where)
        await respond(interaction, _note(note), embed=embed)

    @movie.command(name="cast", description="The whole cast in billing order")
    @app_commands.describe(title="The film (pick a suggestion or type its name)")
    @app_commands.autocomplete(title=title_autocomplete)
    async def movie_cast(self, interaction: discord.Interaction, title: str) -> None:
        details, note = await self._details(interaction, title)
        pages = lookup_embeds.cast_pages(details)
        await Paginator(pages, owner_id=interaction.user.id, content=_note(note)).send(interaction)

    @movie.command(name="releases", description="Release dates per region and kind")
    @app_commands.describe(
        title="The film (pick a suggestion or type its name)", region=REGION_HELP
    )
    @app_commands.autocomplete(title=title_autocomplete, region=region_autocomplete)
    async def movie_releases(
        self, interaction: discord.Interaction, title: str, region: str | None = None
    ) -> None:
        where = await self._region(interaction, region)
        details, note = await self._details(interaction, title)
        await respond(interaction, _note(note), embed=lookup_embeds.releases_embed(details, where))

    @movie.command(name="where", description="Where to stream, rent or buy a film (JustWatch)")
    @app_commands.describe(
        title="The film (pick a suggestion or type its name)", region=REGION_HELP
    )
    @app_commands.autocomplete(title=title_autocomplete, region=region_autocomplete)
    async def movie_where(
        self, interaction: discord.Interaction, title: str, region: str | None = None
    ) -> None:
        where = await self._region(interaction, region) or FALLBACK_REGION
        if getattr(self.bot, "tmdb", None) is None:
            raise UserFacingError(
                "Where to watch comes from TMDB, which is not set up here (TMDB_API_KEY)."
            )
        details, note = await self._details(interaction, title)
        if note is None and not self.tmdb:
            note = "TMDB refused the API key, so offers may be out of date."
        embed = lookup_embeds.where_embed(details, where, region_name(where))
        await respond(interaction, _note(note), embed=embed)

    @person.command(name="info", description="Who they are: photo, biography, known-for, films")
    @app_commands.describe(name="The person (pick a suggestion or type a name)")
    @app_commands.autocomplete(name=person_autocomplete)
    async def person_info(self, interaction: discord.Interaction, name: str) -> None:
        ready = defer_once(interaction)
        found, note = await resolve_person_live(self.store, name, tmdb=self.tmdb, ready=ready)
        if self.tmdb is not None and note is None:
            note = await self.tmdb.refresh_person(found.id, ready)
        details = await lookups.person_details(self.store, found.id)
        if details is None:
            raise UserFacingError("That person was just removed from the store.")
        pages = lookup_embeds.person_pages(details)
        await Paginator(pages, owner_id=interaction.user.id, content=_note(note)).send(interaction)

    @app_commands.command(name="upcoming", description="Releases coming soon, soonest first")
    @app_commands.describe(region=REGION_HELP, days="How many days ahead to look (default 30)")
    @app_commands.autocomplete(region=region_autocomplete)
    async def upcoming(
        self,
        interaction: discord.Interaction,
        region: str | None = None,
        days: app_commands.Range[int, 1, 366] = 30,
    ) -> None:
        where = await self._region(interaction, region)
        note = None
        if self.tmdb is not None:
            note = await self.tmdb.upcoming(where or FALLBACK_REGION, defer_once(interaction))
        items = await lookups.upcoming(self.store, today=_today(), days=days, region=where)
        pages = lookup_embeds.upcoming_pages(items, region=where, days=days)
        await Paginator(pages, owner_id=interaction.user.id, content=_note(note)).send(interaction)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Lookup(bot))
